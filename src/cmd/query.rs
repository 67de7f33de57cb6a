//! `mss-kg query`: run a SPARQL query and stream its results.

use super::{Context, read_sparql};
use crate::cli::QueryArgs;
use anyhow::{Context as _, Result};
use mss_kg::output;
use mss_kg::sparql::{self, Dataset};
use mss_kg::store::Access;

pub fn run(ctx: &Context, args: QueryArgs) -> Result<()> {
    // A format nothing can be written in is told before the query runs.
    output::output_format(args.format.as_deref(), args.output.as_deref())?;
    let (text, source) = read_sparql(args.input)?;
    let query = sparql::parse_algebra(&text, &source)?;
    let backend = ctx.backend.open(Access::Read)?;
    let deadline = ctx.deadline();
    let results = backend
        .query(query, Dataset::union_if(!args.no_union), deadline.as_ref())
        .with_context(|| format!("{source}: query failed"))?;
    output::write_results_to(
        results,
        args.format.as_deref(),
        &ctx.printer,
        args.output.as_deref(),
    )
    .with_context(|| format!("{source}: query failed"))
}
