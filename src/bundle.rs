//! The bundled graph: the ontology and data files embedded in the binary, loaded into a store the
//! first time it is used and reloaded, graph by graph, when the bundled files change.
//!
//! A Turtle file goes into a named graph of its own (`graph:` + its path without extension); a
//! TriG file into the graphs it names, its default graph into its own named graph. Which graphs
//! each bundled file filled, and a hash of the file, are kept in `mss-kg-bundle.tsv` in the store
//! folder, so that a changed file replaces exactly its own graphs and nothing a user loaded.

use crate::prefixes::{BASE, GRAPH};
use anyhow::{Context, Result, anyhow};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Name of the file recording what the bundled graph put in a store.
pub const MARKER_FILE: &str = "mss-kg-bundle.tsv";

/// Every bundled file (ontology, data and saved queries): `(path, contents, hash)`, sorted by
/// path; the hash is computed at build time.
pub fn files() -> &'static [(&'static str, &'static str, u64)] {
    generated::FILES
}

/// The bundled RDF files: those under `ontology/` and `data/`.
pub fn rdf_files() -> impl Iterator<Item = (&'static str, &'static str, u64)> {
    files().iter().copied().filter(|(path, _, _)| {
        (path.starts_with("ontology/") || path.starts_with("data/")) && format_of(path).is_some()
    })
}

/// The named graph that receives a bundled file's default graph.
pub fn graph_of(path: &str) -> NamedNode {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    NamedNode::new_unchecked(format!("{GRAPH}{stem}"))
}

fn format_of(path: &str) -> Option<RdfFormat> {
    let ext = path.rsplit_once('.')?.1;
    matches!(ext, "ttl" | "trig" | "nt" | "nq").then(|| RdfFormat::from_extension(ext))?
}

/// What the marker file says: for each bundled path, its hash and the graphs it filled.
type Marker = BTreeMap<String, (u64, Vec<String>)>;

fn read_marker(dir: &Path) -> Marker {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER_FILE)) else {
        return Marker::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let path = cols.next()?.to_owned();
            let hash = u64::from_str_radix(cols.next()?, 16).ok()?;
            let graphs = cols
                .next()
                .unwrap_or("")
                .split(' ')
                .filter(|g| !g.is_empty());
            Some((path, (hash, graphs.map(str::to_owned).collect())))
        })
        .collect()
}

fn write_marker(dir: &Path, marker: &Marker) -> Result<()> {
    let mut text = String::new();
    for (path, (hash, graphs)) in marker {
        text.push_str(&format!("{path}\t{hash:016x}\t{}\n", graphs.join(" ")));
    }
    let tmp = dir.join(format!("{MARKER_FILE}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, dir.join(MARKER_FILE)))
        .with_context(|| format!("cannot write '{}'", dir.join(MARKER_FILE).display()))
}

/// Whether the store in `dir` holds the bundled graph of this binary.
pub fn is_current(dir: &Path) -> bool {
    let marker = read_marker(dir);
    marker.len() == rdf_files().count()
        && rdf_files().all(|(path, _, hash)| marker.get(path).is_some_and(|(h, _)| *h == hash))
}

/// Parses a bundled file into quads, its default graph moved into its own named graph.
pub fn parse(path: &str, text: &str) -> Result<Vec<Quad>> {
    let format = format_of(path).ok_or_else(|| anyhow!("{path}: unknown RDF format"))?;
    let parser = RdfParser::from_format(format)
        .with_base_iri(BASE)
        .map_err(|e| anyhow!("{e}"))?
        .with_default_graph(graph_of(path))
        .rename_blank_nodes();
    parser
        .for_slice(text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("bundled file {path}: {e}"))
}

/// Loads the bundled files that the store lacks or holds in an older version, in one transaction;
/// `dir` is where the marker lives (`None` for an in-memory store, which always starts empty).
pub fn sync(store: &Store, dir: Option<&Path>) -> Result<()> {
    let old = dir.map(read_marker).unwrap_or_default();
    let mut new = Marker::new();
    let mut stale: BTreeSet<String> = BTreeSet::new();
    let mut load: Vec<Quad> = Vec::new();
    for (path, text, h) in rdf_files() {
        if let Some((old_hash, graphs)) = old.get(path)
            && *old_hash == h
        {
            new.insert(path.to_owned(), (h, graphs.clone()));
            continue;
        }
        let quads = parse(path, text)?;
        let graphs: BTreeSet<String> = quads
            .iter()
            .filter_map(|q| match &q.graph_name {
                GraphName::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        stale.extend(graphs.iter().cloned());
        if let Some((_, old_graphs)) = old.get(path) {
            stale.extend(old_graphs.iter().cloned());
        }
        new.insert(path.to_owned(), (h, graphs.into_iter().collect()));
        load.extend(quads);
    }
    for (path, (_, graphs)) in &old {
        if !new.contains_key(path) {
            stale.extend(graphs.iter().cloned());
        }
    }
    if stale.is_empty() && load.is_empty() && old.len() == new.len() {
        return Ok(());
    }
    let mut transaction = store.start_transaction()?;
    for graph in &stale {
        let graph = NamedOrBlankNode::from(NamedNode::new_unchecked(graph.as_str()));
        transaction.remove_named_graph(&graph)?;
    }
    transaction.extend(&load);
    transaction
        .commit()
        .context("cannot load the bundled graph")?;
    if let Some(dir) = dir {
        store.flush().context("cannot flush the store to disk")?;
        write_marker(dir, &new)?;
    }
    Ok(())
}

/// The named graphs that the bundled files fill, sorted by IRI.
pub fn graphs() -> Result<Vec<NamedNode>> {
    let mut graphs = BTreeSet::new();
    for (path, text, _) in rdf_files() {
        for quad in parse(path, text)? {
            if let GraphName::NamedNode(n) = quad.graph_name {
                graphs.insert(n.into_string());
            }
        }
    }
    Ok(graphs.into_iter().map(NamedNode::new_unchecked).collect())
}
