//! `mss-kg run`: run a saved query with its parameters bound.

use super::Context;
use crate::cli::RunArgs;
use crate::output;
use crate::queries;
use crate::sparql::{self, Dataset};
use crate::store::{self, Access};
use anyhow::{Context as _, Result};

pub fn run(ctx: &Context, args: RunArgs) -> Result<()> {
    let saved = queries::find(ctx.queries.as_deref(), &args.name)?;
    let prepared = sparql::prepare(
        saved.algebra(&args.params)?,
        Dataset::union_if(!args.no_union),
        None,
    );
    let store = store::open(&ctx.store, Access::Read)?;
    let results = prepared
        .on_store(&store)
        .execute()
        .with_context(|| format!("saved query '{}' failed", saved.name))?;
    // Results stream: an error found on the way (a SERVICE endpoint down, say) surfaces here.
    output::write_results(results, args.format.as_deref(), &ctx.printer)
        .with_context(|| format!("saved query '{}' failed", saved.name))
}
