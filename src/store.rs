//! The only place a [`Store`] is opened: on disk read-write or read-only, or in memory.
//!
//! Opening also keeps the bundled graph (`ontology/` and `data/`, embedded in the binary) loaded
//! and current: see [`crate::bundle`].

use crate::bundle;
use crate::lock::{LOCK_FILE, LockKind, StoreLock};
use anyhow::{Context, Result, bail};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the store lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A throw-away in-memory store, holding the bundled graph.
    Memory,
    /// A RocksDB store in this folder, created on first use.
    Dir(PathBuf),
}

/// What a command will do with the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only read: opened read-only, under a shared lock.
    Read,
    /// Write: opened read-write, under an exclusive lock.
    Write,
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub location: Location,
    /// How long to wait for a store another process holds.
    pub wait: Duration,
    /// Say on stderr when the folder held no store and one was created (a path typed by hand
    /// that names nothing yet is more often a typo than a wish).
    pub announce_new: bool,
}

/// An open store, with the lock that keeps other processes from writing under it.
pub struct OpenStore {
    pub store: Store,
    /// Where it is, for messages (`None` in memory).
    pub path: Option<PathBuf>,
    _lock: Option<StoreLock>,
}

impl OpenStore {
    /// A store another [`OpenStore`] of this process holds open (and locked): `serve` hands
    /// its store to the library functions that take a backend.
    pub fn shared(store: Store) -> Self {
        Self {
            store,
            path: None,
            _lock: None,
        }
    }
}

impl std::ops::Deref for OpenStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// The default store folder: `mss-kg/store` in the user's data directory.
pub fn default_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("mss-kg")
        .join("store")
}

/// Opens the store for `access`, loading or refreshing the bundled graph first if needed.
pub fn open(config: &StoreConfig, access: Access) -> Result<OpenStore> {
    match &config.location {
        Location::Memory => {
            let store = Store::new().context("cannot create an in-memory store")?;
            bundle::sync(&store, None)?;
            Ok(OpenStore {
                store,
                path: None,
                _lock: None,
            })
        }
        Location::Dir(dir) => open_dir(dir, config.wait, access, config.announce_new),
    }
}

fn open_dir(dir: &Path, wait: Duration, access: Access, announce_new: bool) -> Result<OpenStore> {
    check_is_store(dir)?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create store folder '{}'", dir.display()))?;
    if access == Access::Read {
        let lock = StoreLock::acquire(dir, LockKind::Shared, wait)?;
        if dir.join("CURRENT").exists() && bundle::is_current(dir) {
            let store = Store::open_read_only(dir)
                .with_context(|| format!("cannot open store '{}' read-only", dir.display()))?;
            return Ok(OpenStore {
                store,
                path: Some(dir.to_path_buf()),
                _lock: Some(lock),
            });
        }
        // The bundled graph needs loading or refreshing: that takes a writer, once.
        drop(lock);
    }
    let lock = StoreLock::acquire(dir, LockKind::Exclusive, wait)?;
    let new = !dir.join("CURRENT").exists();
    let store =
        Store::open(dir).with_context(|| format!("cannot open store '{}'", dir.display()))?;
    bundle::sync(&store, Some(dir))?;
    if new && announce_new {
        eprintln!(
            "mss-kg: created a new store at '{}', holding the bundled graph",
            dir.display()
        );
    }
    Ok(OpenStore {
        store,
        path: Some(dir.to_path_buf()),
        _lock: Some(lock),
    })
}

/// Writes what a transaction left in RocksDB's write-ahead log to its table files. Every write
/// command ends with it: a read-only open replays the whole log each time, which would make
/// every later query pay for the last write (tens of milliseconds for the bundled graph).
pub fn flush(store: &Store) -> Result<()> {
    store.flush().context("cannot flush the store to disk")
}

/// Refuses a folder that holds files but is not a store, so we never write RocksDB files into,
/// say, a home directory given by mistake.
fn check_is_store(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("store '{}' is not a folder", dir.display());
    }
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read store folder '{}'", dir.display()))?;
    let empty = entries.next().is_none();
    if empty || dir.join("CURRENT").exists() || dir.join(LOCK_FILE).exists() {
        return Ok(());
    }
    bail!(
        "'{}' is not an mss-kg store: it holds other files (give an empty or new folder to --store)",
        dir.display()
    )
}
