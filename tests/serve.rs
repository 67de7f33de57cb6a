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
