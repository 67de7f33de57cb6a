//! `--endpoint`: every command against a remote SPARQL engine (issue #14) — a real Virtuoso,
//! a real `mss-kg serve`, and a real socket that misbehaves on purpose.

use crate::util::{Server, Workdir, free_port};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A Virtuoso of its own in a temp folder, on free ports of 127.0.0.1, stopped by its process id.
pub struct Virtuoso {
    child: Child,
    _dir: tempfile::TempDir,
    sql: String,
    pub http: String,
}

/// The `virtuoso.ini` that Debian's virtuoso-opensource package installs.
fn packaged_ini() -> PathBuf {
    for path in [
        "/etc/virtuoso-opensource-7/virtuoso.ini",
        "/usr/share/virtuoso-opensource-7/virtuoso.ini",
    ] {
        if Path::new(path).exists() {
            return path.into();
        }
    }
    panic!(
        "Virtuoso is not installed (no virtuoso.ini of Debian's virtuoso-opensource): `scripts/with-deps --test` installs it"
    );
}

impl Virtuoso {
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mss-kg-virtuoso")
            .tempdir()
            .unwrap();
        let (sql_port, http_port) = (free_port(), free_port());
        let ini = std::fs::read_to_string(packaged_ini()).unwrap();
        let db = dir.path().to_str().unwrap();
        let mut section = String::new();
        let mut out = String::new();
        for line in ini.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                section = trimmed.to_owned();
            }
            let key = trimmed.split(['=', ' ', '\t']).next().unwrap_or("");
            let line = line.replace("/var/lib/virtuoso-opensource-7/db", db);
            out.push_str(&match (section.as_str(), key) {
                ("[Parameters]", "ServerPort") => format!("ServerPort = 127.0.0.1:{sql_port}"),
                ("[HTTPServer]", "ServerPort") => format!("ServerPort = 127.0.0.1:{http_port}"),
                _ => line,
            });
            out.push('\n');
        }
        let ini = dir.path().join("virtuoso.ini");
        std::fs::write(&ini, out).unwrap();
        let child = Command::new("virtuoso-t")
            .args(["+configfile", ini.to_str().unwrap(), "+foreground"])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("virtuoso-t runs (scripts/with-deps --test installs virtuoso-opensource)");
        let mut virtuoso = Self {
            child,
            _dir: dir,
            sql: format!("127.0.0.1:{sql_port}"),
            http: format!("http://127.0.0.1:{http_port}"),
        };
        for _ in 0..600 {
            if let Some(status) = virtuoso.child.try_wait().unwrap() {
                panic!("virtuoso-t exited with {status}");
            }
            if ask(&format!("127.0.0.1:{http_port}")) {
                virtuoso.isql("GRANT SPARQL_UPDATE TO \"SPARQL\";");
                return virtuoso;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("Virtuoso did not answer /sparql within a minute");
    }

    pub fn sparql(&self) -> String {
        format!("{}/sparql", self.http)
    }

    pub fn graph_store(&self) -> String {
        format!("{}/sparql-graph-crud", self.http)
    }

    /// Runs SQL through `isql-vt` as the database administrator.
    pub fn isql(&self, sql: &str) -> String {
        let output = Command::new("isql-vt")
            .args([&self.sql, "dba", "dba", &format!("exec={sql}")])
            .stdin(Stdio::null())
            .output()
            .expect("isql-vt runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(output.status.success(), "isql-vt failed: {text}");
        text
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a SPARQL endpoint at HOST:PORT answers `ASK {}`.
fn ask(address: &str) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {address}\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

/// What a faulty endpoint does with each request, in turn (the last one repeats).
#[derive(Clone)]
enum Fault {
    /// Answers this status and body.
    Status(u16, &'static str),
    /// Waits this long, then answers an empty result.
    Slow(Duration),
    /// Sends the start of a JSON result, then closes.
    Truncated,
}

/// A socket on 127.0.0.1 that answers as told, recording each request's head and body.
struct Faulty {
    url: String,
    requests: std::sync::mpsc::Receiver<String>,
}

impl Faulty {
    fn start(faults: Vec<Fault>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sparql", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                let fault = faults[i.min(faults.len() - 1)].clone();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let _ = tx.send(format!("{head}\n{}", String::from_utf8_lossy(&body)));
                let empty = r#"{"head":{"vars":["x"]},"results":{"bindings":[]}}"#;
                let reply = match fault {
                    Fault::Status(code, body) => format!(
                        "HTTP/1.1 {code} Oops\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    ),
                    Fault::Slow(wait) => {
                        std::thread::sleep(wait);
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n{empty}",
                            empty.len()
                        )
                    }
                    Fault::Truncated => "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n{\"head\":{\"vars\":[\"x\"]},\"results\":{\"bindings\":[{\"x\":{\"type\":\"literal\",\"value\":\"a\"}},".to_owned(),
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        Self { url, requests: rx }
    }

    fn request(&self) -> String {
        self.requests
            .recv_timeout(Duration::from_secs(10))
            .expect("a request reached the faulty endpoint")
    }
}

/// Rows of a SELECT as a sorted list, each cell normalised for what engines may differ in
/// without the answer differing: the order of a GROUP_CONCAT's parts, and (with `loose`) the
/// language tag a GROUP_CONCAT keeps, booleans as 1/0, and an empty string for an unbound value.
fn rows(json: &str, loose: bool) -> Vec<Vec<String>> {
    let value: serde_json::Value = serde_json::from_str(json).expect("SPARQL JSON results");
    let vars: Vec<String> = value["head"]["vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let mut out: Vec<Vec<String>> = value["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            vars.iter()
                .map(|v| {
                    let cell = &row[v];
                    let mut text = cell["value"].as_str().unwrap_or("").to_owned();
                    let datatype = cell["datatype"].as_str().unwrap_or("");
                    if datatype.ends_with("#boolean") {
                        text = if text == "true" || text == "1" {
                            "1"
                        } else {
                            "0"
                        }
                        .to_owned();
                    }
                    let mut parts: Vec<&str> = text
                        .split(" | ")
                        .flat_map(|p| p.split(", "))
                        .flat_map(|p| p.split("; "))
                        .collect();
                    parts.sort();
                    let mut text = parts.join("|");
                    if !loose {
                        if let Some(lang) = cell["xml:lang"].as_str() {
                            text.push_str(&format!("@{lang}"));
                        }
                        if cell.is_null() {
                            text = "(unbound)".to_owned();
                        }
                    }
                    text
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// The saved queries an engine holding the bundled graph answers as the store does (the
/// federated one needs the network).
fn saved_queries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .filter(|n| n != "nation-codes-remote")
        .collect();
    names.sort();
    names
}

/// Virtuoso evaluates a `BIND` inside an `OPTIONAL` that did not match, and reads an unbound
/// `CONCAT` argument as "" (the standard makes both unbound): the columns where that shows.
fn virtuoso_differs(query: &str, column: usize) -> bool {
    query == "kenya-deployments" && column == 7
}

/// Issue #14: the bundled graph published to Virtuoso with `load --endpoint --bundled`, and
/// every saved query run there and on the store, gives the same answers.
#[test]
fn every_saved_query_agrees_on_virtuoso_and_the_store() {
    let virtuoso = Virtuoso::start();
    let wd = Workdir::new();
    let endpoint = virtuoso.sparql();
    let store = virtuoso.graph_store();
    let run = wd
        .run(&[
            "--endpoint",
            &endpoint,
            "--graph-store",
            &store,
            "load",
            "--bundled",
        ])
        .ok();
    assert!(run.stderr.contains("into the endpoint"), "{run:?}");
    let mut compared = 0;
    for name in saved_queries() {
        let remote = wd
            .run(&["--endpoint", &endpoint, "run", &name, "--format", "json"])
            .ok();
        let local = wd.run(&["--memory", "run", &name, "--format", "json"]).ok();
        let (mut remote, mut local) = (rows(&remote.stdout, true), rows(&local.stdout, true));
        for rows in [&mut remote, &mut local] {
            for row in rows.iter_mut() {
                for (i, cell) in row.iter_mut().enumerate() {
                    if virtuoso_differs(&name, i) {
                        cell.clear();
                    }
                }
            }
            rows.sort();
        }
        assert_eq!(remote, local, "saved query '{name}' differs on Virtuoso");
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} saved queries compared");

    // Publishing again replaces each graph: nothing is counted twice.
    wd.run(&[
        "--endpoint",
        &endpoint,
        "--graph-store",
        &store,
        "load",
        "--bundled",
    ])
    .ok();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/mss-kg/')) }";
    let remote = wd.select(&["--endpoint", &endpoint, "query", count]);
    let local = wd.select(&["--memory", "query", count]);
    assert_eq!(remote, local);
}

/// Issue #14: describe, stats, export, update and load without a Graph Store, on Virtuoso.
#[test]
fn other_commands_work_on_virtuoso() {
    let virtuoso = Virtuoso::start();
    let wd = Workdir::new();
    let endpoint = virtuoso.sparql();
    // Without --graph-store, load sends INSERT DATA; a blank node's triples stay one node.
    let file = wd.write(
        "extra.ttl",
        "@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q 1 ; ex:r 2 ] .\nex:a ex:label \"A\" .\n",
    );
    let run = wd
        .run(&[
            "--endpoint",
            &endpoint,
            "load",
            file.to_str().unwrap(),
            "--graph",
            "http://example.org/g",
        ])
        .ok();
    assert!(run.stderr.contains("loaded 4 triples"), "{run:?}");
    let joined = wd.select(&[
        "--endpoint",
        &endpoint,
        "query",
        "SELECT ?q ?r WHERE { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> ?b . ?b <http://example.org/q> ?q ; <http://example.org/r> ?r } }",
    ]);
    assert_eq!(joined.len(), 1, "{joined:?}");

    // update: applied, and said so.
    let run = wd
        .run(&["--endpoint", &endpoint, "update", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/b> <http://example.org/label> \"B\" } }"])
        .ok();
    assert!(run.stderr.contains("update applied"), "{run:?}");
    let labels = wd.select(&[
        "--endpoint",
        &endpoint,
        "query",
        "SELECT ?l WHERE { GRAPH <http://example.org/g> { ?x <http://example.org/label> ?l } } ORDER BY ?l",
    ]);
    assert_eq!(labels.len(), 2);

    // export of one graph, as Turtle: the same triples.
    let run = wd
        .run(&[
            "--endpoint",
            &endpoint,
            "export",
            "--graph",
            "http://example.org/g",
            "--format",
            "ntriples",
        ])
        .ok();
    assert_eq!(run.stdout.lines().count(), 5, "{run:?}");
    // stats lists the graph.
    let run = wd.run(&["--endpoint", &endpoint, "stats"]).ok();
    assert!(run.stdout.contains("http://example.org/g"), "{run:?}");

    // describe: the same card as on the store, once the bundled graph is there.
    wd.run(&[
        "--endpoint",
        &endpoint,
        "--graph-store",
        &virtuoso.graph_store(),
        "load",
        "--bundled",
    ])
    .ok();
    let remote = wd
        .run(&["--endpoint", &endpoint, "describe", "otunge"])
        .ok();
    let local = wd.run(&["--memory", "describe", "otunge"]).ok();
    assert_eq!(remote.stdout, local.stdout);
}

/// Issue #14: `link` with the local side on Virtuoso: the external file is loaded there, the
/// local entities read from there, the links applied there, with the store's proposals.
#[test]
fn link_works_on_virtuoso_as_on_the_store() {
    let virtuoso = Virtuoso::start();
    let wd = Workdir::new();
    let endpoint = virtuoso.sparql();
    wd.run(&[
        "--endpoint",
        &endpoint,
        "--graph-store",
        &virtuoso.graph_store(),
        "load",
        "--bundled",
    ])
    .ok();
    let countries = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/link/wikidata-countries.ttl"
    );
    let gold = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/link/nations-gold.csv"
    );
    let args = [
        "link",
        "--with",
        countries,
        "--type",
        "schema:Country",
        "--evidence",
        "labels",
        "--gold",
        gold,
        "--apply",
        "--format",
        "tsv",
    ];
    let mut remote_args = vec!["--endpoint", endpoint.as_str()];
    remote_args.extend(args);
    let remote = wd.run(&remote_args).ok();
    let mut local_args = vec!["--memory"];
    local_args.extend(args);
    let local = wd.run(&local_args).ok();
    let mut remote_rows: Vec<&str> = remote.stdout.lines().collect();
    let mut local_rows: Vec<&str> = local.stdout.lines().collect();
    remote_rows.sort();
    local_rows.sort();
    assert_eq!(remote_rows, local_rows);
    assert!(
        remote.stderr.contains("precision 1.000 (17 of 17"),
        "{remote:?}"
    );
    assert!(remote.stderr.contains("wrote 17 links"), "{remote:?}");
    // The links are on Virtuoso, and a second run describes them anew rather than twice.
    wd.run(&remote_args).ok();
    let links = wd.select(&[
        "--endpoint",
        &endpoint,
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/mss-kg/graph/links/wikidata-countries> { ?l a mss:IdentityLink } }",
    ]);
    assert_eq!(links[0]["n"], "17");
}

/// Issue #14: the same saved queries through `mss-kg serve` give exactly the store's answers.
#[test]
fn every_saved_query_agrees_through_serve() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start(&wd, &wd.store());
    let other = Workdir::new();
    for name in saved_queries() {
        let remote = other
            .run(&["--endpoint", &server.url, "run", &name, "--format", "json"])
            .ok();
        let local = other
            .run(&["--memory", "run", &name, "--format", "json"])
            .ok();
        assert_eq!(
            rows(&remote.stdout, false),
            rows(&local.stdout, false),
            "saved query '{name}' differs through serve"
        );
    }
    // Writes are refused by a read-only serve, in one line naming it.
    let run = other
        .run(&[
            "--endpoint",
            &server.url,
            "update",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        ])
        .fails();
    assert!(run.stderr.contains(&server.url), "{run:?}");
    // A parameter can't change the query over the wire: the injection is a plain value.
    let run = other.run(&[
        "--endpoint",
        &server.url,
        "run",
        "person-actions",
        "--param",
        "person=mssr:x> } ; DROP ALL ; { <urn:y",
    ]);
    assert_ne!(run.code, 0, "{run:?}");
    assert_eq!(
        other
            .select(&[
                "--endpoint",
                &server.url,
                "query",
                "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
            ])
            .len(),
        1
    );
}

/// Issue #14: a saved query whose grlc header names an endpoint runs there, unless --local.
#[test]
fn a_saved_query_runs_at_its_grlc_endpoint() {
    let served = Workdir::new();
    let data = served.write("x.ttl", "<urn:x:a> <urn:x:p> \"served\" .\n");
    served.run(&["load", data.to_str().unwrap()]).ok();
    let server = Server::start(&served, &served.store());
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("q")).unwrap();
    wd.write(
        "q/where.rq",
        &format!(
            "#+ summary: where it runs\n#+ endpoint: {}\n#+ endpoint-method: GET\nSELECT ?v WHERE {{ <urn:x:a> <urn:x:p> ?v }}\n",
            server.url
        ),
    );
    let q = wd.path("q");
    let q = q.to_str().unwrap();
    let there = wd.select(&["--queries", q, "run", "where"]);
    assert_eq!(there.len(), 1, "{there:?}");
    let here = wd.select(&["--queries", q, "--local", "run", "where"]);
    assert!(here.is_empty(), "{here:?}");
    let run = wd.run(&["--queries", q, "queries", "show", "where"]).ok();
    assert!(
        run.stdout.contains(&format!("runs on: {}", server.url)),
        "{run:?}"
    );
    let run = wd
        .run(&["--queries", q, "--local", "queries", "show", "where"])
        .ok();
    assert!(run.stdout.contains("runs on: store"), "{run:?}");
}

/// Issue #14: `--local` and `--memory` use the store although MSS_KG_ENDPOINT names an endpoint.
#[test]
fn local_and_memory_win_over_the_environments_endpoint() {
    let wd = Workdir::new();
    let down = format!("http://127.0.0.1:{}/sparql", free_port());
    for args in [
        &["--local", "query", "ASK {}"][..],
        &["--memory", "query", "ASK {}"][..],
    ] {
        let out = wd
            .command(args)
            .env("MSS_KG_ENDPOINT", &down)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    let out = wd
        .command(&["query", "ASK {}"])
        .env("MSS_KG_ENDPOINT", &down)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot reach the endpoint"),
        "{out:?}"
    );
    let run = wd
        .run(&["--memory", "--endpoint", &down, "query", "ASK {}"])
        .fails();
    assert!(run.stderr.contains("two different graphs"), "{run:?}");
}

/// Issue #14: an endpoint that is down, answers 500, is slow or breaks off: one line each
/// naming the URL, exit 1.
#[test]
fn a_failing_endpoint_is_one_clear_line() {
    let wd = Workdir::new();
    let down = format!("http://127.0.0.1:{}/sparql", free_port());
    let run = wd
        .run(&["--endpoint", &down, "query", "SELECT * { ?s ?p ?o }"])
        .fails();
    assert!(
        run.stderr
            .contains(&format!("cannot reach the endpoint {down}")),
        "{run:?}"
    );

    let faulty = Faulty::start(vec![Fault::Status(500, "the engine broke")]);
    let run = wd
        .run(&["--endpoint", &faulty.url, "run", "mission-size"])
        .fails();
    assert!(
        run.stderr
            .contains(&format!("the endpoint {} answered 500", faulty.url))
            && run.stderr.contains("the engine broke"),
        "{run:?}"
    );

    let slow = Faulty::start(vec![Fault::Slow(Duration::from_secs(5))]);
    let started = std::time::Instant::now();
    let run = wd
        .run(&[
            "--endpoint",
            &slow.url,
            "--timeout",
            "1",
            "query",
            "SELECT * { ?s ?p ?o }",
        ])
        .fails();
    assert!(run.stderr.contains("within 1 s (--timeout)"), "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(4));

    let cut = Faulty::start(vec![Fault::Truncated]);
    let run = wd
        .run(&[
            "--endpoint",
            &cut.url,
            "query",
            "SELECT * { ?s ?p ?o }",
            "--format",
            "csv",
        ])
        .fails();
    assert!(
        run.stderr
            .contains(&format!("the endpoint {} sent malformed results", cut.url)),
        "{run:?}"
    );
}

/// Issue #14: a load that fails part-way says how much was written and how to clear it; a
/// malformed file sends nothing.
#[test]
fn a_failed_load_says_what_was_written() {
    let wd = Workdir::new();
    let mut big = String::new();
    for i in 0..15_000 {
        big.push_str(&format!("<urn:x:s{i}> <urn:x:p> {i} .\n"));
    }
    let file = wd.write("big.ttl", &big);
    let faulty = Faulty::start(vec![Fault::Status(200, ""), Fault::Status(503, "busy")]);
    let run = wd
        .run(&[
            "--endpoint",
            &faulty.url,
            "load",
            file.to_str().unwrap(),
            "--graph",
            "urn:x:g",
        ])
        .fails();
    assert!(
        run.stderr.contains("1000 of 15000 triples were written")
            && run.stderr.contains("DROP GRAPH <urn:x:g>"),
        "{run:?}"
    );
    let first = faulty.request();
    assert!(first.contains("application/sparql-update"), "{first}");

    let broken = wd.write("broken.ttl", "<urn:x:a> <urn:x:p> .\n");
    let quiet = Faulty::start(vec![Fault::Status(200, "")]);
    let run = wd
        .run(&["--endpoint", &quiet.url, "load", broken.to_str().unwrap()])
        .fails();
    assert!(
        run.stderr.contains("broken.ttl:1:") && run.stderr.contains("nothing was sent"),
        "{run:?}"
    );
    assert!(
        quiet
            .requests
            .recv_timeout(Duration::from_millis(300))
            .is_err()
    );
}

/// Issue #14: credentials come from the environment, as a header; never from the URL.
#[test]
fn credentials_come_from_the_environment() {
    let wd = Workdir::new();
    let faulty = Faulty::start(vec![Fault::Slow(Duration::ZERO)]);
    let run = wd
        .command(&["--endpoint", &faulty.url, "query", "SELECT ?x {}"])
        .env("MSS_KG_TOKEN", "s3cret")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let request = faulty.request().to_ascii_lowercase();
    assert!(
        request.contains("authorization: bearer s3cret"),
        "{request}"
    );

    let basic = Faulty::start(vec![Fault::Status(401, "who are you")]);
    let run = wd
        .command(&["--endpoint", &basic.url, "query", "SELECT ?x {}"])
        .env("MSS_KG_BASIC_AUTH", "ann:pw")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("answered 401") && !stderr.contains("pw"),
        "{stderr}"
    );
    let request = basic.request().to_ascii_lowercase();
    assert!(
        request.contains("authorization: basic yw5uonb3"),
        "{request}"
    );

    let run = wd
        .run(&[
            "--endpoint",
            "http://ann:pw@127.0.0.1:1/sparql",
            "query",
            "SELECT ?x {}",
        ])
        .fails();
    assert!(run.stderr.contains("MSS_KG_TOKEN"), "{run:?}");
}

/// Issue #14: every query of the W3C SPARQL 1.1 syntax suite can travel: its text, written out
/// from the algebra, parses back to what the algebra says (see `sparql::wire`).
#[test]
fn every_w3c_syntax_query_can_be_sent() {
    let wd = Workdir::new();
    let faulty = Faulty::start(vec![Fault::Slow(Duration::ZERO)]);
    let mut sent = 0;
    for (path, text) in crate::limits::w3c_syntax_tests("PositiveSyntaxTest11") {
        if !path.contains("syntax-query") {
            continue;
        }
        let file = wd.write("q.rq", &text);
        let run = wd.run(&[
            "--endpoint",
            &faulty.url,
            "query",
            "--file",
            file.to_str().unwrap(),
        ]);
        assert!(
            !run.stderr.contains("cannot be sent") && !run.stderr.contains("cannot be written"),
            "{path}: {run:?}"
        );
        sent += 1;
    }
    assert!(sent > 40, "only {sent} queries");
}

/// Issue #14 with #15: writes through `--endpoint` to `mss-kg serve --writable`, with the
/// Graph Store Protocol and with SPARQL Update, the token from the environment.
#[test]
fn loads_and_updates_reach_a_writable_serve() {
    let served = Workdir::new();
    let token = served.write("token", "t0ken\n");
    let server = Server::start_with(
        &served,
        &served.store(),
        &["--writable", "--token-file", token.to_str().unwrap()],
    );
    let base = server.url.trim_end_matches("/query").to_owned();
    let (update, store) = (format!("{base}/update"), format!("{base}/store"));
    let wd = Workdir::new();
    let file = wd.write("x.ttl", "<urn:x:a> <urn:x:p> [ <urn:x:q> 1 ] .\n");
    let remote = |args: &[&str]| {
        let mut all = vec!["--endpoint", &server.url, "--update-endpoint", &update];
        all.extend(args);
        wd.command(&all)
            .env("MSS_KG_TOKEN", "t0ken")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for graph_store in [true, false] {
        let mut args = vec![];
        if graph_store {
            args.extend(["--graph-store", store.as_str()]);
        }
        let graph = if graph_store {
            "urn:x:gsp"
        } else {
            "urn:x:upd"
        };
        args.extend(["load", file.to_str().unwrap(), "--graph", graph]);
        let out = remote(&args);
        assert!(out.status.success(), "{out:?}");
    }
    let out = remote(&[
        "update",
        "INSERT DATA { GRAPH <urn:x:upd> { <urn:x:b> <urn:x:p> 2 } }",
    ]);
    assert!(out.status.success(), "{out:?}");
    let rows = wd.select(&[
        "--endpoint",
        &server.url,
        "query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:x:')) } GROUP BY ?g ORDER BY ?g",
    ]);
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["g"].as_str(), r["n"].as_str()))
        .collect();
    assert_eq!(counts, [("urn:x:gsp", "2"), ("urn:x:upd", "3")]);
    // Without the token: refused, in one line naming the URL and where credentials come from.
    let run = wd
        .run(&[
            "--endpoint",
            &server.url,
            "--update-endpoint",
            &update,
            "update",
            "CLEAR ALL",
        ])
        .fails();
    assert!(
        run.stderr.contains("401") && run.stderr.contains("MSS_KG_TOKEN"),
        "{run:?}"
    );
}
