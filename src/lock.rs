//! Coordination between mss-kg processes sharing one on-disk store.
//!
//! Oxigraph documents that opening a store read-only while another process writes to it is
//! undefined behaviour, so every process takes a lock on `mss-kg.lock` in the store folder first:
//! shared for readers, exclusive for writers. A writer also records who it is in the lock file, so
//! that a process that finds the store busy can say which command holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Name of the lock file inside a store folder.
pub const LOCK_FILE: &str = "mss-kg.lock";

/// The kind of lock a process needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKind {
    /// Any number of readers at once.
    Shared,
    /// One writer, and no reader.
    Exclusive,
}

/// Why a lock could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "store '{path}' is busy: {holder} holds it (waited {waited:.1?}; try again, raise --wait, or use `mss-kg serve` for many clients)"
    )]
    Busy {
        path: PathBuf,
        holder: String,
        waited: Duration,
    },
    #[error("cannot lock store '{path}': {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct StoreLock {
    file: File,
}

impl StoreLock {
    /// Takes a lock of `kind` on the store folder `dir`, waiting up to `wait` for it.
    pub fn acquire(dir: &Path, kind: LockKind, wait: Duration) -> Result<Self, LockError> {
        let path = dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let start = Instant::now();
        loop {
            let attempt = match kind {
                LockKind::Shared => file.try_lock_shared(),
                LockKind::Exclusive => file.try_lock(),
            };
            match attempt {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        return Err(LockError::Busy {
                            path: dir.to_path_buf(),
                            holder: describe_holder(&mut file),
                            waited: start.elapsed(),
                        });
                    }
                    sleep(Duration::from_millis(25));
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        if kind == LockKind::Exclusive {
            // Informational only: readers show it when they find the store busy.
            let args: Vec<String> = std::env::args().skip(1).take(6).collect();
            let who = format!(
                "a writer (`mss-kg {}`, pid {})",
                args.join(" "),
                std::process::id()
            );
            let _ = file
                .set_len(0)
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .and_then(|_| file.write_all(who.as_bytes()));
        }
        Ok(Self { file })
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Says who holds the lock that we could not take: a writer (named in the file) or readers.
fn describe_holder(file: &mut File) -> String {
    // If a shared lock can be had, only readers hold the file.
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            "one or more readers (e.g. `mss-kg query`)".to_owned()
        }
        Err(_) => {
            let mut who = String::new();
            let _ = file.seek(SeekFrom::Start(0));
            let _ = file.read_to_string(&mut who);
            let who = who.trim();
            if who.is_empty() {
                "a writer".to_owned()
            } else {
                who.to_owned()
            }
        }
    }
}
