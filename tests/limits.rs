//! The bounds on a query's structure (issue #20): hostile queries and updates get one line and
//! exit 1 instead of a stack overflow, queries just under the bounds still answer, the bounds sit
//! far above real queries (the saved ones and the W3C SPARQL 1.1 syntax tests), and deeply
//! nested Turtle still loads.

use crate::util::Workdir;
use mss_kg::sparql::limits::{self, MAX_DEPTH, MAX_NESTING};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::path::Path;

/// The queries that once aborted `mss-kg query` (and `serve`) with a stack overflow.
pub fn hostile_queries() -> Vec<(&'static str, String)> {
    vec![
        (
            "5,000 nested groups",
            format!(
                "SELECT * WHERE {} ?s ?p ?o {}",
                "{".repeat(5_000),
                "}".repeat(5_000)
            ),
        ),
        (
            "8,000 UNIONs",
            format!(
                "SELECT * WHERE {{ {} }}",
                vec!["{ ?s ?p ?o }"; 8_001].join(" UNION ")
            ),
        ),
        (
            "20,000 nested parentheses in a FILTER",
            format!(
                "SELECT * WHERE {{ ?s ?p ?o FILTER {}?o{} }}",
                "(".repeat(20_000),
                ")".repeat(20_000)
            ),
        ),
        (
            "a chain of 8,000 joined triple patterns",
            format!(
                "SELECT * WHERE {{ {} }}",
                (0..8_000)
                    .map(|i| format!("?s{i} ?p ?s{} . ", i + 1))
                    .collect::<String>()
            ),
        ),
        (
            "a 20,000-step property path",
            format!(
                "SELECT * WHERE {{ ?s {} ?o }}",
                vec!["rdfs:label"; 20_000].join("/")
            ),
        ),
        (
            "an expression of 30,000 additions",
            format!(
                "SELECT * WHERE {{ BIND({} AS ?x) }}",
                vec!["1"; 30_000].join(" + ")
            ),
        ),
    ]
}

/// The update that once aborted `mss-kg update`.
fn hostile_update() -> String {
    format!(
        "INSERT DATA {{ <urn:a> <urn:b> {}<urn:d>{} }}",
        "[ <urn:c> ".repeat(50_000),
        " ]".repeat(50_000)
    )
}

#[test]
fn hostile_queries_get_one_line() {
    let wd = Workdir::new();
    for (what, query) in hostile_queries() {
        let run = wd.run_with_stdin(&["--memory", "query"], &query).fails();
        assert!(
            run.stderr.contains("more than") && run.stderr.contains("Limits"),
            "{what}: {}",
            run.stderr
        );
    }
    let run = wd.run_with_stdin(&["update"], &hostile_update()).fails();
    assert!(
        run.stderr.contains("nests brackets more than"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.starts_with("mss-kg: <stdin>:1:"),
        "{}",
        run.stderr
    );
    // Nothing was written.
    let rows = wd.select(&["query", "SELECT (COUNT(*) AS ?n) { <urn:a> ?p ?o }"]);
    assert_eq!(rows[0]["n"], "0");
}

/// The deepest queries the limits allow, each of one kind.
pub fn deep_queries() -> Vec<(&'static str, String)> {
    let n = MAX_DEPTH - 10;
    vec![
        (
            "nesting at the limit",
            format!(
                "SELECT * WHERE {} ?s rdfs:label ?o {}",
                "{".repeat(MAX_NESTING),
                "}".repeat(MAX_NESTING)
            ),
        ),
        (
            "parentheses at the limit",
            format!(
                "SELECT * WHERE {{ ?s rdfs:label ?o FILTER {}BOUND(?o){} }}",
                "(".repeat(MAX_NESTING - 2),
                ")".repeat(MAX_NESTING - 2)
            ),
        ),
        (
            "a UNION chain under the limit",
            format!(
                "SELECT * WHERE {{ {} }}",
                vec!["{ mssr:kenya rdfs:label ?o }"; n].join(" UNION ")
            ),
        ),
        (
            "a group of triple patterns under the limit",
            format!(
                "SELECT * WHERE {{ ?s0 rdfs:label ?l . {} }}",
                (0..n - 1)
                    .map(|i| format!("?s{i} a ?s{} . ", i + 1))
                    .collect::<String>()
            ),
        ),
        (
            "a property path under the limit",
            format!(
                "SELECT * WHERE {{ ?s {} ?o }}",
                vec!["rdf:type"; n / 2].join("/")
            ),
        ),
        (
            "OPTIONALs under the limit",
            format!(
                "SELECT * WHERE {{ ?s rdfs:label ?l {} }}",
                (0..n / 2)
                    .map(|i| format!("OPTIONAL {{ ?s <urn:none> ?c{i} }} "))
                    .collect::<String>()
            ),
        ),
        (
            "an expression under the limit",
            format!(
                "SELECT ?x WHERE {{ BIND({} AS ?x) }}",
                vec!["1"; n].join(" + ")
            ),
        ),
    ]
}

#[test]
fn queries_just_under_the_limits_answer() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    for (what, query) in deep_queries() {
        let run = wd.run_with_stdin(&["query", "--format", "tsv"], &query);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
    }
}

#[test]
fn deeply_nested_turtle_still_loads() {
    let wd = Workdir::new();
    let deep = format!(
        "<urn:a> <urn:b> {}<urn:d>{} .\n<urn:a> <urn:l> {}1{} .\n",
        "[ <urn:c> ".repeat(100_000),
        " ]".repeat(100_000),
        "( ".repeat(100_000),
        " )".repeat(100_000)
    );
    let file = wd.write("deep.ttl", &deep);
    wd.run(&["load", file.to_str().unwrap(), "--graph", "urn:deep"])
        .ok();
    let rows = wd.select(&[
        "query",
        "SELECT (COUNT(*) AS ?n) { GRAPH <urn:deep> { ?s <urn:c> ?o } }",
    ]);
    assert_eq!(rows[0]["n"], "100000");
}

/// The W3C SPARQL 1.1 syntax tests of a manifest type: (file, text with a BASE line first).
pub fn w3c_syntax_tests(kind: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/w3c/sparql11");
    let store = Store::new().unwrap();
    let mut tests = Vec::new();
    for suite in ["syntax-query", "syntax-update-1", "syntax-update-2"] {
        let dir = root.join(suite);
        let manifest = std::fs::read(dir.join("manifest.ttl")).unwrap();
        let base = format!("file://{}/manifest.ttl", dir.display());
        store.clear().unwrap();
        store
            .load_from_slice(
                oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                    .with_base_iri(&base)
                    .unwrap(),
                &manifest,
            )
            .unwrap();
        let query = format!(
            "PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
             SELECT ?action {{ ?t a mf:{kind} ; mf:action ?action }}"
        );
        let QueryResults::Solutions(solutions) = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(&query)
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            unreachable!()
        };
        for solution in solutions {
            let solution = solution.unwrap();
            let Some(oxigraph::model::Term::NamedNode(action)) = solution.get("action") else {
                continue;
            };
            let path = action.as_str().strip_prefix("file://").unwrap().to_owned();
            // Relative IRIs need a base, as the suite gives each test its own file IRI.
            let text = format!(
                "BASE <{}>\n{}",
                action.as_str(),
                String::from_utf8_lossy(&std::fs::read(&path).unwrap())
            );
            tests.push((path, text));
        }
    }
    tests
}

/// The limits are far above real queries: the saved queries and the W3C SPARQL 1.1 syntax tests.
#[test]
fn limits_sit_far_above_real_queries() {
    let mut nesting = 0;
    let mut depth = 0;
    let mut count = 0;
    let saved = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("queries")).unwrap();
    let mut queries: Vec<(String, String)> = saved
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    queries.extend(w3c_syntax_tests("PositiveSyntaxTest11"));
    for (path, text) in &queries {
        let query = mss_kg::sparql::parse_algebra(text, path)
            .unwrap_or_else(|e| panic!("{path} must pass the limits: {e:#}"));
        nesting = nesting.max(limits::nesting(text));
        depth = depth.max(limits::query_shape(&query).depth);
        count += 1;
    }
    for (path, text) in w3c_syntax_tests("PositiveUpdateSyntaxTest11") {
        let update = mss_kg::sparql::parse_update_algebra(&text, &path)
            .unwrap_or_else(|e| panic!("{path} must pass the limits: {e:#}"));
        nesting = nesting.max(limits::nesting(&text));
        depth = depth.max(limits::update_shape(&update).depth);
        count += 1;
    }
    assert!(count > 100, "only {count} queries found");
    eprintln!("{count} real queries: nesting at most {nesting}, depth at most {depth}");
    assert!(
        nesting * 10 <= MAX_NESTING,
        "nesting {nesting} is near the limit"
    );
    assert!(depth * 10 <= MAX_DEPTH, "depth {depth} is near the limit");
}
