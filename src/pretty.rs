//! Pretty, deterministic Turtle and TriG, and sorted RDF/XML and JSON-LD.
//!
//! A [`Doc`] holds quads compactly (each distinct term once, quads as four term numbers). When it
//! is written, its blank nodes are put in a canonical order, every term is numbered in a fixed
//! order (IRIs by IRI, then literals, then blank nodes in that canonical order), and the quads
//! are sorted on those numbers: so the same graph gives the same bytes, whatever order its
//! triples were loaded in and whatever its blank nodes were called.
//!
//! The canonical order of blank nodes comes from colour refinement: each blank node is hashed
//! from its quads (with a fixed hash of the IRIs and literals in them), then again with its
//! neighbours' hashes, until the hashes stop splitting. Blank nodes that still share a hash are
//! then interchangeable when they hang, as nested `[ ... ]` do, in a tree below an IRI: writing
//! them in either order gives the same bytes. Any other tie (blank nodes shared or in cycles)
//! falls back to RDF Dataset Canonicalization (RDFC-1.0), which is exact but much slower.
//!
//! The Turtle layout: `@prefix` lines for the prefixes used, then one block per subject (the
//! graph's own node first, then an `owl:Ontology` header, then IRIs in order, then blank nodes),
//! `a` first among predicates, then labels, then the others by IRI; objects of a predicate
//! joined with `,`; numbers and booleans bare; a blank node referenced once written inline as
//! `[ ... ]`, an RDF list as `( ... )`, other blank nodes labelled `_:b0`, `_:b1`... in order of
//! first appearance.
//!
//! Memory: the terms and quads of what is written, sorted in memory (about 150 bytes a distinct
//! term plus 16 bytes a quad); the output itself is written as it is produced.

use crate::prefixes::PrefixMap;
use anyhow::{Context, Result};
use hashbrown::{DefaultHashBuilder, HashTable, hash_table::Entry};
use indicatif::ProgressBar;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad,
    QuadRef, Term, TermRef, vocab::rdf, vocab::xsd,
};
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::io::Write;

/// The graph number of the default graph in a [`Doc`].
const DEFAULT_GRAPH: u32 = u32::MAX;

/// Lines are kept within this many columns where a break is possible.
const WIDTH: usize = 100;

/// Predicates written before all others, in this order (`rdf:type` first, as `a`).
const FIRST_PREDICATES: [&str; 5] = [
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://schema.org/name",
    "http://purl.org/dc/terms/title",
];
const OWL_ONTOLOGY: &str = "http://www.w3.org/2002/07/owl#Ontology";

/// Quads held for sorting: each distinct term stored once, each quad as four term numbers.
#[derive(Default)]
pub struct Doc {
    terms: Vec<Term>,
    /// Term numbers, by hash of the term: finds a term's number without a second copy of it.
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
    quads: Vec<[u32; 4]>,
    merge: bool,
    /// When merging: the one named graph every quad came from, if they all came from one (its
    /// node then comes first, as in TriG); `Err(())` once a second one was seen.
    sole_graph: Option<Result<NamedNode, ()>>,
}

impl Doc {
    /// An empty document; with `merge`, every quad goes into the default graph (for formats
    /// that hold one graph).
    pub fn new(merge: bool) -> Self {
        Self {
            merge,
            ..Self::default()
        }
    }

    pub fn insert(&mut self, quad: Quad) {
        let s = self.intern(quad.subject.into());
        let p = self.intern(quad.predicate.into());
        let o = self.intern(quad.object);
        if self.merge {
            match (&self.sole_graph, &quad.graph_name) {
                (None, GraphName::NamedNode(n)) => self.sole_graph = Some(Ok(n.clone())),
                (Some(Ok(sole)), GraphName::NamedNode(n)) if sole == n => {}
                (Some(Err(())), _) => {}
                _ => self.sole_graph = Some(Err(())),
            }
        }
        let g = match quad.graph_name {
            _ if self.merge => DEFAULT_GRAPH,
            GraphName::DefaultGraph => DEFAULT_GRAPH,
            GraphName::NamedNode(n) => self.intern(n.into()),
            GraphName::BlankNode(b) => self.intern(b.into()),
        };
        self.quads.push([s, p, o, g]);
    }

    /// How many quads were inserted (before duplicates are removed).
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    fn intern(&mut self, term: Term) -> u32 {
        let Self {
            terms,
            index,
            hasher,
            ..
        } = self;
        let hash = hasher.hash_one(&term);
        let entry = index.entry(
            hash,
            |&i| terms[i as usize] == term,
            |&i| hasher.hash_one(&terms[i as usize]),
        );
        match entry {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                let id = u32::try_from(terms.len()).expect("fewer than 2^32 distinct terms");
                e.insert(id);
                terms.push(term);
                id
            }
        }
    }

    fn is_blank(&self, id: u32) -> bool {
        id != DEFAULT_GRAPH && matches!(self.terms[id as usize], Term::BlankNode(_))
    }

    /// Canonical blank node labels, the terms renumbered in output order, the quads sorted.
    fn sort(self) -> Sorted {
        let canon = self.canonical_blank_nodes();
        let Doc {
            mut terms,
            mut quads,
            index,
            sole_graph,
            ..
        } = self;
        drop(index);
        let mut order: Vec<u32> = (0..terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (ta, tb) = (&terms[a as usize], &terms[b as usize]);
            kind(ta).cmp(&kind(tb)).then_with(|| match (ta, tb) {
                (Term::NamedNode(x), Term::NamedNode(y)) => x.as_str().cmp(y.as_str()),
                (Term::Literal(x), Term::Literal(y)) => x
                    .value()
                    .cmp(y.value())
                    .then_with(|| x.datatype().as_str().cmp(y.datatype().as_str()))
                    .then_with(|| x.language().cmp(&y.language())),
                _ => canon.get(&a).cmp(&canon.get(&b)),
            })
        });
        let mut new_id = vec![0u32; terms.len()];
        for (position, &old) in order.iter().enumerate() {
            new_id[old as usize] = position as u32;
        }
        permute(&mut terms, &new_id);
        drop(order);

        let first_literal = terms.partition_point(|t| kind(t) < 1) as u32;
        let first_blank = terms.partition_point(|t| kind(t) < 2) as u32;
        let first_predicates = FIRST_PREDICATES.map(|iri| iri_position(&terms, first_literal, iri));
        for quad in &mut quads {
            let p = new_id[quad[1] as usize];
            *quad = [
                new_id[quad[0] as usize],
                match first_predicates.iter().position(|&f| f == p) {
                    Some(rank) => rank as u32,
                    None => p + FIRST_PREDICATES.len() as u32,
                },
                new_id[quad[2] as usize],
                if quad[3] == DEFAULT_GRAPH {
                    0
                } else {
                    new_id[quad[3] as usize] + 1
                },
            ];
        }
        drop(new_id);
        // Sorted by graph, subject, predicate, object.
        quads.sort_unstable_by_key(|q| [q[3], q[0], q[1], q[2]]);
        quads.dedup();
        let merged_node = match sole_graph {
            Some(Ok(graph)) => Some(iri_position(&terms, first_literal, graph.as_str()))
                .filter(|&id| id != u32::MAX),
            _ => None,
        };
        Sorted {
            terms,
            quads,
            first_literal,
            first_blank,
            first_predicates,
            merged_node,
        }
    }

    /// The canonical rank of every blank node: by colour refinement, or by RDFC-1.0 when
    /// refinement leaves a tie it cannot vouch for (see the module documentation).
    fn canonical_blank_nodes(&self) -> HashMap<u32, u32> {
        let mut blank_quads: Vec<[u32; 4]> = self
            .quads
            .iter()
            .filter(|q| self.is_blank(q[0]) || self.is_blank(q[2]) || self.is_blank(q[3]))
            .copied()
            .collect();
        // A quad read twice is one quad: count it once.
        blank_quads.sort_unstable();
        blank_quads.dedup();
        if blank_quads.is_empty() {
            return HashMap::new();
        }
        let mut fixed: HashMap<u32, u64> = HashMap::new();
        let mut fixed_hash = |id: u32| -> u64 {
            if id == DEFAULT_GRAPH {
                return 0x9e37_79b9_7f4a_7c15;
            }
            *fixed
                .entry(id)
                .or_insert_with(|| stable_hash(&self.terms[id as usize]))
        };
        // Per quad: the hash of its IRIs and literals, and which positions hold blank nodes.
        let statics: Vec<u64> = blank_quads
            .iter()
            .map(|q| {
                let mut h = 0u64;
                for (position, &id) in q.iter().enumerate() {
                    let part = if self.is_blank(id) { 0 } else { fixed_hash(id) };
                    h = mix(h ^ mix(part.wrapping_add(position as u64)));
                }
                h
            })
            .collect();
        let mut colour: HashMap<u32, u64> = HashMap::new();
        for q in &blank_quads {
            for &id in q {
                if self.is_blank(id) {
                    colour.insert(id, 1);
                }
            }
        }
        let mut classes = 1;
        for _round in 0..64 {
            let mut next: HashMap<u32, u64> = colour.iter().map(|(&b, &c)| (b, mix(c))).collect();
            for (q, &fixed_part) in blank_quads.iter().zip(&statics) {
                // What the quad says about each of its blank nodes: its position, the fixed
                // terms, and the colours of the other blank nodes in it.
                let mut others = [0u64; 4];
                for (position, &id) in q.iter().enumerate() {
                    if self.is_blank(id) {
                        others[position] = colour[&id];
                    }
                }
                for (position, &id) in q.iter().enumerate() {
                    if !self.is_blank(id) {
                        continue;
                    }
                    let mut h = mix(fixed_part ^ (position as u64 + 1));
                    for (other, c) in others.iter().enumerate() {
                        if other != position && *c != 0 {
                            h = mix(h ^ mix(c.wrapping_add(other as u64)));
                        }
                    }
                    let entry = next.get_mut(&id).expect("every blank node has a colour");
                    *entry = entry.wrapping_add(h);
                }
            }
            let count = next.values().collect::<HashSet<_>>().len();
            colour = next;
            if count == classes {
                break;
            }
            classes = count;
        }
        let mut order: Vec<(u64, u32)> = colour.iter().map(|(&b, &c)| (c, b)).collect();
        order.sort_unstable();
        let tied: Vec<u32> = order
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|class| class.len() > 1)
            .flat_map(|class| class.iter().map(|&(_, b)| b))
            .collect();
        if !tied.is_empty() {
            let trees = self.tree_nodes(&blank_quads);
            if !tied.iter().all(|b| trees.contains(b)) {
                return self.rdfc_blank_nodes(&blank_quads);
            }
        }
        order
            .into_iter()
            .enumerate()
            .map(|(rank, (_, b))| (b, rank as u32))
            .collect()
    }

    /// Blank nodes that hang in a tree below an IRI subject: each the object of exactly one
    /// quad, in one graph, whose subject is an IRI or such a node.
    fn tree_nodes(&self, blank_quads: &[[u32; 4]]) -> HashSet<u32> {
        let mut references: HashMap<u32, u32> = HashMap::new();
        let mut graph_names: HashSet<u32> = HashSet::new();
        for q in blank_quads {
            if self.is_blank(q[2]) {
                *references.entry(q[2]).or_default() += 1;
            }
            if self.is_blank(q[3]) {
                graph_names.insert(q[3]);
            }
        }
        let mut by_subject: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut trees = HashSet::new();
        let mut stack = Vec::new();
        for q in blank_quads {
            if self.is_blank(q[2]) && references[&q[2]] == 1 {
                if self.is_blank(q[0]) {
                    by_subject.entry(q[0]).or_default().push(q[2]);
                } else {
                    stack.push(q[2]);
                }
            }
        }
        while let Some(b) = stack.pop() {
            if graph_names.contains(&b) || !trees.insert(b) {
                continue;
            }
            stack.extend(by_subject.get(&b).into_iter().flatten());
        }
        trees
    }

    /// The RDFC-1.0 canonical number of every blank node (`c14n<N>` gives N).
    fn rdfc_blank_nodes(&self, blank_quads: &[[u32; 4]]) -> HashMap<u32, u32> {
        let mut dataset = oxrdf::Dataset::new();
        for &[s, p, o, g] in blank_quads {
            let subject = match &self.terms[s as usize] {
                Term::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                Term::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                _ => unreachable!("subjects are IRIs or blank nodes"),
            };
            let Term::NamedNode(predicate) = &self.terms[p as usize] else {
                unreachable!("predicates are IRIs")
            };
            let graph = match g {
                DEFAULT_GRAPH => GraphNameRef::DefaultGraph,
                g => match &self.terms[g as usize] {
                    Term::NamedNode(n) => GraphNameRef::from(n),
                    Term::BlankNode(b) => GraphNameRef::from(b),
                    _ => unreachable!("graph names are IRIs or blank nodes"),
                },
            };
            dataset.insert(QuadRef::new(
                subject,
                predicate,
                &self.terms[o as usize],
                graph,
            ));
        }
        let labels = dataset.canonicalize_blank_nodes(CanonicalizationAlgorithm::Rdfc10 {
            hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
        });
        let number: HashMap<&str, u32> = labels
            .iter()
            .map(|(from, to)| {
                let n = to.as_str().trim_start_matches("c14n").parse().unwrap_or(0);
                (from.as_str(), n)
            })
            .collect();
        let mut ranks = HashMap::new();
        for q in blank_quads {
            for &id in q {
                if self.is_blank(id)
                    && let Term::BlankNode(b) = &self.terms[id as usize]
                {
                    ranks.insert(id, number[b.as_str()]);
                }
            }
        }
        ranks
    }
}

/// A hash of a term that does not change between runs, machines or builds (FNV-1a, mixed).
fn stable_hash(term: &Term) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h = (h ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    };
    match term {
        Term::NamedNode(n) => {
            feed(b"I");
            feed(n.as_str().as_bytes());
        }
        Term::Literal(l) => {
            feed(b"L");
            feed(l.value().as_bytes());
            feed(l.datatype().as_str().as_bytes());
            feed(l.language().unwrap_or("").as_bytes());
        }
        _ => feed(b"B"),
    }
    mix(h)
}

/// splitmix64's finaliser: spreads every input bit over the output.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// 0 for IRIs, 1 for literals, 2 for blank nodes (and anything else): the output order of kinds.
fn kind(term: &Term) -> u8 {
    match term {
        Term::NamedNode(_) => 0,
        Term::Literal(_) => 1,
        #[allow(unreachable_patterns)]
        _ => 2,
    }
}

/// The term number of an IRI among sorted terms (IRIs first, up to `first_literal`), or
/// `u32::MAX` if there is none.
fn iri_position(terms: &[Term], first_literal: u32, iri: &str) -> u32 {
    terms[..first_literal as usize]
        .binary_search_by(|t| term_iri(t).cmp(iri))
        .map_or(u32::MAX, |i| i as u32)
}

fn term_iri(term: &Term) -> &str {
    match term {
        Term::NamedNode(n) => n.as_str(),
        _ => "",
    }
}

/// Moves `items[i]` to `items[new_position[i]]`, in place.
fn permute<T>(items: &mut [T], new_position: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        // Follow the cycle that starts here, swapping each item into place.
        let mut i = start;
        loop {
            done[i] = true;
            let target = new_position[i] as usize;
            if target == start {
                break;
            }
            items.swap(start, target);
            i = target;
        }
    }
}

/// A sorted document: terms in output order, quads as `[graph, subject, predicate, object]`
/// sorted, where graph 0 is the default graph and `n + 1` is term n, and a predicate below
/// `FIRST_PREDICATES.len()` stands for that one of [`FIRST_PREDICATES`].
struct Sorted {
    terms: Vec<Term>,
    quads: Vec<[u32; 4]>,
    first_literal: u32,
    first_blank: u32,
    first_predicates: [u32; FIRST_PREDICATES.len()],
    /// The node of the one graph merged into the default graph, if it is a term of the document.
    merged_node: Option<u32>,
}

// The quads are stored with the graph last but sorted graph-first; these name the positions.
const S: usize = 0;
const P: usize = 1;
const O: usize = 2;
const G: usize = 3;

impl Sorted {
    fn predicate(&self, key: u32) -> u32 {
        match self.first_predicates.get(key as usize) {
            Some(&id) => id,
            None => key - FIRST_PREDICATES.len() as u32,
        }
    }

    fn is_blank(&self, id: u32) -> bool {
        id >= self.first_blank
    }

    fn graphs(&self) -> impl Iterator<Item = (u32, &[[u32; 4]])> {
        self.quads
            .chunk_by(|a, b| a[G] == b[G])
            .map(|chunk| (chunk[0][G], chunk))
    }

    fn quad(&self, q: &[u32; 4]) -> QuadRef<'_> {
        let subject = match &self.terms[q[S] as usize] {
            Term::NamedNode(n) => NamedOrBlankNodeRef::from(n),
            Term::BlankNode(b) => NamedOrBlankNodeRef::from(b),
            _ => unreachable!("subjects are IRIs or blank nodes"),
        };
        let Term::NamedNode(predicate) = &self.terms[self.predicate(q[P]) as usize] else {
            unreachable!("predicates are IRIs")
        };
        let graph = match q[G] {
            0 => GraphNameRef::DefaultGraph,
            g => match &self.terms[g as usize - 1] {
                Term::NamedNode(n) => GraphNameRef::from(n),
                Term::BlankNode(b) => GraphNameRef::from(b),
                _ => unreachable!("graph names are IRIs or blank nodes"),
            },
        };
        QuadRef::new(subject, predicate, &self.terms[q[O] as usize], graph)
    }
}

/// Writes `doc` in `format`: Turtle and TriG pretty, other formats as sorted quads with
/// canonical blank node labels. Returns how many distinct triples were written.
pub fn write(
    doc: Doc,
    format: RdfFormat,
    prefixes: &PrefixMap,
    out: &mut dyn Write,
    progress: &ProgressBar,
) -> Result<u64> {
    progress.set_message("sorting");
    let sorted = doc.sort();
    progress.set_message("writing");
    let total = sorted.quads.len() as u64;
    match format {
        RdfFormat::Turtle | RdfFormat::TriG => {
            Writer::new(&sorted, prefixes).write(out, progress)?
        }
        _ => {
            let used = used_prefixes(&sorted, prefixes);
            let invalid = |name: &str, ns: &str| format!("invalid prefix {name}: <{ns}>");
            // JSON-LD through oxjsonld itself: oxrdfio's serializer drops its prefixes, and a
            // document should say in its `@context` what its prefixes are.
            let mut serializer = if matches!(format, RdfFormat::JsonLd { .. }) {
                let mut json = oxjsonld::JsonLdSerializer::new();
                for (name, ns) in used {
                    json = json
                        .with_prefix(name, ns)
                        .with_context(|| invalid(name, ns))?;
                }
                QuadSink::JsonLd(json.for_writer(out))
            } else {
                let mut serializer = RdfSerializer::from_format(format);
                for (name, ns) in used {
                    serializer = serializer
                        .with_prefix(name, ns)
                        .with_context(|| invalid(name, ns))?;
                }
                QuadSink::Rdf(serializer.for_writer(out))
            };
            // `b0`, `b1`... in canonical order.
            let relabel = |id: u32| {
                sorted
                    .is_blank(id)
                    .then(|| BlankNode::new_unchecked(format!("b{}", id - sorted.first_blank)))
            };
            for (i, q) in sorted.quads.iter().enumerate() {
                let quad = sorted.quad(q);
                let subject_label = relabel(q[S]);
                let object_label = relabel(q[O]);
                let graph_label = if q[G] == 0 { None } else { relabel(q[G] - 1) };
                let quad = QuadRef::new(
                    subject_label
                        .as_ref()
                        .map_or(quad.subject, NamedOrBlankNodeRef::from),
                    quad.predicate,
                    object_label.as_ref().map_or(quad.object, TermRef::from),
                    graph_label
                        .as_ref()
                        .map_or(quad.graph_name, GraphNameRef::from),
                );
                serializer.serialize_quad(quad)?;
                if i % 4096 == 4095 {
                    progress.inc(4096);
                }
            }
            serializer.finish()?;
        }
    }
    progress.set_position(total);
    Ok(total)
}

/// Where sorted quads go in formats other than Turtle and TriG.
enum QuadSink<'w> {
    Rdf(oxigraph::io::WriterQuadSerializer<&'w mut dyn Write>),
    JsonLd(oxjsonld::WriterJsonLdSerializer<&'w mut dyn Write>),
}

impl QuadSink<'_> {
    fn serialize_quad(&mut self, quad: QuadRef<'_>) -> std::io::Result<()> {
        match self {
            QuadSink::Rdf(s) => s.serialize_quad(quad),
            QuadSink::JsonLd(s) => s.serialize_quad(quad),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            QuadSink::Rdf(s) => s.finish().map(drop),
            QuadSink::JsonLd(s) => s.finish().map(drop),
        }
    }
}

/// The `(name, namespace)` pairs of `prefixes` that some IRI of `sorted` is written with.
fn used_prefixes<'a>(sorted: &Sorted, prefixes: &'a PrefixMap) -> Vec<(&'a str, &'a str)> {
    let mut used = vec![false; prefixes.entries().len()];
    for term in &sorted.terms {
        match term {
            Term::NamedNode(n) => {
                if let Some((i, _)) = prefixes.find(n.as_str()) {
                    used[i] = true;
                }
            }
            Term::Literal(l) => {
                if let Some((i, _)) = prefixes.find(l.datatype().as_str()) {
                    used[i] = true;
                }
            }
            _ => {}
        }
    }
    prefixes
        .entries()
        .iter()
        .zip(used)
        .filter(|(_, used)| *used)
        .map(|((name, ns), _)| (name.as_str(), ns.as_str()))
        .collect()
}

/// The pretty Turtle/TriG writer over a sorted document.
struct Writer<'a> {
    doc: &'a Sorted,
    prefixes: &'a PrefixMap,
    /// The term numbers of rdf:first, rdf:rest and rdf:nil (`u32::MAX` if absent).
    rdf_first: u32,
    rdf_rest: u32,
    rdf_nil: u32,
    /// For each IRI term: the prefix it is written with and the length of its namespace.
    iri_prefix: Vec<Option<(u16, u32)>>,
    /// Datatype IRIs as written (prefixed or `<...>`).
    datatypes: HashMap<&'a str, String>,
    /// Blank nodes that appear in more than one graph or name a graph: always labelled.
    pinned: HashSet<u32>,
    /// Labels given so far, in order of first appearance.
    labels: HashMap<u32, usize>,
}

/// What the writer decided for one graph: which blank nodes go inline, and the lists.
struct GraphPlan<'a> {
    quads: &'a [[u32; 4]],
    /// Blank nodes referenced as objects in this graph.
    referenced: HashSet<u32>,
    /// Blank nodes written where they are referenced, as `[ ... ]` or as a list.
    inline: HashSet<u32>,
    /// List heads and their items.
    lists: HashMap<u32, Vec<u32>>,
    /// Every node of those lists' chains: their rdf:first and rdf:rest are not written.
    list_nodes: HashSet<u32>,
}

impl GraphPlan<'_> {
    /// The quads whose subject is `subject`.
    fn about(&self, subject: u32) -> &[[u32; 4]] {
        let start = self.quads.partition_point(|q| q[S] < subject);
        let end = start + self.quads[start..].partition_point(|q| q[S] == subject);
        &self.quads[start..end]
    }

    fn subjects(&self) -> impl Iterator<Item = u32> + '_ {
        self.quads.chunk_by(|a, b| a[S] == b[S]).map(|c| c[0][S])
    }
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Sorted, prefixes: &'a PrefixMap) -> Self {
        let iri_prefix = doc.terms[..doc.first_literal as usize]
            .iter()
            .map(|t| {
                prefixes
                    .find(term_iri(t))
                    .map(|(i, len)| (i as u16, len as u32))
            })
            .collect();
        let mut datatypes = HashMap::new();
        for term in &doc.terms[doc.first_literal as usize..doc.first_blank as usize] {
            if let Term::Literal(l) = term
                && needs_datatype(l.value(), l.datatype())
            {
                let dt = l.datatype().as_str();
                datatypes
                    .entry(dt)
                    .or_insert_with(|| compact_iri(prefixes, dt));
            }
        }
        let mut graphs_of_blank: HashMap<u32, u32> = HashMap::new();
        let mut pinned = HashSet::new();
        for q in &doc.quads {
            for id in [q[S], q[O]] {
                if doc.is_blank(id) && *graphs_of_blank.entry(id).or_insert(q[G]) != q[G] {
                    pinned.insert(id);
                }
            }
            if q[G] > 0 && doc.is_blank(q[G] - 1) {
                pinned.insert(q[G] - 1);
            }
        }
        Self {
            doc,
            prefixes,
            rdf_first: iri_position(&doc.terms, doc.first_literal, rdf::FIRST.as_str()),
            rdf_rest: iri_position(&doc.terms, doc.first_literal, rdf::REST.as_str()),
            rdf_nil: iri_position(&doc.terms, doc.first_literal, rdf::NIL.as_str()),
            iri_prefix,
            datatypes,
            pinned,
            labels: HashMap::new(),
        }
    }

    fn write(mut self, out: &mut dyn Write, progress: &ProgressBar) -> Result<()> {
        let plans: Vec<(u32, GraphPlan<'a>)> = self
            .doc
            .graphs()
            .map(|(graph, quads)| (graph, self.plan(quads)))
            .collect();
        let mut text = String::new();
        self.write_prefixes(&plans, &mut text);
        out.write_all(text.as_bytes())?;
        for (n, (graph, plan)) in plans.iter().enumerate() {
            let graph = *graph;
            text.clear();
            if n > 0 {
                text.push('\n');
            }
            let indent = if graph == 0 { 0 } else { 4 };
            if graph > 0 {
                self.term(graph - 1, &mut text);
                text.push_str(" {\n");
            }
            let graph_node = graph.checked_sub(1).or(self.doc.merged_node);
            let mut subjects: Vec<(u8, u32)> = plan
                .subjects()
                .filter(|s| !plan.inline.contains(s))
                .map(|s| (self.subject_group(s, graph_node, plan), s))
                .collect();
            subjects.sort_unstable();
            for (i, (group, subject)) in subjects.into_iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                let about = plan.about(subject);
                push_indent(&mut text, indent);
                if group == ANONYMOUS_ROOT {
                    text.push_str("[]");
                } else {
                    self.term(subject, &mut text);
                }
                text.push(' ');
                self.predicate_objects(about, indent + 4, plan, &mut text);
                text.push_str(" .\n");
                out.write_all(text.as_bytes())?;
                text.clear();
                progress.inc(about.len() as u64);
            }
            if graph > 0 {
                text.push_str("}\n");
            }
            out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// `@prefix` lines, sorted by name, for the prefixes the document will be written with.
    fn write_prefixes(&self, plans: &[(u32, GraphPlan<'_>)], text: &mut String) {
        let doc = self.doc;
        let mut written = vec![false; doc.first_literal as usize];
        let mut mark = |id: u32| {
            if id < doc.first_literal {
                written[id as usize] = true;
            }
        };
        for (graph, plan) in plans {
            if *graph > 0 {
                mark(graph - 1);
            }
            for q in plan.quads {
                if plan.list_nodes.contains(&q[S]) {
                    // Only the items of a list are written, not its rdf:first, rdf:rest, rdf:nil.
                    if doc.predicate(q[P]) == self.rdf_first {
                        mark(q[O]);
                    }
                    continue;
                }
                mark(q[S]);
                if q[P] != 0 {
                    mark(doc.predicate(q[P]));
                }
                mark(q[O]);
            }
        }
        let mut used = vec![false; self.prefixes.entries().len()];
        for (prefix, written) in self.iri_prefix.iter().zip(written) {
            if let (Some((i, _)), true) = (prefix, written) {
                used[*i as usize] = true;
            }
        }
        for dt in self.datatypes.keys() {
            if let Some((i, _)) = self.prefixes.find(dt) {
                used[i] = true;
            }
        }
        let mut lines: Vec<&(String, String)> = self
            .prefixes
            .entries()
            .iter()
            .zip(&used)
            .filter(|(_, used)| **used)
            .map(|(entry, _)| entry)
            .collect();
        lines.sort();
        for (name, ns) in &lines {
            let _ = write!(text, "@prefix {name}: ");
            push_iri(text, ns);
            text.push_str(" .\n");
        }
        if !lines.is_empty() && !doc.quads.is_empty() {
            text.push('\n');
        }
    }

    /// Decides, for one graph, which blank nodes are written inline and which lists as `( )`.
    fn plan(&self, quads: &'a [[u32; 4]]) -> GraphPlan<'a> {
        let doc = self.doc;
        let mut references: HashMap<u32, u32> = HashMap::new();
        for q in quads {
            if doc.is_blank(q[O]) {
                *references.entry(q[O]).or_default() += 1;
            }
        }
        let mut plan = GraphPlan {
            quads,
            referenced: references.keys().copied().collect(),
            inline: references
                .iter()
                .filter(|&(b, &n)| n == 1 && !self.pinned.contains(b))
                .map(|(&b, _)| b)
                .collect(),
            lists: HashMap::new(),
            list_nodes: HashSet::new(),
        };
        // A blank node referenced once but only from a cycle of such nodes is never reached
        // from a written subject: label the first of each cycle (in canonical order) instead.
        let mut reached: HashSet<u32> = HashSet::new();
        let mut stack: Vec<u32> = plan
            .subjects()
            .filter(|s| !plan.inline.contains(s))
            .collect();
        let mut candidates: Vec<u32> = plan.inline.iter().copied().collect();
        candidates.sort_unstable();
        let mut next = candidates.into_iter();
        loop {
            while let Some(node) = stack.pop() {
                for q in plan.about(node) {
                    if plan.inline.contains(&q[O]) && reached.insert(q[O]) {
                        stack.push(q[O]);
                    }
                }
            }
            match next.by_ref().find(|b| !reached.contains(b)) {
                Some(b) => {
                    plan.inline.remove(&b);
                    stack.push(b);
                }
                None => break,
            }
        }
        // Lists: chains of inline nodes that hold exactly one rdf:first, one rdf:rest and
        // nothing else, ending in rdf:nil. A head is such a node not reached by another's rest.
        let list_nodes: HashMap<u32, (u32, u32)> = plan
            .inline
            .iter()
            .filter_map(|&b| Some((b, self.list_node(&plan, b)?)))
            .collect();
        let rests: HashSet<u32> = list_nodes.values().map(|&(_, rest)| rest).collect();
        let mut heads: Vec<u32> = list_nodes
            .keys()
            .copied()
            .filter(|b| !rests.contains(b))
            .collect();
        heads.sort_unstable();
        for head in heads {
            let mut items = Vec::new();
            let mut chain = Vec::new();
            let mut node = head;
            let complete = loop {
                let Some(&(item, rest)) = list_nodes.get(&node) else {
                    break false;
                };
                items.push(item);
                chain.push(node);
                if rest == self.rdf_nil {
                    break true;
                }
                if chain.len() > list_nodes.len() {
                    break false;
                }
                node = rest;
            };
            if complete {
                plan.list_nodes.extend(chain);
                plan.lists.insert(head, items);
            }
        }
        plan
    }

    /// `(first, rest)` when `node` has exactly one rdf:first, one rdf:rest and nothing else.
    fn list_node(&self, plan: &GraphPlan<'_>, node: u32) -> Option<(u32, u32)> {
        let about = plan.about(node);
        let [a, b] = about else { return None };
        let (pa, pb) = (self.doc.predicate(a[P]), self.doc.predicate(b[P]));
        let (first, rest) = (self.rdf_first, self.rdf_rest);
        if first == u32::MAX || rest == u32::MAX {
            None
        } else if pa == first && pb == rest {
            Some((a[O], b[O]))
        } else if pb == first && pa == rest {
            Some((b[O], a[O]))
        } else {
            None
        }
    }

    /// Subjects in order: the graph's own node, an ontology header, IRIs, labelled blank nodes,
    /// then blank nodes nothing references (written `[] p o .`).
    fn subject_group(&self, subject: u32, graph: Option<u32>, plan: &GraphPlan<'_>) -> u8 {
        let doc = self.doc;
        if Some(subject) == graph {
            0
        } else if plan.about(subject).iter().any(|q| {
            q[P] == 0
                && q[O] < doc.first_literal
                && term_iri(&doc.terms[q[O] as usize]) == OWL_ONTOLOGY
        }) {
            1
        } else if !doc.is_blank(subject) {
            2
        } else if self.pinned.contains(&subject) || plan.referenced.contains(&subject) {
            3
        } else {
            ANONYMOUS_ROOT
        }
    }

    /// `p o, o ;\n<indent>p o` for the quads of one subject (no final `.` or `]`).
    fn predicate_objects(
        &mut self,
        about: &[[u32; 4]],
        indent: usize,
        plan: &GraphPlan<'_>,
        text: &mut String,
    ) {
        for (i, group) in about.chunk_by(|a, b| a[P] == b[P]).enumerate() {
            if i > 0 {
                text.push_str(" ;\n");
                push_indent(text, indent);
            }
            self.predicate(group[0][P], text);
            text.push(' ');
            // All objects on this line if they fit, else one a line.
            let mut width = line_width(text);
            let mut fits = true;
            for (j, q) in group.iter().enumerate() {
                if j > 0 {
                    width += 2;
                }
                match self.measure(q[O], WIDTH.saturating_sub(width), plan) {
                    Some(w) => width += w,
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            // Blank nodes that do not fit go one after the other, each over several lines:
            // `[\n ...\n], [\n ...\n]`; other objects one a line, indented once more.
            let nodes = !fits
                && group
                    .iter()
                    .all(|q| plan.inline.contains(&q[O]) && !plan.lists.contains_key(&q[O]));
            for (j, q) in group.iter().enumerate() {
                let line_indent = if j == 0 || fits || nodes {
                    indent
                } else {
                    indent + 4
                };
                if j > 0 && (fits || nodes) {
                    text.push_str(", ");
                } else if j > 0 {
                    text.push_str(",\n");
                    push_indent(text, line_indent);
                }
                if nodes {
                    self.node_over_lines(q[O], line_indent, plan, text);
                } else if fits {
                    self.structured(q[O], line_indent, true, plan, text);
                } else {
                    self.object(q[O], line_indent, plan, text);
                }
            }
        }
    }

    fn predicate(&mut self, key: u32, text: &mut String) {
        if key == 0 {
            text.push('a');
        } else {
            self.term(self.doc.predicate(key), text);
        }
    }

    /// The width of an object written on one line, if it is at most `budget` columns.
    fn measure(&self, id: u32, budget: usize, plan: &GraphPlan<'_>) -> Option<usize> {
        let width = if let Some(items) = plan.lists.get(&id) {
            let mut width = 1;
            for &item in items {
                width += 1 + self.measure(item, budget.checked_sub(width + 1)?, plan)?;
            }
            width + 2
        } else if plan.inline.contains(&id) {
            let about = plan.about(id);
            if about.is_empty() {
                2
            } else {
                let mut width = 2;
                for (i, group) in about.chunk_by(|a, b| a[P] == b[P]).enumerate() {
                    if i > 0 {
                        width += 3;
                    }
                    width += self.term_width(self.doc.predicate(group[0][P]), group[0][P] == 0);
                    for q in group {
                        width += 2;
                        width += self.measure(q[O], budget.checked_sub(width)?, plan)?;
                    }
                }
                width + 1
            }
        } else {
            self.term_width(id, false)
        };
        (width <= budget).then_some(width)
    }

    /// Columns a term takes (`usize::MAX / 2` for a string over several lines).
    fn term_width(&self, id: u32, is_a: bool) -> usize {
        if is_a {
            return 1;
        }
        if self.doc.is_blank(id) {
            return 4 + self.labels.len().max(1).ilog10() as usize;
        }
        let mut text = String::new();
        self.term_text(id, &mut text);
        if text.contains('\n') {
            usize::MAX / 2
        } else {
            text.chars().count()
        }
    }

    /// An object at a line indented by `indent`: on one line if it fits, else over several.
    fn object(&mut self, id: u32, indent: usize, plan: &GraphPlan<'_>, text: &mut String) {
        if !plan.lists.contains_key(&id) && !plan.inline.contains(&id) {
            return self.term(id, text);
        }
        let one_line = self
            .measure(id, WIDTH.saturating_sub(line_width(text)), plan)
            .is_some();
        self.structured(id, indent, one_line, plan, text);
    }

    /// An object on one line (known to fit), or a list or inline blank node over several.
    fn structured(
        &mut self,
        id: u32,
        indent: usize,
        one_line: bool,
        plan: &GraphPlan<'_>,
        text: &mut String,
    ) {
        if let Some(items) = plan.lists.get(&id) {
            if one_line {
                text.push('(');
                for &item in items {
                    text.push(' ');
                    self.structured(item, indent, true, plan, text);
                }
                text.push_str(" )");
            } else {
                text.push_str("(\n");
                for &item in items {
                    push_indent(text, indent + 4);
                    self.object(item, indent + 4, plan, text);
                    text.push('\n');
                }
                push_indent(text, indent);
                text.push(')');
            }
        } else if plan.inline.contains(&id) {
            let about = plan.about(id);
            if about.is_empty() {
                text.push_str("[]");
            } else if one_line {
                text.push_str("[ ");
                for (i, group) in about.chunk_by(|a, b| a[P] == b[P]).enumerate() {
                    if i > 0 {
                        text.push_str(" ; ");
                    }
                    self.predicate(group[0][P], text);
                    for (j, q) in group.iter().enumerate() {
                        text.push_str(if j == 0 { " " } else { ", " });
                        self.structured(q[O], indent, true, plan, text);
                    }
                }
                text.push_str(" ]");
            } else {
                self.node_over_lines(id, indent, plan, text);
            }
        } else {
            self.term(id, text);
        }
    }

    /// An inline blank node as `[`, its predicates one a line, `]`.
    fn node_over_lines(&mut self, id: u32, indent: usize, plan: &GraphPlan<'_>, text: &mut String) {
        let about = plan.about(id);
        if about.is_empty() {
            text.push_str("[]");
            return;
        }
        text.push_str("[\n");
        push_indent(text, indent + 4);
        self.predicate_objects(about, indent + 4, plan, text);
        text.push('\n');
        push_indent(text, indent);
        text.push(']');
    }

    /// An IRI, literal or blank node label, giving blank nodes their labels as they appear.
    fn term(&mut self, id: u32, text: &mut String) {
        if self.doc.is_blank(id) {
            let next = self.labels.len();
            let label = *self.labels.entry(id).or_insert(next);
            let _ = write!(text, "_:b{label}");
        } else {
            self.term_text(id, text);
        }
    }

    /// An IRI (prefixed where it can be) or a literal.
    fn term_text(&self, id: u32, text: &mut String) {
        match &self.doc.terms[id as usize] {
            Term::NamedNode(n) => match self.iri_prefix[id as usize] {
                Some((prefix, len)) => {
                    text.push_str(&self.prefixes.entries()[prefix as usize].0);
                    text.push(':');
                    text.push_str(&n.as_str()[len as usize..]);
                }
                None => push_iri(text, n.as_str()),
            },
            Term::Literal(l) => {
                let value = l.value();
                if let Some(language) = l.language() {
                    push_string(text, value);
                    text.push('@');
                    text.push_str(language);
                } else if !needs_datatype(value, l.datatype()) {
                    if l.datatype() == xsd::STRING {
                        push_string(text, value);
                    } else {
                        text.push_str(value);
                    }
                } else {
                    push_string(text, value);
                    text.push_str("^^");
                    text.push_str(&self.datatypes[l.datatype().as_str()]);
                }
            }
            other => unreachable!("not an IRI or literal: {other}"),
        }
    }
}

/// The subject group of blank nodes that nothing references.
const ANONYMOUS_ROOT: u8 = 4;

/// Whether a literal must be written with `^^datatype`: not for strings, nor for integers,
/// decimals, doubles and booleans written in their usual form (no sign `+`, no leading zeros),
/// which Turtle's bare syntax gives back unchanged and every parser reads alike.
fn needs_datatype(value: &str, datatype: NamedNodeRef<'_>) -> bool {
    if datatype == xsd::STRING || datatype == rdf::LANG_STRING {
        return false;
    }
    !((datatype == xsd::INTEGER && is_integer(value))
        || (datatype == xsd::DECIMAL && is_decimal(value))
        || (datatype == xsd::DOUBLE && is_double(value))
        || (datatype == xsd::BOOLEAN && matches!(value, "true" | "false")))
}

/// `-?(0|[1-9][0-9]*)`
fn is_integer(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// `-?(0|[1-9][0-9]*)\.[0-9]+`
fn is_decimal(value: &str) -> bool {
    match value.split_once('.') {
        Some((int, frac)) => {
            is_integer(int) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// `-?(0|[1-9][0-9]*)\.[0-9]+E-?(0|[1-9][0-9]*)` (either case of E), as Turtle's DOUBLE allows.
fn is_double(value: &str) -> bool {
    match value.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => is_decimal(mantissa) && is_integer(exponent),
        None => false,
    }
}

fn compact_iri(prefixes: &PrefixMap, iri: &str) -> String {
    match prefixes.find(iri) {
        Some((i, len)) => format!("{}:{}", prefixes.entries()[i].0, &iri[len..]),
        None => {
            let mut text = String::new();
            push_iri(&mut text, iri);
            text
        }
    }
}

/// `<iri>`, with the characters an IRIREF may not hold as `\u` escapes.
fn push_iri(text: &mut String, iri: &str) {
    text.push('<');
    for c in iri.chars() {
        if c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') {
            let _ = write!(text, "\\u{:04X}", c as u32);
        } else {
            text.push(c);
        }
    }
    text.push('>');
}

/// A string literal's quoted form: `"..."`, or `"""..."""` when it holds line breaks.
fn push_string(text: &mut String, value: &str) {
    let long = value.contains('\n');
    text.push_str(if long { "\"\"\"" } else { "\"" });
    for c in value.chars() {
        match c {
            '\\' => text.push_str("\\\\"),
            '"' => text.push_str("\\\""),
            '\n' if long => text.push('\n'),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            '\t' => text.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(text, "\\u{:04X}", c as u32);
            }
            c => text.push(c),
        }
    }
    text.push_str(if long { "\"\"\"" } else { "\"" });
}

fn push_indent(text: &mut String, indent: usize) {
    text.extend(std::iter::repeat_n(' ', indent));
}

/// Columns taken on the last line of `text` so far.
fn line_width(text: &str) -> usize {
    let line = text.rsplit('\n').next().unwrap_or(text);
    line.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_numbers_only_where_turtle_reads_them_back() {
        assert!(is_integer("-12") && is_integer("0") && !is_integer("007") && !is_integer("+1"));
        assert!(!is_integer("1.0") && !is_integer("-") && !is_integer(""));
        assert!(is_decimal("1.5") && is_decimal("-0.5") && !is_decimal("-.5") && !is_decimal("1."));
        assert!(is_double("1.0e3") && is_double("1.5E-2") && !is_double("1e3") && !is_double("e3"));
        assert!(!is_double("1.0") && !is_double("INF") && !is_double("."));
    }

    #[test]
    fn permute_moves_items_to_their_positions() {
        let mut items = vec!['c', 'a', 'd', 'b'];
        permute(&mut items, &[2, 0, 3, 1]);
        assert_eq!(items, vec!['a', 'b', 'c', 'd']);
    }
}
