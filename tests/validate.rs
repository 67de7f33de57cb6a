//! `mss-kg validate`: the shapes with rudof's SHACL engine, against pySHACL's answers; files
//! checked without loading them, with their lines; the consistency checks; the report formats.

use crate::util::Workdir;
use std::collections::BTreeSet;

const BROKEN: &str = include_str!("fixtures/shacl/broken.trig");
const SHAPES: &str = include_str!("../ontology/shapes.ttl");

/// `(focus, path, component)` of every result of a JSON report (the path `-` when there is none
/// or it is not a predicate), and the report.
fn results(json: &str) -> (BTreeSet<String>, serde_json::Value) {
    let doc: serde_json::Value = serde_json::from_str(json).expect("validate --format json");
    let set = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        // The shapes' results, not the consistency checks' (saved queries, which pySHACL lacks).
        .filter(|r| {
            !r["shape"]
                .as_str()
                .is_some_and(|s| s.starts_with("https://w3id.org/mss-kg/query/"))
        })
        .map(|r| {
            let path = r["path"]
                .as_str()
                .filter(|p| !p.starts_with('(') && !p.starts_with('^'));
            format!(
                "{}\t{}\t{}",
                r["focus"].as_str().unwrap(),
                path.unwrap_or("-"),
                r["component"].as_str().unwrap()
            )
        })
        .collect();
    (set, doc)
}

/// What pySHACL finds in the union of a store's graphs.
fn pyshacl(wd: &Workdir) -> BTreeSet<String> {
    let nt = wd
        .run(&[
            "query",
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "--format",
            "nt",
        ])
        .ok()
        .stdout;
    let data = wd.write("union.nt", &nt);
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/shacl.py"))
        .arg("--results")
        .arg(&data)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/shapes.ttl"))
        .output()
        .expect("python3 runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "pySHACL could not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_bundled_graph_conforms_and_pyshacl_agrees() {
    let wd = Workdir::new();
    let run = wd.run(&["validate", "--format", "json"]).ok();
    let (ours, doc) = results(&run.stdout);
    assert!(ours.is_empty(), "{ours:#?}");
    assert_eq!(doc["conforms"], true);
    assert!(pyshacl(&wd).is_empty());
    assert!(run.stderr.contains("0 violations"), "{}", run.stderr);
}

#[test]
fn every_shape_is_broken_once_and_both_engines_find_the_same() {
    let wd = Workdir::new();
    wd.write("broken.trig", BROKEN);
    wd.run(&["load", "broken.trig"]).ok();
    let run = wd.run(&["validate", "--format", "json", "--no-consistency"]);
    assert_eq!(run.code, 1, "violations exit 1: {run:#?}");
    let (ours, _) = results(&run.stdout);
    let theirs = pyshacl(&wd);
    assert_eq!(
        ours.difference(&theirs).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "found by mss-kg only"
    );
    assert_eq!(
        theirs.difference(&ours).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "found by pySHACL only"
    );
    // Every node shape of the bundled shapes is broken by the node named after it.
    let shapes: Vec<&str> = SHAPES
        .lines()
        .filter_map(|l| l.strip_prefix("mssh:")?.split_once(" a sh:NodeShape"))
        .map(|(name, _)| name)
        .collect();
    assert!(shapes.len() >= 15, "{shapes:?}");
    for shape in shapes {
        let focus = format!("https://w3id.org/mss-kg/test/broken-{shape}\t");
        assert!(
            ours.iter().any(|r| r.starts_with(&focus)),
            "nothing in tests/fixtures/shacl/broken.trig breaks mssh:{shape}"
        );
    }
}

#[test]
fn files_are_checked_without_loading_them_and_findings_name_their_lines() {
    let wd = Workdir::new();
    let file = wd.write("new-source.trig", BROKEN);
    let before = wd.run(&["export", "--canonical", "--hash"]).ok().stdout;
    let run = wd.run(&["validate", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:#?}");
    // The deployment of the fixture is described on its line 25, the article on line 86.
    let line_of = |needle: &str| {
        BROKEN
            .lines()
            .position(|l| l.trim_start().starts_with(needle))
            .unwrap()
            + 1
    };
    for (node, message) in [
        ("ex:broken-DeploymentShape", "Every deployment has a date"),
        (
            "ex:broken-ArticleShape",
            "A source cites itself as people cite it",
        ),
    ] {
        let at = format!("new-source.trig:{})", line_of(node));
        let block = run
            .stdout
            .split("\n\n")
            .find(|b| b.contains(&at) && b.contains(message))
            .unwrap_or_else(|| panic!("no finding at {at} saying {message:?}:\n{}", run.stdout));
        assert!(
            block.starts_with("Violation: <https://w3id.org/mss-kg/test/"),
            "{block}"
        );
    }
    // The labelled shape's focus shows its label, and the path its prefixed name.
    assert!(
        run.stdout.contains("\"A person\"") && run.stdout.contains("path rdfs:label"),
        "{}",
        run.stdout
    );
    let described = BROKEN
        .lines()
        .filter(|l| l.starts_with("    ex:broken-"))
        .count();
    assert!(
        run.stderr
            .contains(&format!("{described} nodes described in 1 path")),
        "{}",
        run.stderr
    );
    // Nothing was loaded.
    assert_eq!(
        wd.run(&["export", "--canonical", "--hash"]).ok().stdout,
        before
    );
    // The files replace the store's graphs of the same names: a fixed copy of a source graph
    // is checked as itself, not merged with the store's version.
    let source = include_str!("../data/source-004.trig");
    let edited = source.replacen("mss:personnelCount 144", "mss:personnelCount 0", 1);
    assert_ne!(edited, source, "the fixture edit applies");
    let file = wd.write("source-004.trig", &edited);
    let run = wd.run(&["validate", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let (found, doc) = results(&run.stdout);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        [
            "https://w3id.org/mss-kg/id/deployment-kenya-144\thttps://w3id.org/mss-kg/ontology#personnelCount\thttp://www.w3.org/ns/shacl#MinInclusiveConstraintComponent"
        ]
    );
    assert_eq!(doc["results"][0]["file"], file.to_str().unwrap());
}

#[test]
fn bad_input_and_bad_shapes_exit_2_with_their_place() {
    let wd = Workdir::new();
    wd.write("broken.ttl", include_str!("fixtures/broken.ttl"));
    let run = wd.run(&["validate", "broken.ttl"]).misused();
    assert!(run.stderr.contains("broken.ttl:4:"), "{}", run.stderr);
    let run = wd.run(&["validate", "--shapes", "broken.ttl"]).misused();
    assert!(run.stderr.contains("broken.ttl:4:"), "{}", run.stderr);
    wd.run(&["validate", "missing.trig"]).misused();
    wd.run(&["validate", "--format", "yaml"]).misused();
}

#[test]
fn other_shapes_can_be_given() {
    let wd = Workdir::new();
    let shapes = wd.write(
        "people.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
         @prefix schema: <http://schema.org/> .\n\
         <urn:shape:people> a sh:NodeShape ; sh:targetClass schema:Person ;\n\
           sh:property [ sh:path schema:birthDate ; sh:minCount 1 ; sh:severity sh:Warning ] .\n",
    );
    let args = [
        "validate",
        "--shapes",
        shapes.to_str().unwrap(),
        "--no-consistency",
    ];
    let run = wd.run(&args).ok();
    let people = run.stdout.matches("Warning: mssr:").count();
    assert!(
        people >= 8,
        "every person lacks a birth date: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("shape <urn:shape:people>")
            || run.stdout.contains("path schema:birthDate")
    );
    let mut strict = args.to_vec();
    strict.push("--strict");
    assert_eq!(wd.run(&strict).code, 1, "--strict fails on warnings");
}

#[test]
fn consistency_checks_warn_with_the_sources_of_both_sides() {
    let wd = Workdir::new();
    let run = wd.run(&["validate"]).ok();
    // 004's total against the deployments 000, 002 and 004 report.
    let total = run
        .stdout
        .split("\n\n")
        .find(|b| b.contains("mssr:figure-kenya-total-004"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(total.starts_with("Warning:"), "{total}");
    for cited in [
        "744",
        "761",
        "004 (2025-02-06)",
        "002 (2024-10 to 2025-02-06)",
        "000 (",
    ] {
        assert!(total.contains(cited), "{cited} in {total}");
    }
    // 002's headline against its body.
    let headline = run
        .stdout
        .split("\n\n")
        .find(|b| b.contains("mssr:figure-deployment-217-headline"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        headline.contains("200") && headline.contains("217"),
        "{headline}"
    );
    assert_eq!(wd.run(&["validate", "--strict"]).code, 1);
    // The checks fire on what they look for: a fact dated after its source, an unlabelled
    // entity, a shared alias, an event before the mission began.
    wd.write(
        "odd.trig",
        "@prefix mss: <https://w3id.org/mss-kg/ontology#> .\n\
         @prefix mssr: <https://w3id.org/mss-kg/id/> .\n\
         @prefix src: <https://w3id.org/mss-kg/source/> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
         @prefix schema: <http://schema.org/> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         @prefix prov: <http://www.w3.org/ns/prov#> .\n\
         @prefix org: <http://www.w3.org/ns/org#> .\n\
         <urn:test:odd> {\n\
           mssr:late a mss:Incident ; prov:wasDerivedFrom src:001_147c23658d6feea2 ;\n\
             schema:location mssr:port-au-prince ; mss:date \"2024-09-30\"^^xsd:date .\n\
           mssr:early a mss:Incident ; prov:wasDerivedFrom src:004_dab5f6f63f8bcf4a ;\n\
             schema:location mssr:port-au-prince ; mss:mission mssr:test-mission ;\n\
             mss:date \"2023-05\"^^xsd:gYearMonth .\n\
           mssr:test-mission schema:startDate \"2024-06-25\"^^xsd:date ; rdfs:label \"Test mission\"@en .\n\
           mssr:nameless a schema:Person .\n\
           mssr:post-kenya-interior-cs mss:incompatibleWith mssr:post-mss-force-commander .\n\
           mssr:tenure-murkomen-commander a mss:Tenure ; prov:wasDerivedFrom src:004_dab5f6f63f8bcf4a ;\n\
             org:member mssr:kipchumba-murkomen ; org:organization mssr:mss ; mss:post mssr:post-mss-force-commander ;\n\
             schema:startDate \"2024-06\"^^xsd:gYearMonth .\n\
           mssr:other-otunge a schema:Person ; rdfs:label \"Someone\"@en ; skos:altLabel \"otunge\"@en .\n\
         }\n"
            .replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")
            .as_str(),
    );
    let run = wd.run(&["validate", "odd.trig", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let warnings: Vec<(String, String)> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["severity"] == "Warning")
        .map(|r| {
            (
                r["focus"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                r["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let says = |focus: &str, text: &str| {
        assert!(
            warnings.iter().any(|(f, m)| f == focus && m.contains(text)),
            "{focus}: {text:?} in {warnings:#?}"
        )
    };
    says("late", "after its source 001 (2024-08-28) was published");
    says("early", "before Test mission began (2024-06-25)");
    says("nameless", "an entity without a label");
    says("godfrey-otunge", "shares the name \"Otunge\"");
    says(
        "tenure-murkomen-commander",
        "Kipchumba Murkomen holds Force Commander of the MSS per 004 (2025-02-06) and Interior Cabinet Secretary of Kenya per",
    );
}

#[test]
fn the_turtle_report_is_a_shacl_validation_report() {
    let wd = Workdir::new();
    wd.write("broken.trig", BROKEN);
    let run = wd.run(&[
        "validate",
        "broken.trig",
        "--format",
        "turtle",
        "--no-consistency",
    ]);
    assert_eq!(run.code, 1);
    let (_, doc) = results(
        &wd.run(&[
            "validate",
            "broken.trig",
            "--format",
            "json",
            "--no-consistency",
        ])
        .stdout,
    );
    let report = wd.write("report.ttl", &run.stdout);
    // Read back through a store, as any SPARQL user would.
    let loaded = wd.path("report-store");
    let store = loaded.to_str().unwrap();
    wd.run(&[
        "--store",
        store,
        "--quiet",
        "load",
        report.to_str().unwrap(),
        "--graph",
        "urn:report",
    ])
    .ok();
    let rows = wd.select(&[
        "--store",
        store,
        "query",
        "SELECT (COUNT(?r) AS ?n) ?conforms WHERE { GRAPH <urn:report> { ?report a sh:ValidationReport ; sh:conforms ?conforms ; sh:result ?r . ?r a sh:ValidationResult ; sh:focusNode ?f ; sh:resultSeverity sh:Violation ; sh:sourceConstraintComponent ?c } } GROUP BY ?conforms",
    ]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["conforms"], "false");
    assert_eq!(
        rows[0]["n"],
        doc["results"].as_array().unwrap().len().to_string()
    );
}

/// `--endpoint`: a remote graph (here our own `serve`) validates as the store does.
#[test]
fn a_remote_graph_validates_as_the_store_does() {
    let wd = Workdir::new();
    wd.write("broken.trig", BROKEN);
    wd.run(&["load", "broken.trig"]).ok();
    let local = wd.run(&["validate", "--format", "json"]);
    let server = crate::util::Server::start(&wd, &wd.store());
    let other = Workdir::new();
    let remote = other.run(&["--endpoint", &server.url, "validate", "--format", "json"]);
    assert_eq!(remote.code, 1, "{remote:#?}");
    let (remote_set, remote_doc) = results(&remote.stdout);
    let (local_set, local_doc) = results(&local.stdout);
    assert!(!local_set.is_empty());
    assert_eq!(remote_set, local_set);
    assert_eq!(remote_doc["warnings"], local_doc["warnings"]);
}
