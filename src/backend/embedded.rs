//! The embedded store's side of the seam: an atomic bulk load and a transaction that rewrites a
//! graph's subjects. Queries and patterns go straight to the store from [`super::Backend`].

use super::{Load, Loaded};
use crate::input::load_error;
use crate::store::{self, OpenStore};
use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use oxigraph::io::RdfParseError;
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::LoaderError;

/// Bulk-loads every input, all or nothing: the graphs of `load.replace` are emptied just before
/// the commit, so a failed load leaves them as they were.
pub fn load(
    store: &OpenStore,
    load: &Load<'_>,
    observe: &mut dyn FnMut(&Quad),
    bar: &ProgressBar,
) -> Result<Loaded> {
    let mut loader = store.bulk_loader();
    let mut loaded = Loaded::default();
    for input in load.inputs {
        bar.set_message(input.name());
        let mut count = 0u64;
        let mut parsed = load.parser(input)?.for_reader(input.open()?);
        let quads = parsed.by_ref().inspect(|q| {
            if let Ok(q) = q {
                observe(q);
                count += 1;
                if count.is_multiple_of(4096) {
                    bar.inc(4096);
                }
            }
        });
        loader
            .load_ok_quads::<RdfParseError, LoaderError>(quads)
            .map_err(|e| load_error(&input.name(), e))?;
        bar.inc(count % 4096);
        loaded.triples += count;
        loaded.prefixes.extend(
            parsed
                .prefixes()
                .map(|(name, ns)| (name.to_owned(), ns.to_owned())),
        );
    }
    for graph in &load.replace {
        store.clear_graph(graph)?;
    }
    bar.set_message("committing");
    loader
        .commit()
        .context("cannot commit the load; the store is unchanged")?;
    store::flush(store)?;
    Ok(loaded)
}

/// In one transaction: the triples of `subjects` in `graph` removed, then `quads` added.
pub fn replace_subjects(
    store: &OpenStore,
    graph: &NamedNode,
    subjects: &[NamedNode],
    quads: &[Quad],
) -> Result<()> {
    // A graph written for the first time has nothing to remove: the bulk loader writes it
    // (atomically too) many times faster than a transaction of that size.
    if !store.contains_named_graph(graph)? {
        let mut loader = store.bulk_loader();
        loader.load_quads(quads.iter().cloned())?;
        loader
            .commit()
            .context("cannot write the links; the store is unchanged")?;
        return store::flush(store);
    }
    let g = GraphName::NamedNode(graph.clone());
    let mut transaction = store.start_transaction()?;
    for subject in subjects {
        let old: Vec<Quad> = transaction
            .quads_for_pattern(Some(subject.as_ref().into()), None, None, Some(g.as_ref()))
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
    }
    transaction.extend(quads);
    transaction
        .commit()
        .context("cannot write the links; the store is unchanged")?;
    store::flush(store)
}
