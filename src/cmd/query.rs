//! `mss-kg query`: run a SPARQL query and stream its results.

use super::{Context, read_sparql};
use crate::cli::QueryArgs;
use crate::output;
use crate::sparql::{self, Dataset};
use crate::store::{self, Access};
use anyhow::{Context as _, Result};

pub fn run(ctx: &Context, args: QueryArgs) -> Result<()> {
    let (text, source) = read_sparql(args.input)?;
    let prepared = sparql::parse_query(&text, &source, Dataset::union_if(!args.no_union), None)?;
    let store = store::open(&ctx.store, Access::Read)?;
    let results = prepared
        .on_store(&store)
        .execute()
        .with_context(|| format!("{source}: query failed"))?;
    output::write_results(results, args.format.as_deref(), &ctx.printer)
        .with_context(|| format!("{source}: query failed"))
}
