//! `mss-kg update`: atomic SPARQL Update.

use crate::util::Workdir;

#[test]
fn insert_then_query() {
    let wd = Workdir::new();
    let run = wd
        .run(&[
            "update",
            "INSERT DATA { GRAPH <urn:x:notes> { mssr:mss rdfs:comment \"seen\" } }",
        ])
        .ok();
    assert!(run.stderr.contains("update applied"), "{run:?}");
    let rows = wd.select(&[
        "query",
        "SELECT ?g WHERE { GRAPH ?g { mssr:mss rdfs:comment \"seen\" } }",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["g"], "urn:x:notes");
}

#[test]
fn invalid_update_changes_nothing() {
    let wd = Workdir::new();
    let run = wd
        .run(&["update", "INSERT DATA { <urn:a> <urn:b> }"])
        .fails();
    assert!(run.stderr.starts_with("mss-kg: <argument>:1:"), "{run:?}");
    assert!(run.stderr.contains("invalid SPARQL"), "{run:?}");
}

#[test]
fn failing_update_is_atomic() {
    let wd = Workdir::new();
    // The second operation fails (the graph is missing and not SILENT): the first must not stay.
    let run = wd
        .run(&[
            "update",
            "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } } ; DROP GRAPH <urn:x:missing>",
        ])
        .fails();
    assert!(
        run.stderr.contains("update failed, the store is unchanged"),
        "{run:?}"
    );
    assert_eq!(
        wd.select(&["query", "SELECT * WHERE { <urn:x:a> ?p ?o }"])
            .len(),
        0
    );
}

#[test]
fn update_from_file() {
    let wd = Workdir::new();
    wd.write(
        "u.ru",
        "DELETE WHERE { GRAPH ?g { mssr:kenya owl:sameAs ?q } }",
    );
    wd.run(&["update", "--file", "u.ru"]).ok();
    assert_eq!(
        wd.select(&["query", "SELECT ?q WHERE { mssr:kenya owl:sameAs ?q }"])
            .len(),
        0
    );
}
