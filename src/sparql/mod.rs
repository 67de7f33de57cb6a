//! Every query and update passes here: the common prefixes declared, the bounds of [`limits`]
//! checked before anything recurses, a deadline from the one [`watchdog`], and error messages that
//! say where in the text the error is.

pub mod limits;
pub mod watchdog;

use crate::prefixes;
use anyhow::{Result, anyhow};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{
    PreparedSparqlQuery, PreparedSparqlUpdate, QueryEvaluationError, SparqlEvaluator,
    SparqlSyntaxError,
};
use spargebra::{Query, Update};
pub use watchdog::Deadline;

/// An evaluator that knows the common prefixes, so queries may omit their declarations, and
/// stops when `deadline` is up.
pub fn evaluator(deadline: Option<&Deadline>) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, ns) in prefixes::COMMON {
        evaluator = evaluator
            .with_prefix(*prefix, *ns)
            .expect("the common prefixes are valid IRIs");
    }
    if let Some(deadline) = deadline {
        evaluator = evaluator.with_cancellation_token(deadline.token());
    }
    // SERVICE calls to other endpoints give up after this.
    evaluator.with_http_timeout(std::time::Duration::from_secs(120))
}

fn parser() -> spargebra::SparqlParser {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, ns) in prefixes::COMMON {
        parser = parser
            .with_prefix(*prefix, *ns)
            .expect("the common prefixes are valid IRIs");
    }
    parser
}

/// Which graphs make the default graph (and which are named) when a query runs.
#[derive(Debug, Clone, Default)]
pub enum Dataset {
    /// The union of all graphs, unless the query names graphs of its own with `FROM`.
    #[default]
    Union,
    /// The store's own default graph, unless the query names graphs with `FROM`.
    Store,
    /// Given from outside the query (the SPARQL Protocol's `default-graph-uri` and
    /// `named-graph-uri`), which overrides its `FROM`.
    Given {
        default: Vec<NamedNode>,
        named: Vec<NamedNode>,
    },
}

impl Dataset {
    /// The union when `union` is set, else the store's default graph.
    pub fn union_if(union: bool) -> Self {
        if union { Self::Union } else { Self::Store }
    }
}

/// Parses a query into its algebra within the [`limits`], with the common prefixes declared;
/// `source` (a file name, or `<argument>`) names it in messages.
pub fn parse_algebra(text: &str, source: &str) -> Result<Query> {
    limits::check_text(text, source)?;
    let query = parser()
        .parse_query(text)
        .map_err(|e| syntax_error(source, &e))?;
    limits::check_query(query, source)
}

/// Parses and prepares a query: see [`prepare`].
pub fn parse_query(
    text: &str,
    source: &str,
    dataset: Dataset,
    deadline: Option<&Deadline>,
) -> Result<PreparedSparqlQuery> {
    Ok(prepare(parse_algebra(text, source)?, dataset, deadline))
}

/// Prepares a parsed query against `dataset`.
pub fn prepare(query: Query, dataset: Dataset, deadline: Option<&Deadline>) -> PreparedSparqlQuery {
    let mut evaluator = evaluator(deadline);
    if limits::query_shape(&query).size > limits::OPTIMIZE_UP_TO {
        evaluator = evaluator.without_optimizations();
    }
    let mut prepared = evaluator.for_query(query);
    let spec = prepared.dataset_mut();
    match dataset {
        Dataset::Union if spec.is_default_dataset() => spec.set_default_graph_as_union(),
        Dataset::Given { default, named } if !default.is_empty() || !named.is_empty() => {
            spec.set_default_graph(default.into_iter().map(GraphName::from).collect());
            spec.set_available_named_graphs(
                named.into_iter().map(NamedOrBlankNode::from).collect(),
            );
        }
        _ => {}
    }
    prepared
}

/// Parses a SPARQL Update within the [`limits`].
pub fn parse_update(text: &str, source: &str) -> Result<PreparedSparqlUpdate> {
    Ok(prepare_update(parse_update_algebra(text, source)?, None))
}

/// Parses a SPARQL Update into its algebra within the [`limits`].
pub fn parse_update_algebra(text: &str, source: &str) -> Result<Update> {
    limits::check_text(text, source)?;
    let update = parser()
        .parse_update(text)
        .map_err(|e| syntax_error(source, &e))?;
    limits::check_update(update, source)
}

/// Prepares a parsed update (see [`parse_update`]).
pub fn prepare_update(update: Update, deadline: Option<&Deadline>) -> PreparedSparqlUpdate {
    let mut evaluator = evaluator(deadline);
    if limits::update_shape(&update).size > limits::OPTIMIZE_UP_TO {
        evaluator = evaluator.without_optimizations();
    }
    evaluator.for_update(update)
}

/// Whether an evaluation error is the cancellation a [`Deadline`] causes.
pub fn is_cancelled(error: &QueryEvaluationError) -> bool {
    matches!(error, QueryEvaluationError::Cancelled)
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
