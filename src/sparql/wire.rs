//! A query as the text sent to an endpoint, checked to say what its algebra says.
//!
//! Saved queries are bound as algebra (a parameter is a term, never pasted), then written out
//! with spargebra's serializer for the wire. The text is parsed again and its *fingerprint*
//! compared with the algebra's: every constant (IRI, literal), every triple pattern and path
//! with its variables and blank nodes blanked, and the operators that change what matches
//! (`OPTIONAL`, `UNION`, `MINUS`, `FILTER`, `GRAPH`, `SERVICE`, `LIMIT`/`OFFSET`, `VALUES`). Exact
//! algebra equality is too strict: the serializer writes aggregates and `BIND`s through fresh
//! variables and extra projections, which parse back as other, equivalent trees.

use super::limits::{NodeRef, children};
use anyhow::{Result, anyhow, bail};
use spargebra::Query;
use spargebra::algebra::{Expression, GraphPattern};
use spargebra::term::{NamedNodePattern, TermPattern};

/// The SPARQL text of `query`, once it is checked to parse back to the same fingerprint.
pub fn to_text(query: &Query) -> Result<String> {
    let text = query.to_string();
    let reparsed = spargebra::SparqlParser::new()
        .parse_query(&text)
        .map_err(|e| anyhow!("the query cannot be written as SPARQL text for an endpoint: {e}"))?;
    if fingerprint(&reparsed) != fingerprint(query) {
        bail!(
            "the query cannot be sent to an endpoint: its SPARQL text would not say what it means (a bug of mss-kg: please report it with the query)"
        );
    }
    Ok(text)
}

/// What a query matches, as a sorted list of its parts (see the module's documentation).
pub fn fingerprint(query: &Query) -> Vec<String> {
    let (form, pattern, dataset) = match query {
        Query::Select {
            pattern, dataset, ..
        } => ("select".to_owned(), pattern, dataset),
        Query::Ask {
            pattern, dataset, ..
        } => ("ask".to_owned(), pattern, dataset),
        Query::Describe {
            pattern, dataset, ..
        } => ("describe".to_owned(), pattern, dataset),
        Query::Construct {
            template,
            pattern,
            dataset,
            ..
        } => {
            let mut t: Vec<String> = template.iter().map(blank_triple).collect();
            t.sort();
            (format!("construct {}", t.join(" ")), pattern, dataset)
        }
    };
    let mut parts = vec![form];
    if let Some(dataset) = dataset {
        parts.push(format!("dataset {dataset}"));
    }
    let mut stack = vec![NodeRef::Pattern(pattern)];
    let mut kids = Vec::new();
    while let Some(node) = stack.pop() {
        match node {
            NodeRef::Pattern(p) => parts.extend(pattern_parts(p)),
            NodeRef::Expr(e) => parts.extend(expression_part(e)),
            NodeRef::Path(_) => {}
        }
        children(node, &mut kids);
        stack.append(&mut kids);
    }
    parts.sort();
    parts
}

fn term(t: &TermPattern) -> String {
    match t {
        TermPattern::Variable(_) | TermPattern::BlankNode(_) => "?".to_owned(),
        other => other.to_string(),
    }
}

fn predicate(p: &NamedNodePattern) -> String {
    match p {
        NamedNodePattern::Variable(_) => "?".to_owned(),
        NamedNodePattern::NamedNode(n) => n.to_string(),
    }
}

fn blank_triple(t: &spargebra::term::TriplePattern) -> String {
    format!(
        "{} {} {}",
        term(&t.subject),
        predicate(&t.predicate),
        term(&t.object)
    )
}

fn pattern_parts(p: &GraphPattern) -> Vec<String> {
    match p {
        GraphPattern::Bgp { patterns } => patterns
            .iter()
            .map(|t| format!("triple {}", blank_triple(t)))
            .collect(),
        GraphPattern::Path {
            subject,
            path,
            object,
        } => vec![format!("path {} {path} {}", term(subject), term(object))],
        GraphPattern::Values { bindings, .. } => {
            let mut rows: Vec<String> = bindings
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| v.as_ref().map_or("UNDEF".to_owned(), ToString::to_string))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            rows.sort();
            vec![format!("values {}", rows.join(" | "))]
        }
        GraphPattern::LeftJoin { .. } => vec!["optional".to_owned()],
        GraphPattern::Union { .. } => vec!["union".to_owned()],
        GraphPattern::Minus { .. } => vec!["minus".to_owned()],
        GraphPattern::Filter { .. } => vec!["filter".to_owned()],
        GraphPattern::Lateral { .. } => vec!["lateral".to_owned()],
        GraphPattern::Graph { name, .. } => vec![format!("graph {}", predicate(name))],
        GraphPattern::Service { name, silent, .. } => {
            vec![format!("service {silent} {}", predicate(name))]
        }
        GraphPattern::Slice { start, length, .. } => {
            vec![format!("slice {start} {length:?}")]
        }
        _ => Vec::new(),
    }
}

fn expression_part(e: &Expression) -> Option<String> {
    match e {
        Expression::NamedNode(n) => Some(format!("constant {n}")),
        Expression::Literal(l) => Some(format!("constant {l}")),
        Expression::FunctionCall(f, args) => Some(format!("call {f} {}", args.len())),
        Expression::Exists(_) => Some("exists".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Query {
        spargebra::SparqlParser::new().parse_query(text).unwrap()
    }

    #[test]
    fn aggregates_and_binds_travel() {
        let q = parse(
            "SELECT ?m (GROUP_CONCAT(DISTINCT ?w; separator=\"; \") AS ?ws) (COUNT(*) AS ?n) \
             WHERE { ?x <http://e/p> ?m OPTIONAL { ?x <http://e/w> ?w } BIND(STR(?m) AS ?s) } \
             GROUP BY ?m ORDER BY ?m LIMIT 3",
        );
        to_text(&q).unwrap();
    }

    #[test]
    fn a_changed_literal_or_pattern_is_seen() {
        let q = parse("SELECT * WHERE { ?x <http://e/p> \"a\" }");
        let other = parse("SELECT * WHERE { ?x <http://e/p> \"a\" } LIMIT 1");
        assert_ne!(fingerprint(&q), fingerprint(&other));
        let injected = parse("SELECT * WHERE { ?x <http://e/p> \"a\" . ?x ?p ?o }");
        assert_ne!(fingerprint(&q), fingerprint(&injected));
        let literal = parse("SELECT * WHERE { ?x <http://e/p> \"b\" }");
        assert_ne!(fingerprint(&q), fingerprint(&literal));
    }
}
