//! The embedded store's side of the seam: an atomic bulk load and a transaction that rewrites a
//! graph's subjects. Queries and patterns go straight to the store from [`super::Backend`].

use super::{Load, Loaded, Replace};
use crate::input::load_error;
use crate::store::{self, OpenStore};
use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use oxigraph::io::RdfParseError;
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::LoaderError;

/// Loads every input, all or nothing. Added triples go through the bulk loader. A load that
/// replaces graphs ([`Replace::Touched`], or [`Replace::These`] when one of them holds triples)
/// keeps the parsed triples and, if a graph it replaces holds triples already, empties those
/// graphs and writes in one transaction, so that readers, and a store whose writer was killed,
/// have the old graphs or the new ones, never an empty one.
pub fn load(
    store: &OpenStore,
    load: &Load<'_>,
    observe: &mut dyn FnMut(&Quad),
    bar: &ProgressBar,
) -> Result<Loaded> {
    match &load.replace {
        Replace::Touched => return replace_graphs(store, load, None, observe, bar),
        Replace::These(graphs) => {
            for graph in graphs {
                if holds(store, &graph.clone().into())? {
                    return replace_graphs(store, load, Some(graphs.as_slice()), observe, bar);
                }
            }
        }
        Replace::Nothing => {}
    }
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
    bar.set_message("committing");
    loader
        .commit()
        .context("cannot commit the load; the store is unchanged")?;
    store::flush(store)?;
    Ok(loaded)
}

/// [`load`] replacing `these` graphs, or else every graph the inputs write into (and the target).
fn replace_graphs(
    store: &OpenStore,
    load: &Load<'_>,
    these: Option<&[NamedNode]>,
    observe: &mut dyn FnMut(&Quad),
    bar: &ProgressBar,
) -> Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut quads: Vec<Quad> = Vec::new();
    let mut touched: Vec<GraphName> = Vec::new();
    for input in load.inputs {
        bar.set_message(input.name());
        let mut parsed = load.parser(input)?.for_reader(input.open()?);
        for quad in parsed.by_ref() {
            let quad = quad
                .map_err(|e| crate::input::parse_error(&input.name(), e, "nothing was loaded"))?;
            observe(&quad);
            if !touched.contains(&quad.graph_name) {
                touched.push(quad.graph_name.clone());
            }
            quads.push(quad);
            if quads.len().is_multiple_of(4096) {
                bar.inc(4096);
            }
        }
        loaded.prefixes.extend(
            parsed
                .prefixes()
                .map(|(name, ns)| (name.to_owned(), ns.to_owned())),
        );
    }
    // The target graph is replaced even when the inputs gave it no triple: PUT of an empty body.
    match &load.target {
        super::Target::Graph(graph) if !touched.contains(&graph.clone().into()) => {
            touched.push(graph.clone().into());
        }
        super::Target::DefaultGraph if !touched.contains(&GraphName::DefaultGraph) => {
            touched.push(GraphName::DefaultGraph);
        }
        _ => {}
    }
    if let Some(these) = these {
        touched = these.iter().cloned().map(GraphName::from).collect();
    }
    loaded.triples = quads.len() as u64;
    bar.set_message("committing");
    let mut occupied = false;
    for graph in &touched {
        occupied |= holds(store, graph)?;
    }
    if occupied {
        let mut transaction = store.start_transaction()?;
        for graph in &touched {
            transaction.clear_graph(graph.as_ref())?;
        }
        transaction.extend(&quads);
        transaction
            .commit()
            .context("cannot commit the load; the store is unchanged")?;
    } else {
        let mut loader = store.bulk_loader();
        loader.load_quads(quads)?;
        loader
            .commit()
            .context("cannot commit the load; the store is unchanged")?;
    }
    store::flush(store)?;
    Ok(loaded)
}

/// Whether `graph` holds a triple.
fn holds(store: &OpenStore, graph: &GraphName) -> Result<bool> {
    Ok(store
        .quads_for_pattern(None, None, None, Some(graph.as_ref()))
        .next()
        .transpose()?
        .is_some())
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
