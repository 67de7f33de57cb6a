//! Coordination between mss-kg processes sharing one on-disk store.
//!
//! Oxigraph documents that opening a store read-only while another process writes to it is
//! undefined behaviour, so every process takes a lock on `mss-kg.lock` in the store folder first:
//! shared for readers, exclusive for writers. A writer also records who it is in the lock file, and
//! each reader in a file of its own under `mss-kg.readers/`, so that a process that finds the
//! store busy can say which command holds it (`mss-kg serve`, its process id) and what to do.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Name of the lock file inside a store folder.
pub const LOCK_FILE: &str = "mss-kg.lock";
/// Folder of the readers' names (`<pid>`: the command), inside a store folder.
pub const READERS_DIR: &str = "mss-kg.readers";

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
    #[error("store '{path}' is busy: {holder} holds it (waited {waited:.1?}; {advice})")]
    Busy {
        path: PathBuf,
        holder: String,
        waited: Duration,
        advice: String,
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
    /// This reader's name file, removed with the lock.
    reader: Option<PathBuf>,
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
        let mut told = false;
        loop {
            let attempt = match kind {
                LockKind::Shared => file.try_lock_shared(),
                LockKind::Exclusive => file.try_lock(),
            };
            match attempt {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        let holder = describe_holder(&mut file, dir);
                        return Err(LockError::Busy {
                            path: dir.to_path_buf(),
                            advice: advice(&holder, kind),
                            holder,
                            waited: start.elapsed(),
                        });
                    }
                    // At once, on a terminal (piped, the error line alone says it).
                    if !told && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                        eprintln!(
                            "mss-kg: store '{}' is held by {}; waiting up to {wait:.1?} (--wait)",
                            dir.display(),
                            describe_holder(&mut file, dir)
                        );
                        told = true;
                    }
                    sleep(Duration::from_millis(25));
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        if kind == LockKind::Exclusive {
            // Informational only: readers show it when they find the store busy.
            let who = format!("a writer ({})", this_command());
            let _ = file
                .set_len(0)
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .and_then(|_| file.write_all(who.as_bytes()));
        }
        let reader = (kind == LockKind::Shared)
            .then(|| register_reader(dir))
            .flatten();
        Ok(Self { file, reader })
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        if let Some(reader) = &self.reader {
            let _ = std::fs::remove_file(reader);
        } else {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

/// `mss-kg query ...` (the first arguments of this process), for other processes' messages.
fn this_command() -> String {
    let args: Vec<String> = std::env::args().skip(1).take(6).collect();
    format!("`mss-kg {}`, pid {}", args.join(" "), std::process::id())
}

/// Records this reader under `mss-kg.readers/<pid>`; informational, so failing is fine (a
/// read-only folder, say).
fn register_reader(dir: &Path) -> Option<PathBuf> {
    let readers = dir.join(READERS_DIR);
    std::fs::create_dir_all(&readers).ok()?;
    let path = readers.join(std::process::id().to_string());
    std::fs::write(&path, this_command()).ok()?;
    Some(path)
}

/// The readers recorded under `mss-kg.readers/` whose process still runs.
fn live_readers(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join(READERS_DIR)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let pid = e.file_name();
            // A process that ended without removing its file (killed) holds nothing.
            !cfg!(target_os = "linux") || Path::new("/proc").join(&pid).exists()
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter(|who| !who.trim().is_empty())
        .collect();
    out.sort();
    out
}

/// What to do about a busy store: for a writer blocked by `serve`, stop it or write through it.
fn advice(holder: &str, kind: LockKind) -> String {
    let by_serve = holder.split_whitespace().any(|word| word == "serve");
    if kind == LockKind::Exclusive && by_serve {
        "stop it, or start it with --writable and send the write through it: SPARQL Update to \
         /update, a graph to /store"
            .to_owned()
    } else {
        "try again, raise --wait, or use `mss-kg serve` for many clients".to_owned()
    }
}

/// Says who holds the lock that we could not take: a writer (named in the file) or readers
/// (named in their files).
fn describe_holder(file: &mut File, dir: &Path) -> String {
    // If a shared lock can be had, only readers hold the file.
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            let readers = live_readers(dir);
            match readers.len() {
                0 => "one or more readers (e.g. `mss-kg query`)".to_owned(),
                1 => format!("a reader ({})", readers[0]),
                n => format!("{n} readers ({})", readers.join("; ")),
            }
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
