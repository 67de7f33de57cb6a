//! Embeds the bundled graph (`ontology/`, `data/`) and the saved queries (`queries/`) in the binary.
//!
//! Writes `$OUT_DIR/bundled.rs` with one `(path, contents, hash)` entry per file, sorted by path so
//! the binary is the same whatever order the file system lists them in. The hash (FNV-1a, 64 bits)
//! lets a store tell whether it holds this binary's version of a file without rehashing it on
//! every start. Contents and hash are taken when the crate compiles, from the crate's own folder
//! (`CARGO_MANIFEST_DIR` then), never from a path fixed here: two clones sharing one target folder
//! once got each other's files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "ttl" | "trig" | "nt" | "nq" | "rq" | "ru"))
        {
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    for dir in ["ontology", "data", "queries"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root, &root.join(dir), &mut files);
    }
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled.rs");
    let mut f = fs::File::create(out).unwrap();
    writeln!(
        f,
        "/// Every bundled file as `(path relative to the crate root, contents, FNV-1a hash)`."
    )
    .unwrap();
    writeln!(f, "pub static FILES: &[(&str, &str, u64)] = &[").unwrap();
    for file in &files {
        let rel = file.to_str().unwrap().replace('\\', "/");
        writeln!(
            f,
            "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\")), crate::hash::fnv64(include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\")))),"
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
