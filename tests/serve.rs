//! `mss-kg serve`: the SPARQL 1.1 Protocol on a real server on 127.0.0.1, and a federated saved
//! query (SERVICE) that must answer as its local copy does.

use crate::util::{Server, Workdir, bindings};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::{Body, Method, Request, StatusCode};

const COUNTRIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/link/wikidata-countries.ttl"
);

fn send(
    method: Method,
    url: &str,
    accept: Option<&str>,
    body: Option<(&str, &str)>,
) -> (StatusCode, String, String) {
    let mut request = Request::builder().method(method).uri(url);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    let body = match body {
        Some((content_type, text)) => {
            request = request.header(CONTENT_TYPE, content_type);
            Body::from(text.to_owned())
        }
        None => Body::empty(),
    };
    let response = oxhttp::Client::new()
        .request(request.body(body).unwrap())
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.into_body().to_string().unwrap(),
    )
}

fn encode(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

#[test]
fn answers_the_sparql_protocol() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok(); // creates the store with the bundled graph
    let server = Server::start(&wd, &wd.store());
    let query = "SELECT ?name { mssr:kenya rdfs:label ?name }";

    let (status, content_type, body) = send(
        Method::GET,
        &format!("{}?query={}", server.url, encode(query)),
        None,
        None,
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "application/sparql-results+json");
    assert_eq!(bindings(&body)[0]["name"], "Kenya");

    let (status, content_type, body) = send(
        Method::POST,
        &server.url,
        Some("text/csv"),
        Some(("application/sparql-query", query)),
    );
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8"),
        "{body}"
    );
    assert_eq!(body, "name\r\nKenya\r\n");

    let form = format!("query={}", encode(query));
    let (status, _, body) = send(
        Method::POST,
        &server.url.replace("/query", "/sparql"),
        Some("application/sparql-results+xml"),
        Some(("application/x-www-form-urlencoded", &form)),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("<literal xml:lang=\"en\">Kenya</literal>"),
        "{body}"
    );

    let construct = "CONSTRUCT { mssr:kenya ?p ?o } WHERE { mssr:kenya ?p ?o }";
    let (status, content_type, body) = send(
        Method::GET,
        &format!("{}?query={}", server.url, encode(construct)),
        None,
        None,
    );
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/n-triples")
    );
    assert!(body.contains("<https://w3id.org/mss-kg/id/kenya> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q114> ."), "{body}");

    // Named graphs as the protocol says: only the entities graph, as the default graph.
    let count = "SELECT (COUNT(*) AS ?n) { ?s a schema:Country }";
    let (_, _, body) = send(
        Method::GET,
        &format!(
            "{}?query={}&default-graph-uri={}",
            server.url,
            encode(count),
            encode("https://w3id.org/mss-kg/graph/data/entities")
        ),
        None,
        None,
    );
    assert_eq!(bindings(&body)[0]["n"], "17");
    let (_, _, body) = send(
        Method::GET,
        &format!(
            "{}?query={}&default-graph-uri={}",
            server.url,
            encode(count),
            encode("https://example.org/none")
        ),
        None,
        None,
    );
    assert_eq!(bindings(&body)[0]["n"], "0");

    let (status, _, body) = send(
        Method::GET,
        &format!("{}?query={}", server.url, encode("SELECT ?x {")),
        None,
        None,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("invalid SPARQL"), "{body}");
    let (status, _, _) = send(
        Method::GET,
        &format!("{}?query={}", server.url, encode(query)),
        Some("image/png"),
        None,
    );
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let (status, _, _) = send(
        Method::POST,
        &server.url.replace("/query", "/update"),
        None,
        Some(("application/sparql-update", "CLEAR ALL")),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        Method::GET,
        &server.url.replace("/query", "/nothing"),
        None,
        None,
    );
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = send(Method::POST, &server.url, None, Some(("text/plain", query)));
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // The store is unchanged and still readable by others while served.
    let rows = wd.select(&["query", "SELECT ?n { mssr:kenya rdfs:label ?n }"]);
    assert_eq!(rows[0]["n"], "Kenya");
}

#[test]
fn a_federated_saved_query_answers_as_its_local_copy() {
    let wd = Workdir::new();
    // The external graph in a store of its own, served; and in the local store, for the copy.
    let external = wd.path("external");
    wd.run(&["--store", external.to_str().unwrap(), "load", COUNTRIES])
        .ok();
    wd.run(&["load", COUNTRIES]).ok();
    let server = Server::start(&wd, &external);

    let strip = |rows: Vec<std::collections::BTreeMap<String, String>>| {
        rows.into_iter()
            .map(|mut r| {
                r.remove("source_codes");
                r
            })
            .collect::<Vec<_>>()
    };
    let local = wd.select(&["run", "nation-codes"]);
    let remote = wd.select(&[
        "--memory",
        "run",
        "nation-codes-remote",
        "--param",
        &format!("endpoint={}", server.url),
    ]);
    assert_eq!(
        local.len(),
        16,
        "the 16 nations with a part in the mission: {local:#?}"
    );
    assert!(remote.iter().all(|r| r["source_codes"] == server.url));
    assert_eq!(strip(remote), strip(local));

    // An endpoint that does not answer: a clear error.
    drop(server);
    let run = wd
        .run(&[
            "--memory",
            "run",
            "nation-codes-remote",
            "--param",
            &format!(
                "endpoint=http://127.0.0.1:{}/query",
                crate::util::free_port()
            ),
        ])
        .fails();
    assert!(run.stderr.contains("Connection refused"), "{run:?}");
}

/// Issue #20: a thread per query slept for the whole timeout, so 16 clients querying as fast as
/// they could left thousands of threads and the server aborted. Now 2,000 requests over 16
/// keep-alive connections, with the default timeout, all answer, with a bounded thread count.
#[test]
fn survives_load_with_a_bounded_thread_count() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let mut server = Server::start(&wd, &wd.store());
    let query = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 10";
    let done = AtomicBool::new(false);
    let most = AtomicUsize::new(0);
    let ok = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|_| {
                scope.spawn(|| {
                    let mut http = server.connect();
                    for _ in 0..125 {
                        let reply = http.query(query, "text/csv");
                        assert_eq!(reply.status, 200, "{reply:?}");
                        assert_eq!(reply.text().lines().count(), 11, "{reply:?}");
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                most.fetch_max(server.threads(), Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        for worker in workers {
            worker.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    assert_eq!(ok.load(Ordering::Relaxed), 2_000);
    // 16 connections, at most 16 queries, the listener, the watchdog, RocksDB's own threads.
    let most = most.load(Ordering::Relaxed);
    assert!(most > 0 && most < 80, "{most} threads at the peak");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(server.threads() < 80, "{} threads after", server.threads());
    assert!(server.alive());
}

/// Issue #20: each of these killed the server with a stack overflow. Now each is a 400 with a
/// message, and the server answers afterwards; the deepest queries the limits allow answer.
#[test]
fn hostile_queries_are_refused_and_the_server_lives() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let mut server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    for (what, query) in crate::limits::hostile_queries() {
        let reply = http.post_query(&query, "text/csv");
        assert_eq!(reply.status, 400, "{what}: {reply:?}");
        assert!(reply.text().contains("Limits"), "{what}: {reply:?}");
        assert!(server.alive(), "{what} killed the server");
    }
    for (what, query) in crate::limits::deep_queries() {
        let reply = http.post_query(&query, "text/csv");
        assert_eq!(reply.status, 200, "{what}: {reply:?}");
        assert!(reply.body.is_ok(), "{what}: {reply:?}");
    }
    let reply = http.query(
        "ASK { mssr:kenya ?p ?o }",
        "application/sparql-results+json",
    );
    assert_eq!(
        (reply.status, reply.text()),
        (200, r#"{"head":{},"boolean":true}"#)
    );
}

/// Issue #20: a query cut by the timeout answered 200 with part of its rows and a clean end.
/// Now a timeout before the first batch is a 503; one after it ends the response as failed, for
/// this client, for Python's urllib and for curl.
#[test]
fn a_query_past_its_timeout_never_looks_complete() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start_with(&wd, &wd.store(), &["--timeout", "1"]);
    let mut http = server.connect();

    // Early: an aggregate over billions of solutions has no row to send before the timeout (a
    // join that keeps reading the store, where Oxigraph checks the deadline).
    let early = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?a ?e ?f . ?a ?h ?i . ?a ?k ?l . ?a ?m ?o }";
    let reply = http.query(early, "text/csv");
    assert_eq!(reply.status, 503, "{reply:?}");
    assert!(reply.text().contains("timeout of 1 s"), "{reply:?}");
    assert_eq!(reply.header("retry-after"), Some("1"));

    // Late: rows stream at once, then the timeout cuts them.
    let late = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let reply = http.query(late, "text/csv");
    assert_eq!(reply.status, 200);
    let error = reply
        .body
        .expect_err("a cut body must not read as complete");
    assert!(error.contains("without its last chunk"), "{error}");

    let url = format!("{}?query={}", server.url, encode(late));
    let python = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, urllib.request\n\
             r = urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={'Accept': 'text/csv'}))\n\
             r.read()\n",
            &url,
        ])
        .output()
        .unwrap();
    assert!(!python.status.success(), "urllib read a cut body as whole");
    let stderr = String::from_utf8_lossy(&python.stderr);
    assert!(stderr.contains("IncompleteRead"), "{stderr}");

    let curl = std::process::Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-H", "Accept: text/csv", &url])
        .output()
        .unwrap();
    assert!(!curl.status.success(), "curl read a cut body as whole");
    // 18: "Partial file. Only a part of the file was transferred."
    assert_eq!(curl.status.code(), Some(18), "{curl:?}");
}

/// Past `--max-queries`, a query answers 503 with Retry-After; service resumes when a place frees.
#[test]
fn past_the_bound_of_queries_in_flight_is_a_503() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start_with(&wd, &wd.store(), &["--max-queries", "2", "--timeout", "3"]);
    let slow = format!(
        "{}?query={}",
        "/query",
        encode("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    );
    // Two clients start a long answer and do not read it: each holds a place.
    let mut holders = Vec::new();
    for _ in 0..2 {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
        write!(
            stream,
            "GET {slow} HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\r\n\r\n"
        )
        .unwrap();
        holders.push(stream);
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mut http = server.connect();
    let reply = http.query("ASK {}", "application/sparql-results+json");
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(reply.text().contains("too many queries"), "{reply:?}");
    drop(holders);
    // The held queries end (their clients are gone, or their time is up): service resumes.
    let mut answered = false;
    for _ in 0..100 {
        let reply = http.query("ASK {}", "application/sparql-results+json");
        if reply.status == 200 {
            answered = true;
            break;
        }
        assert_eq!(reply.status, 503);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(answered, "service did not resume");
}

/// Issue #21: a syntax error names its cause over HTTP as on the CLI, with a 400.
#[test]
fn syntax_errors_name_their_cause_over_http() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    for (query, expected) in crate::query::SYNTAX_ERRORS {
        let reply = http.post_query(query, "application/sparql-results+json");
        assert_eq!(reply.status, 400, "{query}: {reply:?}");
        assert!(
            reply.text().starts_with(&format!("query:{expected}")),
            "{query}: {reply:?}"
        );
    }
}

/// Issue #21: through `serve`, as on the CLI, the default graph is the merge of all graphs: a
/// client counting triples counts each once (rdflib's SPARQLStore once saw 1,699, 1,604 distinct).
#[test]
fn the_default_graph_over_http_is_a_set() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    let count = |http: &mut crate::util::Http, q: &str| {
        let reply = http.query(q, "text/csv");
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.text().lines().nth(1).unwrap().to_owned()
    };
    let all = count(&mut http, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let distinct = count(
        &mut http,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    );
    let copies = count(
        &mut http,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    );
    assert_eq!(all, distinct);
    assert!(copies.parse::<u64>().unwrap() > all.parse::<u64>().unwrap());
}

/// The triples of a graph through the Graph Store Protocol, as sorted N-Triples lines.
fn graph_lines(http: &mut crate::util::Http, graph: &str) -> Vec<String> {
    let reply = http.request(
        "GET",
        &format!("/store?graph={}", encode(graph)),
        &[("Accept", "application/n-triples")],
        b"",
    );
    if reply.status == 404 {
        return Vec::new();
    }
    assert_eq!(reply.status, 200, "{reply:?}");
    let mut lines: Vec<String> = reply.text().lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// Issue #15: writes need --writable and, when a token is set, the token; readers need nothing.
/// A refused write changes nothing.
#[test]
fn writes_need_writable_and_the_token() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let update = b"INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> \"v\" } }";
    let sparql_update = [("Content-Type", "application/sparql-update")];
    {
        let server = Server::start(&wd, &wd.store());
        let mut http = server.connect();
        let reply = http.request("POST", "/update", &sparql_update, update);
        assert_eq!(reply.status, 403, "{reply:?}");
        assert!(reply.text().contains("--writable"), "{reply:?}");
        let put = http.request(
            "PUT",
            "/store?graph=urn:x:g",
            &[("Content-Type", "text/turtle")],
            b"<urn:x:a> <urn:x:p> 1 .",
        );
        assert_eq!(put.status, 403, "{put:?}");
        // Reading a graph is open.
        let source = "https://w3id.org/mss-kg/source/004_dab5f6f63f8bcf4a";
        assert!(!graph_lines(&mut http, source).is_empty());
    }
    let token = wd.write("token", "s3cret-token\n");
    let server = Server::start_with(
        &wd,
        &wd.store(),
        &["--writable", "--token-file", token.to_str().unwrap()],
    );
    let mut http = server.connect();
    let reply = http.request("POST", "/update", &sparql_update, update);
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(
        reply.header("www-authenticate"),
        Some("Bearer realm=\"mss-kg\"")
    );
    let wrong = [
        ("Content-Type", "application/sparql-update"),
        ("Authorization", "Bearer s3cret-tokem"),
    ];
    assert_eq!(http.request("POST", "/update", &wrong, update).status, 403);
    assert!(
        graph_lines(&mut http, "urn:x:g").is_empty(),
        "a refused write wrote"
    );
    let right = [
        ("Content-Type", "application/sparql-update"),
        ("Authorization", "Bearer s3cret-token"),
    ];
    let reply = http.request("POST", "/update", &right, update);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(
        reply.text().contains("inserted 1 triple into <urn:x:g>"),
        "{reply:?}"
    );
    assert_eq!(
        graph_lines(&mut http, "urn:x:g"),
        ["<urn:x:a> <urn:x:p> \"v\" ."]
    );
    // A bad update is a 400 with the parser's message, and changes nothing.
    let reply = http.request(
        "POST",
        "/update",
        &right,
        b"INSERT DATA { GRAPH <urn:x:g> { <urn:x:b> <urn:x:p> } }",
    );
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.text().contains("invalid SPARQL"), "{reply:?}");
    assert_eq!(graph_lines(&mut http, "urn:x:g").len(), 1);
    // A form works too, with the protocol's using-graph-uri.
    let form = format!(
        "update={}&using-graph-uri={}",
        encode("INSERT { GRAPH <urn:x:h> { ?s <urn:x:copy> ?o } } WHERE { ?s <urn:x:p> ?o }"),
        encode("urn:x:g")
    );
    let reply = http.request(
        "POST",
        "/update",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", "Bearer s3cret-token"),
        ],
        form.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        graph_lines(&mut http, "urn:x:h"),
        ["<urn:x:a> <urn:x:copy> \"v\" ."]
    );
}

/// Issue #15: without a token, --writable listens on loopback only.
#[test]
fn writable_without_a_token_stays_on_loopback() {
    let wd = Workdir::new();
    let port = crate::util::free_port();
    let run = wd
        .run(&["serve", "--writable", "--bind", &format!("0.0.0.0:{port}")])
        .fails();
    assert!(run.stderr.contains("--token-file"), "{run:?}");
}

/// Issue #15: the Graph Store HTTP Protocol: PUT, POST, GET (negotiated), HEAD, DELETE, the
/// default graph, bad bodies and sizes refused with the graph unchanged.
#[test]
fn the_graph_store_protocol() {
    let wd = Workdir::new();
    let server = Server::start_with(&wd, &wd.store(), &["--writable", "--max-body", "1000"]);
    let mut http = server.connect();
    let turtle = [("Content-Type", "text/turtle")];
    let g = "/store?graph=urn:x:g";
    assert_eq!(
        http.request("PUT", g, &turtle, b"<urn:x:a> <urn:x:p> 1 .")
            .status,
        201
    );
    assert_eq!(
        http.request("PUT", g, &turtle, b"<urn:x:a> <urn:x:p> 2 .")
            .status,
        204
    );
    assert_eq!(
        http.request(
            "POST",
            g,
            &[("Content-Type", "application/n-triples")],
            b"<urn:x:a> <urn:x:q> \"x\" .\n"
        )
        .status,
        204
    );
    assert_eq!(
        graph_lines(&mut http, "urn:x:g"),
        [
            "<urn:x:a> <urn:x:p> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
            "<urn:x:a> <urn:x:q> \"x\" ."
        ]
    );
    let reply = http.request("GET", g, &[("Accept", "text/turtle")], b"");
    assert_eq!(reply.header("content-type"), Some("text/turtle"));
    assert!(reply.text().contains("<urn:x:a> <urn:x:p> 2"), "{reply:?}");
    let head = http.request("HEAD", g, &[], b"");
    assert_eq!(
        (head.status, head.header("content-type")),
        (200, Some("text/turtle"))
    );
    // Refused, and the graph unchanged: a malformed body, an unknown type, too big a body.
    let bad = http.request("PUT", g, &turtle, b"<urn:x:a> <urn:x:p> .");
    assert_eq!(bad.status, 400, "{bad:?}");
    let unknown = http.request("PUT", g, &[("Content-Type", "application/pdf")], b"hello");
    assert_eq!(unknown.status, 415, "{unknown:?}");
    let big = format!("<urn:x:a> <urn:x:p> \"{}\" .", "x".repeat(2000));
    let big = http.request("PUT", g, &turtle, big.as_bytes());
    assert_eq!(big.status, 413, "{big:?}");
    // The server closes a connection whose body it did not read: a new one.
    let mut http = server.connect();
    assert_eq!(graph_lines(&mut http, "urn:x:g").len(), 2);
    // A POST (the bulk loader) that fails half-way adds nothing, to an old graph or a new one.
    let half = b"<urn:x:a> <urn:x:r> 1 .\n<urn:x:a> <urn:x:r> .\n";
    assert_eq!(http.request("POST", g, &turtle, half).status, 400);
    assert_eq!(graph_lines(&mut http, "urn:x:g").len(), 2);
    assert_eq!(
        http.request("POST", "/store?graph=urn:x:new", &turtle, half)
            .status,
        400
    );
    assert_eq!(
        http.request("GET", "/store?graph=urn:x:new", &[], b"")
            .status,
        404
    );
    // The default graph.
    assert_eq!(
        http.request("PUT", "/store?default", &turtle, b"<urn:x:d> <urn:x:p> 3 .")
            .status,
        204
    );
    let reply = http.request(
        "GET",
        "/store?default",
        &[("Accept", "application/n-triples")],
        b"",
    );
    assert_eq!(
        reply.text().trim(),
        "<urn:x:d> <urn:x:p> \"3\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
    );
    // POST without a graph creates one and says where.
    let created = http.request("POST", "/store", &turtle, b"<urn:x:n> <urn:x:p> 4 .");
    assert_eq!(created.status, 201, "{created:?}");
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(graph_lines(&mut http, &location).len(), 1);
    // DELETE, then 404.
    assert_eq!(http.request("DELETE", g, &[], b"").status, 204);
    assert_eq!(http.request("GET", g, &[], b"").status, 404);
    assert_eq!(http.request("DELETE", g, &[], b"").status, 404);
}

/// Issue #15: `GET /sparql` without a query is the Service Description; CORS only with --cors.
#[test]
fn service_description_and_cors() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start_with(&wd, &wd.store(), &["--cors", "https://example.org"]);
    let mut http = server.connect();
    let reply = http.request("GET", "/sparql", &[("Origin", "https://example.org")], b"");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("text/turtle"));
    let sd = reply.text();
    assert!(
        sd.contains("a sd:Service") && sd.contains("sd:SPARQL11Query"),
        "{sd}"
    );
    assert!(!sd.contains("SPARQL11Update"), "{sd}");
    assert!(
        sd.contains(&format!("<http://{}/sparql>", "localhost")),
        "{sd}"
    );
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://example.org")
    );
    let other = http.request("GET", "/sparql", &[("Origin", "https://evil.example")], b"");
    assert_eq!(other.header("access-control-allow-origin"), None);
    let preflight = http.request(
        "OPTIONS",
        "/sparql",
        &[
            ("Origin", "https://example.org"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert_eq!(preflight.status, 204);
    // (oxhttp drops Access-Control-Allow-Methods; GET, HEAD and POST need none.)
    assert!(
        preflight
            .header("access-control-allow-headers")
            .unwrap()
            .contains("Content-Type")
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://example.org")
    );
    drop(server);
    let server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    let reply = http.request("GET", "/sparql", &[("Origin", "https://example.org")], b"");
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

/// Issue #15: the saved queries as an HTTP API: listed, run with typed parameters (the CLI's
/// checks and messages), by Accept or by suffix, and described in OpenAPI 3.
#[test]
fn saved_queries_as_an_http_api() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    let list = http.get("/api/", "application/json");
    assert_eq!(list.status, 200);
    let list: serde_json::Value = serde_json::from_str(list.text()).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"person-actions") && names.len() >= 17,
        "{names:?}"
    );

    // The same rows as `mss-kg run`, as JSON by Accept and as CSV by suffix.
    let cli = wd.select(&[
        "run",
        "person-actions",
        "--param",
        "person=mssr:kipchumba-murkomen",
    ]);
    let reply = http.get(
        "/api/person-actions?person=mssr:kipchumba-murkomen",
        "application/sparql-results+json",
    );
    assert_eq!(bindings(reply.text()), cli);
    let csv = http.get(
        "/api/person-actions.csv?person=mssr:kipchumba-murkomen",
        "*/*",
    );
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(csv.text().lines().count(), cli.len() + 1);
    // Issue #17: a parameter by the name people use, as `run` takes it.
    let reply = http.get(
        "/api/person-actions?person=murkomen",
        "application/sparql-results+json",
    );
    assert_eq!(bindings(reply.text()), cli);
    let reply = http.get("/api/person-actions?person=police", "*/*");
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.text().contains("matches 8 entities"), "{reply:?}");

    // A wrong parameter: 400 with the message `run` gives.
    let reply = http.get("/api/contributing-nations?status=invading", "*/*");
    assert_eq!(reply.status, 400, "{reply:?}");
    let run = wd
        .run(&["run", "contributing-nations", "--param", "status=invading"])
        .fails();
    assert!(
        run.stderr.contains(reply.text().trim()),
        "{reply:?} vs {run:?}"
    );
    let reply = http.get("/api/person-actions?nobody=x", "*/*");
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(http.get("/api/no-such-query", "*/*").status, 404);

    // OpenAPI: an operation per saved query, its parameters typed, enums and defaults kept.
    let doc = http.get("/api/openapi.json", "application/json");
    let doc: serde_json::Value = serde_json::from_str(doc.text()).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["paths"].as_object().unwrap().len(), names.len());
    let status = &doc["paths"]["/api/contributing-nations"]["get"]["parameters"][0];
    assert_eq!(status["name"], "status");
    assert_eq!(status["schema"]["enum"][0], "deployed");
    // A CONSTRUCT saved query (without PREFIX lines, as saved queries are) answers RDF.
    let mine = Workdir::new();
    mine.write("q/graph.rq", "#+ summary: labels as a graph\nCONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }\n");
    let q = mine.path("q");
    let served = Server::start_with(&wd, &wd.store(), &["--queries", q.to_str().unwrap()]);
    let doc2 = served
        .connect()
        .get("/api/openapi.json", "application/json");
    let doc2: serde_json::Value = serde_json::from_str(doc2.text()).unwrap();
    let content = &doc2["paths"]["/api/graph"]["get"]["responses"]["200"]["content"];
    assert!(content.get("text/turtle").is_some(), "{content}");
    assert!(content.get("text/csv").is_none(), "{content}");
    let person = &doc["paths"]["/api/person-actions"]["get"]["parameters"][0];
    assert!(
        person["schema"]["description"]
            .as_str()
            .unwrap()
            .contains("an entity's name")
    );
    assert_eq!(
        person["schema"]["default"],
        "https://w3id.org/mss-kg/id/godfrey-otunge"
    );
}

/// Issue #15: a page never shows a cut result as whole: past its rows it says so and links to
/// the whole result; unknown things are 404 pages.
#[test]
fn pages_say_when_they_show_part_of_a_result() {
    let wd = Workdir::new();
    let mut many = String::new();
    for i in 0..1500 {
        many.push_str(&format!("<urn:x:s{i}> <urn:x:p> {i} .\n"));
    }
    let file = wd.write("many.ttl", &many);
    wd.run(&["load", file.to_str().unwrap()]).ok();
    let server = Server::start(&wd, &wd.store());
    let mut http = server.connect();
    let reply = http.get(
        &format!(
            "/sparql?query={}&format=html",
            encode("SELECT * { ?s <urn:x:p> ?o }")
        ),
        "text/html",
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        reply.text().contains("Showing the first 1000 rows only"),
        "{}",
        &reply.text()[..500]
    );
    assert_eq!(
        reply.text().matches("<tr>").count(),
        1001,
        "header and 1000 rows"
    );
    let small = http.get(
        &format!(
            "/sparql?query={}",
            encode("SELECT * { <urn:x:s1> <urn:x:p> ?o }")
        ),
        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    );
    assert!(small.text().contains("1 row<") && !small.text().contains("Showing the first"));
    let csv = http.get(
        &format!(
            "/sparql?query={}&format=csv",
            encode("SELECT * { ?s <urn:x:p> ?o }")
        ),
        "*/*",
    );
    assert_eq!(csv.text().lines().count(), 1501);
    let missing = http.get("/queries/no-such-query", "text/html");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("unknown saved query"),
        "{missing:?}"
    );
    let entity = http.get("/entity?iri=urn:x:nothing", "text/html");
    assert_eq!(entity.status, 404);
}

/// Runs one of the Python client scripts against `server`, and returns what it printed.
fn client_script(script: &str, server: &Server) -> String {
    let out = std::process::Command::new("python3")
        .arg(format!("{}/tests/{script}", env!("CARGO_MANIFEST_DIR")))
        .arg(server.url.trim_end_matches("/query"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Issue #15: the W3C SPARQL 1.1 Protocol tests (34) and the Graph Store HTTP Protocol tests
/// with indirect graph identification (9), each request as the manifest gives it, against a
/// writable serve; those needing direct identification are listed as not applying.
#[test]
fn the_w3c_protocol_tests_pass() {
    let wd = Workdir::new();
    let server = Server::start_with(&wd, &wd.store(), &["--writable"]);
    let out = client_script("w3c_protocol.py", &server);
    assert!(
        out.contains("protocol: 34 tests, graph store (indirect): 9 tests, 0 failed"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("pass ")).count(),
        43,
        "{out}"
    );
    assert!(
        out.lines()
            .filter(|l| l.starts_with("skip "))
            .all(|l| l.contains("direct graph identification")),
        "{out}"
    );
}

/// Issue #15: rdflib's SPARQLStore and SPARQLUpdateStore read and write through the endpoint.
#[test]
fn rdflib_reads_and_writes_through_the_endpoint() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start_with(&wd, &wd.store(), &["--writable"]);
    let out = client_script("rdflib_client.py", &server);
    assert!(out.contains("all rdflib checks passed"), "{out}");
}

/// Issue #19: the injection corpus through the HTTP saved-query API: each value is a term bound
/// on the parsed query (matching nothing) or refused with 400; the store is unchanged and the
/// server lives.
#[test]
fn injection_attempts_through_the_api_change_nothing() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let before = wd.run(&["export", "--all", "--hash"]).ok().stdout;
    let mut server = Server::start_with(&wd, &wd.store(), &["--writable"]);
    let mut http = server.connect();
    for value in crate::run::INJECTIONS {
        for (query, param) in [
            ("person-actions", "person"),
            ("fact-sources", "fact"),
            ("contributing-nations", "status"),
        ] {
            let reply = http.get(
                &format!("/api/{query}?{param}={}", encode(value)),
                "application/sparql-results+json",
            );
            match reply.status {
                200 => assert!(
                    crate::util::bindings(reply.text()).is_empty(),
                    "{query} {param}={value:?}: {reply:?}"
                ),
                400 => {}
                other => panic!("{query} {param}={value:?}: {other} {reply:?}"),
            }
        }
    }
    assert!(server.alive());
    drop(server);
    assert_eq!(wd.run(&["export", "--all", "--hash"]).ok().stdout, before);
}

/// Issue #19: inside `serve`, 16 clients query while updates commit, and every answer comes
/// from one snapshot: each update moves a token from one subject to the next and adds a pair of
/// triples, so any consistent state holds exactly one token and an even number of pair triples.
#[test]
fn concurrent_readers_see_whole_updates() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    wd.run(&[
        "update",
        "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s0> <urn:x:token> 0 } }",
    ])
    .ok();
    let server = Server::start_with(&wd, &wd.store(), &["--writable"]);
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let check = "SELECT (COUNT(DISTINCT ?t) AS ?tokens) (COUNT(DISTINCT ?pair) AS ?pairs) WHERE { \
                 GRAPH <urn:x:g> { { ?t <urn:x:token> ?n } UNION { ?pair ?p ?o FILTER(?p != <urn:x:token>) } } }";
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let mut http = server.connect();
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut answers = 0;
                while !stop.load(Ordering::Relaxed) || answers == 0 {
                    let reply = http.query(check, "application/sparql-results+json");
                    assert_eq!(reply.status, 200, "{reply:?}");
                    let row = &crate::util::bindings(reply.text())[0];
                    assert_eq!(
                        row["tokens"], "1",
                        "two tokens or none: half an update {row:?}"
                    );
                    assert_eq!(
                        row["pairs"].parse::<u32>().unwrap() % 2,
                        0,
                        "half a pair: {row:?}"
                    );
                    answers += 1;
                }
                answers
            })
        })
        .collect();
    let mut writer = server.connect();
    for i in 0..60 {
        let update = format!(
            "DELETE {{ GRAPH <urn:x:g> {{ ?t <urn:x:token> ?n }} }} \
             INSERT {{ GRAPH <urn:x:g> {{ <urn:x:s{next}> <urn:x:token> {next} . \
             <urn:x:a{i}> <urn:x:pair> 1 . <urn:x:b{i}> <urn:x:pair> 2 }} }} \
             WHERE {{ GRAPH <urn:x:g> {{ ?t <urn:x:token> ?n }} }}",
            next = i + 1
        );
        let reply = writer.request(
            "POST",
            "/update",
            &[("Content-Type", "application/sparql-update")],
            update.as_bytes(),
        );
        assert!(reply.status == 200 || reply.status == 204, "{reply:?}");
    }
    stop.store(true, Ordering::Relaxed);
    let answers: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(answers >= 16, "{answers}");
    let rows = crate::util::bindings(
        writer
            .query(check, "application/sparql-results+json")
            .text(),
    );
    assert_eq!(rows[0]["pairs"], "120");
}
