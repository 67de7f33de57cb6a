//! Coverage (issue #22): every sentence of the five articles has its row in `docs/coverage.md`,
//! anchored by its first words, with the facts that record it (IRIs of that article's source
//! graph) or the reason it is left out. The articles are the test copies in
//! `tests/fixtures/sources/`; the data is the bundled `data/` files, parsed here with Oxigraph.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SRC: &str = "https://w3id.org/mss-kg/source/";
const MSSR: &str = "https://w3id.org/mss-kg/id/";

/// One source article: its number (`000`), file name and text.
pub struct Article {
    pub number: String,
    pub file: String,
    pub text: String,
}

impl Article {
    /// The IRI of the article's source graph, `src:` and the file's stem.
    pub fn graph(&self) -> String {
        format!("{SRC}{}", self.file.trim_end_matches(".txt"))
    }
}

/// The five articles, copied for the tests, in file-name order.
pub fn articles() -> Vec<Article> {
    let dir = format!("{ROOT}/tests/fixtures/sources");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five articles in {dir}");
    files
        .into_iter()
        .map(|file| Article {
            number: file[..3].to_owned(),
            text: std::fs::read_to_string(format!("{dir}/{file}")).unwrap(),
            file,
        })
        .collect()
}

/// Words after which a full stop does not end a sentence (lower case, without the stop).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "no", "st", "jr", "sr", "prof", "gen", "lt", "col", "sgt", "capt",
    "gov", "sen", "rep", "vs", "etc", "inc", "ltd", "co", "mt", "ft",
];

/// Whether the text before a full stop ends with an abbreviation: a listed word, a single letter
/// (an initial), or letters separated by dots (`U.S`, `H.E`, `e.g`).
fn ends_with_abbreviation(before_stop: &str) -> bool {
    let word = before_stop.split_whitespace().last().unwrap_or("");
    let word = word.trim_start_matches(['“', '"', '‘', '(']).to_lowercase();
    let letters = |part: &str| part.chars().count() == 1 && part.chars().all(char::is_alphabetic);
    ABBREVIATIONS.contains(&word.as_str()) || word.split('.').all(letters)
}

/// An article's sentences, by the rule `docs/coverage.md` documents: each non-empty line is a
/// paragraph (a line without closing punctuation, such as a headline, is one sentence); within a
/// line a sentence ends at `.`, `!` or `?` (and any closing quotes or bracket) followed by a space
/// and a capital letter or an opening quote or bracket, unless the full stop ends an abbreviation.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            if matches!(chars[i].1, '.' | '!' | '?') {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')') {
                    j += 1;
                }
                let mut k = j;
                while k < chars.len() && chars[k].1 == ' ' {
                    k += 1;
                }
                let opens = |c: char| c.is_uppercase() || matches!(c, '“' | '"' | '‘' | '(');
                if k > j && k < chars.len() && opens(chars[k].1) {
                    let piece = &line[start..chars[j].0];
                    let abbreviation = chars[i].1 == '.'
                        && j == i + 1
                        && ends_with_abbreviation(&line[start..chars[i].0]);
                    if !abbreviation {
                        out.push(piece.trim().to_owned());
                        start = chars[k].0;
                        i = k;
                        continue;
                    }
                }
            }
            i += 1;
        }
        let rest = line[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_owned());
        }
    }
    out
}

/// The words of a text as anchors compare them: lower case, without the punctuation at either
/// end of a word (quotes, commas, a `|`), words of punctuation alone dropped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every quad of the bundled data: `data/*.trig` in the graphs they name, `data/entities.ttl` in
/// `graph:data/entities`, as the binary loads them.
pub fn bundled_data() -> Vec<Quad> {
    let dir = format!("{ROOT}/data");
    let mut quads = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("trig") => RdfFormat::TriG,
            Some("ttl") => RdfFormat::Turtle,
            _ => continue,
        };
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let graph = NamedNode::new(format!("https://w3id.org/mss-kg/graph/data/{stem}")).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for quad in RdfParser::from_format(format).for_slice(&bytes) {
            let mut quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if quad.graph_name == GraphName::DefaultGraph {
                quad.graph_name = graph.clone().into();
            }
            quads.push(quad);
        }
    }
    quads
}

/// The IRIs each graph mentions, as subject or object.
fn iris_by_graph(quads: &[Quad]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for quad in quads {
        let GraphName::NamedNode(graph) = &quad.graph_name else {
            continue;
        };
        let iris = out.entry(graph.as_str().to_owned()).or_default();
        if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
            iris.insert(s.as_str().to_owned());
        }
        if let Term::NamedNode(o) = &quad.object {
            iris.insert(o.as_str().to_owned());
        }
    }
    out
}

/// One row of the coverage tables.
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    article: String,
    number: usize,
    anchor: String,
    facts: Vec<String>,
    reason: String,
}

/// The cells of a Markdown table line, `\|` read as a `|` inside a cell.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                out.last_mut().unwrap().push('|');
            }
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The rows of the document's tables: lines of five cells whose first is an article's number.
fn rows(doc: &str) -> Vec<Row> {
    doc.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('|'))
        .filter_map(|(i, l)| {
            let c = cells(l);
            let is_row =
                c.len() == 5 && c[0].len() == 3 && c[0].chars().all(|d| d.is_ascii_digit());
            is_row.then(|| Row {
                line: i + 1,
                article: c[0].clone(),
                number: c[1].parse().unwrap_or(0),
                anchor: c[2].clone(),
                facts: c[3]
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
                reason: c[4].clone(),
            })
        })
        .collect()
}

/// A prefixed name of the coverage tables as a full IRI (`mssr:` or `src:` only).
fn expand(name: &str) -> Option<String> {
    let name = name.trim_matches('`');
    if let Some(local) = name.strip_prefix("mssr:") {
        Some(format!("{MSSR}{local}"))
    } else {
        name.strip_prefix("src:")
            .map(|local| format!("{SRC}{local}"))
    }
}

/// What is wrong with a coverage document: a sentence without its row, a row for no sentence or
/// twice, an anchor that is not how its sentence starts, an IRI its article's graph does not
/// mention, a row with neither facts nor a reason.
fn problems(doc: &str, articles: &[Article], quads: &[Quad]) -> Vec<String> {
    let iris = iris_by_graph(quads);
    let none = BTreeSet::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(String, usize), usize> = BTreeMap::new();
    let rows = rows(doc);
    for row in &rows {
        if let Some(first) = seen.insert((row.article.clone(), row.number), row.line) {
            problems.push(format!(
                "line {}: {} sentence {} has a row already (line {first})",
                row.line, row.article, row.number
            ));
        }
    }
    for article in articles {
        let sentences = sentences(&article.text);
        let in_graph = iris.get(&article.graph()).unwrap_or(&none);
        for (n, sentence) in sentences.iter().enumerate().map(|(i, s)| (i + 1, s)) {
            let Some(row) = rows
                .iter()
                .find(|r| r.article == article.number && r.number == n)
            else {
                let start: Vec<String> = words(sentence).into_iter().take(4).collect();
                problems.push(format!(
                    "{} sentence {n} ({} ...) has no row",
                    article.number,
                    start.join(" ")
                ));
                continue;
            };
            let anchor = words(&row.anchor);
            let start = words(sentence);
            if anchor.len() > 5 || anchor.len() < 3.min(start.len()) || !start.starts_with(&anchor)
            {
                problems.push(format!(
                    "line {}: {} sentence {n}: the anchor '{}' is not its first three to five words",
                    row.line, article.number, row.anchor
                ));
            }
            if row.facts.is_empty() && row.reason.is_empty() {
                problems.push(format!(
                    "line {}: {} sentence {n} names no fact and gives no reason",
                    row.line, article.number
                ));
            }
            for fact in &row.facts {
                match expand(fact) {
                    None => problems.push(format!(
                        "line {}: '{fact}' is not an mssr: or src: name",
                        row.line
                    )),
                    Some(iri) if !in_graph.contains(&iri) => problems.push(format!(
                        "line {}: {fact} is not in {}'s source graph",
                        row.line, article.number
                    )),
                    Some(_) => {}
                }
            }
        }
        for row in rows.iter().filter(|r| {
            r.article == article.number && (r.number == 0 || r.number > sentences.len())
        }) {
            problems.push(format!(
                "line {}: {} has no sentence {} (it has {})",
                row.line,
                article.number,
                row.number,
                sentences.len()
            ));
        }
    }
    for row in &rows {
        if !articles.iter().any(|a| a.number == row.article) {
            problems.push(format!("line {}: no article {}", row.line, row.article));
        }
    }
    problems
}

fn coverage_doc() -> String {
    std::fs::read_to_string(format!("{ROOT}/docs/coverage.md")).unwrap()
}

#[test]
fn every_sentence_of_every_article_has_its_row() {
    let articles = articles();
    let problems = problems(&coverage_doc(), &articles, &bundled_data());
    assert!(
        problems.is_empty(),
        "docs/coverage.md:\n{}",
        problems.join("\n")
    );
    let total: usize = articles.iter().map(|a| sentences(&a.text).len()).sum();
    assert_eq!(rows(&coverage_doc()).len(), total);
}

/// The check can fail: a row deleted, an anchor changed, an IRI that does not exist or is not the
/// article's, a row without facts or reason, each is reported.
#[test]
fn a_missing_row_a_wrong_anchor_or_a_foreign_iri_is_reported() {
    let articles = articles();
    let quads = bundled_data();
    let doc = coverage_doc();
    let row_of = |article: &str, n: usize| {
        doc.lines()
            .find(|l| l.starts_with(&format!("| {article} | {n} |")))
            .unwrap()
            .to_owned()
    };
    let broken = |from: &str, to: &str| {
        assert!(doc.contains(from), "{from}");
        problems(&doc.replacen(from, to, 1), &articles, &quads)
    };
    let row = row_of("002", 3);
    let found = broken(&format!("{row}\n"), "");
    assert!(
        found
            .iter()
            .any(|p| p
                .starts_with("002 sentence 3 (port-au-prince kenya deployed an ...) has no row")),
        "{found:?}"
    );
    let found = broken(
        &row,
        &row.replace("Port-Au-Prince: Kenya deployed", "Kenya deployed"),
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("the anchor 'Kenya deployed an")),
        "{found:?}"
    );
    let found = broken(
        &row,
        &row.replace("mssr:deployment-kenya-217", "mssr:deployment-kenya-218"),
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("mssr:deployment-kenya-218 is not in 002's source graph")),
        "{found:?}"
    );
    let found = broken(
        &row,
        &row.replace("mssr:deployment-kenya-217", "mssr:deployment-kenya-144"),
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("mssr:deployment-kenya-144 is not in 002's source graph")),
        "{found:?}"
    );
    let row = row_of("004", 6);
    let found = broken(&row, "| 004 | 6 | US backing |  |  |");
    assert!(
        found
            .iter()
            .any(|p| p.contains("names no fact and gives no reason")),
        "{found:?}"
    );
    let found = broken(
        &row,
        &format!("{row}\n| 004 | 24 | The troops arrived | mssr:arrival-el-salvador-troops |  |"),
    );
    assert!(
        found.iter().any(|p| p.contains("004 has no sentence 24")),
        "{found:?}"
    );
}

#[test]
fn sentences_are_cut_as_documented() {
    let cut = |text: &str| sentences(text);
    // A headline line is a sentence; lines never run together.
    assert_eq!(
        cut("A Headline Without A Stop\n\nThe body. Its end."),
        ["A Headline Without A Stop", "The body.", "Its end."]
    );
    // A quote of two sentences is two; a stop inside quotes ends one.
    assert_eq!(
        cut("He called it “wrong.” She agreed. “We go. They stay,” he said."),
        [
            "He called it “wrong.”",
            "She agreed.",
            "“We go.",
            "They stay,” he said."
        ]
    );
    // Abbreviations, initials, amounts, hyphenated initialisms and URLs do not cut.
    assert_eq!(
        cut(
            "Mr. Smith met H.E. Jane Doe of the U.S. Embassy. It paid $40.7 million to a U.N.-backed mission, see https://x.org/a.b Then no."
        ),
        [
            "Mr. Smith met H.E. Jane Doe of the U.S. Embassy.",
            "It paid $40.7 million to a U.N.-backed mission, see https://x.org/a.b Then no."
        ]
    );
    // A lower-case word after a stop does not start a sentence; ! and ? end one.
    assert_eq!(
        cut("Wait. then. Really? Yes! Done"),
        ["Wait. then.", "Really?", "Yes!", "Done"]
    );
}
