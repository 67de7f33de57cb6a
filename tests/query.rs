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
    assert_eq!(ask.stdout, "{\"head\":{},\"boolean\":false}\n");
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
    // A fact reported by two sources sits in both graphs; the union, a set, holds it once
    // (issue #21: Oxigraph's union listed it once per graph).
    // (Jamaica's, Belize's... deployed status is reported by 002 and 004.)
    assert_eq!(
        wd.select(&["query", "SELECT ?s WHERE { ?s a mss:Contribution }"])
            .len(),
        18
    );
    assert_eq!(
        wd.select(&[
            "query",
            "SELECT ?s WHERE { GRAPH ?g { ?s a mss:Contribution } }"
        ])
        .len(),
        26,
        "GRAPH ?g still sees each copy"
    );
    let q = "SELECT DISTINCT ?s WHERE { ?s a mss:Contribution }";
    assert_eq!(wd.select(&["query", q]).len(), 18);
    assert_eq!(wd.select(&["query", q, "--no-union"]).len(), 0);
    // A query that names its dataset keeps it.
    let from = "SELECT ?s FROM <https://w3id.org/mss-kg/source/004_dab5f6f63f8bcf4a> WHERE { ?s a mss:Contribution }";
    assert_eq!(wd.select(&["query", from]).len(), 7);
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
    let run = wd
        .run(&["query", COUNTRIES, "--format", "turtle"])
        .misused();
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
        .misused();
    assert!(
        run.stderr
            .contains("unknown RDF format 'csv' for CONSTRUCT/DESCRIBE"),
        "{run:?}"
    );
}

/// Issue #23: `-o FILE` writes the results in the format its extension names, atomically; an
/// extension that names none is a usage error before the query runs; every machine format ends
/// with a newline; JSON-LD says its prefixes in an `@context`.
#[test]
fn output_files_and_what_they_end_with() {
    let wd = Workdir::new();
    wd.run(&["query", COUNTRIES, "-o", "countries.csv"]).ok();
    let csv = std::fs::read_to_string(wd.path("countries.csv")).unwrap();
    assert!(
        csv.starts_with("name\r\n") || csv.starts_with("name\n"),
        "{csv}"
    );
    wd.run(&["query", COUNTRIES, "-o", "countries.json"]).ok();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("countries.json")).unwrap()).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 3);
    let run = wd
        .run(&["query", COUNTRIES, "-o", "countries.txt"])
        .misused();
    assert!(
        run.stderr
            .contains("cannot tell a format from the extension"),
        "{run:?}"
    );
    assert!(!wd.path("countries.txt").exists());
    let run = wd.run(&["query", COUNTRIES, "--format", "md"]).misused();
    assert!(run.stderr.contains("unknown format 'md'"), "{run:?}");

    for format in ["json", "xml", "tsv", "csv"] {
        for query in [COUNTRIES, "ASK { ?s ?p ?o }"] {
            let out = wd.run(&["query", query, "--format", format]).ok().stdout;
            assert!(
                out.ends_with('\n') && !out.ends_with("\n\n"),
                "{format} {query}: {out:?}"
            );
        }
    }
    let construct = "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a schema:Country ; rdfs:label ?l }";
    for format in ["turtle", "ntriples", "rdfxml", "jsonld"] {
        let out = wd
            .run(&["query", construct, "--format", format])
            .ok()
            .stdout;
        assert!(out.ends_with('\n'), "{format}: {out:?}");
    }
    let jsonld = wd
        .run(&["query", construct, "--format", "jsonld"])
        .ok()
        .stdout;
    let doc: serde_json::Value = serde_json::from_str(&jsonld).unwrap();
    assert_eq!(
        doc["@context"]["rdfs"], "http://www.w3.org/2000/01/rdf-schema#",
        "{jsonld}"
    );
    wd.run(&["query", construct, "-o", "labels.ttl"]).ok();
    assert!(
        std::fs::read_to_string(wd.path("labels.ttl"))
            .unwrap()
            .contains("@prefix rdfs:")
    );
}

#[test]
fn missing_query_file() {
    let wd = Workdir::new();
    let run = wd.run(&["query", "--file", "nowhere.rq"]).fails();
    assert!(run.stderr.contains("cannot read 'nowhere.rq'"), "{run:?}");
}

/// Issue #21: over a default graph made of several graphs (the union, or `FROM g1 FROM g2`), a
/// triple held by several graphs counted once per graph. The standard's default graph is their
/// merge, a set: every answer must be the one the same query gives on one graph holding it.
#[test]
fn a_merged_default_graph_answers_as_one_graph_holding_the_merge() {
    let wd = Workdir::new();
    let shared = "<urn:a> <urn:p> <urn:b> . <urn:b> <urn:q> <urn:c> . <urn:a> <urn:v> 2 .
                  <urn:b> <urn:p> <urn:c> . <urn:x> <urn:p> _:n . _:n <urn:v> 5 .";
    let only_one = "<urn:a> <urn:r> <urn:c> . <urn:a> <urn:s> <urn:c> . <urn:c> <urn:v> 3 .";
    // A blank node label names one node in the whole TriG document, so _:n is the same node,
    // shared, in every graph here, as a store holds it.
    let file = wd.write(
        "graphs.trig",
        &format!(
            "<urn:g1> {{ {shared} {only_one} }}\n<urn:g2> {{ {shared} }}\n<urn:merged> {{ {shared} {only_one} }}\n"
        ),
    );
    wd.run(&["load", file.to_str().unwrap()]).ok();
    let queries: Vec<&str> = include_str!("fixtures/merge-queries.rq")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let sorted = |args: &[&str]| {
        let mut rows = wd.select(args);
        rows.sort();
        rows
    };
    for query in queries {
        let from = |graphs: &str| query.replacen(" WHERE", &format!(" {graphs} WHERE"), 1);
        let (merged, several) = if query.starts_with("ASK") {
            (
                query.replace("ASK", "ASK FROM <urn:merged>"),
                query.replace("ASK", "ASK FROM <urn:g1> FROM <urn:g2>"),
            )
        } else {
            (
                from("FROM <urn:merged>"),
                from("FROM <urn:g1> FROM <urn:g2>"),
            )
        };
        if query.starts_with("ASK") {
            let answer = |q: &str| wd.run(&["query", q, "--format", "tsv"]).ok().stdout;
            assert_eq!(answer(&several), answer(&merged), "{query}");
            continue;
        }
        let expected = sorted(&["query", &merged]);
        assert_eq!(sorted(&["query", &several]), expected, "{query}");
    }
    // The same through the union of all graphs: one copy of each triple of g1 and g2.
    let union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"urn:\")) }";
    let one = wd.select(&[
        "query",
        &union.replacen(" WHERE", " FROM <urn:merged> WHERE", 1),
    ]);
    assert_eq!(wd.select(&["query", union]), one);
    // CONSTRUCT and DESCRIBE results are graphs: sets too.
    for query in [
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"urn:\")) }",
        "DESCRIBE <urn:a>",
    ] {
        let run = wd.run(&["query", query, "--format", "nt"]).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        let distinct: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
        assert_eq!(lines.len(), distinct.len(), "{query}: {}", run.stdout);
    }
    let run = wd
        .run(&["query", "DESCRIBE <urn:a>", "--format", "nt"])
        .ok();
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
}

/// Issue #21's own examples, on the bundled graph.
#[test]
fn counts_over_the_union_count_facts_not_sources() {
    let wd = Workdir::new();
    let rows = wd.select(&[
        "query",
        "SELECT (COUNT(?d) AS ?n) (SUM(?c) AS ?officers) WHERE { ?d a mss:Deployment ; mss:personnelCount ?c }",
    ]);
    assert_eq!(
        (rows[0]["n"].as_str(), rows[0]["officers"].as_str()),
        ("3", "761")
    );
    let all = wd.select(&["query", "SELECT (COUNT(*) AS ?all) WHERE { ?s ?p ?o }"]);
    let distinct = wd.select(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    ]);
    assert_eq!(all[0]["all"], distinct[0]["n"]);
    let copies = wd.select(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]);
    assert!(
        copies[0]["n"].parse::<u64>().unwrap() > all[0]["all"].parse::<u64>().unwrap(),
        "facts reported twice are in two graphs"
    );
    let held = wd.select(&[
        "query",
        "SELECT ?o WHERE { mssr:godfrey-otunge org:holds ?o }",
    ]);
    assert_eq!(held.len(), 1, "{held:?}");
}

/// The usual causes of a syntax error, with where they are, for `mss-kg query` and `serve`.
pub const SYNTAX_ERRORS: &[(&str, &str)] = &[
    (
        "SELECT * WHERE { ex:a ?p ?o }",
        "1:18: invalid SPARQL: the prefix 'ex:' is not declared: declare it with PREFIX ex: <...>; declared are dcterms: graph: mss: mssr:",
    ),
    (
        "SELECT * WHERE { ?s schma:name ?o }",
        "1:21: invalid SPARQL: the prefix 'schma:' is not declared (did you mean 'schema:'?)",
    ),
    (
        "PREFIX ex: <urn:ex:>\nSELECT * WHERE { ex:a ?p ?o . ?s ?p }",
        "2:36: invalid SPARQL: the triple pattern '?s ?p' has no object",
    ),
    (
        "SELECT * WHERE { ?s rdfs:label ?l ; a }",
        "1:38: invalid SPARQL: the predicate 'a' after ';' has no object",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o ?a ?b ?c }",
        "1:27: invalid SPARQL: a '.' is missing before '?a'",
    ),
    (
        "SELECT * WHERE {\n  ?s ?p ?o\n  FILTER(?o > 1\n}",
        "4:1: invalid SPARQL: '}' here closes the '(' opened at 3:9, which needs ')' first",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o",
        "1:16: invalid SPARQL: the '{' opened here is never closed (add '}')",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o } }",
        "1:29: invalid SPARQL: '}' here closes nothing",
    ),
];

/// Issue #21: the parser's own words (`expected GRAPH`, `expected OPTIONAL`) hid the cause.
#[test]
fn syntax_errors_name_their_cause() {
    let wd = Workdir::new();
    for (query, expected) in SYNTAX_ERRORS {
        let run = wd.run(&["--memory", "query", query]).fails();
        assert!(
            run.stderr
                .starts_with(&format!("mss-kg: <argument>:{expected}")),
            "{query}: {}",
            run.stderr
        );
    }
    // Updates too.
    let run = wd
        .run(&["update", "INSERT DATA { ex:x ex:y ex:z }"])
        .fails();
    assert!(
        run.stderr.starts_with(
            "mss-kg: <argument>:1:15: invalid SPARQL: the prefix 'ex:' is not declared"
        ),
        "{run:?}"
    );
    // A VALUES block holds data, not triples: no false diagnosis; the parser's message stands.
    let run = wd
        .run(&[
            "--memory",
            "query",
            "SELECT * WHERE { VALUES ?x { 1 2 } FILTER }",
        ])
        .fails();
    assert!(!run.stderr.contains("no object"), "{run:?}");
}

/// Every negative W3C SPARQL 1.1 syntax test fails with one line, and no diagnosis crashes; run
/// against the store, not one bad update changes it.
#[test]
fn every_bad_w3c_query_gets_one_line() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let before = wd.run(&["export", "--all", "--hash"]).ok().stdout;
    let mut count = 0;
    for (kind, command) in [
        ("NegativeSyntaxTest11", "query"),
        ("NegativeUpdateSyntaxTest11", "update"),
    ] {
        for (path, text) in crate::limits::w3c_syntax_tests(kind) {
            let run = wd.run_with_stdin(&[command], &text);
            assert_eq!(run.code, 1, "{path}: {run:?}");
            assert_eq!(run.stderr.trim_end().lines().count(), 1, "{path}: {run:?}");
            count += 1;
        }
    }
    assert!(count > 40, "{count}");
    // Not one of the bad updates changed the store.
    assert_eq!(wd.run(&["export", "--all", "--hash"]).ok().stdout, before);
}

/// Issue #16: a GROUP_CONCAT's parts come sorted, whatever the storage order (the `sources` of
/// `mss-commander` read "004, 001, 000"), on the store and through serve; a query that orders
/// its rows itself keeps its order.
#[test]
fn group_concat_parts_come_sorted() {
    let wd = Workdir::new();
    let rows = wd.select(&["run", "mss-commander"]);
    assert_eq!(
        rows[0]["source_files"],
        "000_cc6ac50fb72b8fd8.txt, 001_147c23658d6feea2.txt, 004_dab5f6f63f8bcf4a.txt"
    );
    assert_eq!(
        rows[0]["sources"],
        "000 (2024-10 to 2025-02-06); 001 (2024-08-28); 004 (2025-02-06)"
    );
    let data = wd.write(
        "c.ttl",
        "<urn:x:g> <urn:x:p> \"delta\", \"alpha\", \"charlie\", \"bravo\" .\n",
    );
    wd.run(&["load", data.to_str().unwrap()]).ok();
    let concat = |q: &str| wd.select(&["query", q])[0]["all"].clone();
    assert_eq!(
        concat("SELECT (GROUP_CONCAT(?v; separator=' ') AS ?all) WHERE { <urn:x:g> <urn:x:p> ?v }"),
        "alpha bravo charlie delta"
    );
    assert_eq!(
        concat(
            "SELECT (GROUP_CONCAT(?v; separator=' ') AS ?all) WHERE { { SELECT ?v WHERE { <urn:x:g> <urn:x:p> ?v } ORDER BY DESC(?v) } }"
        ),
        "delta charlie bravo alpha"
    );
    // Twice, and on another store: the same bytes.
    let other = Workdir::new();
    other.run(&["load", data.to_str().unwrap()]).ok();
    let names: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .filter(|n| n != "nation-codes-remote")
        .collect();
    assert!(names.len() >= 17);
    for name in &names {
        let a = wd
            .run(&["run", name.as_str(), "--format", "csv"])
            .ok()
            .stdout;
        let b = wd
            .run(&["run", name.as_str(), "--format", "csv"])
            .ok()
            .stdout;
        let c = other
            .run(&["run", name.as_str(), "--format", "csv"])
            .ok()
            .stdout;
        assert!(a == b && b == c, "{name} differs between runs or stores");
    }
}

/// Issue #16: CONSTRUCT results in Turtle come from the pretty writer of `export`: the same
/// bytes as exporting the same triples.
#[test]
fn construct_turtle_is_the_pretty_export() {
    let wd = Workdir::new();
    let q = "CONSTRUCT { ?c rdfs:label ?l ; mss:isoCode ?l } WHERE { ?c a schema:Country ; rdfs:label ?l }";
    let ttl = wd.run(&["query", q]).ok().stdout;
    let nt = wd.run(&["query", q, "--format", "nt"]).ok().stdout;
    let exported = wd.run_with_stdin(
        &[
            "export",
            "--from",
            "-",
            "--from-format",
            "nt",
            "--format",
            "turtle",
        ],
        &nt,
    );
    assert_eq!(exported.code, 0, "{exported:?}");
    assert_eq!(ttl, exported.stdout);
    assert!(
        ttl.starts_with("@prefix mss: ") && ttl.contains(" ;\n    mss:isoCode "),
        "{ttl}"
    );
}
