//! `mss-kg query`: formats, union default graph, prefixes, input sources and errors.

use crate::util::{Workdir, bindings};

const COUNTRIES: &str =
    "SELECT ?name WHERE { ?c a schema:Country ; rdfs:label ?name } ORDER BY ?name LIMIT 3";

#[test]
fn table_is_aligned_with_prefixed_iris() {
    let wd = Workdir::new();
    let run = wd
        .run(&[
            "query",
            "SELECT ?c ?name WHERE { ?c a schema:Country ; rdfs:label ?name } ORDER BY ?name LIMIT 2",
            "--format",
            "table",
        ])
        .ok();
    insta::assert_snapshot!(run.stdout, @r"
    c                name
    ───────────────  ──────────
    mssr:bangladesh  Bangladesh
    mssr:barbados    Barbados
    (2 rows)
    ");
}

#[test]
fn csv_tsv_json_xml() {
    let wd = Workdir::new();
    let csv = wd.run(&["query", COUNTRIES, "--format", "csv"]).ok().stdout;
    assert_eq!(csv, "name\r\nBangladesh\r\nBarbados\r\nBelize\r\n");
    let tsv = wd
        .run(&["query", COUNTRIES, "--format", "text/tab-separated-values"])
        .ok()
        .stdout;
    assert_eq!(
        tsv,
        "?name\n\"Bangladesh\"@en\n\"Barbados\"@en\n\"Belize\"@en\n"
    );
    let json = wd
        .run(&["query", COUNTRIES, "--format", "json"])
        .ok()
        .stdout;
    assert_eq!(bindings(&json)[2]["name"], "Belize");
    let xml = wd.run(&["query", COUNTRIES, "--format", "xml"]).ok().stdout;
    assert!(
        xml.contains("<literal xml:lang=\"en\">Belize</literal>"),
        "{xml}"
    );
}

#[test]
fn piped_output_defaults_to_tsv() {
    let wd = Workdir::new();
    let run = wd.run(&["query", COUNTRIES]).ok();
    assert!(run.stdout.starts_with("?name\n"), "{run:?}");
}

#[test]
fn ask_and_construct() {
    let wd = Workdir::new();
    let ask = wd
        .run(&[
            "query",
            "ASK { mssr:kenya a schema:Country }",
            "--format",
            "table",
        ])
        .ok();
    assert_eq!(ask.stdout, "true\n");
    let ask = wd
        .run(&[
            "query",
            "ASK { mssr:kenya a schema:Person }",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(ask.stdout, "{\"head\":{},\"boolean\":false}");
    let turtle = wd
        .run(&[
            "query",
            "CONSTRUCT { mssr:kenya owl:sameAs ?q } WHERE { mssr:kenya owl:sameAs ?q }",
        ])
        .ok();
    assert!(
        turtle.stdout.contains("mssr:kenya owl:sameAs wd:Q114 ."),
        "{turtle:?}"
    );
    let nt = wd
        .run(&[
            "query",
            "CONSTRUCT { mssr:kenya owl:sameAs ?q } WHERE { mssr:kenya owl:sameAs ?q }",
            "--format",
            "nt",
        ])
        .ok();
    assert_eq!(
        nt.stdout,
        "<https://w3id.org/mss-kg/id/kenya> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q114> .\n"
    );
}

#[test]
fn default_graph_is_the_union_unless_no_union() {
    let wd = Workdir::new();
    // A fact reported by two sources sits in both graphs: the union holds it twice.
    assert_eq!(
        wd.select(&["query", "SELECT ?s WHERE { ?s a mss:Deployment }"])
            .len(),
        4
    );
    let q = "SELECT DISTINCT ?s WHERE { ?s a mss:Deployment }";
    assert_eq!(wd.select(&["query", q]).len(), 3);
    assert_eq!(wd.select(&["query", q, "--no-union"]).len(), 0);
    // A query that names its dataset keeps it.
    let from = "SELECT ?s FROM <https://w3id.org/mss-kg/source/004_dab5f6f63f8bcf4a> WHERE { ?s a mss:Deployment }";
    assert_eq!(wd.select(&["query", from]).len(), 1);
}

#[test]
fn query_from_file_and_from_stdin() {
    let wd = Workdir::new();
    wd.write(
        "q.rq",
        "PREFIX ex: <http://example.org/>\nASK { mssr:godfrey-otunge a schema:Person }",
    );
    assert_eq!(
        wd.run(&["query", "--file", "q.rq", "--format", "table"])
            .ok()
            .stdout,
        "true\n"
    );
    let run = wd.run_with_stdin(
        &["query", "--format", "table"],
        "ASK { mssr:kenya a schema:Country }",
    );
    assert_eq!(run.ok().stdout, "true\n");
}

#[test]
fn invalid_sparql_says_where() {
    let wd = Workdir::new();
    wd.write("bad.rq", "SELECT ?s\nWHERE { ?s ?p }");
    let run = wd.run(&["query", "--file", "bad.rq"]).fails();
    assert!(run.stderr.starts_with("mss-kg: bad.rq:2:"), "{run:?}");
    assert!(run.stderr.contains("invalid SPARQL"), "{run:?}");
    let run = wd.run(&["query", "SELEC * WHERE {}"]).fails();
    assert!(run.stderr.starts_with("mss-kg: <argument>:1:"), "{run:?}");
    assert!(
        run.stderr.contains(": invalid SPARQL: expected "),
        "{run:?}"
    );
}

#[test]
fn wrong_format_for_the_result_kind() {
    let wd = Workdir::new();
    let run = wd.run(&["query", COUNTRIES, "--format", "turtle"]).fails();
    assert!(
        run.stderr
            .contains("unknown result format 'turtle' for SELECT/ASK"),
        "{run:?}"
    );
    let run = wd
        .run(&[
            "query",
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
            "--format",
            "csv",
        ])
        .fails();
    assert!(
        run.stderr
            .contains("unknown RDF format 'csv' for CONSTRUCT/DESCRIBE"),
        "{run:?}"
    );
}

#[test]
fn missing_query_file() {
    let wd = Workdir::new();
    let run = wd.run(&["query", "--file", "nowhere.rq"]).fails();
    assert!(run.stderr.contains("cannot read 'nowhere.rq'"), "{run:?}");
}
