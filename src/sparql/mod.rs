//! Every query and update passes here: the common prefixes declared, the bounds of [`limits`]
//! checked before anything recurses, the default graph read as a set ([`merge`]), a deadline from
//! the one [`watchdog`], and error messages that say where in the text the error is.

pub mod diagnose;
pub mod limits;
pub mod merge;
pub mod order;
pub mod watchdog;
pub mod wire;

use crate::prefixes;
use anyhow::{Result, anyhow};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::{
    PreparedSparqlQuery, PreparedSparqlUpdate, QueryEvaluationError, SparqlEvaluator,
    SparqlSyntaxError,
};
use spargebra::{GraphUpdateOperation, Query, Update};
use std::collections::HashSet;
use std::sync::OnceLock;
pub use watchdog::Deadline;

/// An evaluator that knows the common prefixes, so queries may omit their declarations, and
/// stops when `deadline` is up.
pub fn evaluator(deadline: Option<&Deadline>) -> SparqlEvaluator {
    // Declaring the prefixes parses their IRIs: done once, then cloned for each query.
    static BASE: OnceLock<SparqlEvaluator> = OnceLock::new();
    let evaluator = BASE
        .get_or_init(|| {
            let mut evaluator = SparqlEvaluator::new();
            for (prefix, ns) in prefixes::COMMON {
                evaluator = evaluator
                    .with_prefix(*prefix, *ns)
                    .expect("the common prefixes are valid IRIs");
            }
            // SERVICE calls to other endpoints give up after this.
            evaluator.with_http_timeout(std::time::Duration::from_secs(120))
        })
        .clone();
    match deadline {
        Some(deadline) => evaluator.with_cancellation_token(deadline.token()),
        None => evaluator,
    }
}

fn parser() -> spargebra::SparqlParser {
    static PARSER: OnceLock<spargebra::SparqlParser> = OnceLock::new();
    PARSER
        .get_or_init(|| {
            let mut parser = spargebra::SparqlParser::new();
            for (prefix, ns) in prefixes::COMMON {
                parser = parser
                    .with_prefix(*prefix, *ns)
                    .expect("the common prefixes are valid IRIs");
            }
            parser
        })
        .clone()
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
    parse_algebra_at(text, source, None)
}

/// [`parse_algebra`], relative IRIs resolved against `base` (an endpoint's URL, as the SPARQL
/// Protocol has it) unless the query says `BASE`.
pub fn parse_algebra_at(text: &str, source: &str, base: Option<&str>) -> Result<Query> {
    limits::check_text(text, source)?;
    let query = with_base(parser(), base)?
        .parse_query(text)
        .map_err(|e| syntax_error(source, text, &e))?;
    limits::check_query(query, source)
}

fn with_base(
    parser: spargebra::SparqlParser,
    base: Option<&str>,
) -> Result<spargebra::SparqlParser> {
    match base {
        Some(base) => parser
            .with_base_iri(base)
            .map_err(|e| anyhow!("invalid base IRI '{base}': {e}")),
        None => Ok(parser),
    }
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

/// Whether a query reading `dataset` reads a default graph made of several graphs.
fn reads_several_graphs(query: &Query, dataset: &Dataset) -> bool {
    let from = match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset.as_ref(),
    };
    match (dataset, from) {
        (Dataset::Given { default, named }, _) if !default.is_empty() || !named.is_empty() => {
            default.len() > 1
        }
        (_, Some(from)) => from.default.len() > 1,
        (Dataset::Union, None) => true,
        _ => false,
    }
}

/// The query to evaluate against `dataset`: where its default graph is made of several graphs,
/// rewritten to read their merge, a set ([`merge`]), unless its answer cannot depend on how often
/// a triple is found ([`merge::counts_copies`]: an `ASK`, a `SELECT DISTINCT` or a `CONSTRUCT`
/// with no aggregate, sub-select or `LIMIT` inside). A remote endpoint is sent this query too:
/// Virtuoso's default graph, for one, yields a copy of a triple per graph that holds it.
pub fn read_as_set(query: Query, dataset: &Dataset) -> Query {
    read_as_set_with(query, dataset, merge::Fresh::default())
}

fn read_as_set_with(query: Query, dataset: &Dataset, mut fresh: merge::Fresh) -> Query {
    if matches!(query, Query::Ask { .. })
        || !(reads_several_graphs(&query, dataset) && merge::counts_copies(&query))
    {
        return query;
    }
    map_pattern(query, |pattern| merge::as_set(pattern, &mut fresh))
}

/// How many named graphs [`union_of_named_graphs`] looks at before it gives up.
const GRAPHS_CHECKED: usize = 10_000;

/// Whether the union default graph of `store` is the union of its named graphs only, each named
/// by an IRI: its own default graph empty, no graph named by a blank node (up to
/// [`GRAPHS_CHECKED`] graphs). Then each triple of the merge can be read from the first graph
/// that holds it, in constant memory ([`merge::Fresh::first_graph`]).
fn union_of_named_graphs(store: &oxigraph::store::Store) -> bool {
    let default_empty = store
        .quads_for_pattern(
            None,
            None,
            None,
            Some(oxigraph::model::GraphNameRef::DefaultGraph),
        )
        .next()
        .is_none();
    default_empty && {
        let mut graphs = store.named_graphs();
        let mut checked = 0;
        loop {
            match graphs.next() {
                None => break true,
                Some(Ok(NamedOrBlankNode::NamedNode(_))) if checked < GRAPHS_CHECKED => {
                    checked += 1
                }
                _ => break false,
            }
        }
    }
}

/// [`prepare`] for a query on `store`: a query of one triple pattern over the union of the
/// store's named graphs reads their merge in constant memory ([`merge::reads_one_pattern`],
/// [`union_of_named_graphs`]); others through the `DISTINCT` rewrite.
pub fn prepare_on(
    store: &oxigraph::store::Store,
    query: Query,
    dataset: Dataset,
    deadline: Option<&Deadline>,
) -> PreparedSparqlQuery {
    let own_dataset = match &query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset.is_some(),
    };
    let fresh = if matches!(dataset, Dataset::Union)
        && !own_dataset
        && merge::reads_one_pattern(pattern_of(&query))
        && union_of_named_graphs(store)
    {
        merge::Fresh::first_graph()
    } else {
        merge::Fresh::default()
    };
    prepare_with(query, dataset, deadline, fresh)
}

/// An expression with the pattern of each `EXISTS` in it rewritten by `rewrite`. Only the
/// boolean connectives can hold an `EXISTS` that matters in practice; anything else is left as
/// written (an `EXISTS` deeper in arithmetic only tests existence).
pub(crate) fn map_exists(
    expression: spargebra::algebra::Expression,
    rewrite: &mut dyn FnMut(spargebra::algebra::GraphPattern) -> spargebra::algebra::GraphPattern,
) -> spargebra::algebra::Expression {
    use spargebra::algebra::Expression;
    let e = |x: Box<Expression>, rewrite: &mut dyn FnMut(_) -> _| Box::new(map_exists(*x, rewrite));
    match expression {
        Expression::Exists(p) => Expression::Exists(Box::new(rewrite(*p))),
        Expression::Or(a, b) => Expression::Or(e(a, rewrite), e(b, rewrite)),
        Expression::And(a, b) => Expression::And(e(a, rewrite), e(b, rewrite)),
        Expression::Not(a) => Expression::Not(e(a, rewrite)),
        Expression::If(a, b, c) => Expression::If(e(a, rewrite), e(b, rewrite), e(c, rewrite)),
        Expression::Coalesce(list) => {
            Expression::Coalesce(list.into_iter().map(|x| map_exists(x, rewrite)).collect())
        }
        other => other,
    }
}

/// The pattern a query evaluates.
fn pattern_of(query: &Query) -> &spargebra::algebra::GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// The pattern a query evaluates, to change.
pub(crate) fn pattern_mut(query: &mut Query) -> &mut spargebra::algebra::GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// The query with its pattern rewritten by `rewrite`.
pub(crate) fn map_pattern(
    mut query: Query,
    rewrite: impl FnOnce(spargebra::algebra::GraphPattern) -> spargebra::algebra::GraphPattern,
) -> Query {
    let pattern = pattern_mut(&mut query);
    let taken = std::mem::replace(
        pattern,
        spargebra::algebra::GraphPattern::Bgp { patterns: vec![] },
    );
    *pattern = rewrite(taken);
    query
}

/// Prepares a parsed query against `dataset`: `GROUP_CONCAT`s fed sorted rows
/// ([`order::sorted_concats`]), [`read_as_set`], then Oxigraph's evaluator, with
/// the deadline, the dataset and the optimizer bounded by the [`limits`].
pub fn prepare(query: Query, dataset: Dataset, deadline: Option<&Deadline>) -> PreparedSparqlQuery {
    prepare_with(query, dataset, deadline, merge::Fresh::default())
}

fn prepare_with(
    query: Query,
    dataset: Dataset,
    deadline: Option<&Deadline>,
    fresh: merge::Fresh,
) -> PreparedSparqlQuery {
    let query = read_as_set_with(order::sorted_concats(query), &dataset, fresh);
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

/// Parses a SPARQL Update within the [`limits`]; where a `USING` clause makes the default graph
/// of its `WHERE` several graphs, that pattern reads their merge, as a query's does.
pub fn parse_update(text: &str, source: &str) -> Result<PreparedSparqlUpdate> {
    Ok(prepare_update(parse_update_algebra(text, source)?, None))
}

/// Parses a SPARQL Update into its algebra within the [`limits`].
pub fn parse_update_algebra(text: &str, source: &str) -> Result<Update> {
    parse_update_algebra_at(text, source, None)
}

/// [`parse_update_algebra`], relative IRIs resolved against `base`.
pub fn parse_update_algebra_at(text: &str, source: &str, base: Option<&str>) -> Result<Update> {
    limits::check_text(text, source)?;
    let update = with_base(parser(), base)?
        .parse_update(text)
        .map_err(|e| syntax_error(source, text, &e))?;
    limits::check_update(update, source)
}

/// Prepares a parsed update (see [`parse_update`]).
pub fn prepare_update(update: Update, deadline: Option<&Deadline>) -> PreparedSparqlUpdate {
    let mut update = update;
    let mut fresh = merge::Fresh::default();
    for op in &mut update.operations {
        if let GraphUpdateOperation::DeleteInsert {
            using: Some(using),
            pattern,
            ..
        } = op
            && using.default.len() > 1
        {
            let p = std::mem::replace(
                pattern.as_mut(),
                spargebra::algebra::GraphPattern::Bgp { patterns: vec![] },
            );
            **pattern = merge::as_set(p, &mut fresh);
        }
    }
    let mut evaluator = evaluator(deadline);
    if limits::update_shape(&update).size > limits::OPTIMIZE_UP_TO {
        evaluator = evaluator.without_optimizations();
    }
    evaluator.for_update(update)
}

/// The triples of a `CONSTRUCT` or `DESCRIBE` result, each once: an RDF graph is a set, and
/// Oxigraph describes a resource by reading the default graph, which yields a copy of each triple
/// per graph that holds it. Memory is bounded as Oxigraph bounds its own `CONSTRUCT`: past a
/// million distinct triples the memory of what was written starts afresh.
pub fn distinct_triples<E>(
    triples: impl Iterator<Item = Result<Triple, E>>,
) -> impl Iterator<Item = Result<Triple, E>> {
    const REMEMBERED: usize = 1 << 20;
    let mut seen = HashSet::new();
    triples.filter(move |t| {
        let Ok(t) = t else { return true };
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        seen.insert(t.clone())
    })
}

/// Whether an evaluation error is the cancellation a [`Deadline`] causes.
pub fn is_cancelled(error: &QueryEvaluationError) -> bool {
    matches!(error, QueryEvaluationError::Cancelled)
}

/// `source:line:column: invalid SPARQL: ...`: the usual cause when [`diagnose`] finds one,
/// else what the parser expected where it stopped (its `error at L:C: ...`).
fn syntax_error(source: &str, text: &str, error: &SparqlSyntaxError) -> anyhow::Error {
    let message = error.to_string();
    let parsed = message.strip_prefix("error at ").and_then(|rest| {
        let (position, detail) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((
            line.parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
            detail,
        ))
    });
    let Some((line, column, detail)) = parsed else {
        return anyhow!("{source}: invalid SPARQL: {message}");
    };
    if let Some(cause) = diagnose::diagnose(text, offset(text, line, column)) {
        let (line, column) = line_col(text, cause.offset);
        return anyhow!(
            "{source}:{line}:{column}: invalid SPARQL: {}",
            cause.message
        );
    }
    anyhow!("{source}:{line}:{column}: invalid SPARQL: {detail}")
}

/// The byte offset of a 1-based line and column (in characters).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    text[start.min(text.len())..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;
    use oxigraph::sparql::QueryResults;

    /// Each query's solutions, as sorted lines, on `store` through `dataset`.
    fn answers(store: &oxigraph::store::Store, query: &str, dataset: Dataset) -> Vec<String> {
        let query = parse_algebra(query, "test").unwrap();
        let results = prepare_on(store, query, dataset, None)
            .on_store(store)
            .execute()
            .unwrap();
        let mut lines: Vec<String> = match results {
            QueryResults::Solutions(rows) => rows
                .map(|r| {
                    let r = r.unwrap();
                    // Blank nodes are labelled afresh by each store: one name for them all.
                    let mut cells: Vec<String> = r
                        .iter()
                        .map(|(v, t)| match t {
                            oxigraph::model::Term::BlankNode(_) => format!("{v}=_:b"),
                            t => format!("{v}={t}"),
                        })
                        .collect();
                    cells.sort();
                    cells.join(" ")
                })
                .collect(),
            QueryResults::Boolean(b) => vec![b.to_string()],
            QueryResults::Graph(_) => unreachable!("SELECT and ASK only"),
        };
        lines.sort();
        lines
    }

    /// Issue #19: reading each triple from the first named graph that holds it (the union of a
    /// store's named graphs, in constant memory) answers as one graph holding the merge does,
    /// and so does the `DISTINCT` rewrite it falls back to when the store's own default graph
    /// holds triples or a graph is named by a blank node.
    #[test]
    fn the_first_graph_rewrite_answers_as_one_graph_holding_the_merge() {
        let shared = "<urn:a> <urn:p> <urn:b> . <urn:b> <urn:q> <urn:c> . <urn:a> <urn:v> 2 .
                      <urn:b> <urn:p> <urn:c> . <urn:x> <urn:p> _:n . _:n <urn:v> 5 .";
        let only_one = "<urn:a> <urn:r> <urn:c> . <urn:a> <urn:s> <urn:c> . <urn:c> <urn:v> 3 .";
        let graphs = |extra: &str| {
            let store = oxigraph::store::Store::new().unwrap();
            let trig =
                format!("<urn:g1> {{ {shared} {only_one} }}\n<urn:g2> {{ {shared} }}\n{extra}");
            store
                .load_from_slice(RdfFormat::TriG, trig.as_bytes())
                .unwrap();
            store
        };
        let merged = oxigraph::store::Store::new().unwrap();
        merged
            .load_from_slice(RdfFormat::Turtle, format!("{shared} {only_one}").as_bytes())
            .unwrap();
        let queries = include_str!("../../tests/fixtures/merge-queries.rq")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let first_graph = graphs("");
        assert!(union_of_named_graphs(&first_graph));
        // A triple in the store's own default graph, or a graph named by a blank node: the
        // DISTINCT rewrite. (The extra triple is in the merge too.)
        let with_default = graphs("<urn:a> <urn:p> <urn:b> .");
        assert!(!union_of_named_graphs(&with_default));
        let with_blank = graphs("_:g { <urn:a> <urn:p> <urn:b> }");
        assert!(!union_of_named_graphs(&with_blank));
        for query in queries {
            let expected = answers(&merged, query, Dataset::Store);
            for (name, store) in [
                ("first graph", &first_graph),
                ("own default graph", &with_default),
                ("blank graph name", &with_blank),
            ] {
                assert_eq!(
                    answers(store, query, Dataset::Union),
                    expected,
                    "{name}: {query}"
                );
            }
        }
        // GRAPH ?g still sees each graph's own copies.
        assert_eq!(
            answers(
                &first_graph,
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                Dataset::Union
            ),
            [
                "?g=<urn:g1> ?n=\"9\"^^<http://www.w3.org/2001/XMLSchema#integer>",
                "?g=<urn:g2> ?n=\"6\"^^<http://www.w3.org/2001/XMLSchema#integer>"
            ]
        );
    }
}
