//! `mss-kg stats`: triples per graph and instances per class.

use crate::util::Workdir;

#[test]
fn counts_graphs_and_classes() {
    let wd = Workdir::new();
    wd.run_with_stdin(
        &["load", "-", "--format", "nq"],
        include_str!("fixtures/quads.nq"),
    )
    .ok();
    let run = wd.run(&["stats"]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("graph"), "{run:?}");
    assert!(
        lines[2].starts_with("(default graph)") && lines[2].ends_with(" 1"),
        "{run:?}"
    );
    assert!(run.stdout.contains("<http://example.org/g1>"), "{run:?}");
    assert!(run.stdout.contains("src:004_dab5f6f63f8bcf4a"), "{run:?}");
    assert!(
        run.stdout
            .contains("<https://w3id.org/mss-kg/graph/ontology/mss>"),
        "{run:?}"
    );
    let classes = run.stdout.split("\n\n").nth(1).unwrap();
    assert!(classes.starts_with("class"), "{run:?}");
    assert!(classes.contains("schema:Country"), "{run:?}");

    let json: serde_json::Value =
        serde_json::from_str(&wd.run(&["stats", "--format", "json"]).ok().stdout).unwrap();
    let graphs = json["graphs"].as_array().unwrap();
    assert_eq!(graphs[0]["graph"], serde_json::Value::Null);
    assert_eq!(graphs[0]["triples"], 1);
    let countries = json["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == "http://schema.org/Country")
        .unwrap();
    assert_eq!(countries["instances"], 17);
}

#[test]
fn unknown_stats_format() {
    let wd = Workdir::new();
    let run = wd.run(&["stats", "--format", "csv"]).misused();
    assert!(run.stderr.contains("unknown stats format 'csv'"), "{run:?}");
}
