//! `mss-kg mentions`: the known entities an article names, found in the five source articles
//! (copied into tests/fixtures/sources/), with offsets that point at them; the names and numbers
//! left to place; the TriG skeleton.

use crate::util::Workdir;
use std::collections::{BTreeMap, BTreeSet};

const ARTICLES: [&str; 5] = [
    "000_cc6ac50fb72b8fd8",
    "001_147c23658d6feea2",
    "002_44d14a35376beb2e",
    "003_c3bd293ca091c104",
    "004_dab5f6f63f8bcf4a",
];

fn article(stem: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/sources/{stem}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Lower case, anything but letters and digits a space, spaces single, padded.
fn plain(text: &str) -> String {
    let mapped: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    format!(
        " {} ",
        mapped.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

#[test]
fn every_entity_an_article_names_is_found_where_it_is() {
    let wd = Workdir::new();
    // Every entity's names (labels and aliases), and the entities each source graph refers to.
    let names = wd.select(&[
        "query",
        "SELECT ?e ?name WHERE { GRAPH <https://w3id.org/mss-kg/graph/data/entities> { ?e rdfs:label|skos:altLabel ?name } }",
    ]);
    let mut names_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in names {
        names_of
            .entry(row["e"].clone())
            .or_default()
            .push(row["name"].clone());
    }
    let mut found_in_all = 0;
    for stem in ARTICLES {
        let text = article(stem);
        let referred = wd.select(&[
            "query",
            &format!("SELECT DISTINCT ?e WHERE {{ GRAPH <https://w3id.org/mss-kg/source/{stem}> {{ {{ ?x ?p ?e }} UNION {{ ?e ?p ?x }} }} FILTER(isIRI(?e)) }}"),
        ]);
        // The entities of its graph that the article names, by a test of our own.
        let plain_text = plain(&text);
        let named: BTreeSet<String> = referred
            .iter()
            .map(|r| r["e"].clone())
            .filter(|e| {
                names_of.get(e).is_some_and(|ns| {
                    ns.iter().any(|n| {
                        let n = plain(n);
                        n.trim().len() > 1 && plain_text.contains(&n)
                    })
                })
            })
            .collect();
        assert!(named.len() >= 5, "{stem}: {named:?}");
        let path = format!(
            "{}/tests/fixtures/sources/{stem}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let rows = wd.select(&["mentions", &path]);
        let chars: Vec<char> = text.chars().collect();
        let mut found = BTreeSet::new();
        for row in &rows {
            // Each offset points at the text the row shows.
            let (start, end): (usize, usize) =
                (row["start"].parse().unwrap(), row["end"].parse().unwrap());
            let at: String = chars[start..end].iter().collect();
            assert_eq!(at, row["text"], "{stem}: {row:?}");
            if row["kind"] == "entity" {
                found.insert(row["entity"].clone());
            }
        }
        let missed: Vec<_> = named.difference(&found).collect();
        assert!(missed.is_empty(), "{stem}: not found {missed:?}");
        found_in_all += found.len();
    }
    assert!(found_in_all >= 40, "{found_in_all}");
}

#[test]
fn names_are_matched_longest_first_ignoring_case_accents_and_spacing() {
    let wd = Workdir::new();
    let text = "SECRETARY   OF STATE marco rubio met Présidént\nRuto and the HNP at the US Embassy in Nairobi.";
    let run = wd
        .run_with_stdin(&["mentions", "-", "--format", "json"], text)
        .ok();
    let rows = crate::util::bindings(&run.stdout);
    let entities: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["kind"] == "entity")
        .map(|r| (r["text"].as_str(), r["entity"].rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(
        entities,
        [
            ("SECRETARY   OF STATE", "role-secretary-of-state"),
            ("marco rubio", "marco-rubio"),
            ("Présidént\nRuto", "william-ruto"),
            ("HNP", "hnp"),
            ("US Embassy in Nairobi", "us-embassy-nairobi"),
        ],
        "{rows:#?}"
    );
    assert!(
        run.stderr.contains("5 mentions of 5 known entities"),
        "{}",
        run.stderr
    );
}

/// A search name (skos:hiddenLabel, from the editorial graph) finds its entity too, which is
/// shown by its label.
#[test]
fn search_names_find_their_entity_by_its_label() {
    let wd = Workdir::new();
    let run = wd
        .run_with_stdin(
            &["mentions", "-", "--format", "json"],
            "Officers of the Kenya Police arrived.",
        )
        .ok();
    let rows = crate::util::bindings(&run.stdout);
    let found: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["kind"] == "entity")
        .map(|r| (r["text"].as_str(), r["entity"].rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(found, [("Kenya Police", "kenya-nps")], "{rows:#?}");
    let label = &rows.iter().find(|r| r["kind"] == "entity").unwrap()["label"];
    assert_ne!(label, "Kenya Police", "{rows:#?}");
}

#[test]
fn unplaced_names_and_numbers_are_listed() {
    let wd = Workdir::new();
    let text = "Jean Dupont of the Ministry of Justice said 1,200 officers and forty-two vehicles reached Kenya on March 3.";
    let rows = crate::util::bindings(
        &wd.run_with_stdin(&["mentions", "-", "--format", "json"], text)
            .ok()
            .stdout,
    );
    let of = |kind: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["kind"] == kind)
            .map(|r| r["text"].clone())
            .collect()
    };
    assert_eq!(of("name"), ["Jean Dupont", "Ministry of Justice"]);
    assert_eq!(of("number"), ["1,200", "forty-two", "3"]);
    assert_eq!(of("entity"), ["Kenya"]);
}

#[test]
fn the_skeleton_is_trig_to_fill_in_that_loads() {
    let wd = Workdir::new();
    let path = format!(
        "{}/tests/fixtures/sources/{}.txt",
        env!("CARGO_MANIFEST_DIR"),
        ARTICLES[4]
    );
    let run = wd.run(&["mentions", &path, "--skeleton"]).ok();
    let skeleton = run.stdout;
    for expected in [
        "src:004_dab5f6f63f8bcf4a {",
        "a mss:Article",
        "mss:fileName \"004_dab5f6f63f8bcf4a.txt\"",
        "schema:mentions ",
        "mssr:marco-rubio",
        "mssr:william-ruto",
        "# mssr:TODO a mss:Figure ; prov:wasDerivedFrom src:004_dab5f6f63f8bcf4a ; schema:value 744 .",
    ] {
        assert!(skeleton.contains(expected), "{expected:?} in:\n{skeleton}");
    }
    // It is TriG: it loads, into its source's graph, with a schema:mentions per entity found.
    let file = wd.write("source-005.trig", &skeleton);
    let store = wd.path("other-store");
    let store = store.to_str().unwrap();
    wd.run(&["--store", store, "--quiet", "load", file.to_str().unwrap()])
        .ok();
    let rows = wd.select(&[
        "--store",
        store,
        "query",
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH src:004_dab5f6f63f8bcf4a { src:004_dab5f6f63f8bcf4a schema:mentions ?e } }",
    ]);
    let found = wd.select(&["mentions", &path]);
    let entities: BTreeSet<&String> = found
        .iter()
        .filter(|r| r["kind"] == "entity")
        .map(|r| &r["entity"])
        .collect();
    assert_eq!(rows[0]["n"], entities.len().to_string());
}

#[test]
fn a_missing_or_binary_article_is_one_line() {
    let wd = Workdir::new();
    let run = wd.run(&["mentions", "nowhere.txt"]).fails();
    assert!(run.stderr.contains("nowhere.txt"), "{}", run.stderr);
    std::fs::write(wd.path("binary.txt"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let run = wd.run(&["mentions", "binary.txt"]).fails();
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
}

#[test]
fn a_folder_of_articles_streams_rows_with_their_file() {
    let wd = Workdir::new();
    let folder = format!("{}/tests/fixtures/sources", env!("CARGO_MANIFEST_DIR"));
    let run = wd.run(&["mentions", &folder, "--format", "json"]).ok();
    let rows = crate::util::bindings(&run.stdout);
    let files: BTreeSet<&str> = rows
        .iter()
        .map(|r| r["file"].rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        files,
        ARTICLES
            .iter()
            .map(|a| format!("{a}.txt"))
            .collect::<BTreeSet<_>>()
            .iter()
            .map(String::as_str)
            .collect()
    );
    assert!(run.stderr.contains("5 articles: "), "{}", run.stderr);
    assert!(run.stderr.contains("articles/s"), "{}", run.stderr);
    // The same rows as one article at a time.
    let one = wd.select(&["mentions", &format!("{folder}/{}.txt", ARTICLES[2])]);
    let part: Vec<_> = rows
        .iter()
        .filter(|r| r["file"].ends_with(&format!("{}.txt", ARTICLES[2])))
        .map(|r| {
            let mut r = r.clone();
            r.remove("file");
            r
        })
        .collect();
    assert_eq!(part, one);
    wd.run(&["mentions", &folder, "--skeleton"]).misused();
}
