//! `mss-kg queries` and `queries show`: discovering and understanding saved queries.

use crate::util::Workdir;

const GRLC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/grlc");

#[test]
fn lists_every_bundled_query_with_summary_parameters_and_tags() {
    let wd = Workdir::new();
    let run = wd.run(&["queries"]).ok();
    insta::assert_snapshot!("queries_list", run.stdout);
}

#[test]
fn filters_by_tag_and_speaks_json() {
    let wd = Workdir::new();
    let run = wd.run(&["queries", "--tag", "people"]).ok();
    let names: Vec<&str> = run
        .stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        ["mss-commander", "offices", "person-actions", "(3"],
        "{run:?}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&wd.run(&["queries", "--format", "json"]).ok().stdout).unwrap();
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), 18);
    let person = all.iter().find(|q| q["name"] == "person-actions").unwrap();
    assert_eq!(person["source"], "bundled: queries/person-actions.rq");
    assert_eq!(
        person["parameters"][0],
        serde_json::json!({
            "name": "person", "variable": "_person_iri", "type": "IRI", "required": false,
            "default": "https://w3id.org/mss-kg/id/godfrey-otunge", "enumerate": []
        })
    );
    let status = &all
        .iter()
        .find(|q| q["name"] == "contributing-nations")
        .unwrap()["parameters"][0];
    assert_eq!(status["type"], "string@en");
    assert_eq!(
        status["enumerate"],
        serde_json::json!(["deployed", "expected", "prospective", "supporting"])
    );
}

#[test]
fn show_prints_documentation_and_sparql() {
    let wd = Workdir::new();
    let run = wd.run(&["queries", "show", "contributing-nations"]).ok();
    insta::assert_snapshot!("queries_show", run.stdout);
}

#[test]
fn a_user_folder_adds_queries_in_subfolders_and_wins_on_a_clash() {
    let wd = Workdir::new();
    wd.write(
        "mine/offices.rq",
        "#+ summary: My own offices query\nASK {}\n",
    );
    let run = wd.run(&["--queries", GRLC, "queries"]).ok();
    assert!(run.stdout.contains("people/by-label"), "{run:?}");
    assert!(
        run.stdout.contains("label (string@en, required)"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("max (xsd:integer, optional, default 3)"),
        "{run:?}"
    );
    let run = wd
        .run(&["--queries", "mine", "queries", "show", "offices"])
        .ok();
    assert!(
        run.stdout.starts_with("offices (mine/offices.rq)"),
        "{run:?}"
    );
    assert!(run.stdout.contains("My own offices query"), "{run:?}");
    // The environment variable names the folder too.
    let out = wd
        .command(&["queries", "show", "people/by-label"])
        .env("MSS_KG_QUERIES", GRLC)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("endpoint (grlc): http://dbpedia.org/sparql"),
        "{shown}"
    );
    // Issue #14: it runs where grlc would run it.
    assert!(
        shown.contains("runs on: http://dbpedia.org/sparql"),
        "{shown}"
    );
}

#[test]
fn unknown_names_suggest_the_closest() {
    let wd = Workdir::new();
    let run = wd.run(&["queries", "show", "deploymnts"]).fails();
    assert!(
        run.stderr
            .contains("unknown saved query 'deploymnts' (did you mean 'kenya-deployments'?)"),
        "{run:?}"
    );
    let run = wd.run(&["run", "ofices"]).fails();
    assert!(run.stderr.contains("did you mean 'offices'"), "{run:?}");
    let run = wd.run(&["run", "zzzz"]).fails();
    assert!(
        run.stderr
            .contains("unknown saved query 'zzzz' (`mss-kg queries` lists them)"),
        "{run:?}"
    );
}

#[test]
fn a_broken_header_or_folder_is_reported() {
    let wd = Workdir::new();
    wd.write("bad/q.rq", "#+ summary: a: b\nASK {}\n");
    let run = wd.run(&["--queries", "bad", "queries"]).fails();
    assert!(
        run.stderr.contains("saved query 'q': invalid header"),
        "{run:?}"
    );
    wd.write("bad2/q.rq", "#+ defaults:\n#+   - nothing: 1\nASK {}\n");
    let run = wd.run(&["--queries", "bad2", "queries"]).fails();
    assert!(
        run.stderr
            .contains("names 'nothing', which is not a parameter"),
        "{run:?}"
    );
    let run = wd.run(&["--queries", "nowhere", "queries"]).fails();
    assert!(
        run.stderr.contains("--queries 'nowhere' is not a folder"),
        "{run:?}"
    );
}
