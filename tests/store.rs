//! The store: the bundled graph, locking between processes, and folders that are not stores.

use crate::util::Workdir;
use std::io::Read;
use std::time::{Duration, Instant};

#[test]
fn a_fresh_store_holds_the_bundled_graph_without_a_load_step() {
    let wd = Workdir::new();
    let rows = wd.select(&[
        "query",
        "SELECT ?name WHERE { mssr:godfrey-otunge rdfs:label ?name }",
    ]);
    assert_eq!(rows[0]["name"], "Godfrey Otunge");
    assert!(wd.store().join("mss-kg-bundle.tsv").exists());
}

#[test]
fn memory_store_holds_the_bundled_graph_and_keeps_nothing() {
    let wd = Workdir::new();
    wd.run(&[
        "--memory",
        "update",
        "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    ])
    .ok();
    let rows = wd.select(&[
        "--memory",
        "query",
        "SELECT * WHERE { { <urn:x:a> ?p ?o } UNION { mssr:kenya a ?t } }",
    ]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        !wd.store().exists(),
        "--memory must not create the store folder"
    );
}

#[test]
fn default_store_is_in_the_user_data_folder_and_env_var_overrides() {
    let wd = Workdir::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mss-kg"));
    cmd.env_clear()
        .env("HOME", wd.root())
        .env("XDG_DATA_HOME", wd.path("xdg"))
        .args([
            "query",
            "ASK { mssr:kenya a schema:Country }",
            "--format",
            "table",
        ]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(wd.path("xdg/mss-kg/store/CURRENT").exists());
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mss-kg"));
    cmd.env_clear()
        .env("HOME", wd.root())
        .env("MSS_KG_STORE", wd.path("from-env"))
        .args(["query", "ASK {}", "--format", "table"]);
    assert!(cmd.output().unwrap().status.success());
    assert!(wd.path("from-env/CURRENT").exists());
}

#[test]
fn a_changed_bundled_file_is_reloaded_without_touching_user_graphs() {
    let wd = Workdir::new();
    wd.run(&[
        "update",
        "INSERT DATA { GRAPH <urn:x:mine> { <urn:x:a> <urn:x:b> <urn:x:c> } }",
    ])
    .ok();
    // Simulate an older binary's bundle: wrong hash for the entities file, and a graph it filled
    // that this binary's bundle no longer has.
    wd.run(&["update", "INSERT DATA { GRAPH <https://w3id.org/mss-kg/graph/data/old> { <urn:x:old> <urn:x:b> <urn:x:c> } }"]).ok();
    wd.run(&["update", "DELETE DATA { GRAPH <https://w3id.org/mss-kg/graph/data/entities> { mssr:kenya owl:sameAs wd:Q114 } }"]).ok();
    let marker = wd.store().join("mss-kg-bundle.tsv");
    let text = std::fs::read_to_string(&marker).unwrap();
    let text = text
        .lines()
        .map(|line| {
            if line.starts_with("data/entities.ttl\t") {
                let cols: Vec<&str> = line.split('\t').collect();
                format!(
                    "{}\t0000000000000000\t{} https://w3id.org/mss-kg/graph/data/old",
                    cols[0], cols[2]
                )
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&marker, text).unwrap();
    // The next command notices, reloads that file's graphs, and keeps the user's graph.
    let rows = wd.select(&["query", "SELECT * WHERE { mssr:kenya owl:sameAs ?q }"]);
    assert_eq!(rows.len(), 1, "the entities graph must be reloaded");
    assert_eq!(
        wd.select(&["query", "SELECT * WHERE { <urn:x:old> ?p ?o }"])
            .len(),
        0
    );
    assert_eq!(
        wd.select(&[
            "query",
            "SELECT * WHERE { GRAPH <urn:x:mine> { ?s ?p ?o } }"
        ])
        .len(),
        1
    );
}

#[test]
fn a_store_locked_by_a_writer_is_reported_after_waiting() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok(); // create the store
    // `load -` holds the write lock while it waits for standard input.
    let mut writer = wd.spawn(&["load", "-", "--format", "nt"]);
    let lock = wd.store().join("mss-kg.lock");
    let start = Instant::now();
    while std::fs::read_to_string(&lock)
        .unwrap_or_default()
        .is_empty()
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the writer never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let start = Instant::now();
    let run = wd.run(&["--wait", "0.3", "query", "ASK {}"]).fails();
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "must wait before giving up"
    );
    assert!(run.stderr.contains("is busy: a writer (`"), "{run:?}");
    assert!(run.stderr.contains("load -"), "{run:?}");
    let run = wd
        .run(&[
            "--wait",
            "0",
            "update",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        ])
        .fails();
    assert!(run.stderr.contains("is busy"), "{run:?}");
    // Once the writer finishes, the store is usable and intact.
    drop(writer.stdin.take());
    let status = writer.wait().unwrap();
    assert!(status.success());
    let mut err = String::new();
    writer
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("loaded 0 triples"), "{err}");
    assert_eq!(
        wd.run(&[
            "query",
            "ASK { mssr:kenya a schema:Country }",
            "--format",
            "table"
        ])
        .ok()
        .stdout,
        "true\n"
    );
}

#[test]
fn readers_run_side_by_side_and_writers_wait_for_them() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    // Hold the store as a reader does: a shared lock on its lock file.
    let lock = std::fs::File::open(wd.store().join("mss-kg.lock")).unwrap();
    lock.lock_shared().unwrap();
    let run = wd.run(&[
        "--wait",
        "0",
        "query",
        "ASK { mssr:kenya a schema:Country }",
        "--format",
        "table",
    ]);
    assert_eq!(run.ok().stdout, "true\n", "a second reader is not blocked");
    let run = wd
        .run(&[
            "--wait",
            "0.2",
            "update",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        ])
        .fails();
    assert!(
        run.stderr.contains("is busy: one or more readers"),
        "{run:?}"
    );
    lock.unlock().unwrap();
    wd.run(&[
        "--wait",
        "0",
        "update",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ])
    .ok();
}

#[test]
fn a_folder_that_is_not_a_store_is_refused() {
    let wd = Workdir::new();
    wd.write("home/notes.txt", "my notes");
    let run = wd
        .run(&["--store", wd.path("home").to_str().unwrap(), "stats"])
        .fails();
    assert!(run.stderr.contains("is not an mss-kg store"), "{run:?}");
    assert_eq!(
        std::fs::read_dir(wd.path("home")).unwrap().count(),
        1,
        "nothing written"
    );
    let file = wd.write("plain-file", "x");
    let run = wd
        .run(&["--store", file.to_str().unwrap(), "stats"])
        .fails();
    assert!(run.stderr.contains("is not a folder"), "{run:?}");
}

/// Issue #23: a `--store` typed on the command line that names no store yet says that one was
/// created (a typo would otherwise go unnoticed); the next command, MSS_KG_STORE and -q say
/// nothing.
#[test]
fn a_new_store_at_a_typed_path_is_announced() {
    let wd = Workdir::new();
    let path = wd.path("stoer").display().to_string();
    let run = wd.run(&["--store", &path, "stats"]).ok();
    assert!(
        run.stderr.contains(&format!(
            "created a new store at '{path}', holding the bundled graph"
        )),
        "{run:?}"
    );
    let run = wd.run(&["--store", &path, "stats"]).ok();
    assert!(!run.stderr.contains("created"), "{run:?}");
    let run = wd.run(&["stats"]).ok();
    assert!(!run.stderr.contains("created"), "MSS_KG_STORE: {run:?}");
    let quiet = wd.path("quiet").display().to_string();
    let run = wd.run(&["-q", "--store", &quiet, "stats"]).ok();
    assert_eq!(run.stderr, "");
}

/// Issue #23: a write that finds `serve` holding the store names it, with its process id, and
/// says what to do.
#[test]
fn a_write_blocked_by_serve_names_it_and_says_what_to_do() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let port = crate::util::free_port().to_string();
    let mut serve = wd.spawn(&["serve", "--bind", &format!("127.0.0.1:{port}")]);
    let readers = wd.store().join("mss-kg.readers");
    let start = Instant::now();
    while std::fs::read_dir(&readers).map_or(true, |mut d| d.next().is_none()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "serve never took the store"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = wd
        .run(&[
            "--wait",
            "0.2",
            "update",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        ])
        .fails();
    let pid = serve.id().to_string();
    assert!(
        run.stderr
            .contains("is busy: a reader (`mss-kg serve --bind")
            && run.stderr.contains(&format!("pid {pid})")),
        "{run:?}"
    );
    assert!(run.stderr.contains("start it with --writable"), "{run:?}");
    serve.kill().unwrap();
    serve.wait().unwrap();
    // Killed, it left its name behind; that names nobody now.
    wd.run(&[
        "--wait",
        "0",
        "update",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ])
    .ok();
}
