//! `mss-kg describe`: finding an entity by name, and its card.

use crate::util::Workdir;

#[test]
fn cards_of_people_and_countries() {
    let wd = Workdir::new();
    insta::assert_snapshot!(
        "describe_otunge",
        wd.run(&["--memory", "describe", "otunge"]).ok().stdout
    );
    insta::assert_snapshot!(
        "describe_bahamas",
        wd.run(&["--memory", "describe", "the Bahamas"]).ok().stdout
    );
    insta::assert_snapshot!(
        "describe_deployment",
        wd.run(&["--memory", "describe", "mssr:deployment-kenya-144"])
            .ok()
            .stdout
    );
}

#[test]
fn names_match_regardless_of_case_accents_articles_and_partial_names() {
    let wd = Workdir::new();
    for (name, iri) in [
        ("OTUNGE", "mssr:godfrey-otunge"),
        ("Moise", "mssr:jovenel-moise"),
        ("jovenel moïse", "mssr:jovenel-moise"),
        ("bahamas", "mssr:bahamas"),
        ("Bahamas (the)", "mssr:bahamas"),
        ("the MSS mission", "mssr:mss"),
        ("MSSM", "mssr:mss"),
        ("Kenya Police", "mssr:kenya-nps"),
        ("Kenya", "mssr:kenya"),
        ("https://w3id.org/mss-kg/id/reuters", "mssr:reuters"),
        ("<https://w3id.org/mss-kg/id/reuters>", "mssr:reuters"),
    ] {
        let run = wd.run(&["--memory", "describe", name]).ok();
        let first = run.stdout.lines().next().unwrap();
        assert!(first.ends_with(&format!("  {iri}")), "{name}: {first}");
    }
}

#[test]
fn ambiguous_and_unknown_names() {
    let wd = Workdir::new();
    let run = wd.run(&["--memory", "describe", "police"]).fails();
    assert!(
        run.stderr.contains(
            "'police' matches 8 entities: Gilbert Masengeli, acting Inspector General of Police"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("National Police Service (mssr:kenya-nps)"),
        "{run:?}"
    );
    let run = wd.run(&["--memory", "describe", "Otunj"]).fails();
    assert!(
        run.stderr.contains(
            "no entity is called 'Otunj' (did you mean Godfrey Otunge (mssr:godfrey-otunge)?)"
        ),
        "{run:?}"
    );
    let run = wd.run(&["--memory", "describe", "qqqqqq"]).fails();
    assert!(
        run.stderr.ends_with("no entity is called 'qqqqqq'\n"),
        "{run:?}"
    );
    let run = wd
        .run(&["--memory", "describe", "otunge", "--format", "yaml"])
        .misused();
    assert!(
        run.stderr.contains("unknown format 'yaml' for describe"),
        "{run:?}"
    );
}

#[test]
fn rdf_output_keeps_sources_as_graphs() {
    let wd = Workdir::new();
    let ttl = wd
        .run(&["--memory", "describe", "murkomen", "--format", "turtle"])
        .ok()
        .stdout;
    // Issue #16: the pretty writer of `export`: one block per subject, prefixed, grouped.
    assert!(
        ttl.contains("\nmssr:kipchumba-murkomen a ")
            && ttl.contains("    org:holds mssr:post-kenya-interior-cs"),
        "{ttl}"
    );
    let nq = wd
        .run(&["--memory", "describe", "murkomen", "--format", "nq"])
        .ok()
        .stdout;
    let holds = "<https://w3id.org/mss-kg/id/kipchumba-murkomen> <http://www.w3.org/ns/org#holds> <https://w3id.org/mss-kg/id/post-kenya-interior-cs>";
    let graphs: Vec<&str> = nq.lines().filter(|l| l.starts_with(holds)).collect();
    assert_eq!(graphs.len(), 2, "reported by 002 and 004: {nq}");
    // The Turtle form parses back to the same triples as the N-Triples form, each once.
    let nt = wd
        .run(&["--memory", "describe", "murkomen", "--format", "nt"])
        .ok()
        .stdout;
    wd.write("card.ttl", &ttl);
    wd.run(&["load", "card.ttl", "--graph", "urn:x:card"]).ok();
    let n = wd.select(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:card> { ?s ?p ?o } }",
    ]);
    assert_eq!(n[0]["n"], nt.lines().count().to_string());
    let distinct: std::collections::BTreeSet<&str> = nt.lines().collect();
    assert_eq!(distinct.len(), nt.lines().count());
}
