//! Parsing SPARQL with the common prefixes declared, the union default graph, and error messages
//! that say where in the text the error is.

use crate::prefixes;
use anyhow::{Result, anyhow};
use oxigraph::sparql::{
    PreparedSparqlQuery, PreparedSparqlUpdate, SparqlEvaluator, SparqlSyntaxError,
};

/// An evaluator that knows the common prefixes, so queries may omit their declarations.
pub fn evaluator() -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, ns) in prefixes::COMMON {
        evaluator = evaluator
            .with_prefix(*prefix, *ns)
            .expect("the common prefixes are valid IRIs");
    }
    // SERVICE calls to other endpoints give up after this.
    evaluator.with_http_timeout(std::time::Duration::from_secs(120))
}

/// Parses a query read from `source` (a file name, or `<argument>`); the default graph is the
/// union of all graphs when `union` is set and the query names no dataset of its own.
pub fn parse_query(text: &str, source: &str, union: bool) -> Result<PreparedSparqlQuery> {
    parse_query_with(evaluator(), text, source, union)
}

/// [`parse_query`] with an evaluator of the caller's (one with a cancellation token, say).
pub fn parse_query_with(
    evaluator: SparqlEvaluator,
    text: &str,
    source: &str,
    union: bool,
) -> Result<PreparedSparqlQuery> {
    let mut prepared = evaluator
        .parse_query(text)
        .map_err(|e| syntax_error(source, &e))?;
    if union && prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// Parses a SPARQL Update read from `source`.
pub fn parse_update(text: &str, source: &str) -> Result<PreparedSparqlUpdate> {
    evaluator()
        .parse_update(text)
        .map_err(|e| syntax_error(source, &e))
}

/// Parses a query into its algebra, with the common prefixes declared.
pub fn parse_algebra(text: &str, source: &str) -> Result<spargebra::Query> {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, ns) in prefixes::COMMON {
        parser = parser
            .with_prefix(*prefix, *ns)
            .expect("the common prefixes are valid IRIs");
    }
    parser
        .parse_query(text)
        .map_err(|e| syntax_error(source, &e))
}

/// Prepares a query given as algebra, with the union default graph as [`parse_query`] does.
pub fn prepare_algebra(query: spargebra::Query, union: bool) -> PreparedSparqlQuery {
    let mut prepared = evaluator().for_query(query);
    if union && prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    prepared
}

/// `source:line:column: invalid SPARQL: expected ...`, from the parser's `error at L:C: ...`.
fn syntax_error(source: &str, error: &SparqlSyntaxError) -> anyhow::Error {
    let message = error.to_string();
    if let Some(rest) = message.strip_prefix("error at ")
        && let Some((position, detail)) = rest.split_once(": ")
        && position.split(':').all(|n| n.parse::<u64>().is_ok())
    {
        return anyhow!("{source}:{position}: invalid SPARQL: {detail}");
    }
    anyhow!("{source}: invalid SPARQL: {message}")
}
