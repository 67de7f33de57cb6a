//! Walking a folder for the files a command reads (RDF inputs, saved queries).

use anyhow::{Context, Result};
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
