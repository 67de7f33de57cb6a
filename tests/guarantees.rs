//! The promises of the README's "Guarantees", each proved here by a test that would catch its
//! loss: a killed write changes nothing, readers never see half a write, no command runs past its
//! timeout.

use crate::util::Workdir;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A small seeded generator (xorshift64*): the same kill moments on every run.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A duration in `0..max`.
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % nanos)
    }
}

/// `N` triples in graph-less N-Triples, each subject with a literal of its own.
fn triples(n: usize) -> String {
    let mut out = String::with_capacity(n * 60);
    for i in 0..n {
        out.push_str(&format!(
            "<urn:x:s{i}> <urn:x:p{}> \"value {i}\" .\n",
            i % 7
        ));
    }
    out
}

/// The triples of `graph`, counted, and the SHA-256 of the whole store's canonical N-Quads.
fn state(wd: &Workdir, store: &str, graph: &str) -> (String, String) {
    let rows = wd.select(&[
        "--store",
        store,
        "--wait",
        "0",
        "query",
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
    ]);
    let hash = wd
        .run(&["--store", store, "--wait", "0", "export", "--all", "--hash"])
        .ok()
        .stdout;
    (rows[0]["n"].clone(), hash)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `args` on a copy of `base` and SIGKILLs it at a seeded random moment of its run (how
/// long it runs is measured by letting it finish once; every other kill falls near the end),
/// `times` times; each time the store opens at
/// once (the lock was released), holds one of the `allowed` states, and the saved queries
/// answer as before.
fn kill_at_random(
    wd: &Workdir,
    base: &std::path::Path,
    args: &[&str],
    graph: &str,
    times: usize,
    seed: u64,
) {
    let run = |store: &str| -> Child {
        let mut all = vec!["--store", store, "-q"];
        all.extend(args);
        wd.command(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // The states before and after, and how long the command takes.
    let before_store = wd.path("before");
    copy_dir(base, &before_store);
    let before = state(wd, before_store.to_str().unwrap(), graph);
    let after_store = wd.path("after");
    copy_dir(base, &after_store);
    let start = Instant::now();
    assert!(run(after_store.to_str().unwrap()).wait().unwrap().success());
    let span = start.elapsed();
    let after = state(wd, after_store.to_str().unwrap(), graph);
    assert_ne!(before, after, "the command must change the store");
    let answers = |store: &str| {
        wd.run(&[
            "--store",
            store,
            "--wait",
            "0",
            "run",
            "mss-commander",
            "--format",
            "tsv",
        ])
        .ok()
        .stdout
    };
    let expected_answer = answers(before_store.to_str().unwrap());

    let mut rng = Seeded(seed);
    let (mut none, mut all) = (0, 0);
    for i in 0..times {
        let store = wd.path(&format!("killed-{seed}-{i}"));
        copy_dir(base, &store);
        let store = store.to_str().unwrap().to_owned();
        let mut child = run(&store);
        // Every other kill near the end, where the commit and the flush are.
        let at = if i % 2 == 0 {
            rng.below(span)
        } else {
            span.mul_f64(0.85) + rng.below(span.mul_f64(0.2))
        };
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = state(wd, &store, graph);
        if now == before {
            none += 1;
        } else if now == after {
            all += 1;
        } else {
            panic!(
                "{args:?} killed at run {i}: half a write: {now:?}, not {before:?} or {after:?}"
            );
        }
        assert_eq!(
            answers(&store),
            expected_answer,
            "{args:?} killed at run {i}"
        );
        std::fs::remove_dir_all(&store).unwrap();
    }
    std::fs::remove_dir_all(before_store).unwrap();
    std::fs::remove_dir_all(after_store).unwrap();
    eprintln!("{args:?} killed {times} times: {none} before the commit, {all} after");
    assert!(none > 0, "some kills must land before the commit");
}

/// A base store: the bundled graph, and (for the update) a big graph to copy.
fn base(wd: &Workdir, with_big: bool) -> std::path::PathBuf {
    let dir = wd.path(if with_big { "base-big" } else { "base" });
    let store = dir.to_str().unwrap();
    wd.run(&["--store", store, "-q", "stats"]).ok();
    if with_big {
        wd.run(&[
            "--store",
            store,
            "-q",
            "load",
            "big.nt",
            "--graph",
            "urn:x:big",
        ])
        .ok();
    }
    dir
}

/// "A failed or killed load changes nothing": `load` killed at 20 seeded moments leaves the
/// store holding all of the file or none of it, its lock released, its answers the same.
#[test]
fn a_killed_load_loads_all_or_nothing() {
    let wd = Workdir::new();
    wd.write("big.nt", &triples(20_000));
    let base = base(&wd, false);
    kill_at_random(
        &wd,
        &base,
        &["load", "big.nt", "--graph", "urn:x:big"],
        "urn:x:big",
        20,
        0x5eed_0001,
    );
}

/// The same for `update`: an INSERT of 20,000 triples killed at 20 moments.
#[test]
fn a_killed_update_writes_all_or_nothing() {
    let wd = Workdir::new();
    wd.write("big.nt", &triples(20_000));
    let base = base(&wd, true);
    kill_at_random(
        &wd,
        &base,
        &[
            "update",
            "INSERT { GRAPH <urn:x:copy> { ?s ?p ?o } } WHERE { GRAPH <urn:x:big> { ?s ?p ?o } }",
        ],
        "urn:x:copy",
        20,
        0x5eed_0002,
    );
}

/// "No command runs past its timeout": a query that would run for hours, and an update, stop
/// within the timeout and a second, with one line and exit code 1; the update wrote nothing.
#[test]
fn no_command_runs_past_its_timeout() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let start = Instant::now();
    let run = wd
        .run(&[
            "--timeout",
            "1",
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        ])
        .fails();
    assert!(
        start.elapsed() < Duration::from_secs(2) + Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    assert!(
        run.stderr.contains("cancelled") || run.stderr.contains("stopped after 1s (--timeout)"),
        "{run:?}"
    );
    let start = Instant::now();
    wd.run(&[
        "--timeout",
        "1",
        "update",
        "INSERT { GRAPH <urn:x:big> { ?a <urn:x:p> ?d } } WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } }",
    ])
    .fails();
    assert!(start.elapsed() < Duration::from_secs(2) + Duration::from_millis(900));
    let rows = wd.select(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:big> { ?s ?p ?o } }",
    ]);
    assert_eq!(rows[0]["n"], "0");
}

/// "Readers never block each other and never see half a write": readers querying while a
/// writer loads either see the graph before the load or after it, or wait for the writer and
/// then say in one line that the store is busy; none crashes.
#[test]
fn readers_see_before_or_after_a_write_never_half() {
    let wd = Workdir::new();
    wd.write("big.nt", &triples(20_000));
    wd.run(&["stats"]).ok();
    let mut writer = wd
        .command(&["-q", "load", "big.nt", "--graph", "urn:x:big"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:big> { ?s ?p ?o } }";
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let root = wd.root().to_path_buf();
            let store = wd.store();
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for _ in 0..15 {
                    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mss-kg"))
                        .args(["--wait", "0.05", "query", count, "--format", "tsv"])
                        .env_clear()
                        .env("HOME", &root)
                        .env("MSS_KG_STORE", &store)
                        .current_dir(&root)
                        .output()
                        .unwrap();
                    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
                    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
                    match out.status.code() {
                        Some(0) => seen.push(stdout.lines().nth(1).unwrap_or("").to_owned()),
                        Some(1) => {
                            assert!(stderr.contains("is busy"), "{stderr}");
                            assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
                        }
                        other => panic!("reader exited {other:?}: {stderr}"),
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                seen
            })
        })
        .collect();
    assert!(writer.wait().unwrap().success());
    for reader in readers {
        for n in reader.join().unwrap() {
            assert!(
                n == "0" || n == "20000",
                "a reader saw {n} of 20000 triples"
            );
        }
    }
}

/// `link --apply` killed at 20 seeded moments: the external file's graph is all there or not at
/// all, and so are the links (each with its provenance statement); links are only ever there
/// with the graph they point into. (Loading the graph and writing the links are two commits:
/// killed between them, the graph is there without links, and the next `--apply` writes them.)
#[test]
fn a_killed_link_writes_whole_graphs_or_none() {
    let wd = Workdir::new();
    let countries = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/link/wikidata-countries.ttl"
    );
    let base = base(&wd, false);
    let external = "https://w3id.org/mss-kg/graph/external/wikidata-countries.ttl";
    let links = "https://w3id.org/mss-kg/graph/links/wikidata-countries";
    let count = |store: &str, graph: &str| -> usize {
        wd.select(&[
            "--store",
            store,
            "--wait",
            "0",
            "query",
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
        ])[0]["n"]
            .parse()
            .unwrap()
    };
    let args = [
        "-q",
        "link",
        "--with",
        countries,
        "--type",
        "schema:Country",
        "--apply",
    ];
    let done = wd.path("done");
    copy_dir(&base, &done);
    let done = done.to_str().unwrap().to_owned();
    let start = Instant::now();
    let mut all = vec!["--store", done.as_str()];
    all.extend(args);
    wd.run(&all).ok();
    let span = start.elapsed();
    let (full_graph, full_links) = (count(&done, external), count(&done, links));
    assert!(full_graph > 0 && full_links > 0);

    // The link run on a copy of `from`, killed `at` after its start: what the two graphs hold.
    let killed = |from: &std::path::Path, name: String, at: Duration| {
        let store = wd.path(&name);
        copy_dir(from, &store);
        let store = store.to_str().unwrap().to_owned();
        let mut all = vec!["--store", store.as_str()];
        all.extend(args);
        let mut child = wd
            .command(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        child.wait().unwrap();
        let state = (count(&store, external), count(&store, links));
        std::fs::remove_dir_all(&store).unwrap();
        state
    };
    let mut rng = Seeded(0x5eed_0003);
    let mut outcomes = std::collections::BTreeMap::new();
    for i in 0..20 {
        let at = if i % 2 == 0 {
            rng.below(span)
        } else {
            span.mul_f64(0.85) + rng.below(span.mul_f64(0.2))
        };
        let state = killed(&base, format!("killed-link-{i}"), at);
        assert!(
            [(0, 0), (full_graph, 0), (full_graph, full_links)].contains(&state),
            "killed at run {i}: {state:?}, whole graphs are ({full_graph}, {full_links})"
        );
        *outcomes.entry(state).or_insert(0) += 1;
    }
    eprintln!("link killed 20 times: {outcomes:?}");

    // Linked again, killed near the end, where the external graph is replaced and the links
    // written: the graph holds the file's triples (its old ones were the same), never none.
    // (Each run records itself in the links graph: linked once more, it holds a few more.)
    let relinked = wd.path("relinked");
    copy_dir(std::path::Path::new(&done), &relinked);
    let relinked = relinked.to_str().unwrap().to_owned();
    let start = Instant::now();
    let mut again = vec!["--store", relinked.as_str()];
    again.extend(args);
    wd.run(&again).ok();
    let span = start.elapsed();
    let whole = [
        (full_graph, full_links),
        (count(&relinked, external), count(&relinked, links)),
    ];
    assert_eq!(whole[1].0, full_graph);
    for i in 0..10 {
        let at = span.mul_f64(0.6) + rng.below(span.mul_f64(0.5));
        let state = killed(
            std::path::Path::new(&done),
            format!("killed-relink-{i}"),
            at,
        );
        assert!(
            whole.contains(&state),
            "linking again, killed at run {i}: {state:?}, not one of {whole:?}"
        );
    }
}

/// "Bad input gets one clear line and a non-zero exit, never a panic, and changes nothing":
/// every negative syntax and evaluation test of the W3C Turtle, TriG, N-Triples, N-Quads and
/// RDF/XML suites is refused by `load` with one line naming the file (and line and column where
/// the parser gives them), exit code 1, and the store as it was; and by `validate` and `diff`
/// alike, with their exit code for unreadable input, 2.
#[test]
fn every_bad_w3c_rdf_file_is_refused_and_changes_nothing() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let before = wd.run(&["export", "--all", "--hash"]).ok().stdout;
    let mut refused = 0;
    for (suite, kinds) in [
        (
            "rdf-turtle",
            &["TestTurtleNegativeSyntax", "TestTurtleNegativeEval"][..],
        ),
        (
            "rdf-trig",
            &["TestTrigNegativeSyntax", "TestTrigNegativeEval"],
        ),
        ("rdf-n-triples", &["TestNTriplesNegativeSyntax"]),
        ("rdf-n-quads", &["TestNQuadsNegativeSyntax"]),
        ("rdf-xml", &["TestXMLNegativeSyntax"]),
    ] {
        for test in crate::export::w3c_tests(suite, kinds) {
            let path = test.action.to_str().unwrap();
            // One line naming the file, the exit code each command gives bad input, no panic.
            let refused_by = |args: &[&str], code: i32| {
                let run = wd.run(args);
                let what = format!("{} {}: {run:?}", args[0], test.name);
                assert_eq!(run.code, code, "{what}");
                assert_eq!(run.stderr.trim_end().lines().count(), 1, "{what}");
                assert!(run.stderr.starts_with(&format!("mss-kg: {path}")), "{what}");
                assert!(!run.stderr.contains("panicked"), "{what}");
            };
            refused_by(&["load", path, "--base", &test.base], 1);
            // `validate` and `diff` read files too: trouble reading is their exit status 2.
            refused_by(&["validate", path], 2);
            refused_by(&["diff", path, path], 2);
            refused += 1;
        }
    }
    assert!(refused > 240, "{refused}");
    assert_eq!(wd.run(&["export", "--all", "--hash"]).ok().stdout, before);
}

/// Every test the README's "Guarantees" names exists, so that a promise never points at nothing.
#[test]
fn every_guarantee_names_a_test_that_exists() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let section = readme
        .split("### Guarantees")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("a Guarantees section");
    let mut named = 0;
    for cell in section.split('`') {
        let Some((module, function)) = cell.split_once("::") else {
            continue;
        };
        if !module.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        // `queries::tests::name` is a unit test in src/queries.rs; others are in tests/.
        let (file, function) = match function.split_once("::") {
            Some(("tests", f)) => {
                let file = format!("{root}/src/{module}.rs");
                if std::path::Path::new(&file).exists() {
                    (file, f)
                } else {
                    (format!("{root}/src/{module}/mod.rs"), f)
                }
            }
            _ => (format!("{root}/tests/{module}.rs"), function),
        };
        let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            source.contains(&format!("fn {function}()")),
            "the README names {module}::{function}, which {file} does not have"
        );
        named += 1;
    }
    assert!(named >= 12, "{named}");
}

/// Hostile files: each is refused with one line naming it and a non-zero exit, or (an empty
/// file, a byte-order mark) read as the RDF it is; none changes the store unless it loads whole.
#[test]
fn hostile_files_get_one_line_and_change_nothing() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let before = wd.run(&["export", "--all", "--hash"]).ok().stdout;
    let refused = |name: &str, bytes: &[u8]| {
        let path = wd.path(name);
        std::fs::write(&path, bytes).unwrap();
        let run = wd.run(&["load", path.to_str().unwrap()]).fails();
        assert!(run.stderr.contains(name), "{name}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{name}: {run:?}");
        run
    };
    // Binary bytes, invalid UTF-8, a Turtle file named .nt, a 100 MB line that never ends.
    let mut binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    binary.insert(0, 0);
    refused("binary.ttl", &binary);
    let run = refused("latin1.ttl", b"<urn:x:a> <urn:x:b> \"caf\xe9\" .\n");
    assert!(run.stderr.contains("latin1.ttl:1:"), "{run:?}");
    let run = refused("turtle.nt", b"@prefix ex: <urn:x:> .\nex:a ex:b ex:c .\n");
    assert!(run.stderr.contains("turtle.nt:1:"), "{run:?}");
    let mut long = b"<urn:x:a> <urn:x:b> \"".to_vec();
    long.resize(100 << 20, b'x');
    refused("long.ttl", &long);
    // A file that cannot be read (mode 000). Root reads anything, so as root the command runs
    // without the capabilities that let it (setpriv, from util-linux).
    let path = wd.write("unreadable.ttl", "<urn:x:a> <urn:x:b> <urn:x:c> .\n");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let id = std::process::Command::new("id").arg("-u").output().unwrap();
    let args = ["load", "unreadable.ttl"];
    let mut command = if String::from_utf8_lossy(&id.stdout).trim() == "0" {
        wd.wrapped(
            &["setpriv", "--bounding-set=-dac_override,-dac_read_search"],
            &args,
        )
    } else {
        wd.command(&args)
    };
    let output = command.stdin(Stdio::null()).output();
    let run =
        crate::util::Run::of(output.expect("setpriv runs (`scripts/with-deps --test` checks it)"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
    assert!(
        run.stderr.contains("'unreadable.ttl': Permission denied"),
        "{run:?}"
    );
    assert_eq!(wd.run(&["export", "--all", "--hash"]).ok().stdout, before);

    // An empty file is an empty graph; a byte-order mark is no content.
    wd.write("empty.ttl", "");
    let run = wd.run(&["load", "empty.ttl"]).ok();
    assert!(run.stderr.contains("loaded 0 triples"), "{run:?}");
    std::fs::write(
        wd.path("bom.ttl"),
        b"\xef\xbb\xbf<urn:x:a> <urn:x:b> <urn:x:c> .\n",
    )
    .unwrap();
    wd.run(&["load", "bom.ttl", "--graph", "urn:x:bom"]).ok();
    let rows = wd.select(&[
        "query",
        "SELECT * WHERE { GRAPH <urn:x:bom> { <urn:x:a> ?p ?o } }",
    ]);
    assert_eq!(rows.len(), 1, "{rows:?}");

    // A folder where a file is expected; a store folder that holds another program's files.
    std::fs::create_dir_all(wd.path("folder.rq")).unwrap();
    let run = wd.run(&["query", "--file", "folder.rq"]).fails();
    assert!(run.stderr.contains("folder.rq"), "{run:?}");
    wd.write("elsewhere/notes.txt", "mine\n");
    let run = wd.run(&["--store", "elsewhere", "stats"]).fails();
    assert!(run.stderr.contains("is not an mss-kg store"), "{run:?}");
    assert_eq!(
        std::fs::read_dir(wd.path("elsewhere")).unwrap().count(),
        1,
        "nothing written there"
    );
}

/// `serve --writable` killed while it replaces a graph by a Graph Store PUT, at 12 seeded
/// moments: the graph is the old one or the new one, never a part, and the store opens.
#[test]
fn a_killed_serve_mid_put_keeps_the_old_graph_or_the_new() {
    use crate::util::Server;
    let wd = Workdir::new();
    let body = triples(20_000);
    let base = base(&wd, false);
    let old = "INSERT DATA { GRAPH <urn:x:put> { <urn:x:old> <urn:x:p> 1 , 2 , 3 } }";
    wd.run(&["--store", base.to_str().unwrap(), "-q", "update", old])
        .ok();
    let count = |store: &str| -> String {
        wd.select(&[
            "--store",
            store,
            "--wait",
            "0",
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:put> { ?s ?p ?o } }",
        ])[0]["n"]
            .clone()
    };
    let put = |server: &Server| {
        let mut http = server.connect();
        let body = body.clone();
        std::thread::spawn(move || {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                http.request(
                    "PUT",
                    "/store?graph=urn:x:put",
                    &[("Content-Type", "application/n-triples")],
                    body.as_bytes(),
                )
            }));
        })
    };
    // How long a PUT takes, to kill within it.
    let done = wd.path("put-done");
    copy_dir(&base, &done);
    let mut server = Server::start_with(&wd, &done, &["--writable"]);
    let start = Instant::now();
    put(&server).join().unwrap();
    let span = start.elapsed();
    server.kill();
    assert_eq!(count(done.to_str().unwrap()), "20000");

    let mut rng = Seeded(0x5eed_0004);
    let mut outcomes = std::collections::BTreeMap::new();
    for i in 0..12 {
        let store = wd.path(&format!("killed-put-{i}"));
        copy_dir(&base, &store);
        let mut server = Server::start_with(&wd, &store, &["--writable"]);
        let request = put(&server);
        let at = if i % 2 == 0 {
            rng.below(span)
        } else {
            span.mul_f64(0.85) + rng.below(span.mul_f64(0.2))
        };
        std::thread::sleep(at);
        server.kill();
        request.join().unwrap();
        let n = count(store.to_str().unwrap());
        assert!(
            n == "3" || n == "20000",
            "killed at run {i}: {n} triples in the graph"
        );
        *outcomes.entry(n).or_insert(0) += 1;
        std::fs::remove_dir_all(&store).unwrap();
    }
    eprintln!("serve killed mid-PUT 12 times: {outcomes:?}");
}

/// Runs `args` with every file it writes limited to `kib` KiB (`ulimit -f`) and SIGXFSZ ignored,
/// so that a write past the limit fails with EFBIG, as one fails with ENOSPC on a full disk.
fn run_with_full_disk(wd: &Workdir, kib: u64, args: &[&str]) -> crate::util::Run {
    let limit = format!("ulimit -f {kib}; trap '' XFSZ; exec \"$0\" \"$@\"");
    let mut cmd = wd.wrapped(&["bash", "-c", &limit], args);
    let output = cmd
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output();
    crate::util::Run::of(output.unwrap())
}

/// "A failed load changes nothing", on a full disk: a load whose writes fail (the store's files
/// may not grow past 2 MiB) is refused in one line, leaves the store as it was and unlocked; an
/// export to a full disk fails in one line and leaves the file it was to replace as it was.
#[test]
fn a_full_disk_fails_in_one_line_and_loses_nothing() {
    let wd = Workdir::new();
    let store = wd.store();
    let store = store.to_str().unwrap();
    wd.run(&["stats"]).ok();
    let big = wd.write("big.nt", &triples(400_000));
    let before = state(&wd, store, "urn:x:big");
    let run = run_with_full_disk(
        &wd,
        2048,
        &["load", big.to_str().unwrap(), "--graph", "urn:x:big"],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
    assert!(run.stderr.starts_with("mss-kg: "), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    assert_eq!(state(&wd, store, "urn:x:big"), before, "the store changed");
    // The lock is released and the store takes the same load when there is room.
    wd.run(&[
        "--wait",
        "0",
        "load",
        big.to_str().unwrap(),
        "--graph",
        "urn:x:big",
    ])
    .ok();
    assert_eq!(state(&wd, store, "urn:x:big").0, "400000");

    let out = wd.write("out.nt", "old contents\n");
    let run = run_with_full_disk(&wd, 64, &["export", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
    assert!(
        run.stderr.contains("cannot write '") && run.stderr.contains("out.nt'"),
        "{run:?}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old contents\n");
}

/// The peak resident memory of a child process, polled from /proc while it runs.
fn peak_rss_kib(child: &mut Child) -> u64 {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        if child.try_wait().unwrap().is_some() {
            return peak;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// "Results stream": a 10-million-row join read through the union of two graphs that hold the
/// same triples comes out whole, each row once (not four times), in memory that does not grow
/// with the rows: the evaluator reads each triple of the merge once and remembers none of them
/// (vendor/PATCH.md). The `DISTINCT` the same query got before remembered every
/// solution: gigabytes here.
#[test]
fn ten_million_rows_of_a_join_through_the_union_stream_in_constant_memory() {
    let wd = Workdir::new();
    let side = 3163; // 3163² = 10,004,569 rows
    let mut text = String::new();
    for i in 0..side {
        text.push_str(&format!(
            "<urn:x:l{i}> <urn:x:left> \"{i}\" .\n<urn:x:r{i}> <urn:x:right> \"{i}\" .\n"
        ));
    }
    let file = wd.write("sides.nt", &text);
    for graph in ["urn:x:a", "urn:x:b"] {
        wd.run(&["--quiet", "load", file.to_str().unwrap(), "--graph", graph])
            .ok();
    }
    let mut child = wd
        .command(&[
            "query",
            "SELECT ?l ?r WHERE { ?l <urn:x:left> ?x . ?r <urn:x:right> ?y }",
            "--format",
            "tsv",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Count the lines as they stream, while the peak memory is polled.
    let mut stdout = child.stdout.take().unwrap();
    let counter = std::thread::spawn(move || {
        let (mut lines, mut buf) = (0u64, vec![0u8; 1 << 16]);
        loop {
            match std::io::Read::read(&mut stdout, &mut buf).unwrap() {
                0 => return lines,
                n => lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64,
            }
        }
    });
    let peak = peak_rss_kib(&mut child);
    assert!(child.wait().unwrap().success());
    let lines = counter.join().unwrap();
    assert_eq!(lines, 1 + side * side, "a header and each row once");
    eprintln!("peak memory for {} rows: {peak} KiB", side * side);
    assert!(peak < 128 * 1024, "the join took {peak} KiB");
}
