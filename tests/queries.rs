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
    assert_eq!(all.len(), 23, "18 saved queries and 5 consistency checks");
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

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/grlc-rules");

/// Issue #17: a folder lists everything it can; a header that is not YAML (nor JSON) leaves its
/// query without metadata and warns with the line; a file that cannot be used warns once and
/// fails only when it is asked for.
#[test]
fn a_broken_header_or_file_is_reported_and_the_rest_listed() {
    let wd = Workdir::new();
    let run = wd
        .run(&["--queries", RULES, "queries", "--format", "json"])
        .ok();
    let listed: Vec<String> = serde_json::from_str::<serde_json::Value>(&run.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap().to_owned())
        .collect();
    for name in [
        "deployments-at-least",
        "label-literal",
        "label-en",
        "own-prefix",
        "optional",
        "json-header",
        "bad-header",
        "ignored",
        "kenya-deployments",
    ] {
        assert!(listed.contains(&name.to_owned()), "{name} in {listed:?}");
    }
    assert!(
        !listed.contains(&"broken/two-vars".to_owned()),
        "{listed:?}"
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "warning: {RULES}/bad-header.rq:2: the header is neither YAML nor JSON"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("warning: {RULES}/broken/two-vars.rq: saved query 'broken/two-vars': parameter 'x' is declared by two variables, ?_x_iri and ?_x_integer (not listed)")),
        "{}", run.stderr
    );
    // The bad header's query runs, with its warning; the broken one fails alone.
    let run = wd
        .run(&[
            "--memory",
            "--queries",
            RULES,
            "run",
            "bad-header",
            "--format",
            "tsv",
        ])
        .ok();
    assert!(run.stdout.contains("true"), "{run:?}");
    assert!(
        run.stderr
            .contains("bad-header.rq:2: the header is neither"),
        "{run:?}"
    );
    let run = wd
        .run(&["--memory", "--queries", RULES, "run", "broken/two-vars"])
        .fails();
    assert!(
        run.stderr
            .contains("two-vars.rq: saved query 'broken/two-vars': parameter 'x'"),
        "{run:?}"
    );
    let run = wd
        .run(&["--queries", RULES, "queries", "show", "broken/two-vars"])
        .fails();
    assert!(run.stderr.contains("declared by two variables"), "{run:?}");

    wd.write("bad2/q.rq", "#+ defaults:\n#+   - nothing: 1\nASK {}\n");
    let run = wd.run(&["--queries", "bad2", "run", "q"]).fails();
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

/// Issue #17: each grlc rule, on the fixture collection written for it.
#[test]
fn grlc_rules_as_grlc_reads_them() {
    let wd = Workdir::new();
    let run = |args: &[&str]| {
        let mut all = vec!["--memory", "--queries", RULES, "run"];
        all.extend(args);
        wd.select(&all)
    };
    // A .sparql file; ?_min_number is a number parameter named min.
    let all = run(&["deployments-at-least", "-p", "min=0"]);
    let big = run(&["deployments-at-least", "-p", "min=300"]);
    assert!(
        !big.is_empty() && big.len() < all.len(),
        "{big:?} of {all:?}"
    );
    assert!(
        big.iter().all(|r| r["n"].parse::<f64>().unwrap() >= 300.0),
        "{big:?}"
    );
    assert_eq!(
        run(&["deployments-at-least", "-p", "min=3e2"]),
        big,
        "a double is a number too"
    );
    let err = wd
        .run(&[
            "--memory",
            "--queries",
            RULES,
            "run",
            "deployments-at-least",
            "-p",
            "min=300) || (true",
        ])
        .fails()
        .stderr;
    assert!(err.contains("is not a number"), "{err}");
    // _literal: a plain string; _en: a string tagged en.
    assert_eq!(
        run(&["label-literal", "-p", "name=Kenya"])[0]["entity"],
        "https://w3id.org/mss-kg/id/kenya"
    );
    assert_eq!(
        run(&["label-en", "-p", "label=Kenya"])[0]["entity"],
        "https://w3id.org/mss-kg/id/kenya"
    );
    // A datatype with the query's own prefix.
    let ask = |day: &str| {
        wd.run(&[
            "--memory",
            "--queries",
            RULES,
            "run",
            "own-prefix",
            "-p",
            &format!("day={day}"),
            "--format",
            "tsv",
        ])
        .ok()
        .stdout
    };
    assert!(ask("2025-02-06").contains("true"));
    assert!(ask("2024-01-01").contains("false"));
    // ?__kind_iri is optional.
    let every = run(&["optional"]);
    let countries = run(&["optional", "-p", "kind=schema:Country"]);
    assert_eq!(countries[0]["n"], "17");
    assert!(every[0]["n"].parse::<u32>().unwrap() > 17, "{every:?}");
    // A JSON header is read; grlc's decorators mss-kg does not act on are listed as ignored.
    let show = |name: &str| {
        wd.run(&["--queries", RULES, "queries", "show", name])
            .ok()
            .stdout
    };
    let json = show("json-header");
    assert!(
        json.contains("Saved query whose header is JSON") && json.contains("tags: json, grlc"),
        "{json}"
    );
    let ignored = show("ignored");
    assert!(
        ignored.contains(
            "ignored (grlc decorators mss-kg does not act on): method, pagination, transform"
        ),
        "{ignored}"
    );
    let listing = wd
        .run(&[
            "--queries",
            RULES,
            "queries",
            "show",
            "deployments-at-least",
        ])
        .ok()
        .stdout;
    assert!(
        listing.contains("?_min_number: min (number, required)"),
        "{listing}"
    );
}
