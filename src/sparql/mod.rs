//! Every query and update passes here: the common prefixes declared, the bounds of [`limits`]
//! checked before anything recurses, the default graph read as a set (by the evaluator on our
//! store, by [`merge`]'s rewrite on a remote engine), a deadline from
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
use spargebra::{Query, Update};
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

/// The query to send a remote engine reading `dataset`: where its default graph is made of
/// several graphs, rewritten to read their merge, a set ([`merge`]), unless its answer cannot
/// depend on how often a triple is found ([`merge::counts_copies`]: an `ASK`, a `SELECT DISTINCT`
/// or a `CONSTRUCT` with no aggregate, sub-select or `LIMIT` inside). Virtuoso's default graph,
/// for one, yields a copy of a triple per graph that holds it. Our own store needs no rewrite:
/// its evaluator reads the merge ([`prepare`]).
pub fn read_as_set(query: Query, dataset: &Dataset) -> Query {
    if matches!(query, Query::Ask { .. })
        || !(reads_several_graphs(&query, dataset) && merge::counts_copies(&query))
    {
        return query;
    }
    let mut fresh = merge::Fresh::default();
    map_pattern(query, |pattern| merge::as_set(pattern, &mut fresh))
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

/// Prepares a parsed query against `dataset` on our store: `GROUP_CONCAT`s fed sorted rows
/// ([`order::sorted_concats`]), then Oxigraph's evaluator, with the deadline, the dataset and the
/// optimizer bounded by the [`limits`]. A default graph made of several graphs (the union, or
/// `FROM` twice) is their merge, each triple once, read in constant memory by the evaluator
/// (vendor/PATCH.md).
pub fn prepare(query: Query, dataset: Dataset, deadline: Option<&Deadline>) -> PreparedSparqlQuery {
    let query = order::sorted_concats(query);
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
    use oxigraph::model::{Quad, Term};
    use oxigraph::sparql::QueryResults;
    use spareval::{InternalQuad, QueryableDataset};

    const SHARED: &str = "<urn:a> <urn:p> <urn:b> . <urn:b> <urn:q> <urn:c> . <urn:a> <urn:v> 2 .
        <urn:b> <urn:p> <urn:c> . <urn:x> <urn:p> _:n . _:n <urn:v> 5 .";
    const ONLY_ONE: &str =
        "<urn:a> <urn:r> <urn:c> . <urn:a> <urn:s> <urn:c> . <urn:c> <urn:v> 3 .";

    fn merge_queries() -> impl Iterator<Item = &'static str> {
        include_str!("../../tests/fixtures/merge-queries.rq")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }

    /// One graph holding the merge of g1 and g2.
    fn merged() -> oxigraph::store::Store {
        let store = oxigraph::store::Store::new().unwrap();
        store
            .load_from_slice(RdfFormat::Turtle, format!("{SHARED} {ONLY_ONE}").as_bytes())
            .unwrap();
        store
    }

    /// g1 and g2 sharing most of their triples, and `extra` TriG, in memory or, given a folder,
    /// on disk (RocksDB, whose indexes give the evaluator the copies of a triple together).
    fn graphs(extra: &str, on_disk: Option<&std::path::Path>) -> oxigraph::store::Store {
        let store = match on_disk {
            Some(folder) => oxigraph::store::Store::open(folder).unwrap(),
            None => oxigraph::store::Store::new().unwrap(),
        };
        let trig = format!("<urn:g1> {{ {SHARED} {ONLY_ONE} }}\n<urn:g2> {{ {SHARED} }}\n{extra}");
        store
            .load_from_slice(RdfFormat::TriG, trig.as_bytes())
            .unwrap();
        store
    }

    /// Solutions as sorted lines, blank nodes all named alike (each store labels them afresh).
    fn lines(results: QueryResults<'_>) -> Vec<String> {
        let mut lines: Vec<String> = match results {
            QueryResults::Solutions(rows) => rows
                .map(|r| {
                    let mut cells: Vec<String> = r
                        .unwrap()
                        .iter()
                        .map(|(v, t)| match t {
                            Term::BlankNode(_) => format!("{v}=_:b"),
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

    fn answers(store: &oxigraph::store::Store, query: &str, dataset: Dataset) -> Vec<String> {
        let query = parse_algebra(query, "test").unwrap();
        lines(
            prepare(query, dataset, None)
                .on_store(store)
                .execute()
                .unwrap(),
        )
    }

    /// Issue #21 and #19: on our store, a default graph made of several graphs is their merge,
    /// read by the evaluator (vendor/PATCH.md): every query answers as on one graph
    /// holding the merge, through the union (with triples in the store's own default graph too,
    /// or a graph named by a blank node) and through `FROM` twice, a graph listed twice read once.
    #[test]
    fn our_store_reads_a_merged_default_graph_as_one_graph_holding_the_merge() {
        let merged = merged();
        let disk = tempfile::tempdir().unwrap();
        let mut stores = Vec::new();
        for (name, extra) in [
            ("named graphs", ""),
            // The extra triple is in the merge already.
            ("own default graph", "<urn:a> <urn:p> <urn:b> ."),
            ("blank graph name", "_:g { <urn:a> <urn:p> <urn:b> }"),
        ] {
            stores.push((format!("{name}, in memory"), graphs(extra, None)));
            let folder = disk.path().join(stores.len().to_string());
            stores.push((format!("{name}, on disk"), graphs(extra, Some(&folder))));
        }
        for query in merge_queries() {
            let expected = answers(&merged, query, Dataset::Store);
            for (name, store) in &stores {
                assert_eq!(
                    answers(store, query, Dataset::Union),
                    expected,
                    "{name}: {query}"
                );
            }
            for from in ["<urn:g1> <urn:g2>", "<urn:g2> <urn:g1> <urn:g2>"] {
                let given = Dataset::Given {
                    default: from
                        .split(' ')
                        .map(|g| NamedNode::new(g.trim_matches(['<', '>'])).unwrap())
                        .collect(),
                    named: vec![],
                };
                for (name, store) in &stores[..2] {
                    assert_eq!(
                        answers(store, query, given.clone()),
                        expected,
                        "{name}, FROM {from}: {query}"
                    );
                }
            }
        }
        // GRAPH ?g still sees each graph's own copies.
        assert_eq!(
            answers(
                &stores[0].1,
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                Dataset::Union
            ),
            [
                "?g=<urn:g1> ?n=\"9\"^^<http://www.w3.org/2001/XMLSchema#integer>",
                "?g=<urn:g2> ?n=\"6\"^^<http://www.w3.org/2001/XMLSchema#integer>"
            ]
        );
    }

    /// An engine whose default graph yields a triple once per graph holding it, as Virtuoso's
    /// does: g1's quads, then g2's, all in the default graph.
    struct Copies(Vec<Quad>);

    impl<'a> QueryableDataset<'a> for Copies {
        type InternalTerm = Term;
        type Error = std::convert::Infallible;

        fn internal_quads_for_pattern(
            &self,
            subject: Option<&Term>,
            predicate: Option<&Term>,
            object: Option<&Term>,
            graph_name: Option<Option<&Term>>,
        ) -> impl Iterator<Item = Result<InternalQuad<Term>, Self::Error>> + use<'a> {
            let fits = |t: &Term, p: Option<&Term>| p.is_none_or(|p| p == t);
            let found: Vec<_> = if matches!(graph_name, Some(None)) {
                self.0
                    .iter()
                    .filter(|q| {
                        fits(&q.subject.clone().into(), subject)
                            && fits(&q.predicate.clone().into(), predicate)
                            && fits(&q.object, object)
                    })
                    .map(|q| {
                        Ok(InternalQuad {
                            subject: q.subject.clone().into(),
                            predicate: q.predicate.clone().into(),
                            object: q.object.clone(),
                            graph_name: None,
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            found.into_iter()
        }

        fn internalize_term(&self, term: Term) -> Result<Term, Self::Error> {
            Ok(term)
        }

        fn externalize_term(&self, term: Term) -> Result<Term, Self::Error> {
            Ok(term)
        }
    }

    /// The rewrite a query gets before it goes to a remote engine ([`read_as_set`]) answers, on
    /// an engine that yields copies, as one graph holding the merge does; without it, some
    /// answers count copies (so the engine here does yield them).
    #[test]
    fn the_rewrite_for_remote_engines_reads_the_merge_where_the_engine_yields_copies() {
        let merged = merged();
        let copies = || {
            Copies(
                graphs("", None)
                    .iter()
                    .map(Result::unwrap)
                    .collect::<Vec<_>>(),
            )
        };
        let on_copies = |query: Query| {
            lines(
                evaluator(None)
                    .for_query(query)
                    .on_queryable_dataset(copies())
                    .execute()
                    .unwrap(),
            )
        };
        let mut differ = 0;
        for query in merge_queries() {
            let expected = answers(&merged, query, Dataset::Store);
            let parsed = parse_algebra(query, "test").unwrap();
            let rewritten = read_as_set(order::sorted_concats(parsed.clone()), &Dataset::Union);
            assert_eq!(on_copies(rewritten), expected, "{query}");
            differ += usize::from(on_copies(parsed) != expected);
        }
        assert!(differ > 5, "{differ}");
    }
}
