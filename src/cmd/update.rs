//! `mss-kg update`: apply a SPARQL Update in one transaction and say what it changed.

use super::{Context, read_sparql};
use crate::cli::UpdateArgs;
use anyhow::{Context as _, Result, anyhow};
use mss_kg::backend::Backend;
use mss_kg::store::Access;
use mss_kg::update;
use mss_kg::{queries, sparql};
use oxigraph::model::NamedNode;

pub fn run(ctx: &Context, args: UpdateArgs) -> Result<()> {
    let (text, source) = read_sparql(args.input)?;
    let graph = args
        .graph
        .as_deref()
        .map(|given| {
            NamedNode::new(queries::expand_iri(given))
                .map_err(|e| anyhow!("--graph '{given}' is not a valid IRI: {e}"))
        })
        .transpose()?;
    let parsed = sparql::parse_update_algebra(&text, &source)?;
    let backend = ctx.backend.open(Access::Write)?;
    let changed = backend.update(parsed, Some(&text), graph.as_ref());
    let report = match &backend {
        Backend::Embedded(_) => {
            changed.with_context(|| format!("{source}: update failed, the store is unchanged"))?
        }
        Backend::Remote(_) => changed.with_context(|| format!("{source}: update failed"))?,
    };
    let Some(report) = report else {
        // An endpoint applies the update as a whole, and says nothing of what it changed.
        ctx.printer.note(format!(
            "update applied by the {} (an endpoint does not say what it changed)",
            backend.name()
        ));
        return Ok(());
    };
    for warning in &report.warnings {
        eprintln!("mss-kg: warning: {warning}");
    }
    ctx.printer.note(update::summary(&report));
    Ok(())
}
