//! `mss-kg export`: pretty Turtle and TriG checked on every positive test of the W3C Turtle and
//! TriG suites, by rdflib and rapper, and on the bundled graph; formats, selection and errors.

use crate::util::Workdir;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Dataset, Quad, Term, vocab::rdf};
use oxrdf::dataset::CanonicalizationAlgorithm;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const W3C: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/w3c");
const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const RDFT: &str = "http://www.w3.org/ns/rdftest#";

/// A positive test of a W3C suite: the file to read, the base to read it with, and for an
/// evaluation test the N-Triples or N-Quads it must give.
pub struct W3cTest {
    pub name: String,
    pub action: PathBuf,
    pub base: String,
    pub result: Option<PathBuf>,
}

fn positive_tests(suite: &str) -> Vec<W3cTest> {
    w3c_tests(
        suite,
        &[
            "TestTurtleEval",
            "TestTurtlePositiveSyntax",
            "TestTrigEval",
            "TestTrigPositiveSyntax",
        ],
    )
}

/// The tests of a W3C RDF suite (`rdf-turtle`, `rdf-trig`) of the given kinds.
pub fn w3c_tests(suite: &str, kinds: &[&str]) -> Vec<W3cTest> {
    let dir = Path::new(W3C).join(suite);
    let base = format!("https://w3c.github.io/rdf-tests/rdf/rdf11/{suite}/");
    let manifest = std::fs::read(dir.join("manifest.ttl")).unwrap();
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(format!("{base}manifest.ttl"))
        .unwrap()
        .for_slice(&manifest)
        .collect::<Result<_, _>>()
        .unwrap();
    let mut by_subject: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for quad in &quads {
        let value = match &quad.object {
            Term::NamedNode(n) => n.as_str().to_owned(),
            Term::Literal(l) => l.value().to_owned(),
            _ => continue,
        };
        by_subject
            .entry(quad.subject.to_string())
            .or_default()
            .insert(quad.predicate.as_str().to_owned(), value);
    }
    let file = |iri: &str| dir.join(iri.strip_prefix(&base).expect("test files are local"));
    let mut tests: Vec<W3cTest> = by_subject
        .values()
        .filter(|props| {
            props
                .get(rdf::TYPE.as_str())
                .is_some_and(|t| kinds.iter().any(|kind| t == &format!("{RDFT}{kind}")))
        })
        .map(|props| {
            let action = &props[&format!("{MF}action")];
            W3cTest {
                name: props[&format!("{MF}name")].clone(),
                action: file(action),
                base: action.clone(),
                result: props.get(&format!("{MF}result")).map(|r| file(r)),
            }
        })
        .collect();
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    tests
}

/// The quads of an RDF file, canonicalised so that isomorphic datasets compare equal.
fn canonical(path: &Path, format: RdfFormat, base: Option<&str>) -> Result<Dataset, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut parser = RdfParser::from_format(format);
    if let Some(base) = base {
        parser = parser.with_base_iri(base).unwrap();
    }
    let mut dataset: Dataset = parser
        .for_slice(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    Ok(dataset)
}

/// Exports every positive test of `suite` as `ext`, checks that the export reads back to the
/// expected graph and that exporting the export gives the same bytes; returns the pairs
/// (export, expected N-Triples/N-Quads) of the evaluation tests, for the other parsers.
fn check_suite(wd: &Workdir, suite: &str, format: RdfFormat, ext: &str) -> Vec<Vec<String>> {
    let tests = positive_tests(suite);
    assert!(
        tests.len() > 150,
        "{suite}: only {} positive tests found",
        tests.len()
    );
    let mut failures = Vec::new();
    let mut pairs = Vec::new();
    std::fs::create_dir_all(wd.path(suite)).unwrap();
    for test in &tests {
        let first = wd.path(&format!("{suite}/{}.{ext}", test.name));
        let second = wd.path(&format!("{suite}/{}.again.{ext}", test.name));
        let action = test.action.to_str().unwrap();
        let run = wd.run(&[
            "export",
            "--from",
            action,
            "--base",
            &test.base,
            "--format",
            ext,
            "--output",
            first.to_str().unwrap(),
        ]);
        if run.code != 0 {
            failures.push(format!(
                "{}: export failed: {}",
                test.name,
                run.stderr.trim()
            ));
            continue;
        }
        let expected = match &test.result {
            Some(result) => {
                let format = if ext == "trig" {
                    RdfFormat::NQuads
                } else {
                    RdfFormat::NTriples
                };
                canonical(result, format, Some(&test.base))
            }
            None => canonical(&test.action, format, Some(&test.base)),
        };
        let actual = canonical(&first, format, None);
        match (actual, expected) {
            (Ok(actual), Ok(expected)) if actual == expected => {}
            (Ok(_), Ok(_)) => {
                failures.push(format!("{}: export reads back differently", test.name))
            }
            (Err(e), _) => failures.push(format!("{}: export does not parse: {e}", test.name)),
            (_, Err(e)) => failures.push(format!(
                "{}: expected result does not parse: {e}",
                test.name
            )),
        }
        let again = wd.run(&[
            "export",
            "--from",
            first.to_str().unwrap(),
            "--format",
            ext,
            "--output",
            second.to_str().unwrap(),
        ]);
        if again.code != 0 || std::fs::read(&first).ok() != std::fs::read(&second).ok() {
            failures.push(format!("{}: exporting the export changes it", test.name));
        }
        if let Some(result) = &test.result {
            pairs.push(vec![
                first.display().to_string(),
                result.display().to_string(),
                action.to_owned(),
                test.base.clone(),
            ]);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {suite} tests fail:\n{}",
        failures.len(),
        tests.len(),
        failures.join("\n")
    );
    pairs
}

/// Runs tests/agree.py (rdflib and rapper) on cases of export, expected graph, and optionally
/// the original file and its base.
fn other_parsers_agree(wd: &Workdir, cases: &[Vec<String>]) {
    let list: String = cases.iter().map(|case| case.join("\t") + "\n").collect();
    let list_file = wd.write("agree.tsv", &list);
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agree.py"))
        .arg(&list_file)
        .output()
        .expect("python3 runs");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(2) => {
            panic!("rdflib or rapper is missing (scripts/with-deps --test installs them): {report}")
        }
        _ => panic!("rdflib or rapper disagrees:\n{report}"),
    }
}

#[test]
fn w3c_turtle_suite_round_trips_and_other_parsers_agree() {
    let wd = Workdir::new();
    let pairs = check_suite(&wd, "rdf-turtle", RdfFormat::Turtle, "ttl");
    other_parsers_agree(&wd, &pairs);
}

#[test]
fn w3c_trig_suite_round_trips_and_other_parsers_agree() {
    let wd = Workdir::new();
    let pairs = check_suite(&wd, "rdf-trig", RdfFormat::TriG, "trig");
    other_parsers_agree(&wd, &pairs);
}

#[test]
fn bundled_graph_export_snapshot() {
    let wd = Workdir::new();
    let run = wd.run(&["--memory", "export", "--bundled"]).ok();
    insta::assert_snapshot!("bundled_trig", run.stdout);
}

#[test]
fn bundled_graph_export_agrees_with_n_quads_and_other_parsers() {
    let wd = Workdir::new();
    let trig = wd.path("bundled.trig");
    let nq = wd.path("bundled.nq");
    wd.run(&["export", "--bundled", "-o", trig.to_str().unwrap()])
        .ok();
    wd.run(&["export", "--bundled", "-o", nq.to_str().unwrap()])
        .ok();
    assert_eq!(
        canonical(&trig, RdfFormat::TriG, None).unwrap(),
        canonical(&nq, RdfFormat::NQuads, None).unwrap()
    );
    other_parsers_agree(
        &wd,
        &[vec![trig.display().to_string(), nq.display().to_string()]],
    );
}

/// The same graph, read in another order with other blank node names, exports to the same
/// bytes: from files, and from stores loaded in different orders.
#[test]
fn export_does_not_depend_on_load_order_or_blank_node_names() {
    let wd = Workdir::new();
    let nq = wd
        .run(&["--memory", "export", "--bundled", "-f", "nq"])
        .ok()
        .stdout;
    let mut lines: Vec<String> = nq.lines().map(|l| l.replace("_:", "_:renamed")).collect();
    wd.write("bundled.nq", &nq);
    lines.reverse();
    wd.write("shuffled.nq", &(lines.join("\n") + "\n"));
    let direct = wd.run(&["--memory", "export", "--bundled"]).ok().stdout;
    let from_file = wd.run(&["export", "--from", "bundled.nq"]).ok().stdout;
    let from_shuffled = wd.run(&["export", "--from", "shuffled.nq"]).ok().stdout;
    assert_eq!(from_file, direct);
    assert_eq!(from_shuffled, direct);

    wd.write("people.ttl", PEOPLE);
    let people: Vec<&str> = PEOPLE.lines().collect();
    let (prefixes, triples) = people.split_at(2);
    let reversed: Vec<&str> = prefixes
        .iter()
        .chain(triples.iter().rev())
        .copied()
        .collect();
    wd.write("reversed.ttl", &reversed.join("\n"));
    for (store, file) in [("a", "people.ttl"), ("b", "reversed.ttl")] {
        wd.run(&["--store", store, "load", file, "--graph", "urn:x:people"])
            .ok();
    }
    let a = wd
        .run(&["--store", "a", "export", "--graph", "urn:x:people"])
        .ok()
        .stdout;
    let b = wd
        .run(&["--store", "b", "export", "--graph", "urn:x:people"])
        .ok()
        .stdout;
    assert_eq!(a, b);
    assert!(a.contains("_:b0 ex:note"), "{a}");

    // Blank nodes alike in every way but their neighbours, or not even that; cycles; a node
    // shared across graphs: in both orders, the same bytes.
    let tricky = [
        "<http://ex/s> <http://ex/p> _:a1 <http://ex/g> .",
        "<http://ex/s> <http://ex/p> _:a2 <http://ex/g> .",
        "_:a1 <http://ex/v> \"1\" <http://ex/g> .",
        "_:a2 <http://ex/v> \"1\" <http://ex/g> .",
        "_:c1 <http://ex/next> _:c2 <http://ex/g> .",
        "_:c2 <http://ex/next> _:c3 <http://ex/g> .",
        "_:c3 <http://ex/next> _:c1 <http://ex/g> .",
        "_:d1 <http://ex/next> _:d2 <http://ex/g> .",
        "_:d2 <http://ex/next> _:d1 <http://ex/g> .",
        "_:x <http://ex/in> <http://ex/g> <http://ex/g> .",
        "_:x <http://ex/in> <http://ex/h> <http://ex/h> .",
        "<http://ex/t> <http://ex/q> _:x <http://ex/h> .",
    ];
    wd.write("tricky.nq", &(tricky.join("\n") + "\n"));
    let mut reversed = tricky;
    reversed.reverse();
    let renamed: Vec<String> = reversed.iter().map(|l| l.replace("_:", "_:z")).collect();
    wd.write("tricky-reversed.nq", &(renamed.join("\n") + "\n"));
    let one = wd.run(&["export", "--from", "tricky.nq"]).ok().stdout;
    let other = wd
        .run(&["export", "--from", "tricky-reversed.nq"])
        .ok()
        .stdout;
    assert_eq!(one, other);
    let twins = "<http://ex/s> <http://ex/p> [ <http://ex/v> \"1\" ], [ <http://ex/v> \"1\" ] .";
    assert!(one.contains(twins), "{one}");
}

/// One statement a line, so that the lines can be reordered.
const PEOPLE: &str = "@prefix ex: <http://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
ex:bob foaf:knows ex:alice ; foaf:name \"Bob\" ; ex:age \"42\"^^<http://www.w3.org/2001/XMLSchema#integer> .
ex:alice foaf:name \"Alice\"@en, \"Alicia\"@es ; ex:score 4.5 ; ex:ok true ; ex:ratio 1.0e3 .
ex:alice ex:address [ ex:city \"Nairobi\" ; ex:zip \"00100\" ] .
ex:alice ex:friends ( ex:bob [ foaf:name \"Carol\" ] ) .
_:shared ex:note \"seen twice\" .
ex:bob ex:sees _:shared .
ex:alice ex:sees _:shared .
";

#[test]
fn pretty_turtle_layout() {
    let wd = Workdir::new();
    wd.write("people.ttl", PEOPLE);
    let run = wd.run(&["export", "--from", "people.ttl"]).ok();
    assert_eq!(
        run.stdout,
        r#"@prefix ex: <http://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

ex:alice ex:address [ ex:city "Nairobi" ; ex:zip "00100" ] ;
    ex:friends ( ex:bob [ foaf:name "Carol" ] ) ;
    ex:ok true ;
    ex:ratio 1.0e3 ;
    ex:score 4.5 ;
    ex:sees _:b0 ;
    foaf:name "Alice"@en, "Alicia"@es .

ex:bob ex:age 42 ;
    ex:sees _:b0 ;
    foaf:knows ex:alice ;
    foaf:name "Bob" .

_:b0 ex:note "seen twice" .
"#
    );
}

#[test]
fn prefixes_declared_by_loaded_files_are_used_and_prefix_option_wins() {
    let wd = Workdir::new();
    wd.write("people.ttl", PEOPLE);
    wd.run(&["load", "people.ttl", "--graph", "urn:x:people"])
        .ok();
    let run = wd.run(&["export", "--graph", "urn:x:people"]).ok();
    assert!(
        run.stdout
            .starts_with("@prefix ex: <http://example.org/> .\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("    foaf:knows ex:alice ;"),
        "{}",
        run.stdout
    );
    let run = wd
        .run(&[
            "export",
            "--graph",
            "urn:x:people",
            "--prefix",
            "people=http://example.org/",
        ])
        .ok();
    assert!(
        run.stdout.contains("people:bob people:age 42 ;"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_output_format_reads_back_to_the_same_graph() {
    let wd = Workdir::new();
    wd.write("people.ttl", PEOPLE);
    let expected = canonical(&wd.path("people.ttl"), RdfFormat::Turtle, None).unwrap();
    for (ext, format) in [
        ("ttl", RdfFormat::Turtle),
        ("nt", RdfFormat::NTriples),
        ("rdf", RdfFormat::RdfXml),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        ("trig", RdfFormat::TriG),
        ("nq", RdfFormat::NQuads),
    ] {
        let out = wd.path(&format!("out.{ext}"));
        wd.run(&[
            "export",
            "--from",
            "people.ttl",
            "-o",
            out.to_str().unwrap(),
        ])
        .ok();
        assert_eq!(canonical(&out, format, None).unwrap(), expected, "{ext}");
    }
}

#[test]
fn n_triples_export_streams_the_whole_store() {
    let wd = Workdir::new();
    let nt = wd.run(&["--memory", "export", "-f", "nt"]).ok().stdout;
    let count = |query: &str| -> usize {
        let out = wd
            .run(&["--memory", "query", query, "-f", "tsv"])
            .ok()
            .stdout;
        out.lines().nth(1).unwrap().trim().parse().unwrap()
    };
    // Once per graph that holds it: streamed, not merged.
    assert_eq!(
        nt.lines().count(),
        count("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    );
    let distinct: std::collections::BTreeSet<&str> = nt.lines().collect();
    assert_eq!(
        distinct.len(),
        count("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    );
}

#[test]
fn construct_queries_export_and_select_is_refused() {
    let wd = Workdir::new();
    let run = wd
        .run(&[
            "--memory", "export", "--sparql",
            "CONSTRUCT { ?c a schema:Country } WHERE { ?c a schema:Country ; rdfs:label \"Kenya\"@en }",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "@prefix mssr: <https://w3id.org/mss-kg/id/> .\n@prefix schema: <http://schema.org/> .\n\nmssr:kenya a schema:Country .\n"
    );
    wd.write(
        "q/countries.rq",
        "#+ summary: countries\nCONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a schema:Country ; rdfs:label ?l . FILTER(?c = ?_country_iri) }\n",
    );
    let run = wd
        .run(&[
            "--memory",
            "--queries",
            "q",
            "export",
            "--query",
            "countries",
            "--param",
            "country=mssr:bahamas",
        ])
        .ok();
    assert!(
        run.stdout
            .ends_with("mssr:bahamas rdfs:label \"the Bahamas\"@en .\n"),
        "{}",
        run.stdout
    );
    let run = wd
        .run(&["--memory", "export", "--query", "kenya-deployments"])
        .fails();
    assert!(
        run.stderr.contains("not a CONSTRUCT or DESCRIBE query"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_graph_is_an_error_with_suggestions() {
    let wd = Workdir::new();
    let run = wd
        .run(&["--memory", "export", "--graph", "src:000"])
        .fails();
    assert!(
        run.stderr.contains("holds no graph src:000"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean src:000_cc6ac50fb72b8fd8"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failed_export_leaves_the_output_file_as_it_was() {
    let wd = Workdir::new();
    wd.write("broken.ttl", include_str!("fixtures/broken.ttl"));
    let out = wd.write("out.ttl", "previous contents\n");
    let run = wd
        .run(&[
            "export",
            "--from",
            "broken.ttl",
            "-o",
            out.to_str().unwrap(),
        ])
        .fails();
    assert!(run.stderr.contains("broken.ttl:4:"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous contents\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(wd.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".mss-kg-export")
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn export_to_a_file_reports_and_quiet_silences() {
    let wd = Workdir::new();
    let run = wd
        .run(&["--memory", "export", "--all", "-o", "all.trig"])
        .ok();
    assert!(run.stderr.starts_with("exported "), "{}", run.stderr);
    assert!(
        std::fs::read_to_string(wd.path("all.trig"))
            .unwrap()
            .contains("src:000_cc6ac50fb72b8fd8 {")
    );
    let run = wd
        .run(&["--memory", "-q", "export", "--all", "-o", "all.trig"])
        .ok();
    assert_eq!(run.stderr, "");
    wd.run(&["--memory", "export", "--format", "bogus"])
        .misused();
    // Issue #23: an extension that names no RDF format is an error, not N-Triples in disguise.
    let run = wd.run(&["--memory", "export", "-o", "notes.txt"]).misused();
    assert!(
        run.stderr
            .contains("cannot tell an RDF format from the extension of 'notes.txt'"),
        "{run:?}"
    );
    assert!(!wd.path("notes.txt").exists());
}

/// Issue #16: `--canonical` writes canonical N-Quads and `--hash` its SHA-256: the same graph
/// gives the same bytes and hash whatever its order or blank node labels; another graph another.
#[test]
fn canonical_nquads_and_their_hash() {
    let wd = Workdir::new();
    let a = wd.write(
        "a.ttl",
        "<urn:x:s> <urn:x:p> [ <urn:x:q> 1 ; <urn:x:r> \"two\"@en ] .\n<urn:x:s> <urn:x:p> [ <urn:x:q> 2 ] .\n",
    );
    let b = wd.write(
        "b.ttl",
        "_:k <urn:x:q> 2 .\n_:j <urn:x:r> \"two\"@en .\n<urn:x:s> <urn:x:p> _:k , _:j .\n_:j <urn:x:q> 1 .\n",
    );
    let c = wd.write("c.ttl", "<urn:x:s> <urn:x:p> [ <urn:x:q> 3 ] .\n");
    let export = |file: &std::path::Path, flag: &str| {
        wd.run(&["export", "--from", file.to_str().unwrap(), flag])
            .ok()
            .stdout
    };
    let canonical = export(&a, "--canonical");
    assert_eq!(canonical, export(&b, "--canonical"));
    let lines: Vec<&str> = canonical.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "lines sorted");
    assert!(
        canonical.contains("_:c14n0") && lines.len() == 5,
        "{canonical}"
    );
    let hash = export(&a, "--hash");
    assert!(
        hash.starts_with("sha256:") && hash.trim().len() == 7 + 64,
        "{hash}"
    );
    assert_eq!(hash, export(&b, "--hash"));
    assert_ne!(hash, export(&c, "--hash"));
    // The bundled graph hashes the same from the store, twice.
    let once = wd.run(&["export", "--bundled", "--hash"]).ok().stdout;
    assert_eq!(
        once,
        wd.run(&["--memory", "export", "--bundled", "--hash"])
            .ok()
            .stdout
    );
}

/// Issue #23: one source graph's Turtle starts with the article's own entry, as its TriG does;
/// `--data-only` leaves the ontology, alignments and shapes out; the count says quads when the
/// format holds graphs.
#[test]
fn one_graph_starts_with_its_article_and_data_only_leaves_the_schema_out() {
    let wd = Workdir::new();
    let turtle = wd
        .run(&["--memory", "export", "--graph", "src:004_dab5f6f63f8bcf4a"])
        .ok()
        .stdout;
    let first = turtle
        .lines()
        .find(|l| !l.is_empty() && !l.starts_with("@prefix"))
        .unwrap();
    assert_eq!(
        first, "src:004_dab5f6f63f8bcf4a a mss:Article ;",
        "{turtle}"
    );

    let run = wd
        .run(&["--memory", "export", "--data-only", "-o", "data.trig"])
        .ok();
    assert!(run.stderr.contains(" quads to data.trig"), "{run:?}");
    let data = std::fs::read_to_string(wd.path("data.trig")).unwrap();
    assert!(!data.contains("graph/ontology/"), "no schema graph");
    assert!(
        data.contains("src:004_dab5f6f63f8bcf4a {"),
        "the sources stay"
    );
    let run = wd.run(&["--memory", "export", "-o", "all.ttl"]).ok();
    assert!(run.stderr.contains(" triples to all.ttl"), "{run:?}");
}
