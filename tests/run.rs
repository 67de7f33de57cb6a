//! `mss-kg run`: every saved query, parameters bound as RDF terms, every error, and a corpus of
//! injection attempts that must be taken as values or rejected.

use crate::util::{Workdir, bindings};

const GRLC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/grlc");

fn names(wd: &Workdir) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&wd.run(&["queries", "--format", "json"]).ok().stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_bundled_query_runs_and_answers_with_sources() {
    let wd = Workdir::new();
    // The nation-codes queries need an external graph or endpoint: tests/link.rs runs them.
    for name in names(&wd)
        .into_iter()
        .filter(|n| !n.starts_with("nation-codes"))
    {
        let rows = wd.select(&["--memory", "run", &name]);
        // A consistency check finds nothing where the sources agree (tests/validate.rs).
        assert!(
            !rows.is_empty() || name.starts_with("consistency/"),
            "{name} returned nothing"
        );
        assert!(
            rows.iter()
                .all(|r| r.keys().any(|k| k.starts_with("source"))),
            "{name}: {rows:?}"
        );
    }
}

#[test]
fn parameters_narrow_the_answer() {
    let wd = Workdir::new();
    let all = wd.select(&["--memory", "run", "contributing-nations"]);
    let expected = wd.select(&[
        "--memory",
        "run",
        "contributing-nations",
        "--param",
        "status=expected",
    ]);
    assert_eq!(all.len(), 18);
    assert_eq!(expected.len(), 6);
    assert!(expected.iter().all(|r| r["status"] == "expected"));
    // An optional IRI parameter: all facts without it, one with it (prefixed or full IRI).
    let facts = wd.select(&["--memory", "run", "fact-sources"]);
    assert!(facts.len() > 50);
    for iri in [
        "mssr:claim-reuters-resignations",
        "<https://w3id.org/mss-kg/id/claim-reuters-resignations>",
    ] {
        let one = wd.select(&[
            "--memory",
            "run",
            "fact-sources",
            "-p",
            &format!("fact={iri}"),
        ]);
        assert_eq!(one.len(), 1, "{iri}");
        assert_eq!(
            one[0]["fact"],
            "https://w3id.org/mss-kg/id/claim-reuters-resignations"
        );
    }
    // A default, overridden.
    let otunge = wd.select(&["--memory", "run", "person-actions"]);
    assert!(
        otunge
            .iter()
            .any(|r| r["what"] == "Otunge meets a Canadian delegation")
    );
    let murkomen = wd.select(&[
        "--memory",
        "run",
        "person-actions",
        "-p",
        "person=mssr:kipchumba-murkomen",
    ]);
    // His two posts, and the claim of progress in the second (issue #22).
    assert_eq!(murkomen.len(), 3, "{murkomen:?}");
    assert!(murkomen.iter().all(|r| r["what"].starts_with("Murkomen")));
    // Parameters bound for the run do not show as extra columns.
    let json = wd
        .run(&["--memory", "run", "person-actions", "--format", "json"])
        .ok()
        .stdout;
    assert!(!json.contains("_person_iri"), "{json}");
}

#[test]
fn every_output_format() {
    let wd = Workdir::new();
    let run = |format: &str| {
        wd.run(&["--memory", "run", "mss-commander", "--format", format])
            .ok()
            .stdout
    };
    insta::assert_snapshot!("run_table", run("table"));
    insta::assert_snapshot!("run_csv", run("csv"));
    insta::assert_snapshot!("run_tsv", run("tsv"));
    insta::assert_snapshot!("run_json", run("json"));
    insta::assert_snapshot!("run_xml", run("xml"));
    assert_eq!(bindings(&run("json"))[0]["commander"], "Godfrey Otunge");
}

#[test]
fn a_grlc_collection_runs_unchanged() {
    let wd = Workdir::new();
    // --local: by-label names DBpedia as its grlc endpoint; here it runs on the bundled graph.
    let q = |args: &[&str]| {
        let mut all = vec!["--memory", "--local", "--queries", GRLC, "run"];
        all.extend(args);
        wd.select(&all)
    };
    let rows = q(&["people/by-label", "--param", "label=Kenya"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["entity"], "https://w3id.org/mss-kg/id/kenya");
    assert_eq!(
        q(&["countries-with-code"]).len(),
        20,
        "LIMIT 20, the default max satisfied"
    );
    let haiti = q(&[
        "countries-with-code",
        "-p",
        "country=https://w3id.org/mss-kg/id/haiti",
    ]);
    assert_eq!(haiti.len(), 1);
    assert_eq!(haiti[0]["item"], "http://www.wikidata.org/entity/Q790");
    assert_eq!(q(&["countries-with-code", "-p", "max=100"]).len(), 0);
    let typed = q(&["typed", "-p", "day=2025-02-06"]);
    assert_eq!(typed.len(), 1);
    assert_eq!(
        q(&["typed", "-p", "day=2025-02-06", "-p", "min=200"]).len(),
        0
    );
}

#[test]
fn parameter_errors_list_the_expected_parameters() {
    let wd = Workdir::new();
    let grlc = |args: &[&str]| {
        let mut all = vec!["--memory", "--queries", GRLC, "run"];
        all.extend(args);
        wd.run(&all).fails().stderr
    };
    // Parameters a query does not have, or lacks, or gets twice: usage errors (exit 2).
    let misused = |args: &[&str]| {
        let mut all = vec!["--memory", "--queries", GRLC, "run"];
        all.extend(args);
        wd.run(&all).misused().stderr
    };
    let err = misused(&["typed"]);
    assert!(err.contains("missing required parameter 'day' (parameters of 'typed': day (xsd:date, required); min (xsd:integer, optional))"), "{err}");
    let err = misused(&["typed", "-p", "day=2025-02-06", "-p", "colour=red"]);
    assert!(
        err.contains("unknown parameter 'colour' (parameters of 'typed'"),
        "{err}"
    );
    let err = grlc(&["typed", "-p", "day=6 Feb 2025"]);
    assert!(
        err.contains("'6 Feb 2025' is not a valid xsd:date"),
        "{err}"
    );
    let err = grlc(&["typed", "-p", "day=2025-02-06", "-p", "min=many"]);
    assert!(err.contains("'many' is not a valid xsd:integer"), "{err}");
    let err = misused(&["typed", "-p", "day=2025-02-06", "-p", "day=2025-02-07"]);
    assert!(err.contains("parameter 'day' is given twice"), "{err}");
    let err = grlc(&["countries-with-code", "-p", "country=mssr:chile"]);
    assert!(
        err.contains("'mssr:chile' is not one of the allowed values"),
        "{err}"
    );
    let err = grlc(&["countries-with-code", "-p", "country=http://not an iri"]);
    assert!(
        err.contains("'http://not an iri' is not a valid IRI"),
        "{err}"
    );
    let err = grlc(&["countries-with-code", "-p", "country=not an iri"]);
    assert!(err.contains("no entity is called 'not an iri'"), "{err}");
    let run = wd.run(&["--memory", "run", "offices", "--param", "novalue"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("'novalue' is not of the form name=value"),
        "{run:?}"
    );
}

/// Values that would change the query if they were pasted into its text.
pub const INJECTIONS: &[&str] = &[
    "x\" } ; DROP ALL ; #",
    "> } UNION { ?s ?p ?o",
    "mssr:kenya> } UNION { ?s ?p ?o } #",
    "https://w3id.org/mss-kg/id/kenya> } UNION { ?s ?p ?o } #",
    "\"; DELETE WHERE { ?s ?p ?o } #",
    "\\\") } UNION { ?s ?p ?o } #",
    "1 } UNION { ?s ?p ?o",
    "deployed\"@en } UNION { ?s ?p ?o } #",
    "Kenya\"@en . ?entity ?p ?o } #",
    "a\n} UNION {\n?s ?p ?o",
    "'''} UNION { ?s ?p ?o } #'''",
    "2025-02-06\"^^xsd:date } UNION { ?deployment ?p ?o } #",
    // IRI attacks: a closing bracket, an IRI that ends early, an escaped bracket.
    "http://x/> } UNION { ?s ?p ?o } #",
    "<http://x/> ?p ?o } #",
    "http://x/\\u003E } UNION { ?s ?p ?o",
    "urn:x:a> . ?s ?p ?o . <urn:x:b",
    // Language tag and datatype attacks.
    "x\"@en-US } UNION { ?s ?p ?o } #",
    "1\"^^<http://www.w3.org/2001/XMLSchema#integer> } UNION { ?s ?p ?o } #",
    "1e3 } UNION { ?s ?p ?o",
    // Unicode escapes SPARQL reads in its text, and control characters.
    "\\u0022 } UNION { ?s ?p ?o } #",
    "\\U00000022) } UNION { ?s ?p ?o } #",
    "\u{22} } UNION { ?s ?p ?o } #",
    "x\r\n} UNION {\r\n?s ?p ?o",
];

#[test]
fn injection_attempts_are_values_or_rejected_and_change_nothing() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let count = || {
        wd.select(&[
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ])[0]["n"]
            .clone()
    };
    let before = count();
    let cases: &[(&str, &str)] = &[
        ("people/by-label", "label"),
        ("countries-with-code", "country"),
        ("countries-with-code", "max"),
        ("typed", "day"),
        ("fact-sources", "fact"),
        ("person-actions", "person"),
        ("contributing-nations", "status"),
    ];
    for (query, param) in cases {
        for value in INJECTIONS {
            let arg = format!("{param}={value}");
            let mut args = vec![
                "--local",
                "--queries",
                GRLC,
                "run",
                query,
                "-p",
                &arg,
                "--format",
                "json",
            ];
            if *query == "typed" && *param != "day" {
                args.extend(["-p", "day=2025-02-06"]);
            }
            let run = wd.run(&args);
            match run.code {
                // Taken as a value: it matches nothing, as no label or IRI is that text.
                0 => assert_eq!(
                    bindings(&run.stdout).len(),
                    0,
                    "{query} {param}={value:?}: {run:?}"
                ),
                // Rejected as not of the parameter's type or allowed values, or (an IRI
                // parameter) as naming no entity.
                1 => assert!(
                    run.stderr.contains("is not a valid")
                        || run.stderr.contains("is not one of the allowed")
                        || run
                            .stderr
                            .contains("is neither an IRI nor the name of an entity")
                        || run.stderr.contains("no entity is called")
                        || run.stderr.contains("entities: "),
                    "{query} {param}={value:?}: {run:?}"
                ),
                _ => panic!("{query} {param}={value:?}: {run:?}"),
            }
        }
    }
    assert_eq!(count(), before, "the store must be unchanged");
}

/// Issue #17: an IRI parameter takes a full IRI, a prefixed name (the common prefixes and those
/// the loaded files declared) or the name of an entity, looked up as `describe` looks it up; an
/// ambiguous or unknown name is an error listing candidates; an IRI that names nothing warns. The
/// value is still bound as a term: a name is never pasted into the query.
#[test]
fn iri_parameters_by_the_names_people_use() {
    let wd = Workdir::new();
    let rows = |value: &str| {
        wd.select(&[
            "run",
            "person-actions",
            "--param",
            &format!("person={value}"),
        ])
    };
    let by_iri = rows("https://w3id.org/mss-kg/id/marco-rubio");
    assert!(!by_iri.is_empty());
    for value in [
        "mssr:marco-rubio",
        "<https://w3id.org/mss-kg/id/marco-rubio>",
        "rubio",
        "Marco Rubio",
        "RUBIO",
    ] {
        assert_eq!(rows(value), by_iri, "{value}");
    }
    let err = |value: &str| {
        wd.run(&[
            "run",
            "person-actions",
            "--param",
            &format!("person={value}"),
        ])
        .fails()
        .stderr
    };
    let e = err("police");
    assert!(
        e.contains("parameter 'person': 'police' matches 8 entities: Gilbert Masengeli"),
        "{e}"
    );
    assert!(e.contains("(mssr:kenya-nps)"), "{e}");
    let e = err("otunje");
    assert!(
        e.contains(
            "no entity is called 'otunje' (did you mean Godfrey Otunge (mssr:godfrey-otunge)?)"
        ),
        "{e}"
    );
    let e = err("x } UNION { ?s ?p ?o");
    assert!(
        e.contains("is neither an IRI nor the name of an entity"),
        "{e}"
    );
    let run = wd
        .run(&["run", "person-actions", "--param", "person=mssr:nobody"])
        .ok();
    assert!(
        run.stderr
            .contains("warning: parameter 'person': mssr:nobody names nothing in the graph"),
        "{run:?}"
    );

    // A prefix a loaded file declared.
    wd.write("mine.ttl", "@prefix ex: <http://example.org/people/> .\nex:ada a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Ada\"@en .\n");
    wd.run(&["load", "mine.ttl", "--graph", "urn:x:mine"]).ok();
    let run = wd
        .run(&["run", "person-actions", "--param", "person=ex:ada"])
        .ok();
    assert!(!run.stderr.contains("names nothing"), "{run:?}");
    let run = wd
        .run(&["run", "person-actions", "--param", "person=ada"])
        .ok();
    assert!(!run.stderr.contains("warning"), "{run:?}");
}

/// Issue #17: on a terminal (or with COLUMNS set, as here) a table fits the width, long cells
/// wrapping at spaces and rows set apart; `--wide`, and piped output without COLUMNS, keep
/// every cell whole on one line.
#[test]
fn tables_fit_the_terminal() {
    let wd = Workdir::new();
    let at = |columns: &str, args: &[&str]| {
        let out = wd
            .command(args)
            .env("COLUMNS", columns)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let list = ["--memory", "queries"];
    let deployments = ["--memory", "run", "kenya-deployments", "--format", "table"];
    for (columns, width) in [("80", 80), ("200", 200)] {
        for args in [&list[..], &deployments[..]] {
            let text = at(columns, args);
            let widest = text
                .lines()
                .map(unicode_width::UnicodeWidthStr::width)
                .max()
                .unwrap();
            assert!(
                widest <= width,
                "{args:?} at {columns}: {widest} columns\n{text}"
            );
        }
    }
    insta::assert_snapshot!("queries_at_80", at("80", &list));
    insta::assert_snapshot!("deployments_at_80", at("80", &deployments));
    insta::assert_snapshot!("deployments_at_200", at("200", &deployments));
    // --wide, and no COLUMNS when piped: cells whole, one line a row.
    let whole = wd.run(&deployments).ok().stdout;
    let mut wide = deployments.to_vec();
    wide.push("--wide");
    assert_eq!(at("80", &wide), whole);
    assert_eq!(whole.lines().count(), 2 + 3 + 1, "{whole}");
}

/// Issue #23: a saved query that needs a step first says so when it finds no rows (its
/// `#+ if-empty:`), and says nothing once it has rows.
#[test]
fn an_empty_answer_says_what_is_missing() {
    let wd = Workdir::new();
    let run = wd.run(&["run", "nation-codes"]).ok();
    assert!(
        run.stderr
            .contains("warning: 'nation-codes' found no rows: no external graph of countries"),
        "{run:?}"
    );
    let countries = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/link/wikidata-countries.ttl"
    );
    wd.run(&[
        "-q",
        "link",
        "--with",
        countries,
        "--type",
        "schema:Country",
        "--apply",
    ])
    .ok();
    let run = wd.run(&["run", "nation-codes"]).ok();
    assert!(!run.stderr.contains("found no rows"), "{run:?}");
    assert!(run.stdout.lines().count() > 10, "{run:?}");
}
