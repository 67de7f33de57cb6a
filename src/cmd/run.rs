//! `mss-kg run`: run a saved query with its parameters bound, where it runs (the store, or the
//! endpoint of `--endpoint` or of its grlc `#+ endpoint:`).

use super::Context;
use crate::cli::RunArgs;
use anyhow::{Context as _, Result};
use mss_kg::output;
use mss_kg::queries;
use mss_kg::sparql::Dataset;
use mss_kg::store::Access;
use oxigraph::model::Variable;
use oxigraph::sparql::{QueryResults, QuerySolutionIter};

pub fn run(ctx: &Context, args: RunArgs) -> Result<()> {
    // A format nothing can be written in is told before the query runs.
    output::output_format(args.format.as_deref(), args.output.as_deref())?;
    let saved = queries::find(ctx.queries.as_deref(), &args.name)?;
    super::queries::warn_header(ctx, &saved);
    let backend = ctx.backend_for(&saved)?.open(Access::Read)?;
    // Names people use (`person=rubio`, `mssr:marco-rubio`) to the IRIs they name.
    let declared = backend
        .dir()
        .map(mss_kg::prefixes::read_store)
        .unwrap_or_default();
    let (params, warnings) =
        mss_kg::describe::resolve_params(&backend, &saved, &args.params, &declared)?;
    for warning in warnings {
        ctx.printer.warn(warning);
    }
    let query = saved.algebra(&params)?;
    let deadline = ctx.deadline();
    let results = backend
        .query(query, Dataset::union_if(!args.no_union), deadline.as_ref())
        .with_context(|| format!("saved query '{}' failed", saved.name))?;
    // Rows are counted on their way out, for a query that says what to do when there are none.
    let rows = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let results = match results {
        QueryResults::Solutions(solutions) if saved.if_empty.is_some() => {
            let counted = std::rc::Rc::clone(&rows);
            let variables: std::sync::Arc<[Variable]> = solutions.variables().into();
            QueryResults::Solutions(QuerySolutionIter::new(
                variables,
                solutions.inspect(move |row| {
                    if row.is_ok() {
                        counted.set(counted.get() + 1);
                    }
                }),
            ))
        }
        other => other,
    };
    // Results stream: an error found on the way (a SERVICE endpoint down, say) surfaces here.
    output::write_results_to(
        results,
        args.format.as_deref(),
        &ctx.printer,
        args.output.as_deref(),
    )
    .with_context(|| format!("saved query '{}' failed", saved.name))?;
    if let Some(hint) = &saved.if_empty
        && rows.get() == 0
    {
        ctx.printer
            .warn(format!("'{}' found no rows: {hint}", saved.name));
    }
    Ok(())
}
