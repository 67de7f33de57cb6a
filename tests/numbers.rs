//! The numbers audit (issue #18): every number the five articles state is a literal of the
//! article's source graph, or listed with the reason in `docs/numbers-left-out.tsv`; and every
//! number a source graph holds is its article's, or flagged as the curators' (mss:countInferred,
//! issue #22). The articles are the test copies in `tests/fixtures/sources/`; the rule that finds
//! their numbers is documented in `docs/coverage.md` ("Numbers").

use crate::coverage::{Article, articles, bundled_data, sentences};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeSet, HashSet};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const COUNT_INFERRED: &str = "https://w3id.org/mss-kg/ontology#countInferred";

/// A number as an article writes it, with its value (none for a vague plural: "millions of").
#[derive(Debug, Clone, PartialEq)]
struct Number {
    sentence: usize,
    written: String,
    value: Option<f64>,
}

const UNITS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];
const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
];
const VAGUE: &[&str] = &["dozens", "hundreds", "thousands", "millions", "billions"];

/// The value of a number word or hyphenated compound (`twenty-five`), if it is one.
fn number_word(word: &str) -> Option<f64> {
    let mut total = 0;
    for part in word.split('-') {
        total += UNITS.iter().find(|(w, _)| *w == part)?.1;
    }
    Some(f64::from(total))
}

/// The value of digits as written: `217`, `1,000`, `$40.7`; commas only between groups of three.
fn digits(token: &str) -> Option<f64> {
    let bare = token.strip_prefix('$').unwrap_or(token);
    let (whole, fraction) = bare.split_once('.').unwrap_or((bare, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !grouped
        || !groups.iter().all(|g| all_digits(g))
        || (bare.contains('.') && !all_digits(fraction))
    {
        return None;
    }
    format!(
        "{}.{}",
        groups.concat(),
        if fraction.is_empty() { "0" } else { fraction }
    )
    .parse()
    .ok()
}

/// The numbers of one sentence: digits (`217`, `1,000`, `40.7`, `$40.7`), number words (`one` to
/// `twenty`, the tens, hyphenated compounds), either followed by `hundred`, `thousand`, `million`
/// or `billion` (`one million`, `$40.7 million`), a scale word alone, and vague plurals (`dozens`,
/// `hundreds`, `thousands`, `millions`, `billions`), which have no value. A word is a
/// whitespace-separated token without the punctuation at its ends; digits glued to letters
/// (`0029VaWT5`) and anything in a URL are not numbers; ordinals (`first`) are not counted.
fn numbers_of(sentence: usize, text: &str) -> Vec<Number> {
    let tokens: Vec<&str> = text
        .split_whitespace()
        .filter(|t| !t.contains("://"))
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric() && c != '$'))
        .map(|t| t.trim_end_matches('$'))
        .filter(|t| !t.is_empty())
        .collect();
    let scale = |i: usize| {
        tokens.get(i).and_then(|t| {
            let t = t.to_lowercase();
            SCALES.iter().find(|(w, _)| *w == t).map(|(_, s)| *s)
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        let lower = token.to_lowercase();
        let value = digits(token).or_else(|| number_word(&lower));
        if let Some(mut value) = value {
            let mut written = token.to_owned();
            i += 1;
            while let Some(s) = scale(i) {
                value *= s;
                written = format!("{written} {}", tokens[i]);
                i += 1;
            }
            out.push(Number {
                sentence,
                written,
                value: Some(value),
            });
            continue;
        }
        if let Some(s) = scale(i) {
            out.push(Number {
                sentence,
                written: token.to_owned(),
                value: Some(s),
            });
        } else if VAGUE.contains(&lower.as_str()) {
            out.push(Number {
                sentence,
                written: token.to_owned(),
                value: None,
            });
        }
        i += 1;
    }
    out
}

/// Every number of an article, sentence by sentence (numbered as in `docs/coverage.md`).
fn numbers(article: &Article) -> Vec<Number> {
    sentences(&article.text)
        .iter()
        .enumerate()
        .flat_map(|(i, s)| numbers_of(i + 1, s))
        .collect()
}

/// A line of `docs/numbers-left-out.tsv`.
#[derive(Debug, Clone)]
struct LeftOut {
    line: usize,
    article: String,
    sentence: usize,
    written: String,
    reason: String,
}

fn left_out(tsv: &str) -> Vec<LeftOut> {
    tsv.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                cols.len(),
                4,
                "docs/numbers-left-out.tsv:{}: article, sentence, number, reason",
                i + 1
            );
            LeftOut {
                line: i + 1,
                article: cols[0].to_owned(),
                sentence: cols[1].parse().unwrap_or(0),
                written: cols[2].to_owned(),
                reason: cols[3].trim().to_owned(),
            }
        })
        .collect()
}

/// What a source graph holds that a number can be: the values of its numeric literals, and the
/// years (and, of full dates, the days) of its dates.
#[derive(Default)]
struct Held {
    values: Vec<f64>,
    date_parts: BTreeSet<u32>,
}

impl Held {
    fn of(graph: &str, quads: &[Quad]) -> Self {
        let mut held = Self::default();
        for quad in in_graph(graph, quads) {
            let Term::Literal(l) = &quad.object else {
                continue;
            };
            let Some(datatype) = l.datatype().as_str().strip_prefix(XSD) else {
                continue;
            };
            match datatype {
                "date" | "gYearMonth" | "gYear" => {
                    let mut parts = l.value().split('-');
                    held.date_parts
                        .extend(parts.next().and_then(|y| y.parse::<u32>().ok()));
                    if datatype == "date" {
                        held.date_parts
                            .extend(parts.nth(1).and_then(|d| d.get(..2)?.parse::<u32>().ok()));
                    }
                }
                _ if is_numeric(datatype) => held.values.extend(l.value().parse::<f64>().ok()),
                _ => {}
            }
        }
        held
    }

    fn holds(&self, value: f64) -> bool {
        self.values.iter().any(|v| (v - value).abs() < 1e-6)
            || (value.fract() == 0.0 && value >= 1.0 && self.date_parts.contains(&(value as u32)))
    }
}

fn is_numeric(xsd_local: &str) -> bool {
    matches!(
        xsd_local,
        "integer"
            | "decimal"
            | "double"
            | "float"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "nonNegativeInteger"
            | "positiveInteger"
            | "unsignedInt"
            | "unsignedLong"
    )
}

fn in_graph<'a>(graph: &'a str, quads: &'a [Quad]) -> impl Iterator<Item = &'a Quad> + 'a {
    quads
        .iter()
        .filter(move |q| matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph))
}

/// What is wrong with the audit: a number neither held nor listed, a listed number the sentence
/// does not have or the graph holds after all, a listing without reason, a number of a source
/// graph its article does not state and that is not flagged as derived.
fn problems(tsv: &str, articles: &[Article], quads: &[Quad]) -> Vec<String> {
    let listed = left_out(tsv);
    let mut problems = Vec::new();
    let mut used = vec![false; listed.len()];
    for article in articles {
        let graph = article.graph();
        let held = Held::of(&graph, quads);
        let found = numbers(article);
        for number in &found {
            let listing = listed.iter().position(|l| {
                l.article == article.number
                    && l.sentence == number.sentence
                    && l.written == number.written
            });
            if let Some(i) = listing {
                used[i] = true;
                if number.value.is_some_and(|v| held.holds(v)) {
                    problems.push(format!(
                        "docs/numbers-left-out.tsv:{}: {} sentence {} '{}' is in the graph: not left out",
                        listed[i].line, article.number, number.sentence, number.written
                    ));
                }
            } else if !number.value.is_some_and(|v| held.holds(v)) {
                problems.push(format!(
                    "{} sentence {}: '{}' is neither a literal of {} nor in docs/numbers-left-out.tsv",
                    article.number,
                    number.sentence,
                    number.written,
                    graph.rsplit('/').next().unwrap()
                ));
            }
        }
        // The other way: a number of the source graph is the article's, or the curators' and said so.
        let stated: Vec<f64> = found.iter().filter_map(|n| n.value).collect();
        let flagged: HashSet<&NamedOrBlankNode> = in_graph(&graph, quads)
            .filter(|q| {
                q.predicate.as_str() == COUNT_INFERRED
                    && matches!(&q.object, Term::Literal(l) if l.value() == "true")
            })
            .map(|q| &q.subject)
            .collect();
        for quad in in_graph(&graph, quads) {
            let Term::Literal(l) = &quad.object else {
                continue;
            };
            let numeric = l
                .datatype()
                .as_str()
                .strip_prefix(XSD)
                .is_some_and(is_numeric);
            let Some(value) = numeric.then(|| l.value().parse::<f64>().ok()).flatten() else {
                continue;
            };
            if !stated.iter().any(|s| (s - value).abs() < 1e-6) && !flagged.contains(&quad.subject)
            {
                problems.push(format!(
                    "{}: {} {} {} is not a number {} states: flag it (mss:countInferred true, mss:countBasis)",
                    graph.rsplit('/').next().unwrap(),
                    quad.subject,
                    quad.predicate,
                    l.value(),
                    article.number
                ));
            }
        }
    }
    for (listing, used) in listed.iter().zip(used) {
        if !used {
            problems.push(format!(
                "docs/numbers-left-out.tsv:{}: {} sentence {} has no number '{}'",
                listing.line, listing.article, listing.sentence, listing.written
            ));
        }
        if listing.reason.is_empty() {
            problems.push(format!(
                "docs/numbers-left-out.tsv:{}: no reason given",
                listing.line
            ));
        }
    }
    problems
}

fn left_out_tsv() -> String {
    std::fs::read_to_string(format!("{ROOT}/docs/numbers-left-out.tsv")).unwrap()
}

#[test]
fn every_number_of_the_articles_is_in_the_graph_or_left_out_with_a_reason() {
    let problems = problems(&left_out_tsv(), &articles(), &bundled_data());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The audit can fail: a listing removed, a listing for a number the sentence does not have, a
/// number of a graph that no article states.
#[test]
fn a_number_neither_held_nor_listed_is_reported() {
    let articles = articles();
    let quads = bundled_data();
    let tsv = left_out_tsv();
    let first = tsv.lines().nth(1).expect("a listed number").to_owned();
    let found = problems(
        &tsv.replacen(&format!("{first}\n"), "", 1),
        &articles,
        &quads,
    );
    let cols: Vec<&str> = first.split('\t').collect();
    assert!(
        found.iter().any(|p| p.starts_with(&format!(
            "{} sentence {}: '{}' is neither",
            cols[0], cols[1], cols[2]
        ))),
        "{found:?}"
    );
    let found = problems(
        &format!("{tsv}004\t1\tseven\tnot there\n"),
        &articles,
        &quads,
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("004 sentence 1 has no number 'seven'")),
        "{found:?}"
    );
    let mut extra = quads.clone();
    let mut figure = quads
        .iter()
        .find(|q| q.predicate.as_str() == "https://w3id.org/mss-kg/ontology#personnelCount")
        .unwrap()
        .clone();
    figure.object = oxigraph::model::Literal::from(761).into();
    extra.push(figure);
    let found = problems(&tsv, &articles, &extra);
    assert!(
        found.iter().any(|p| p.contains("761 is not a number")),
        "{found:?}"
    );
}

#[test]
fn numbers_are_found_as_documented() {
    let found = |text: &str| -> Vec<(String, Option<f64>)> {
        numbers_of(1, text)
            .into_iter()
            .map(|n| (n.written, n.value))
            .collect()
    };
    let n = |w: &str, v: f64| (w.to_owned(), Some(v));
    assert_eq!(
        found("On March 5, 2025, 1,000 of the 2,500 (nearly 90 per cent) got $40.7 million."),
        [
            n("5", 5.0),
            n("2025", 2025.0),
            n("1,000", 1000.0),
            n("2,500", 2500.0),
            n("90", 90.0),
            n("$40.7 million", 40_700_000.0)
        ]
    );
    assert_eq!(
        found(
            "One million fled; twenty-five stayed, three left, and millions more. The first one."
        ),
        [
            n("One million", 1e6),
            n("twenty-five", 25.0),
            n("three", 3.0),
            ("millions".to_owned(), None),
            n("one", 1.0)
        ]
    );
    assert!(found("See https://x.org/0029Va5 and 0029VaWT5 or Gen Z, U.N.-backed.").is_empty());
}
