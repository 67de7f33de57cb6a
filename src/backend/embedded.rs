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

/// Loads every input, all or nothing. Added triples go through the bulk loader. A
/// [`Replace::Touched`] load (a PUT) keeps the parsed triples and, if a graph it replaces holds
/// triples already, empties those graphs and writes in one transaction, so that readers, and a
/// store whose writer was killed, have the old graphs or the new ones, never an empty one. A
/// [`Replace::These`] load (a file linked again) bulk-loads its triples into the graphs, then
/// removes what the graphs held that the inputs do not: a writer killed in between leaves the
/// new triples and the old ones, never an empty graph, in bounded transactions (one transaction
/// for a graph of millions would hold them all in memory; benches/link.sh, "--apply again").
pub fn load(
    store: &OpenStore,
    load: &Load<'_>,
    observe: &mut dyn FnMut(&Quad),
    bar: &ProgressBar,
) -> Result<Loaded> {
    match &load.replace {
        Replace::Touched => replace_graphs(store, load, observe, bar),
        Replace::These(graphs) => {
            let graphs: Vec<GraphName> = graphs.iter().cloned().map(GraphName::from).collect();
            let mut occupied = false;
            for graph in &graphs {
                occupied |= holds(store, graph)?;
            }
            if !occupied {
                let loaded = bulk_load(store, load, observe, bar)?;
                store::flush(store)?;
                return Ok(loaded);
            }
            // What the inputs write into these graphs, as hashes: what else they hold is stale.
            let mut fresh = hashbrown::HashSet::new();
            let loaded = bulk_load(
                store,
                load,
                &mut |quad| {
                    observe(quad);
                    if graphs.contains(&quad.graph_name) {
                        fresh.insert(triple_hash(quad));
                    }
                },
                bar,
            )?;
            bar.set_message("removing what the graphs held before");
            remove_stale(store, &graphs, &fresh)?;
            store::flush(store)?;
            Ok(loaded)
        }
        Replace::Nothing => {
            let loaded = bulk_load(store, load, observe, bar)?;
            store::flush(store)?;
            Ok(loaded)
        }
    }
}

/// The inputs through the bulk loader, committed at once (not yet flushed: see [`store::flush`]).
fn bulk_load(
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
    bar.set_message("committing");
    loader
        .commit()
        .context("cannot commit the load; the store is unchanged")?;
    Ok(loaded)
}

/// A 128-bit hash of a quad's triple, its blank nodes by their identifiers in the store.
fn triple_hash(quad: &Quad) -> u128 {
    use std::hash::{BuildHasher, Hash, Hasher};
    // Two keyed hashes of the same triple: 128 bits, so that two triples of a million collide
    // with a chance of 1 in 10^26 (and a collision keeps a stale triple, never loses one).
    static KEYS: std::sync::OnceLock<(std::hash::RandomState, std::hash::RandomState)> =
        std::sync::OnceLock::new();
    let (a, b) = KEYS.get_or_init(Default::default);
    let half = |state: &std::hash::RandomState| {
        let mut h = state.build_hasher();
        quad.subject.hash(&mut h);
        quad.predicate.hash(&mut h);
        quad.object.hash(&mut h);
        h.finish()
    };
    (u128::from(half(a)) << 64) | u128::from(half(b))
}

/// How many quads one transaction removes at most: bounded memory however much is stale.
const REMOVED_PER_TRANSACTION: usize = 50_000;

/// Removes from `graphs` each triple whose hash is not `fresh`, in transactions of a bounded
/// size (what the graphs hold that the new inputs do not: a killed run leaves some of it).
fn remove_stale(
    store: &OpenStore,
    graphs: &[GraphName],
    fresh: &hashbrown::HashSet<u128>,
) -> Result<()> {
    let cannot = "cannot remove what the graph held before; its new triples are all in it";
    for graph in graphs {
        let mut stale = Vec::new();
        // The iterator reads a snapshot: removing as it goes changes nothing it yields.
        for quad in store.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
            let quad = quad?;
            if !fresh.contains(&triple_hash(&quad)) {
                stale.push(quad);
            }
            if stale.len() == REMOVED_PER_TRANSACTION {
                remove_all(store, &mut stale).context(cannot)?;
            }
        }
        remove_all(store, &mut stale).context(cannot)?;
    }
    Ok(())
}

fn remove_all(store: &OpenStore, quads: &mut Vec<Quad>) -> Result<()> {
    if quads.is_empty() {
        return Ok(());
    }
    let mut transaction = store.start_transaction()?;
    for quad in quads.drain(..) {
        transaction.remove(quad.as_ref());
    }
    transaction.commit()?;
    Ok(())
}

/// [`load`] with [`Replace::Touched`]: every graph the inputs write into (and the target).
fn replace_graphs(
    store: &OpenStore,
    load: &Load<'_>,
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
