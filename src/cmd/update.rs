//! `mss-kg update`: apply a SPARQL Update in one transaction.

use super::{Context, read_sparql};
use crate::cli::UpdateArgs;
use crate::sparql;
use crate::store::{self, Access};
use anyhow::{Context as _, Result};

pub fn run(ctx: &Context, args: UpdateArgs) -> Result<()> {
    let (text, source) = read_sparql(args.input)?;
    let prepared = sparql::parse_update(&text, &source)?;
    let store = store::open(&ctx.store, Access::Write)?;
    prepared
        .on_store(&store)
        .execute()
        .with_context(|| format!("{source}: update failed, the store is unchanged"))?;
    store::flush(&store)?;
    ctx.printer.note("update applied");
    Ok(())
}
