//! `mss-kg load`: formats, graphs, atomicity and errors.

use crate::util::Workdir;

fn count(wd: &Workdir, pattern: &str) -> usize {
    wd.select(&["query", &format!("SELECT * WHERE {{ {pattern} }}")])
        .len()
}

#[test]
fn loads_turtle_into_a_graph_named_by_the_file() {
    let wd = Workdir::new();
    let file = wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    let run = wd.run(&["load", "people.ttl"]).ok();
    assert!(
        run.stderr.contains("loaded 7 triples from 1 input"),
        "{run:?}"
    );
    let graph = format!("file://{}", file.canonicalize().unwrap().display());
    let rows = wd.select(&[
        "query",
        "SELECT ?g WHERE { GRAPH ?g { ?s rdfs:label \"Alice\"@en } }",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["g"], graph);
    // Relative IRIs resolve against the file's URL.
    let rows = wd.select(&[
        "query",
        "SELECT ?s WHERE { ?s rdfs:label \"resolved against the base\" }",
    ]);
    assert_eq!(
        rows[0]["s"],
        format!("file://{}", wd.path("relative").display())
    );
}

#[test]
fn graph_and_base_options() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    wd.run(&[
        "load",
        "people.ttl",
        "--graph",
        "http://example.org/people",
        "--base",
        "http://example.org/base/",
    ])
    .ok();
    assert_eq!(
        count(&wd, "GRAPH <http://example.org/people> { ?s ?p ?o }"),
        7
    );
    assert_eq!(count(&wd, "<http://example.org/base/relative> ?p ?o"), 1);
}

#[test]
fn nquads_keep_their_graphs_and_folders_are_read_recursively() {
    let wd = Workdir::new();
    wd.write("in/a/quads.nq", include_str!("fixtures/quads.nq"));
    wd.write("in/b/people.ttl", include_str!("fixtures/people.ttl"));
    wd.write("in/b/notes.txt.bak", "not RDF, skipped");
    let run = wd.run(&["load", "in"]).ok();
    assert!(
        run.stderr.contains("loaded 10 triples from 2 inputs"),
        "{run:?}"
    );
    assert_eq!(count(&wd, "GRAPH <http://example.org/g1> { ?s ?p ?o }"), 1);
    assert_eq!(count(&wd, "GRAPH <http://example.org/g2> { ?s ?p ?o }"), 1);
}

#[test]
fn standard_input_with_a_format_given_as_mime_type() {
    let wd = Workdir::new();
    let run = wd.run_with_stdin(
        &[
            "load",
            "-",
            "--format",
            "application/n-triples",
            "--graph",
            "urn:x:g",
            "--quiet",
        ],
        "<urn:x:a> <urn:x:b> \"c\" .\n",
    );
    let run = run.ok();
    assert_eq!(run.stderr, "", "--quiet prints nothing");
    assert_eq!(count(&wd, "GRAPH <urn:x:g> { <urn:x:a> ?p ?o }"), 1);
}

#[test]
fn malformed_rdf_names_file_line_and_column_and_loads_nothing() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    wd.write("broken.ttl", include_str!("fixtures/broken.ttl"));
    let before = count(&wd, "?s ?p ?o");
    let run = wd.run(&["load", "people.ttl", "broken.ttl"]).fails();
    assert!(run.stderr.starts_with("mss-kg: broken.ttl:4:"), "{run:?}");
    assert!(run.stderr.contains("nothing was loaded"), "{run:?}");
    assert_eq!(
        count(&wd, "?s ?p ?o"),
        before,
        "the good file must not be loaded either"
    );
    assert_eq!(count(&wd, "?s rdfs:label \"Alice\"@en"), 0);
}

#[test]
fn missing_file_fails_before_anything_is_loaded() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    let run = wd.run(&["load", "people.ttl", "nowhere.ttl"]).fails();
    assert!(run.stderr.contains("cannot read 'nowhere.ttl'"), "{run:?}");
    assert_eq!(count(&wd, "?s rdfs:label \"Alice\"@en"), 0);
}

#[test]
fn unknown_format_name_and_unknown_extension() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    wd.write("data.xyz", "");
    let run = wd
        .run(&["load", "people.ttl", "--format", "yaml"])
        .misused();
    assert!(run.stderr.contains("unknown RDF format 'yaml'"), "{run:?}");
    let run = wd.run(&["load", "data.xyz"]).fails();
    assert!(
        run.stderr
            .contains("cannot tell the RDF format of 'data.xyz'"),
        "{run:?}"
    );
    let run = wd.run_with_stdin(&["load", "-"], "");
    let run = run.fails();
    assert!(run.stderr.contains("needs --format"), "{run:?}");
}

#[test]
fn invalid_graph_iri_is_refused() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    let run = wd
        .run(&["load", "people.ttl", "--graph", "not an iri"])
        .fails();
    assert!(
        run.stderr
            .contains("--graph 'not an iri' is not a valid IRI"),
        "{run:?}"
    );
}

#[test]
fn default_graph_option() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    wd.run(&["load", "people.ttl", "--default-graph"]).ok();
    let q = "SELECT * WHERE { ?s ?p ?o }";
    assert_eq!(wd.select(&["query", q, "--no-union"]).len(), 7);
    let run = wd.run(&[
        "load",
        "people.ttl",
        "--default-graph",
        "--graph",
        "urn:x:g",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
}

/// Issue #17: back up with `export --all --format trig`, restore with `load --replace` into a new
/// store (seeded with the bundled graph): the same bytes again, blank nodes not doubled, which a
/// plain load does.
#[test]
fn backup_and_restore_round_trip() {
    let wd = Workdir::new();
    wd.write("people.ttl", include_str!("fixtures/people.ttl"));
    wd.run(&["load", "people.ttl", "--graph", "urn:x:people"])
        .ok();
    wd.run(&[
        "update",
        "INSERT DATA { GRAPH <urn:x:mine> { <urn:x:a> <urn:x:p> [ <urn:x:q> 1 ] } }",
    ])
    .ok();
    wd.run(&[
        "export",
        "--all",
        "--format",
        "trig",
        "--output",
        "backup.trig",
    ])
    .ok();
    let new = wd.path("new").display().to_string();
    let run = wd
        .run(&["--store", &new, "load", "--replace", "backup.trig"])
        .ok();
    assert!(run.stderr.contains("loaded"), "{run:?}");
    wd.run(&[
        "--store",
        &new,
        "export",
        "--all",
        "--format",
        "trig",
        "--output",
        "again.trig",
    ])
    .ok();
    let backup = std::fs::read(wd.path("backup.trig")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&backup),
        String::from_utf8_lossy(&std::fs::read(wd.path("again.trig")).unwrap())
    );
    // Without --replace, the bundled graph's blank nodes come twice.
    let plain = wd.path("plain").display().to_string();
    wd.run(&["--store", &plain, "load", "backup.trig"]).ok();
    let blank = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBLANK(?s)) } }";
    let n = |store: &str| wd.select(&["--store", store, "query", blank])[0]["n"].clone();
    assert_eq!(n(&new), n(wd.store().to_str().unwrap()));
    assert!(n(&plain).parse::<u32>().unwrap() > n(&new).parse::<u32>().unwrap());
}

/// Issue #17: `--replace` replaces the graphs the input writes into, and only those; a failed
/// one leaves every graph as it was; `--graph` with an empty file empties that graph.
#[test]
fn replace_is_atomic_and_only_touches_the_inputs_graphs() {
    let wd = Workdir::new();
    wd.write(
        "v1.trig",
        "<urn:x:g1> { <urn:x:a> <urn:x:p> 1 , 2 . }\n<urn:x:g2> { <urn:x:b> <urn:x:p> 1 . }\n",
    );
    wd.run(&["load", "v1.trig"]).ok();
    wd.write("v2.trig", "<urn:x:g1> { <urn:x:a> <urn:x:p> 3 . }\n");
    wd.run(&["load", "--replace", "v2.trig"]).ok();
    let in_graph = |g: &str| {
        let rows = wd.select(&[
            "query",
            &format!("SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY ?o"),
        ]);
        rows.iter().map(|r| r["o"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(in_graph("urn:x:g1"), ["3"]);
    assert_eq!(
        in_graph("urn:x:g2"),
        ["1"],
        "a graph the input does not name is kept"
    );

    // A syntax error after a valid graph block: nothing replaced, nothing added.
    wd.write(
        "bad.trig",
        "<urn:x:g2> { <urn:x:b> <urn:x:p> 9 . }\n<urn:x:g1> { <urn:x:a> <urn:x:p> . }\n",
    );
    let run = wd.run(&["load", "--replace", "bad.trig"]).fails();
    assert!(run.stderr.contains("bad.trig:2:"), "{run:?}");
    assert_eq!(in_graph("urn:x:g1"), ["3"]);
    assert_eq!(in_graph("urn:x:g2"), ["1"]);

    // An empty file with --graph: that graph is replaced by nothing (a PUT of an empty body).
    wd.write("empty.ttl", "");
    wd.run(&["load", "--replace", "empty.ttl", "--graph", "urn:x:g2"])
        .ok();
    assert!(in_graph("urn:x:g2").is_empty());
    assert_eq!(in_graph("urn:x:g1"), ["3"]);
}
