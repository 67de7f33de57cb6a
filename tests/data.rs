//! The bundled knowledge graph: every saved query answers its competency question (expected
//! answers from the project's competency questions, written here so the tests need nothing
//! outside the repository), and the data satisfies its SHACL shapes.

use crate::util::Workdir;
use std::collections::{BTreeMap, BTreeSet};

type Row = BTreeMap<String, String>;

const S000: &str = "000_cc6ac50fb72b8fd8.txt";
const S001: &str = "001_147c23658d6feea2.txt";
const S002: &str = "002_44d14a35376beb2e.txt";
const S003: &str = "003_c3bd293ca091c104.txt";
const S004: &str = "004_dab5f6f63f8bcf4a.txt";
/// The editorial graph, as `sources` and `source_files` cite it (issue #22).
const EDITORIAL: &str = "editorial";

/// Runs a bundled saved query, with its defaults, on the bundled graph.
fn saved(wd: &Workdir, name: &str) -> Vec<Row> {
    wd.select(&["--memory", "run", name])
}

fn sources(row: &Row) -> BTreeSet<&str> {
    row["source_files"].split(", ").collect()
}

/// A `, `-separated list sorted: SPARQL leaves the order of GROUP_CONCAT open.
fn sorted(list: &str) -> String {
    let mut items: Vec<&str> = list.split(", ").collect();
    items.sort_unstable();
    items.join(", ")
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

/// The one row whose `column` equals `value`.
#[track_caller]
fn find<'a>(rows: &'a [Row], column: &str, value: &str) -> &'a Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r.get(column).map(String::as_str) == Some(value))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one row with {column} = {value:?} in {rows:#?}"
    );
    found[0]
}

#[test]
fn every_saved_query_has_a_header_and_a_sources_column() {
    let dir = std::path::PathBuf::from(format!("{}/queries", env!("CARGO_MANIFEST_DIR")));
    let mut count = 0;
    let mut checks = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.extend(
        std::fs::read_dir(dir.join("consistency"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for path in paths.into_iter().filter(|p| p.is_file()) {
        if path.parent().unwrap().ends_with("consistency") {
            checks += 1;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("#+ summary: "),
            "{}: no summary",
            path.display()
        );
        assert!(
            text.contains("#+ description: "),
            "{}: no description",
            path.display()
        );
        assert!(
            text.contains("?source"),
            "{}: no source column",
            path.display()
        );
        count += 1;
    }
    // One per competency question, two that read through the identity links (issue #6), and
    // the consistency checks of `validate` (issue #18).
    assert_eq!(
        (count - checks, checks),
        (18, 5),
        "one saved query per competency question, two for links, five consistency checks"
    );
}

#[test]
fn cq01_commander() {
    let rows = saved(&Workdir::new(), "mss-commander");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["commander"], "Godfrey Otunge");
    assert_eq!(rows[0]["title"], "Force Commander");
    assert_eq!(rows[0]["nationality"], "Kenya");
    assert_eq!(sources(&rows[0]), set(&[S000, S001, S004]));
}

#[test]
fn cq02_contributing_nations() {
    let rows = saved(&Workdir::new(), "contributing-nations");
    let got: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["status"].clone(),
                r["country"].clone(),
                sorted(&r["source_files"]),
            )
        })
        .collect();
    let both = format!("{S002}, {S004}");
    let mut expected: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut add = |status: &str, country: &str, sources: &str| {
        expected.insert((status.to_owned(), country.to_owned(), sources.to_owned()));
    };
    add(
        "deployed",
        "Kenya",
        &[S000, S001, S002, S003, S004].join(", "),
    );
    for country in ["Jamaica", "Belize", "Guatemala", "El Salvador"] {
        add("deployed", country, &both);
    }
    add("deployed", "the Bahamas", S004);
    for country in [
        "Nigeria",
        "Chad",
        "Burundi",
        "Mauritius",
        "Jamaica",
        "Chile",
    ] {
        add("expected", country, S001);
    }
    for country in ["Bangladesh", "Barbados", "Benin", "the Bahamas"] {
        add("prospective", country, S001);
    }
    add("supporting", "Canada", S001);
    add("supporting", "United States", S004);
    assert_eq!(got, expected);
}

#[test]
fn cq03_kenya_deployments_in_date_order() {
    let rows = saved(&Workdir::new(), "kenya-deployments");
    let officers: Vec<&str> = rows.iter().map(|r| r["officers"].as_str()).collect();
    assert_eq!(officers, ["400", "217", "144"], "{rows:#?}");

    assert_eq!(rows[0]["date"], "2024-06");
    assert_eq!(rows[0]["inferred"], "true");
    assert!(rows[0]["when"].contains("000: in June"), "{rows:#?}");
    // Issue #22: 001 reports a current total of 400, not the deployment: that is 000's.
    assert_eq!(sources(&rows[0]), set(&[S000]));
    assert!(rows[0]["totals_reported"].contains("000: approximately 400"));

    assert!(rows[1]["when"].contains("002: on Saturday"), "{rows:#?}");
    assert_eq!(rows[1]["inferred"], "true");
    assert_eq!(rows[1]["other_counts"], "002: 200 in the headline");
    assert!(rows[1]["totals_reported"].contains("over 600"), "{rows:#?}");
    // Issue #22: 002 says only "on Saturday"; the month is the editorial graph's, and cited so.
    assert_eq!(rows[1]["date"], "2025-01");
    assert_eq!(sources(&rows[1]), set(&[S002, EDITORIAL]));

    assert_eq!(rows[2]["date"], "2025-02-06");
    assert_eq!(
        (rows[2]["men"].as_str(), rows[2]["women"].as_str()),
        ("120", "24")
    );
    assert!(rows[2]["totals_reported"].contains("744"), "{rows:#?}");
    assert!(
        rows[2]["totals_reported"].contains("initial deployment of 600"),
        "{rows:#?}"
    );
    assert_eq!(sources(&rows[2]), set(&[S004]));
}

#[test]
fn cq04_pledges() {
    let rows = saved(&Workdir::new(), "pledges");
    let total = find(&rows, "officers", "1000");
    assert_eq!(total["pledger"], "Kenya");
    assert_eq!(sources(total), set(&[S001, S002]));
    let ruto = find(&rows, "officers", "600");
    assert_eq!(ruto["pledged_by"], "William Ruto");
    assert_eq!(ruto["additional"], "true");
    assert_eq!(ruto["date"], "2024-10");
    assert_eq!(ruto["inferred"], "true");
    assert_eq!(sources(ruto), set(&[S000]));
    let ten = find(&rows, "officers", "3100");
    assert_eq!(ten["qualifier"], "more than");
    assert_eq!(sources(ten), set(&[S002]));
}

#[test]
fn cq05_mission_size() {
    let rows = saved(&Workdir::new(), "mission-size");
    let projected = find(&rows, "value", "2500");
    assert_eq!(projected["basis"], "projected");
    assert_eq!(sources(projected), set(&[S000, S001]));
    let pledged = find(&rows, "value", "3100");
    assert_eq!(
        (pledged["basis"].as_str(), pledged["qualifier"].as_str()),
        ("pledged", "more than")
    );
    assert_eq!(sources(pledged), set(&[S002]));
    let nations: Vec<&Row> = rows
        .iter()
        .filter(|r| r["measure"] == "contributing nations")
        .collect();
    assert_eq!(nations.len(), 2);
    assert!(nations.iter().all(|r| r["value"] == "10"));
}

#[test]
fn cq06_disputed_claims() {
    let rows = saved(&Workdir::new(), "disputed-claims");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let claim = &rows[0];
    assert_eq!(claim["claimant"], "Reuters");
    assert_eq!(claim["basis"], "anonymous sources");
    assert!(
        claim["claimed"].contains("000: Nearly 20 of about 400"),
        "{claim:#?}"
    );
    assert!(
        claim["claimed"].contains("five senior officers"),
        "{claim:#?}"
    );
    assert!(claim["claimed"].contains("002: "), "{claim:#?}");
    assert!(claim["claimed_when"].contains("October"), "{claim:#?}");
    let responders: BTreeSet<&str> = claim["responded_by"].split(", ").collect();
    assert!(responders.contains("Godfrey Otunge"), "{claim:#?}");
    assert!(
        responders
            .iter()
            .any(|r| r.starts_with("Multinational Security Support")),
        "{claim:#?}"
    );
    assert_eq!(claim["stance"], "disputes");
    assert!(
        claim["response"].contains("salaries and allowances"),
        "{claim:#?}"
    );
    assert!(claim["response"].contains("no resignation"), "{claim:#?}");
    assert!(claim["responded_when"].contains("Saturday"), "{claim:#?}");
    assert_eq!(sources(claim), set(&[S000, S002]));
}

#[test]
fn cq07_otunge_said_and_did() {
    let rows = saved(&Workdir::new(), "person-actions");
    let refuted = find(&rows, "what", "MSS denies that officers resigned");
    assert_eq!(sources(refuted), set(&[S000]));
    assert_eq!(refuted["quote"], "inaccurate and malicious");
    let meeting = find(&rows, "what", "Otunge meets a Canadian delegation");
    assert_eq!(meeting["date"], "2024-08-28");
    assert_eq!(meeting["together_with"], "Canadian delegation");
    assert_eq!(sources(meeting), set(&[S001]));
    let urged = find(
        &rows,
        "what",
        "Otunge urges other nations to contribute officers",
    );
    assert_eq!(urged["date"], "2024-08-28");
    let welcome = find(
        &rows,
        "what",
        "Otunge and Voltaire welcome troops from El Salvador",
    );
    assert_eq!(welcome["date"], "2025-02-04");
    assert_eq!(welcome["together_with"], "Leslie Voltaire");
    assert_eq!(sources(welcome), set(&[S004]));
}

#[test]
fn cq08_us_assistance() {
    let rows = saved(&Workdir::new(), "us-assistance");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let w = &rows[0];
    assert_eq!(
        (w["amount"].as_str(), w["currency"].as_str()),
        ("40700000", "USD")
    );
    let approvers: BTreeSet<&str> = w["approved_by"].split(", ").collect();
    assert_eq!(
        approvers,
        set(&["Marco Rubio", "United States Department of State"])
    );
    assert!(w["beneficiaries"].contains("Haitian National Police"));
    assert!(w["beneficiaries"].contains("Multinational Security Support mission in Haiti"));
    let covers: BTreeSet<&str> = w["covers"].split("; ").collect();
    assert_eq!(covers.len(), 5, "{w:#?}");
    for item in [
        "forward operating bases",
        "vehicle maintenance",
        "medical services",
        "transportation",
        "subject-matter experts",
    ] {
        assert!(w["covers"].contains(item), "{item} missing: {w:#?}");
    }
    assert_eq!(sources(w), set(&[S004]));
}

#[test]
fn cq09_incidents() {
    let rows = saved(&Workdir::new(), "incidents");
    let killed = find(
        &rows,
        "incident",
        "Kenyan police officer shot dead on patrol",
    );
    assert_eq!(killed["place"], "Lower Artibonite");
    assert_eq!(killed["place_note"], "92 km north of Port-au-Prince");
    assert_eq!(
        (killed["date"].as_str(), killed["inferred"].as_str()),
        ("2025-03-05", "true")
    );
    assert!(killed["when"].contains("On March 5"));
    assert!(killed["gist"].contains("took his body"));
    let nack: BTreeSet<&str> = killed["not_acknowledged_by"].split(", ").collect();
    assert_eq!(
        nack,
        set(&[
            "National Police Service",
            "Multinational Security Support mission in Haiti"
        ])
    );
    let vehicles = find(&rows, "incident", "Three armoured vehicles set ablaze");
    assert_eq!(
        vehicles["part_of"],
        "Gang attack on an MSS patrol in Lower Artibonite"
    );
    assert!(rows.iter().all(|r| sources(r) == set(&[S003])));
}

#[test]
fn cq10_social_media_posts() {
    let rows = saved(&Workdir::new(), "social-media-posts");
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["author"].as_str(),
                r["platform"].as_str(),
                r["date"].as_str(),
                r["source_files"].as_str(),
            )
        })
        .collect();
    // Issue #22: the month of 002's post is the editorial graph's, and its sources say so.
    let from_002 = format!("{S002}, {EDITORIAL}");
    assert_eq!(
        got,
        [
            (
                "Kipchumba Murkomen",
                "social media (platform not named)",
                "2025-01",
                from_002.as_str()
            ),
            ("National Police Service", "X", "2025-02-05", S004),
            ("Kipchumba Murkomen", "X", "2025-02-06", S004),
        ]
    );
    assert_eq!(rows[0]["inferred"], "true");
}

#[test]
fn cq11_offices() {
    let rows = saved(&Workdir::new(), "offices");
    let office = |person: &str| find(&rows, "person", person);
    assert_eq!(
        office("Godfrey Otunge")["office"],
        "Force Commander of the MSS"
    );
    assert_eq!(
        office("Kipchumba Murkomen")["office"],
        "Interior Cabinet Secretary of Kenya"
    );
    assert_eq!(office("William Ruto")["office"], "President of Kenya");
    assert_eq!(
        office("Marco Rubio")["office"],
        "United States Secretary of State"
    );
    let masengeli = office("Gilbert Masengeli");
    assert_eq!(masengeli["office"], "Inspector General of Police of Kenya");
    assert_eq!(masengeli["qualifier"], "acting");
    assert_eq!(
        office("Leslie Voltaire")["office"],
        "President of the Transitional Presidential Council"
    );
    let henry = office("Ariel Henry");
    assert_eq!(henry["office"], "Prime Minister of Haiti");
    assert_eq!(
        (henry["ended_by"].as_str(), henry["end"].as_str()),
        ("resignation", "2024")
    );
    let moise = office("Jovenel Moïse");
    assert_eq!(moise["office"], "President of Haiti");
    assert!(moise["ended_by"].starts_with("assassination"));
    assert_eq!(rows.len(), 8, "{rows:#?}");
}

#[test]
fn cq12_sources_of_a_fact() {
    let rows = saved(&Workdir::new(), "fact-sources");
    let reuters = find(
        &rows,
        "fact",
        "https://w3id.org/mss-kg/id/claim-reuters-resignations",
    );
    assert_eq!(sources(reuters), set(&[S000, S002]));
    assert_eq!(reuters["source_count"], "2");
    assert!(rows.iter().all(|r| !r["sources"].is_empty()));
}

#[test]
fn cq13_figures_that_disagree() {
    let rows = saved(&Workdir::new(), "figure-disagreements");
    let key = |r: &Row| {
        (
            r["about"].clone(),
            r["value_a"].clone(),
            r["value_b"].clone(),
        )
    };
    let got: BTreeSet<(String, String, String)> = rows.iter().map(key).collect();
    let expected: BTreeSet<(String, String, String)> = [
        ("Kenya's deployment of 217 officers", "200", "217"),
        (
            "Multinational Security Support mission in Haiti",
            "2500",
            "3100",
        ),
        ("Kenya", "744", "761"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, expected, "{rows:#?}");
    let headline = find(&rows, "value_a", "200");
    assert_eq!(
        (headline["source_a"].as_str(), headline["source_b"].as_str()),
        (S002, S002)
    );
    assert_eq!(headline["note"], "headline vs body");
    let total = find(&rows, "value_a", "744");
    assert_eq!(total["source_a"], S004);
    assert!(
        total["note"].contains("sum of reported deployments"),
        "{total:#?}"
    );
    let sizes: Vec<&Row> = rows.iter().filter(|r| r["value_a"] == "2500").collect();
    let size_sources: BTreeSet<&str> = sizes.iter().map(|r| r["source_a"].as_str()).collect();
    assert_eq!(size_sources, set(&[S000, S001]));
    assert!(sizes.iter().all(|r| r["source_b"] == S002));
}

#[test]
fn cq14_humanitarian_figures() {
    let rows = saved(&Workdir::new(), "humanitarian-figures");
    let displaced = find(&rows, "value", "1000000");
    assert_eq!(displaced["qualifier"], "more than");
    assert_eq!(sources(displaced), set(&[S002, S003]));
    // Issue #22: 003 has it from local reports, 002 states it itself.
    assert_eq!(displaced["cited_from"], "003: local reports");
    let control = find(&rows, "value", "90");
    assert_eq!(
        (control["qualifier"].as_str(), control["about"].as_str()),
        ("nearly", "Port-au-Prince")
    );
    assert_eq!(sources(control), set(&[S003]));
    let killed = find(&rows, "value", "56000");
    assert_eq!(killed["cited_from"], "003: local reports");
    assert_eq!(killed["date"], "2024");
    assert_eq!(sources(killed), set(&[S003]));
}

#[test]
fn cq15_officer_complaints() {
    let rows = saved(&Workdir::new(), "officer-complaints");
    let complaints: BTreeSet<&str> = rows.iter().map(|r| r["complaint"].as_str()).collect();
    assert_eq!(
        complaints,
        set(&[
            "Abandoned by the other contingents",
            "Sent alone into the riskiest areas",
            "The only ones facing the gangs",
            "Gangs are better armed",
            "Faulty armoured vehicles",
            "No air support",
            "Favouritism in patrol duty",
            "Patrols dodged by connections",
            "Working under unbearable pressure",
        ])
    );
    // Issue #22: the two officers 003 quotes separately are two speakers, each with their words.
    let first = find(&rows, "complaint", "The only ones facing the gangs");
    let second = find(&rows, "complaint", "Patrols dodged by connections");
    assert_eq!(
        first["who"],
        "Kenyan officer quoted first by 003 (name not given)"
    );
    assert_eq!(
        second["who"],
        "Kenyan officer quoted second by 003, anonymous"
    );
    assert_eq!(second["quote"], "It’s all about who you know");
    assert!(
        rows.iter()
            .all(|r| r["outlet"] == "Agencia EFE" && sources(r) == set(&[S003]))
    );
    assert!(
        find(&rows, "complaint", "Sent alone into the riskiest areas")["gist"]
            .contains("guard compounds")
    );
}

#[test]
fn cq16_external_identifiers() {
    let rows = saved(&Workdir::new(), "external-ids");
    let qid = |label: &str| find(&rows, "label", label)["wikidata"].clone();
    for (label, q) in [
        ("Kenya", "Q114"),
        ("the Bahamas", "Q778"),
        ("El Salvador", "Q792"),
        ("United States", "Q30"),
        ("Haiti", "Q790"),
        ("Port-au-Prince", "Q34261"),
        ("Reuters", "Q130879"),
        ("United States Department of State", "Q789915"),
        ("Marco Rubio", "Q324546"),
        ("United Nations", "Q1065"),
    ] {
        assert_eq!(
            qid(label),
            format!("http://www.wikidata.org/entity/{q}"),
            "{label}"
        );
    }
    let countries = rows.iter().filter(|r| r["kind"] == "Country").count();
    assert_eq!(countries, 17, "every country is linked");
    assert!(
        rows.iter()
            .all(|r| r["source"] == "https://w3id.org/mss-kg/graph/data/entities")
    );
}

/// Exports the union of a store's graphs as N-Triples and validates it with pySHACL.
fn shacl(wd: &Workdir, store_args: &[&str]) -> (bool, String) {
    let mut args = store_args.to_vec();
    args.extend([
        "query",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "--format",
        "nt",
    ]);
    let nt = wd.run(&args).ok().stdout;
    let data = wd.write("union.nt", &nt);
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/shacl.py"))
        .arg(&data)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/shapes.ttl"))
        .output()
        .expect("python3 runs");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => (true, report),
        Some(1) => (false, report),
        _ => panic!("SHACL validation could not run (pip install pyshacl): {report}"),
    }
}

#[test]
fn bundled_data_satisfies_its_shapes() {
    let wd = Workdir::new();
    let (conforms, report) = shacl(&wd, &["--memory"]);
    assert!(conforms, "{report}");
}

#[test]
fn shapes_reject_a_deployment_without_source_count_or_date() {
    let wd = Workdir::new();
    wd.write("bad.trig", include_str!("fixtures/bad-deployment.trig"));
    wd.run(&["load", "bad.trig"]).ok();
    let (conforms, report) = shacl(&wd, &[]);
    assert!(!conforms, "{report}");
    assert!(report.contains("must name the source"), "{report}");
    assert!(report.contains("deployment-without-source"), "{report}");
    assert!(report.contains("Every deployment has a date"), "{report}");
}

/// Issue #22: a date the curators derived is flagged with how (a wording without its year, a
/// bound), an inferred count says how it is derived, and an editorial statement has provenance.
#[test]
fn shapes_reject_unflagged_derived_dates_and_editorial_statements_without_provenance() {
    let wd = Workdir::new();
    wd.write("bad.trig", include_str!("fixtures/bad-dates.trig"));
    wd.run(&["load", "bad.trig"]).ok();
    let (conforms, report) = shacl(&wd, &[]);
    assert!(!conforms, "{report}");
    for expected in [
        "meeting-dated-from-june",
        "This date is not in its source's words",
        "statement-bounded-silently",
        "A date bound is derived",
        "an inferred count how it is derived",
        "editorial-without-provenance",
        "names its reference URL or item",
        "says why it is added",
        "The triple an editorial statement describes is asserted",
    ] {
        assert!(report.contains(expected), "{expected} not in {report}");
    }
}

/// Issue #23: every `sources` cell is a citation people can use (the source's number and its
/// publication date, or its window), with the file names beside it for machines; statuses say
/// when (the citation's date) and the personnel the sources count; a tenure without a start says
/// so; the US support is labelled and leads to the waivers.
#[test]
fn citations_statuses_and_tenures_for_people() {
    let wd = Workdir::new();
    let citation = |c: &str| {
        let (number, date) = c.split_once(" (").unwrap();
        number.len() == 3
            && number.chars().all(|d| d.is_ascii_digit())
            && date.ends_with(')')
            && date
                .chars()
                .all(|d| d.is_ascii_digit() || "- to)".contains(d))
    };
    for name in [
        "mss-commander",
        "contributing-nations",
        "kenya-deployments",
        "pledges",
        "mission-size",
        "disputed-claims",
        "person-actions",
        "us-assistance",
        "incidents",
        "social-media-posts",
        "offices",
        "humanitarian-figures",
        "officer-complaints",
    ] {
        for row in saved(&wd, name) {
            for cite in row["sources"].split("; ") {
                assert!(
                    cite == EDITORIAL || citation(cite),
                    "{name}: {cite:?} in {row:?}"
                );
            }
            let files = row["source_files"].split(", ").count();
            assert_eq!(files, row["sources"].split("; ").count(), "{name}: {row:?}");
        }
    }
    let nations = saved(&wd, "contributing-nations");
    let kenya = nations.iter().find(|r| r["country"] == "Kenya").unwrap();
    assert_eq!(kenya["personnel"], "144 (004); 217 (002); 400 (000)");
    let jamaica: Vec<&Row> = nations
        .iter()
        .filter(|r| r["country"] == "Jamaica")
        .collect();
    assert_eq!(jamaica.len(), 2);
    assert!(
        jamaica
            .iter()
            .any(|r| r["status"] == "expected" && r["sources"] == "001 (2024-08-28)")
    );
    let offices = saved(&wd, "offices");
    let otunge = offices
        .iter()
        .find(|r| r["person"] == "Godfrey Otunge")
        .unwrap();
    assert_eq!(otunge["start"], "start not reported");
    assert_eq!(
        saved(&wd, "mss-commander")[0]["since"],
        "start not reported"
    );

    let card = wd
        .run(&["--memory", "describe", "united states"])
        .ok()
        .stdout;
    assert!(
        card.contains("United States: supporting (mssr:contribution-united-states-supporting)"),
        "{card}"
    );
    let support = wd
        .run(&[
            "--memory",
            "describe",
            "mssr:contribution-united-states-supporting",
        ])
        .ok()
        .stdout;
    assert!(
        support.contains("US waivers for $40.7 million"),
        "{support}"
    );
}

/// Issue #22: knowledge from outside the five articles is in the editorial graph only, each of
/// its triples described by an editorial statement, and shown as the editorial graph's.
#[test]
fn outside_knowledge_is_editorial_and_says_so() {
    let wd = Workdir::new();
    // Every triple of graph:editorial (but the statements and the graph's own description) has
    // its statement, and no other graph holds it.
    let undescribed = wd.select(&[
        "--memory",
        "query",
        "SELECT ?s ?p ?o WHERE { GRAPH graph:editorial { ?s ?p ?o }
           FILTER(?s != graph:editorial)
           FILTER NOT EXISTS { GRAPH graph:editorial { ?s a mss:EditorialStatement } }
           FILTER NOT EXISTS { GRAPH graph:editorial {
             ?st a mss:EditorialStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } } }",
    ]);
    assert!(undescribed.is_empty(), "{undescribed:#?}");
    let elsewhere = wd.select(&[
        "--memory",
        "query",
        "SELECT ?g ?s ?p ?o WHERE {
           GRAPH graph:editorial { ?st a mss:EditorialStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
           GRAPH ?g { ?s ?p ?o } FILTER(?g != graph:editorial) }",
    ]);
    assert!(elsewhere.is_empty(), "{elsewhere:#?}");
    let statements = wd.select(&[
        "--memory",
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?st a mss:EditorialStatement }",
    ]);
    assert!(
        statements[0]["n"].parse::<u32>().unwrap() >= 15,
        "{statements:?}"
    );

    // describe shows an editorial fact, and a name no article uses, with that source.
    let card = wd
        .run(&["--memory", "describe", "mssr:deployment-kenya-217"])
        .ok()
        .stdout;
    assert!(card.contains("2025-01  [editorial]"), "{card}");
    let card = wd.run(&["--memory", "describe", "voltaire"]).ok().stdout;
    assert!(card.contains("Voltaire [editorial]"), "{card}");
    // A search name finds its entity but is not shown as one of its names.
    let card = wd
        .run(&["--memory", "describe", "Kenya Police"])
        .ok()
        .stdout;
    assert!(
        card.starts_with("National Police Service  mssr:kenya-nps"),
        "{card}"
    );
    assert!(!card.contains("also: Kenya Police"), "{card}");
    assert!(card.contains("Kenya Police  [editorial]"), "{card}");
}

/// Issue #22: facts the articles state that had no structure: the arrivals of four countries'
/// troops (004), Murkomen's claim of progress (004), the waiver's reporter and purpose (004), the
/// mission's launch (001); and figures an article attributes carry whom it attributes them to.
#[test]
fn stated_facts_have_structure_and_attributions() {
    let wd = Workdir::new();
    let arrivals = wd.select(&[
        "--memory",
        "query",
        "SELECT ?country ?date WHERE { ?a a mss:Arrival ; mss:country/rdfs:label ?country ;
           prov:wasDerivedFrom src:004_dab5f6f63f8bcf4a .
           ?r schema:subEvent ?a ; mss:countryCount 4 ; schema:participant mssr:godfrey-otunge .
           OPTIONAL { ?a mss:date ?date } } ORDER BY ?country",
    ]);
    let countries: Vec<(&str, &str)> = arrivals
        .iter()
        .map(|r| {
            (
                r["country"].as_str(),
                r.get("date").map_or("", String::as_str),
            )
        })
        .collect();
    assert_eq!(
        countries,
        [
            ("Belize", ""),
            ("El Salvador", "2025-02-04"),
            ("Guatemala", ""),
            ("Jamaica", "")
        ]
    );
    let one = |query: &str| -> Row {
        let rows = wd.select(&["--memory", "query", query]);
        assert_eq!(rows.len(), 1, "{query}: {rows:#?}");
        rows.into_iter().next().unwrap()
    };
    let claim = one(
        "SELECT ?who ?quote WHERE { ?c a mss:Claim ; mss:claimant/rdfs:label ?who ;
           schema:isPartOf mssr:post-murkomen-x-2025-02-06 ; mss:quote ?quote }",
    );
    assert_eq!(claim["who"], "Kipchumba Murkomen");
    let waiver = one(
        "SELECT ?by (COUNT(?purpose) AS ?purposes) WHERE { mssr:waiver-us-40-7-million
           prov:wasAttributedTo/rdfs:label ?by ; mss:purpose ?purpose } GROUP BY ?by",
    );
    assert_eq!(
        (waiver["by"].as_str(), waiver["purposes"].as_str()),
        ("US Embassy in Haiti", "2")
    );
    let launch = one(
        "SELECT ?date ?inferred ?months WHERE { ?l a mss:Launch ; mss:mission mssr:mss ;
           mss:date ?date ; mss:dateInferred ?inferred ;
           mss:dateOffset [ time:numericDuration ?months ; time:unitType time:unitMonth ] }",
    );
    assert_eq!(
        (
            launch["date"].as_str(),
            launch["inferred"].as_str(),
            launch["months"].as_str()
        ),
        ("2024-06", "true", "2")
    );
    // 000's "approximately 400" is part of what Reuters reported.
    let total =
        one("SELECT ?by WHERE { mssr:figure-kenya-total-000 prov:wasAttributedTo/rdfs:label ?by }");
    assert_eq!(total["by"], "Reuters");
    // Otunge received the troops: it is among what he did.
    let otunge = saved(&wd, "person-actions");
    let received = find(
        &otunge,
        "what",
        "Otunge receives troops from four countries",
    );
    assert_eq!(sources(received), set(&[S004]));
}
