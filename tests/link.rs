//! `mss-kg link`: the nations of the MSS graph against a Wikidata-shaped graph of 248 countries,
//! with and without the local graph's own ids; ambiguity, no match, other languages, misspellings;
//! applying links with provenance and querying through them; bad sources; an endpoint source.

use crate::util::{Server, Workdir, free_port};
use std::collections::BTreeMap;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/link");
const WD: &str = "http://www.wikidata.org/entity/";
const MSSR: &str = "https://w3id.org/mss-kg/id/";
const LINKS: &str = "https://w3id.org/mss-kg/graph/links/wikidata-countries";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// The row of each local entity, by IRI.
fn by_local(
    rows: Vec<BTreeMap<String, String>>,
) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for row in rows {
        out.entry(row["local"].clone()).or_default().push(row);
    }
    out
}

/// Runs `link` with `args` and returns its rows and what it printed on stderr.
fn link(wd: &Workdir, args: &[&str]) -> (Vec<BTreeMap<String, String>>, String) {
    let mut all = vec!["link"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let run = wd.run(&all).ok();
    (crate::util::bindings(&run.stdout), run.stderr)
}

fn assert_perfect(stderr: &str) {
    assert!(
        stderr.contains("precision 1.000 (17 of 17") && stderr.contains("recall 1.000 (17 of 17"),
        "{stderr}"
    );
}

fn assert_nations(rows: &[BTreeMap<String, String>]) {
    let accepted: BTreeMap<&str, &str> = rows
        .iter()
        .filter(|r| r["status"] == "accepted")
        .map(|r| (r["local"].as_str(), r["external"].as_str()))
        .collect();
    for (local, item) in [
        ("bahamas", "Q778"),
        ("el-salvador", "Q792"),
        ("united-states", "Q30"),
        ("kenya", "Q114"),
    ] {
        assert_eq!(
            accepted.get(format!("{MSSR}{local}").as_str()),
            Some(&format!("{WD}{item}").as_str()),
            "{local}: {rows:#?}"
        );
    }
}

#[test]
fn every_nation_is_linked_with_precision_and_recall_one() {
    let wd = Workdir::new();
    let (rows, stderr) = link(
        &wd,
        &[
            "--memory",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--type",
            "schema:Country",
            "--gold",
            &fixture("nations-gold.csv"),
        ],
    );
    assert_perfect(&stderr);
    assert_nations(&rows);
    assert_eq!(rows.len(), 17, "{rows:#?}");
    // The curated links are evidence when ids count.
    assert!(
        rows.iter()
            .all(|r| r["evidence"].contains("already linked"))
    );
    assert!(rows.iter().all(|r| r["score"] == "1.000"));
}

#[test]
fn names_alone_find_every_nation_when_the_local_ids_are_ignored() {
    let wd = Workdir::new();
    // Every local entity (people, organisations, places...), not only countries: types keep
    // "Government of Kenya" and "Kenya Police" away from Kenya.
    let (rows, stderr) = link(
        &wd,
        &[
            "--memory",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--evidence",
            "labels",
            "--gold",
            &fixture("nations-gold.csv"),
        ],
    );
    assert_perfect(&stderr);
    assert_nations(&rows);
    assert!(
        rows.iter()
            .all(|r| !r["evidence"].contains("already linked"))
    );
    let bahamas = &by_local(rows)[&format!("{MSSR}bahamas")][0];
    assert!(
        bahamas["evidence"].contains(r#"same name "the Bahamas"@en"#),
        "{bahamas:?}"
    );
}

#[test]
fn names_alone_find_every_nation_in_a_store_without_the_local_links() {
    let wd = Workdir::new();
    wd.run(&["update", "DELETE WHERE { GRAPH ?g { ?s owl:sameAs ?o } }"])
        .ok();
    let left = wd.select(&["query", "SELECT * { ?s owl:sameAs ?o }"]);
    assert!(left.is_empty(), "{left:?}");
    let (rows, stderr) = link(
        &wd,
        &[
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--gold",
            &fixture("nations-gold.csv"),
        ],
    );
    assert_perfect(&stderr);
    assert_nations(&rows);
}

#[test]
fn applied_links_carry_provenance_and_queries_see_through_them() {
    let wd = Workdir::new();
    wd.run(&["update", "DELETE WHERE { GRAPH ?g { ?s owl:sameAs ?o } }"])
        .ok();
    assert!(wd.select(&["run", "nation-codes"]).is_empty());
    for _ in 0..2 {
        // Applying twice describes each link once.
        let run = wd
            .run(&[
                "link",
                "--with",
                &fixture("wikidata-countries.ttl"),
                "--type",
                "schema:Country",
                "--apply",
            ])
            .ok();
        assert!(
            run.stderr
                .contains(&format!("wrote 17 links into graph <{LINKS}>")),
            "{run:?}"
        );
    }
    let links = wd.select(&[
        "query",
        &format!(
            "SELECT ?s ?o ?score ?method ?evidence ?used ?time {{ GRAPH <{LINKS}> {{
               ?s owl:sameAs ?o .
               ?l a mss:IdentityLink ; rdf:subject ?s ; rdf:predicate owl:sameAs ; rdf:object ?o ;
                  mss:score ?score ; mss:matchMethod ?method ; mss:evidence ?evidence ;
                  prov:generatedAtTime ?time ; prov:wasGeneratedBy ?run .
               ?run a prov:Activity ; prov:used ?used }} }}"
        ),
    ]);
    assert_eq!(links.len(), 17, "each link described once: {links:#?}");
    let runs = wd.select(&[
        "query",
        &format!("SELECT ?run {{ GRAPH <{LINKS}> {{ ?run a prov:Activity }} }}"),
    ]);
    assert_eq!(runs.len(), 2, "both runs are recorded: {runs:?}");
    let distinct: std::collections::BTreeSet<_> =
        links.iter().map(|r| (&r["s"], &r["o"])).collect();
    assert_eq!(distinct.len(), 17);
    // Decimals come back canonical: 0.95, not 0.950.
    let score = |r: &BTreeMap<String, String>| r["score"].parse::<f64>().unwrap();
    assert!(
        links.iter().all(|r| r["method"] == "label"
            && (score(r) == 0.95 || r["s"].ends_with("united-states") && score(r) == 0.93)),
        "{links:#?}"
    );
    assert!(
        links
            .iter()
            .all(|r| r["used"] == "https://w3id.org/mss-kg/graph/external/wikidata-countries.ttl")
    );
    // The saved query reads ISO codes and official names through the new links.
    let codes = wd.select(&["run", "nation-codes"]);
    let kenya = codes
        .iter()
        .find(|r| r["country"] == "Kenya")
        .expect("Kenya");
    assert_eq!(
        (kenya["iso2"].as_str(), kenya["iso3"].as_str()),
        ("KE", "KEN")
    );
    assert_eq!(kenya["source_link"], LINKS);
    let salvador = codes
        .iter()
        .find(|r| r["country"] == "El Salvador")
        .unwrap();
    assert_eq!(salvador["iso3"], "SLV");
    let nations: std::collections::BTreeSet<_> = codes.iter().map(|r| &r["country"]).collect();
    let contributing = wd.select(&["run", "contributing-nations"]);
    let expected: std::collections::BTreeSet<_> =
        contributing.iter().map(|r| &r["country"]).collect();
    assert_eq!(nations, expected);
}

#[test]
fn ties_wait_for_review_misses_stay_out_and_other_languages_match() {
    let wd = Workdir::new();
    let graph = "https://example.org/extra";
    wd.run(&["load", &fixture("local-extra.ttl"), "--graph", graph])
        .ok();
    let (rows, _) = link(
        &wd,
        &[
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--local-graph",
            graph,
            "--apply",
        ],
    );
    let rows = by_local(rows);
    let korea = &rows["https://example.org/extra/korea"];
    assert_eq!(korea.len(), 2, "{korea:#?}");
    assert!(
        korea.iter().all(|r| r["status"] == "ambiguous"),
        "{korea:#?}"
    );
    assert!(!rows.contains_key("https://example.org/extra/atlantis"));
    let algeria = &rows["https://example.org/extra/argelia"][0];
    assert_eq!(
        (algeria["status"].as_str(), algeria["external"].as_str()),
        ("accepted", "http://www.wikidata.org/entity/Q262")
    );
    let germany = &rows["https://example.org/extra/allemagne"][0];
    assert_eq!(
        (germany["status"].as_str(), germany["external"].as_str()),
        ("accepted", "http://www.wikidata.org/entity/Q183")
    );
    let guatemala = &rows["https://example.org/extra/guatamala"][0];
    assert_eq!(
        (guatemala["status"].as_str(), guatemala["external"].as_str()),
        ("review", "http://www.wikidata.org/entity/Q774")
    );
    // Only the accepted links were written: not the tie, not the one to review.
    let written = wd.select(&[
        "query",
        &format!("SELECT ?s {{ GRAPH <{LINKS}> {{ ?s owl:sameAs ?o }} }} ORDER BY ?s"),
    ]);
    let written: Vec<&str> = written.iter().map(|r| r["s"].as_str()).collect();
    assert_eq!(
        written,
        [
            "https://example.org/extra/allemagne",
            "https://example.org/extra/argelia"
        ]
    );
}

#[test]
fn skos_exact_match_and_thresholds() {
    let wd = Workdir::new();
    let (rows, _) = link(
        &wd,
        &[
            "--memory",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--type",
            "schema:Country",
            "--evidence",
            "labels",
            "--threshold",
            "0.94",
        ],
    );
    // "United States" is an alias on both sides (0.93): under 0.94 it waits for review.
    let us = &by_local(rows)[&format!("{MSSR}united-states")][0];
    assert_eq!(us["status"], "review");
    wd.run(&[
        "link",
        "--with",
        &fixture("wikidata-countries.ttl"),
        "--type",
        "schema:Country",
        "--relation",
        "skos:exactMatch",
        "--apply",
    ])
    .ok();
    let exact = wd.select(&[
        "query",
        &format!("SELECT ?s {{ GRAPH <{LINKS}> {{ ?s skos:exactMatch ?o }} }}"),
    ]);
    assert_eq!(exact.len(), 17);
}

#[test]
fn bad_sources_and_options_fail_cleanly_and_write_nothing() {
    let wd = Workdir::new();
    // Graphs `link` writes: any under graph: but the bundled ones (data, ontology, editorial).
    let links_graphs = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/mss-kg/graph/\") && !STRSTARTS(STR(?g), \"https://w3id.org/mss-kg/graph/data\") && !STRSTARTS(STR(?g), \"https://w3id.org/mss-kg/graph/ontology\") && STR(?g) != \"https://w3id.org/mss-kg/graph/editorial\") }";
    let run = wd
        .run(&["link", "--with", "missing.ttl", "--apply"])
        .fails();
    assert!(run.stderr.contains("cannot read 'missing.ttl'"), "{run:?}");
    let down = format!("http://127.0.0.1:{}/query", free_port());
    let run = wd.run(&["link", "--with", &down, "--apply"]).fails();
    assert!(
        run.stderr
            .contains(&format!("cannot query the SPARQL endpoint <{down}>")),
        "{run:?}"
    );
    let broken = wd.write(
        "broken.ttl",
        "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;;; ex:d .\nex:e ex:f\n",
    );
    let run = wd
        .run(&["link", "--with", broken.to_str().unwrap(), "--apply"])
        .fails();
    assert!(run.stderr.contains("broken.ttl:2:25: "), "{run:?}");
    assert!(run.stderr.contains("nothing was loaded"), "{run:?}");
    let run = wd.run(&["query", links_graphs, "--format", "tsv"]).ok();
    assert!(run.stdout.contains("false"), "nothing written: {run:?}");
    let run = wd
        .run(&[
            "link",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--threshold",
            "2",
        ])
        .fails();
    assert!(
        run.stderr.contains("--threshold takes a score from 0 to 1"),
        "{run:?}"
    );
    let run = wd
        .run(&[
            "link",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--review",
            "0.95",
        ])
        .fails();
    assert!(
        run.stderr
            .contains("--review (0.95) is above --threshold (0.9)"),
        "{run:?}"
    );
    let run = wd
        .run(&[
            "link",
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--relation",
            "rdfs:seeAlso",
        ])
        .fails();
    assert!(
        run.stderr
            .contains("neither owl:sameAs nor skos:exactMatch"),
        "{run:?}"
    );
}

#[test]
fn an_endpoint_links_as_its_file_does() {
    let wd = Workdir::new();
    let external = wd.path("external");
    wd.run(&[
        "--store",
        external.to_str().unwrap(),
        "load",
        &fixture("wikidata-countries.ttl"),
    ])
    .ok();
    let server = Server::start(&wd, &external);
    // The endpoint also serves the bundled graph: its entities are ours and are not proposed.
    let (rows, stderr) = link(
        &wd,
        &[
            "--memory",
            "--with",
            &server.url,
            "--type",
            "schema:Country",
            "--evidence",
            "labels",
            "--gold",
            &fixture("nations-gold.csv"),
        ],
    );
    assert_perfect(&stderr);
    assert!(
        stderr.contains("against 194 external ones"),
        "only countries are fetched: {stderr}"
    );
    assert_nations(&rows);
}

/// Issue #16: `--graph` names the graph `--apply` loads an external file into.
#[test]
fn graph_names_where_the_external_file_goes() {
    let wd = Workdir::new();
    link(
        &wd,
        &[
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--type",
            "schema:Country",
            "--graph",
            "urn:x:countries",
            "--apply",
        ],
    );
    let rows = wd.select(&[
        "query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { wd:Q114 ?p ?o } } GROUP BY ?g",
    ]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["g"], "urn:x:countries");
}

fn graph_holds(wd: &Workdir, graph: &str, item: &str) -> bool {
    let run = wd
        .run(&[
            "query",
            &format!("ASK {{ GRAPH <{graph}> {{ <{item}> ?p ?o }} }}"),
            "--format",
            "tsv",
        ])
        .ok();
    run.stdout.contains("true")
}

/// Issue #16: a file is read as it is now on every run; only `--apply` loads it, into its own
/// graph, replacing what an earlier `--apply` loaded there.
#[test]
fn a_file_is_read_each_time_and_loaded_only_by_apply() {
    let wd = Workdir::new();
    let ext = wd.write("ext.ttl", "<urn:x:e1> a <http://schema.org/Country> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Kenya\"@en .\n");
    let args = [
        "--with",
        ext.to_str().unwrap(),
        "--type",
        "schema:Country",
        "--graph",
        "urn:x:ext",
    ];
    let (rows, _) = link(&wd, &args);
    assert!(rows.iter().any(|r| r["external"] == "urn:x:e1"), "{rows:?}");
    assert!(
        !graph_holds(&wd, "urn:x:ext", "urn:x:e1"),
        "a preview writes nothing"
    );
    let mut apply = args.to_vec();
    apply.push("--apply");
    link(&wd, &apply);
    assert!(graph_holds(&wd, "urn:x:ext", "urn:x:e1"));

    std::fs::write(&ext, "<urn:x:e2> a <http://schema.org/Country> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Kenya\"@en .\n").unwrap();
    let (rows, _) = link(&wd, &args);
    assert!(rows.iter().any(|r| r["external"] == "urn:x:e2"), "{rows:?}");
    assert!(
        !rows.iter().any(|r| r["external"] == "urn:x:e1"),
        "{rows:?}"
    );
    link(&wd, &apply);
    assert!(graph_holds(&wd, "urn:x:ext", "urn:x:e2"));
    assert!(
        !graph_holds(&wd, "urn:x:ext", "urn:x:e1"),
        "the graph is replaced"
    );
}

/// Linking the same file again leaves its graph as the file has it: the triples it still has are
/// kept (its blank nodes too, new ones each load, which the removal of stale triples must not
/// take for old ones), nothing twice.
#[test]
fn linking_a_file_again_keeps_its_blank_nodes_and_nothing_twice() {
    let wd = Workdir::new();
    let ext = wd.write(
        "ext.ttl",
        "<urn:x:e1> a <http://schema.org/Country> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Kenya\"@en ;\n  <urn:x:p> [ <urn:x:q> 1 ], _:named .\n_:named <urn:x:q> 2 .\n",
    );
    let apply = [
        "--with",
        ext.to_str().unwrap(),
        "--type",
        "schema:Country",
        "--graph",
        "urn:x:ext",
        "--apply",
    ];
    let held = || {
        let rows = wd.select(&[
            "query",
            "SELECT ?q (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:ext> { ?s ?p ?o OPTIONAL { ?o <urn:x:q> ?q } } } GROUP BY ?q ORDER BY ?q",
        ]);
        rows.iter()
            .map(|r| format!("{}:{}", r.get("q").map_or("", String::as_str), r["n"]))
            .collect::<Vec<_>>()
    };
    link(&wd, &apply);
    let once = held();
    assert_eq!(once, [":4", "1:1", "2:1"], "{once:?}");
    link(&wd, &apply);
    assert_eq!(held(), once);
}

/// Issue #16: a big N-Triples file is read by several threads, a part each: the links are those
/// of the same graph read from the store, byte for byte, and a bad line deep in the file is
/// reported at its own line, with nothing written.
#[test]
fn a_big_file_read_in_parallel_links_as_its_graph_does() {
    let wd = Workdir::new();
    let mut local = String::new();
    let mut external = String::new();
    let label = "http://www.w3.org/2000/01/rdf-schema#label";
    let class = "http://schema.org/Organization";
    // Over 8 MB: split between threads. Names of three words, so that every part holds some.
    let words = [
        "alpha", "bravo", "delta", "gamma", "sigma", "omega", "kappa", "theta",
    ];
    for i in 0..70_000u32 {
        let name = format!(
            "{} {} unit{i}",
            words[i as usize % 8],
            words[(i as usize / 8) % 8]
        );
        external.push_str(&format!(
            "<urn:x:ext/{i:06}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{class}> .\n\
             <urn:x:ext/{i:06}> <{label}> \"{name}\"@en .\n\
             <urn:x:ext/{i:06}> <http://www.w3.org/2004/02/skos/core#altLabel> \"The {name} of the generated fixture\"@en .\n"
        ));
        if i % 700 == 0 {
            // Exact, misspelt and absent names.
            let written = match i % 2100 {
                0 => name.clone(),
                700 => name.replacen('a', "e", 1),
                _ => format!("nothing like {i}"),
            };
            local.push_str(&format!(
                "<urn:x:loc/{i}> a <{class}> ; <{label}> \"{written}\"@en .\n"
            ));
        }
    }
    let ext = wd.write("ext.nt", &external);
    assert!(std::fs::metadata(&ext).unwrap().len() > 8 << 20);
    let loc = wd.write("loc.ttl", &local);
    wd.run(&["load", loc.to_str().unwrap(), "--graph", "urn:x:local"])
        .ok();
    let common = ["--local-graph", "urn:x:local", "--format", "tsv"];
    let from_file = wd
        .run(&[&["link", "--with", ext.to_str().unwrap()][..], &common].concat())
        .ok();
    assert!(
        from_file.stderr.contains("read 210000 triples"),
        "{from_file:?}"
    );
    assert!(from_file.stdout.lines().count() > 60, "{from_file:?}");
    wd.run(&["load", ext.to_str().unwrap(), "--graph", "urn:x:ext"])
        .ok();
    let from_graph = wd
        .run(&[&["link", "--with", "urn:x:ext"][..], &common].concat())
        .ok();
    assert_eq!(from_file.stdout, from_graph.stdout);

    let bad = external.replacen(
        "<urn:x:ext/069999> <http://www.w3.org/1999",
        "<urn:x:ext/069999> <not an iri",
        1,
    );
    let bad_path = wd.write("bad.nt", &bad);
    let run = wd.run(&["link", "--with", bad_path.to_str().unwrap(), "--apply"]);
    let line = external
        .lines()
        .position(|l| l.starts_with("<urn:x:ext/069999>"))
        .unwrap()
        + 1;
    assert!(
        run.stderr
            .starts_with(&format!("mss-kg: {}:{line}:", bad_path.display())),
        "{run:?}"
    );
    let run = wd.run(&["link", "--with", bad_path.to_str().unwrap()]);
    assert!(
        run.stderr
            .starts_with(&format!("mss-kg: {}:{line}:", bad_path.display())),
        "{run:?}"
    );
}

/// Issue #16: `--label-property` replaces the properties names are read from, on both sides.
#[test]
fn label_property_replaces_where_names_are_read() {
    let wd = Workdir::new();
    let local = wd.write(
        "local.ttl",
        "<urn:x:l1> a <http://schema.org/Country> ; <http://example.org/naam> \"Kenia\" .\n",
    );
    wd.run(&["load", local.to_str().unwrap(), "--graph", "urn:x:local"])
        .ok();
    let ext = wd.write(
        "ext.ttl",
        "<urn:x:e1> a <http://schema.org/Country> ; <http://example.org/naam> \"Kenia\" .\n",
    );
    let base = [
        "--with",
        ext.to_str().unwrap(),
        "--local-graph",
        "urn:x:local",
    ];
    let mut plain = vec!["link"];
    plain.extend(base);
    let run = wd.run(&plain);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("no named entities found"), "{run:?}");
    // The failed run leaves the store as it was: the file's graph is gone again.
    let left = wd
        .run(&[
            "query",
            "ASK { GRAPH <https://w3id.org/mss-kg/graph/external/ext.ttl> { ?s ?p ?o } }",
            "--format",
            "tsv",
        ])
        .ok();
    assert!(left.stdout.contains("false"), "{left:?}");
    let mut args = base.to_vec();
    args.extend(["--label-property", "http://example.org/naam"]);
    let (rows, _) = link(&wd, &args);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (
            rows[0]["local"].as_str(),
            rows[0]["external"].as_str(),
            rows[0]["status"].as_str()
        ),
        ("urn:x:l1", "urn:x:e1", "accepted")
    );
}

/// Issue #16: `--lang` keeps names in those languages (and names without one) only.
#[test]
fn lang_keeps_names_in_those_languages() {
    let wd = Workdir::new();
    let local = wd.write("local.ttl", "<urn:x:de> a <http://schema.org/Country> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Allemagne\"@fr .\n");
    wd.run(&["load", local.to_str().unwrap(), "--graph", "urn:x:local"])
        .ok();
    let base = [
        "--with",
        &fixture("wikidata-countries.ttl"),
        "--local-graph",
        "urn:x:local",
        "--evidence",
        "labels",
    ];
    let only = |lang: &str| {
        let mut args = base.to_vec();
        args.extend(["--lang", lang]);
        link(&wd, &args).0
    };
    let french = only("fr");
    assert_eq!(french.len(), 1, "{french:?}");
    assert_eq!(french[0]["external"], format!("{WD}Q183"));
    assert!(only("en,es").is_empty());
}

/// Issue #16: `--links-graph` names the graph `--apply` writes to.
#[test]
fn links_graph_names_where_links_are_written() {
    let wd = Workdir::new();
    let (_, stderr) = link(
        &wd,
        &[
            "--with",
            &fixture("wikidata-countries.ttl"),
            "--type",
            "schema:Country",
            "--apply",
            "--links-graph",
            "urn:x:mylinks",
        ],
    );
    assert!(stderr.contains("into graph <urn:x:mylinks>"), "{stderr}");
    let rows = wd.select(&[
        "query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?l owl:sameAs ?w } FILTER(STRSTARTS(STR(?w), STR(wd:))) } GROUP BY ?g",
    ]);
    let graphs: Vec<&str> = rows.iter().map(|r| r["g"].as_str()).collect();
    assert!(graphs.contains(&"urn:x:mylinks"), "{rows:?}");
    assert!(!graphs.contains(&LINKS), "{rows:?}");
}
