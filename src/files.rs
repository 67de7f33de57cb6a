//! Files: walking a folder for the files a command reads (RDF inputs, saved queries), and
//! writing an output file atomically.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively, sorted by path so the order never depends on the file
/// system.
pub fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    collect(dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("cannot read '{}'", dir.display()))?
    {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Writes to `path` through a temporary file in its folder, renamed over it once complete and
/// synced (a reader never sees half a file; a failure leaves the old one), or to stdout.
pub fn write_atomically<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let Some(path) = path else {
        let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let count = write(&mut out)?;
        out.flush()?;
        return Ok(count);
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".mss-kg-")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot write in '{}'", dir.display()))?;
    let mut out = BufWriter::with_capacity(1 << 16, temp);
    // A write that fails (a full disk) says which file it was writing.
    let count = write(&mut out).map_err(|e| {
        if e.chain().any(|c| c.is::<std::io::Error>()) {
            e.context(format!("cannot write '{}'", path.display()))
        } else {
            e
        }
    })?;
    let temp = out
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write '{}'", path.display()))?;
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write '{}'", path.display()))?;
    set_permissions(temp.path(), path);
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write '{}'", path.display()))?;
    Ok(count)
}

/// Gives the temporary file the permissions of the file it replaces, or the usual 0644 (it is
/// created readable by its owner only).
fn set_permissions(temp: &Path, target: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(target).map_or(0o644, |m| m.permissions().mode());
        let _ = std::fs::set_permissions(temp, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (temp, target);
}
