//! `mss-kg diff`: what a change adds and removes, blank nodes matched canonically.

use crate::util::Workdir;

const A: &str = "@prefix ex: <urn:x:> .\nex:a ex:p \"one\" ; ex:q [ ex:r 1 ; ex:s [ ex:t 2 ] ] .\nex:b ex:p \"two\" .\n";
/// A again: its triples in another order, its blank nodes labelled.
const A_REORDERED: &str = "@prefix ex: <urn:x:> .\nex:b ex:p \"two\" .\n_:inner ex:t 2 .\n_:outer ex:s _:inner ; ex:r 1 .\nex:a ex:q _:outer ; ex:p \"one\" .\n";

/// Issue #18: reordered and relabelled files are equal (exit 0); one changed literal is one
/// removal and one addition (exit 1), printed as Turtle; a graph of the store compares with the
/// file it was loaded from; a side that cannot be read is exit 2 with one line.
#[test]
fn diff_shows_what_a_change_adds_and_removes() {
    let wd = Workdir::new();
    wd.write("a.ttl", A);
    wd.write("a-again.nt.ttl", A_REORDERED);
    let run = wd.run(&["diff", "a.ttl", "a-again.nt.ttl"]).ok();
    assert_eq!(run.stdout, "", "{run:?}");
    assert!(run.stderr.contains("hold the same 6 triples"), "{run:?}");

    wd.write("b.ttl", &A_REORDERED.replace("\"two\"", "\"three\""));
    let run = wd.run(&["diff", "a.ttl", "b.ttl"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "# only in a.ttl: 1 triple\n<urn:x:b> <urn:x:p> \"two\" .\n\n# only in b.ttl: 1 triple\n<urn:x:b> <urn:x:p> \"three\" .\n",
        "{run:?}"
    );
    assert!(run.stderr.contains("1 removed, 1 added"), "{run:?}");
    let brief = wd.run(&["diff", "a.ttl", "b.ttl", "--brief"]);
    assert_eq!((brief.code, brief.stdout.as_str()), (1, ""), "{brief:?}");

    // A graph of the store against the file it came from, and after an update.
    wd.run(&["load", "a.ttl", "--graph", "urn:x:a"]).ok();
    wd.run(&["diff", "urn:x:a", "a-again.nt.ttl"]).ok();
    wd.run(&[
        "update",
        "INSERT DATA { GRAPH <urn:x:a> { <urn:x:c> <urn:x:p> \"new\" } }",
    ])
    .ok();
    let run = wd.run(&["diff", "a.ttl", "urn:x:a"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("# only in a.ttl: 0 triples\n\n# only in urn:x:a: 1 triple\n<urn:x:c>"),
        "{run:?}"
    );

    // Datasets compare quad by quad: the same triple in another graph is a change.
    wd.write("g1.trig", "<urn:x:g1> { <urn:x:a> <urn:x:p> 1 . }\n");
    wd.write("g2.trig", "<urn:x:g2> { <urn:x:a> <urn:x:p> 1 . }\n");
    let run = wd.run(&["diff", "g1.trig", "g2.trig"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("<urn:x:g1> {") && run.stdout.contains("<urn:x:g2> {"),
        "{run:?}"
    );

    // Trouble: exit 2, one line.
    wd.write("broken.ttl", "<urn:x:a> <urn:x:p> .\n");
    let run = wd.run(&["diff", "a.ttl", "broken.ttl"]).misused();
    assert!(run.stderr.contains("broken.ttl:1:"), "{run:?}");
    let run = wd.run(&["diff", "a.ttl", "nowhere.ttl"]).misused();
    assert!(run.stderr.contains("'nowhere.ttl' is neither"), "{run:?}");
    let run = wd.run(&["diff", "a.ttl", "urn:x:none"]).misused();
    assert!(
        run.stderr.contains("holds no graph <urn:x:none>"),
        "{run:?}"
    );
}
