//! `mss-kg stats`: triples per graph and instances per class.

use super::Context;
use crate::cli::StatsArgs;
use anyhow::Result;
use mss_kg::backend::Backend;
use mss_kg::format::ResultFormat;
use mss_kg::output::{self, display_term};
use mss_kg::sparql;
use mss_kg::store::Access;
use oxigraph::model::{Literal, Term, Variable};
use oxigraph::sparql::QueryResults;
use std::io::Write;

const GRAPHS: &str = "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } \
                      GROUP BY ?graph ORDER BY STR(?graph)";
const DEFAULT_GRAPH: &str = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }";
const CLASSES: &str = "SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class } \
                       GROUP BY ?class ORDER BY DESC(?instances) STR(?class)";

/// Triples per graph (`None` is the default graph) and instances per class.
pub struct Stats {
    pub graphs: Vec<(Option<Term>, u64)>,
    pub classes: Vec<(Term, u64)>,
}

/// Counts what the graph holds (on an endpoint, its named graphs: its default graph is theirs).
pub fn compute(store: &Backend) -> Result<Stats> {
    let mut graphs = Vec::new();
    if let Backend::Embedded(_) = store {
        let default = rows(store, DEFAULT_GRAPH, false)?;
        graphs.push((None, count(&default[0][0])));
    }
    for row in rows(store, GRAPHS, false)? {
        graphs.push((row[0].clone(), count(&row[1])));
    }
    let classes = rows(store, CLASSES, true)?
        .into_iter()
        .filter_map(|row| Some((row[0].clone()?, count(&row[1]))))
        .collect();
    Ok(Stats { graphs, classes })
}

fn rows(store: &Backend, query: &str, union: bool) -> Result<Vec<Vec<Option<Term>>>> {
    // On an endpoint every query reads its default graph, the union of its graphs.
    let union = union || matches!(store, Backend::Remote(_));
    let QueryResults::Solutions(solutions) = store.query(
        sparql::parse_algebra(query, "stats")?,
        sparql::Dataset::union_if(union),
        None,
    )?
    else {
        unreachable!("a SELECT query")
    };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|s| {
            let s = s?;
            Ok(variables.iter().map(|v| s.get(v).cloned()).collect())
        })
        .collect()
}

fn count(term: &Option<Term>) -> u64 {
    match term {
        Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A two-column table: a term and its count.
fn write_counts(
    out: &mut impl Write,
    printer: &mss_kg::output::Printer,
    header: [&str; 2],
    rows: impl Iterator<Item = (Term, u64)>,
) -> Result<()> {
    let rows = rows.map(|(term, n)| Ok(vec![Some(term), Some(Literal::from(n as i64).into())]));
    output::write_solutions(
        out,
        ResultFormat::Table,
        &header.map(Variable::new_unchecked),
        rows,
        printer,
    )
}

pub fn run(ctx: &Context, args: StatsArgs) -> Result<()> {
    let store = ctx.backend.open(Access::Read)?;
    let stats = compute(&store)?;
    let mut out = ctx.printer.stdout();
    match args.format.to_ascii_lowercase().as_str() {
        "table" => {
            let default = Term::from(Literal::new_simple_literal("(default graph)"));
            let graphs = stats
                .graphs
                .iter()
                .map(|(g, n)| (g.clone().unwrap_or_else(|| default.clone()), *n));
            write_counts(&mut out, &ctx.printer, ["graph", "triples"], graphs)?;
            writeln!(out)?;
            write_counts(
                &mut out,
                &ctx.printer,
                ["class", "instances"],
                stats.classes.iter().cloned(),
            )?;
        }
        "json" => {
            let json = serde_json::json!({
                "graphs": stats.graphs.iter().map(|(g, n)| serde_json::json!({
                    "graph": g.as_ref().map(|g| match g { Term::NamedNode(n) => n.as_str().to_owned(), other => other.to_string() }),
                    "triples": n,
                })).collect::<Vec<_>>(),
                "classes": stats.classes.iter().map(|(c, n)| serde_json::json!({
                    "class": match c { Term::NamedNode(n) => n.as_str().to_owned(), other => display_term(other) },
                    "instances": n,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        other => {
            return Err(mss_kg::usage(format!(
                "unknown stats format '{other}' (expected table or json)"
            )));
        }
    }
    out.flush()?;
    Ok(())
}
