//! `mss-kg update`: apply a SPARQL Update in one transaction and say what it changed.

use super::{Context, read_sparql};
use crate::backend::Backend;
use crate::cli::UpdateArgs;
use crate::store::Access;
use crate::update::{Report, graph_key_label};
use crate::{queries, sparql};
use anyhow::{Context as _, Result, anyhow};
use oxigraph::model::NamedNode;
use std::collections::BTreeMap;

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
    ctx.printer.note(summary(&report));
    Ok(())
}

/// `deleted 2 triples: 1 from src:000_..., 1 from src:001_...; inserted 1 triple into graph:x`.
pub fn summary(report: &Report) -> String {
    fn triples(n: u64) -> String {
        format!("{n} triple{}", if n == 1 { "" } else { "s" })
    }
    fn per_graph(total: u64, counts: &BTreeMap<String, u64>, word: &str) -> String {
        if let [(graph, _)] = counts.iter().collect::<Vec<_>>()[..] {
            return format!("{} {word} {}", triples(total), graph_key_label(graph));
        }
        let each: Vec<String> = counts
            .iter()
            .map(|(g, n)| format!("{n} {word} {}", graph_key_label(g)))
            .collect();
        format!("{}: {}", triples(total), each.join(", "))
    }
    let (deleted, inserted) = (report.total_deleted(), report.total_inserted());
    if deleted == 0 && inserted == 0 {
        return "nothing changed: 0 triples deleted, 0 inserted".to_owned();
    }
    let mut parts = Vec::new();
    if deleted > 0 {
        parts.push(format!(
            "deleted {}",
            per_graph(deleted, &report.deleted, "from")
        ));
    }
    if inserted > 0 {
        parts.push(format!(
            "inserted {}",
            per_graph(inserted, &report.inserted, "into")
        ));
    }
    parts.join("; ")
}
