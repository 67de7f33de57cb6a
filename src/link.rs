//! Link discovery: which entity of an external graph is the same thing as each local entity.
//!
//! Both sides are read into [`Entities`]: IRIs with their names (folded by [`crate::names`]),
//! types, identifiers (ISO codes, GeoNames ids, ...) and existing identity links. The external
//! side is indexed ([`Index`]) by the hash of each folded name, of each formal-name core, of each
//! identifier and IRI, and by the character trigrams of its names (the blocking index): every
//! lookup touches only the entities that share a key, so the cost grows about linearly with the
//! sizes of both graphs, never with their product.
//!
//! Evidence, strongest first: an identifier both sides give (or a link the local side already
//! has), 1.0; the same name, 0.91 to 0.95 (both preferred labels, one alias, two aliases; less
//! 0.02 across languages); the same core of a formal name, 0.85; a similar name (Jaro-Winkler,
//! from `strsim`), 0.8 times the similarity. Types must agree (a country only matches a country,
//! through the class hierarchy and alignments such as `schema:Country owl:equivalentClass
//! wd:Q6256`); where either side's types are unknown to the hierarchy the score is multiplied by
//! 0.9, so such a match waits for review. Candidates within [`TIE`] of the best are a tie: the
//! link is ambiguous and never accepted, as is an external entity that two local entities claim.

use crate::names;
use std::collections::{HashMap, HashSet};

/// Scores closer than this are a tie.
pub const TIE: f64 = 0.005;

const SCORE_ID: f64 = 1.0;
const SCORE_CORE: f64 = 0.85;
const SIMILAR_WEIGHT: f64 = 0.8;
const SIMILAR_MIN: f64 = 0.85;
const UNKNOWN_TYPE: f64 = 0.9;
/// How many trigram postings one name may scan for similar names.
const GRAM_BUDGET: usize = 8_000;
/// How many of the best trigram candidates are compared by Jaro-Winkler.
const GRAM_CANDIDATES: usize = 64;
/// How many whole-word postings one name may scan: its rarest words, before trigrams.
const WORD_BUDGET: usize = 2_000;
/// A shared whole word counts as this many shared trigrams.
const WORD_WEIGHT: u32 = 4;

/// Well-known IRIs.
pub mod iri {
    pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    pub const WDT_P31: &str = "http://www.wikidata.org/prop/direct/P31";
    pub const WDT_P279: &str = "http://www.wikidata.org/prop/direct/P279";
    pub const SUBCLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
    pub const EQUIVALENT_CLASS: &str = "http://www.w3.org/2002/07/owl#equivalentClass";
    pub const SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
    pub const EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";
    pub const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
    pub const PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
    pub const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
    pub const SCHEMA_NAME: &str = "http://schema.org/name";
    pub const ALTERNATE_NAME: &str = "http://schema.org/alternateName";
}

/// The name properties read by default, and whether each gives a preferred name (else an alias).
pub const DEFAULT_LABELS: &[(&str, bool)] = &[
    (iri::RDFS_LABEL, true),
    (iri::PREF_LABEL, true),
    (iri::SCHEMA_NAME, true),
    (iri::ALT_LABEL, false),
    (iri::ALTERNATE_NAME, false),
];

/// Identifier properties compared by default, with a short name for the evidence column.
pub const DEFAULT_IDS: &[(&str, &str)] = &[
    (
        "http://www.wikidata.org/prop/direct/P297",
        "ISO 3166-1 alpha-2",
    ),
    (
        "http://www.wikidata.org/prop/direct/P298",
        "ISO 3166-1 alpha-3",
    ),
    (
        "http://www.wikidata.org/prop/direct/P299",
        "ISO 3166-1 numeric",
    ),
    ("http://www.wikidata.org/prop/direct/P1566", "GeoNames id"),
    ("http://www.wikidata.org/prop/direct/P2082", "M49 code"),
    ("http://schema.org/identifier", "identifier"),
    ("http://purl.org/dc/terms/identifier", "identifier"),
    ("http://www.w3.org/2004/02/skos/core#notation", "notation"),
];

/// What the reader keeps of each triple: which properties name, type, identify and link.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Name properties, and whether each gives a preferred name.
    pub labels: Vec<(String, bool)>,
    /// Identifier properties, with a short name for messages.
    pub ids: Vec<(String, String)>,
    /// Only names in these languages (and names without one); all when empty.
    pub languages: Vec<String>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self {
            labels: DEFAULT_LABELS
                .iter()
                .map(|(p, pref)| ((*p).to_owned(), *pref))
                .collect(),
            ids: DEFAULT_IDS
                .iter()
                .map(|(p, n)| ((*p).to_owned(), (*n).to_owned()))
                .collect(),
            languages: Vec::new(),
        }
    }
}

impl Vocabulary {
    /// Every property the reader needs, for a query that fetches them.
    pub fn properties(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.labels.iter().map(|(p, _)| p.as_str()).collect();
        all.extend(self.ids.iter().map(|(p, _)| p.as_str()));
        all.extend([
            iri::RDF_TYPE,
            iri::WDT_P31,
            iri::SAME_AS,
            iri::EXACT_MATCH,
            iri::SUBCLASS_OF,
            iri::EQUIVALENT_CLASS,
            iri::WDT_P279,
        ]);
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Strings to small numbers: classes, languages and identifier properties.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn get_or_add(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        self.ids.insert(name.into(), id);
        self.names.push(name.into());
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One name of an entity.
#[derive(Debug, Clone)]
pub struct Name {
    /// As written (kept for local entities, for messages; empty for external ones).
    pub text: Box<str>,
    /// Folded.
    pub key: Box<str>,
    /// The folded core of a formal name, if it is one.
    pub core: Option<Box<str>>,
    /// Language tag, interned (0: none).
    pub lang: u32,
    /// A preferred name (label), not an alias.
    pub preferred: bool,
}

/// An entity: an IRI with what identifies it.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    pub iri: Box<str>,
    /// A name to show: the first preferred English one, else the first preferred, else any.
    pub display: Box<str>,
    display_rank: u8,
    pub names: Vec<Name>,
    pub types: Vec<u32>,
    /// (identifier property, value).
    pub ids: Vec<(u32, Box<str>)>,
    /// IRIs this entity is already said to be the same as.
    pub links: Vec<Box<str>>,
}

/// Entities read from triples, with the interned strings they share.
#[derive(Debug)]
pub struct Entities {
    pub entities: Vec<Entity>,
    by_iri: hashbrown::HashMap<Box<str>, u32>,
    /// Subclass and equivalence edges seen while reading: (class, parent).
    pub class_edges: Vec<(Box<str>, Box<str>)>,
    keep_text: bool,
    labels: HashMap<String, bool>,
    ids: HashMap<String, u32>,
    languages: HashSet<String>,
}

/// The interned names every side shares: classes, languages, identifier properties.
#[derive(Debug, Default)]
pub struct Symbols {
    pub classes: Interner,
    pub languages: Interner,
    pub id_names: Vec<String>,
}

impl Symbols {
    pub fn new(vocabulary: &Vocabulary) -> Self {
        let mut languages = Interner::default();
        languages.get_or_add("");
        Self {
            classes: Interner::default(),
            languages,
            id_names: vocabulary.ids.iter().map(|(_, n)| n.clone()).collect(),
        }
    }
}

/// An object of a triple as the reader needs it.
pub enum Object<'a> {
    Iri(&'a str),
    Literal {
        value: &'a str,
        lang: Option<&'a str>,
    },
    Other,
}

impl Entities {
    /// An empty set; `keep_text` keeps each name as written (for the local side's messages).
    pub fn new(vocabulary: &Vocabulary, keep_text: bool) -> Self {
        Self {
            entities: Vec::new(),
            by_iri: hashbrown::HashMap::new(),
            class_edges: Vec::new(),
            keep_text,
            labels: vocabulary.labels.iter().cloned().collect(),
            ids: vocabulary
                .ids
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.clone(), i as u32))
                .collect(),
            languages: vocabulary
                .languages
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether names are kept as written.
    pub fn keeps_text(&self) -> bool {
        self.keep_text
    }

    fn entity(&mut self, subject: &str) -> &mut Entity {
        if let Some(id) = self.by_iri.get(subject) {
            return &mut self.entities[*id as usize];
        }
        let next = self.entities.len() as u32;
        let id = *self.by_iri.entry(subject.into()).or_insert(next);
        if id == next {
            self.entities.push(Entity {
                iri: subject.into(),
                display_rank: u8::MAX,
                ..Entity::default()
            });
        }
        &mut self.entities[id as usize]
    }

    /// Reads one triple whose subject is an IRI; ignores what it does not need.
    pub fn add(
        &mut self,
        symbols: &mut Symbols,
        subject: &str,
        predicate: &str,
        object: Object<'_>,
    ) {
        match object {
            Object::Literal { value, lang } => {
                if let Some(&preferred) = self.labels.get(predicate) {
                    let lang_tag = lang.unwrap_or("").to_ascii_lowercase();
                    if !self.languages.is_empty()
                        && !lang_tag.is_empty()
                        && !self.languages.contains(&lang_tag)
                        && !self
                            .languages
                            .contains(lang_tag.split('-').next().unwrap_or(""))
                    {
                        return;
                    }
                    let key = names::normalize(value);
                    if key.is_empty() {
                        return;
                    }
                    let lang_id = symbols.languages.get_or_add(&lang_tag);
                    let core = names::formal_core(value).map(String::into_boxed_str);
                    let keep_text = self.keep_text;
                    let entity = self.entity(subject);
                    if entity
                        .names
                        .iter()
                        .any(|n| *n.key == *key && n.lang == lang_id && n.preferred == preferred)
                    {
                        return;
                    }
                    let rank = match (preferred, lang_tag.as_str()) {
                        (true, "en" | "") => 0,
                        (true, _) => 1,
                        (false, _) => 2,
                    };
                    // The best rank, and of those the first in code point order: the same
                    // whichever order the triples come in.
                    if rank < entity.display_rank
                        || rank == entity.display_rank && *value < *entity.display
                    {
                        entity.display = value.into();
                        entity.display_rank = rank;
                    }
                    entity.names.push(Name {
                        text: if keep_text { value.into() } else { "".into() },
                        key: key.into(),
                        core,
                        lang: lang_id,
                        preferred,
                    });
                } else if let Some(&id) = self.ids.get(predicate) {
                    let value = value.trim();
                    if !value.is_empty() {
                        self.entity(subject).ids.push((id, value.into()));
                    }
                }
            }
            Object::Iri(object) => match predicate {
                iri::RDF_TYPE | iri::WDT_P31 => {
                    let class = symbols.classes.get_or_add(object);
                    let entity = self.entity(subject);
                    if !entity.types.contains(&class) {
                        entity.types.push(class);
                    }
                }
                iri::SAME_AS | iri::EXACT_MATCH => {
                    self.entity(subject).links.push(object.into());
                }
                iri::SUBCLASS_OF | iri::WDT_P279 => {
                    self.class_edges.push((subject.into(), object.into()));
                }
                iri::EQUIVALENT_CLASS => {
                    self.class_edges.push((subject.into(), object.into()));
                    self.class_edges.push((object.into(), subject.into()));
                }
                _ => {}
            },
            Object::Other => {}
        }
    }

    /// Adds the entities `other` read (with its own `symbols`, as a thread reading part of a
    /// file does) to these, as if its triples had come after these ones.
    pub fn absorb(&mut self, symbols: &mut Symbols, other: Entities, theirs: &Symbols) {
        let languages: Vec<u32> = (0..theirs.languages.len())
            .map(|l| {
                symbols
                    .languages
                    .get_or_add(theirs.languages.name(l as u32))
            })
            .collect();
        let classes: Vec<u32> = (0..theirs.classes.len())
            .map(|c| symbols.classes.get_or_add(theirs.classes.name(c as u32)))
            .collect();
        self.class_edges.extend(other.class_edges);
        for theirs in other.entities {
            let entity = self.entity(&theirs.iri);
            for mut name in theirs.names {
                name.lang = languages[name.lang as usize];
                if !entity.names.iter().any(|n| {
                    n.key == name.key && n.lang == name.lang && n.preferred == name.preferred
                }) {
                    entity.names.push(name);
                }
            }
            if theirs.display_rank < entity.display_rank
                || theirs.display_rank == entity.display_rank && theirs.display < entity.display
            {
                entity.display = theirs.display;
                entity.display_rank = theirs.display_rank;
            }
            for class in theirs.types {
                let class = classes[class as usize];
                if !entity.types.contains(&class) {
                    entity.types.push(class);
                }
            }
            entity.ids.extend(theirs.ids);
            entity.links.extend(theirs.links);
        }
    }

    /// The entities that have a name, each's names in one order (labels first, then by folded
    /// and written form), so that evidence never depends on the order the graph gave them in
    /// (an endpoint's differs from the store's).
    pub fn named(self) -> Vec<Entity> {
        self.entities
            .into_iter()
            .filter(|e| !e.names.is_empty())
            .map(|mut e| {
                e.names.sort_by(|a, b| {
                    (!a.preferred, &a.key, &a.text).cmp(&(!b.preferred, &b.key, &b.text))
                });
                e
            })
            .collect()
    }
}

/// The class hierarchy: what each class is a subclass of (or equivalent to), transitively.
#[derive(Debug, Default)]
pub struct Hierarchy {
    parents: HashMap<u32, Vec<u32>>,
    known: HashSet<u32>,
    ancestors: HashMap<u32, HashSet<u32>>,
}

impl Hierarchy {
    /// Adds `class` ⊑ `parent` (an equivalence is two such edges).
    pub fn add(&mut self, classes: &mut Interner, class: &str, parent: &str) {
        let (c, p) = (classes.get_or_add(class), classes.get_or_add(parent));
        self.known.insert(c);
        self.known.insert(p);
        let parents = self.parents.entry(c).or_default();
        if !parents.contains(&p) {
            parents.push(p);
        }
    }

    /// Computes the ancestors of every class in `classes` (call before matching).
    pub fn close(&mut self, classes: impl IntoIterator<Item = u32>) {
        for class in classes {
            if self.ancestors.contains_key(&class) {
                continue;
            }
            let mut seen = HashSet::from([class]);
            let mut todo = vec![class];
            while let Some(c) = todo.pop() {
                for p in self.parents.get(&c).into_iter().flatten() {
                    if seen.insert(*p) {
                        todo.push(*p);
                    }
                }
            }
            self.ancestors.insert(class, seen);
        }
    }

    /// Every class that is `class` or below it (equivalents included).
    pub fn descendants(&mut self, class: u32) -> Vec<u32> {
        let known: Vec<u32> = self.known.iter().copied().collect();
        self.close(known.iter().copied());
        let mut out: Vec<u32> = known.into_iter().filter(|c| self.is_a(*c, class)).collect();
        if !out.contains(&class) {
            out.push(class);
        }
        out.sort_unstable();
        out
    }

    /// Whether `class` is `other` or below it (after [`Hierarchy::close`] on `class`).
    pub fn is_a(&self, class: u32, other: u32) -> bool {
        class == other
            || self
                .ancestors
                .get(&class)
                .is_some_and(|a| a.contains(&other))
    }

    fn verdict(&self, local: &[u32], external: &[u32]) -> TypeVerdict {
        for l in local {
            for e in external {
                if self.is_a(*l, *e) || self.is_a(*e, *l) {
                    return TypeVerdict::Agree;
                }
            }
        }
        let known = |types: &[u32]| types.iter().any(|t| self.known.contains(t));
        if known(local) && known(external) {
            TypeVerdict::Disagree
        } else {
            TypeVerdict::Unknown
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeVerdict {
    Agree,
    Disagree,
    Unknown,
}

/// FNV-1a, 64 bits: stable across runs and builds (link statement IRIs rest on it).
pub use crate::hash::fnv64;

/// FNV-1a of the parts (each closed by a separator byte), folded to 32 bits: the keys of the
/// index. Collisions only cost a comparison.
fn hash32(parts: &[&[u8]]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    (h ^ (h >> 32)) as u32
}

/// Sorted (key hash, entity) pairs packed in a u64: a compact multimap.
#[derive(Debug, Default)]
struct Postings(Vec<u64>);

impl Postings {
    fn push(&mut self, key: u32, entity: u32) {
        self.0.push((u64::from(key) << 32) | u64::from(entity));
    }

    fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    fn get(&self, key: u32) -> impl Iterator<Item = u32> + '_ {
        self.range(key).iter().map(|p| *p as u32)
    }

    fn range(&self, key: u32) -> &[u64] {
        let low = u64::from(key) << 32;
        let start = self.0.partition_point(|p| *p < low);
        let end = start + self.0[start..].partition_point(|p| (*p >> 32) as u32 == key);
        &self.0[start..end]
    }
}

/// Character trigrams of each word of a folded name, padded: " ke", "ken", ..., "ya ".
fn trigrams(key: &str, out: &mut Vec<u32>) {
    for word in key.split(' ') {
        let chars: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for w in chars.windows(3) {
            let mut buf = [0u8; 12];
            let mut n = 0;
            for c in w {
                n += c.encode_utf8(&mut buf[n..]).len();
            }
            out.push(hash32(&[&buf[..n]]));
        }
    }
}

/// The external entities, indexed for lookup by name, core, identifier, IRI and trigram.
pub struct Index {
    pub entities: Vec<Entity>,
    by_word: Postings,
    by_key: Postings,
    by_core: Postings,
    by_id: Postings,
    by_iri: Postings,
    by_gram: Postings,
}

impl Index {
    /// The index of `entities`, in IRI order: the same index, and so the same answers, whatever
    /// order the source gave them in (a file's, the store's, an endpoint's).
    pub fn new(mut entities: Vec<Entity>) -> Self {
        entities.sort_unstable_by(|a, b| a.iri.cmp(&b.iri));
        let mut index = Self {
            entities,
            by_word: Postings::default(),
            by_key: Postings::default(),
            by_core: Postings::default(),
            by_id: Postings::default(),
            by_iri: Postings::default(),
            by_gram: Postings::default(),
        };
        let mut grams = Vec::new();
        let mut words = Vec::new();
        for (i, e) in index.entities.iter().enumerate() {
            let i = i as u32;
            index.by_iri.push(hash32(&[e.iri.as_bytes()]), i);
            grams.clear();
            words.clear();
            for name in &e.names {
                index.by_key.push(hash32(&[name.key.as_bytes()]), i);
                words.extend(name.key.split(' ').map(|w| hash32(&[w.as_bytes()])));
                if let Some(core) = &name.core {
                    index.by_core.push(hash32(&[core.as_bytes()]), i);
                }
                trigrams(&name.key, &mut grams);
            }
            grams.sort_unstable();
            grams.dedup();
            for g in &grams {
                index.by_gram.push(*g, i);
            }
            words.sort_unstable();
            words.dedup();
            for w in &words {
                index.by_word.push(*w, i);
            }
            for (prop, value) in &e.ids {
                index.by_id.push(id_hash(*prop, value), i);
            }
        }
        for postings in [
            &mut index.by_word,
            &mut index.by_key,
            &mut index.by_core,
            &mut index.by_id,
            &mut index.by_iri,
            &mut index.by_gram,
        ] {
            postings.finish();
        }
        index
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

fn id_hash(prop: u32, value: &str) -> u32 {
    hash32(&[&prop.to_le_bytes(), value.to_ascii_uppercase().as_bytes()])
}

/// How sure a proposed link is, from the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// At or above the threshold, and unrivalled: applied by `--apply`.
    Accepted,
    /// Between the review score and the threshold.
    Review,
    /// Tied with another candidate, or claimed by another local entity: never applied.
    Ambiguous,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Accepted => "accepted",
            Status::Review => "review",
            Status::Ambiguous => "ambiguous",
        }
    }
}

/// A proposed link.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub local: usize,
    pub external: usize,
    pub score: f64,
    pub status: Status,
    /// The strongest kind of evidence: id, link, label, formal-name, similar.
    pub method: &'static str,
    /// Why, for people.
    pub evidence: String,
}

/// How to match.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Accept at or above this score.
    pub threshold: f64,
    /// List for review at or above this score.
    pub review: f64,
    /// Use identifiers and existing links as evidence (else names only).
    pub use_ids: bool,
}

#[derive(Debug, Clone)]
struct Candidate {
    external: u32,
    score: f64,
    method: &'static str,
    evidence: Vec<String>,
}

/// Matches every local entity against the index; returns the proposals at or above the review
/// score, best first. Runs on every core.
pub fn match_all(
    locals: &[Entity],
    index: &Index,
    hierarchy: &Hierarchy,
    symbols: &Symbols,
    settings: Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Proposal> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = locals.len().div_ceil(threads).max(1);
    let mut per_local: Vec<(usize, Vec<Candidate>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = locals
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    let mut matcher = Matcher {
                        index,
                        hierarchy,
                        symbols,
                        settings,
                        grams: Vec::new(),
                        counts: hashbrown::HashMap::new(),
                    };
                    let mut out = Vec::new();
                    for (i, local) in part.iter().enumerate() {
                        let candidates = matcher.candidates(local);
                        if !candidates.is_empty() {
                            out.push((c * chunk + i, candidates));
                        }
                        if i % 1024 == 1023 {
                            progress(1024);
                        }
                    }
                    progress((part.len() % 1024) as u64);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a matching thread panicked"))
            .collect()
    });
    per_local.sort_by_key(|(local, _)| *local);

    let mut proposals = Vec::new();
    for (local, candidates) in per_local {
        let best = candidates[0].score;
        if best < settings.review {
            continue;
        }
        let tied: Vec<&Candidate> = candidates
            .iter()
            .take_while(|c| c.score >= best - TIE)
            .collect();
        let status = if tied.len() > 1 {
            Status::Ambiguous
        } else if best >= settings.threshold {
            Status::Accepted
        } else {
            Status::Review
        };
        for c in tied {
            let mut evidence = c.evidence.join("; ");
            if status == Status::Ambiguous {
                evidence.push_str("; tied with another candidate");
            }
            proposals.push(Proposal {
                local,
                external: c.external as usize,
                score: c.score,
                status,
                method: c.method,
                evidence,
            });
        }
    }
    // An external entity accepted for two local entities: neither is sure.
    let mut claims: HashMap<usize, usize> = HashMap::new();
    for p in proposals.iter().filter(|p| p.status == Status::Accepted) {
        *claims.entry(p.external).or_default() += 1;
    }
    for p in &mut proposals {
        if p.status == Status::Accepted && claims[&p.external] > 1 {
            p.status = Status::Ambiguous;
            p.evidence
                .push_str("; another local entity matches the same external entity");
        }
    }
    proposals.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.score.total_cmp(&a.score))
            .then(locals[a.local].iri.cmp(&locals[b.local].iri))
            .then(
                index.entities[a.external]
                    .iri
                    .cmp(&index.entities[b.external].iri),
            )
    });
    proposals
}

struct Matcher<'a> {
    index: &'a Index,
    hierarchy: &'a Hierarchy,
    symbols: &'a Symbols,
    settings: Settings,
    grams: Vec<u32>,
    counts: hashbrown::HashMap<u32, u32>,
}

impl Matcher<'_> {
    /// The candidates for `local`, best first.
    fn candidates(&mut self, local: &Entity) -> Vec<Candidate> {
        let mut found: hashbrown::HashMap<u32, Candidate> = hashbrown::HashMap::new();
        let offer = |found: &mut hashbrown::HashMap<u32, Candidate>,
                     external: u32,
                     score: f64,
                     method: &'static str,
                     evidence: String| {
            let c = found.entry(external).or_insert_with(|| Candidate {
                external,
                score: 0.0,
                method,
                evidence: Vec::new(),
            });
            if score > c.score {
                c.score = score;
                c.method = method;
                c.evidence.retain(|e| *e != evidence);
                c.evidence.insert(0, evidence);
            } else if !c.evidence.contains(&evidence) && c.evidence.len() < 3 {
                c.evidence.push(evidence);
            }
        };
        let index = self.index;

        if self.settings.use_ids {
            for link in local.links.iter().chain(std::iter::once(&local.iri)) {
                for e in index.by_iri.get(hash32(&[link.as_bytes()])) {
                    if index.entities[e as usize].iri == *link {
                        let what = if *link == local.iri {
                            "same IRI"
                        } else {
                            "already linked"
                        };
                        offer(&mut found, e, SCORE_ID, "link", what.to_owned());
                    }
                }
            }
            for (prop, value) in &local.ids {
                for e in index.by_id.get(id_hash(*prop, value)) {
                    let ext = &index.entities[e as usize];
                    if ext
                        .ids
                        .iter()
                        .any(|(p, v)| p == prop && v.eq_ignore_ascii_case(value))
                    {
                        let name = &self.symbols.id_names[*prop as usize];
                        offer(&mut found, e, SCORE_ID, "id", format!("{name} {value}"));
                    }
                }
            }
        }

        for name in &local.names {
            let quoted = self.quote(name);
            for e in index.by_key.get(hash32(&[name.key.as_bytes()])) {
                let ext = &index.entities[e as usize];
                let best = ext
                    .names
                    .iter()
                    .filter(|n| n.key == name.key)
                    .map(|n| name_score(name, n))
                    .fold(0.0, f64::max);
                if best > 0.0 {
                    offer(&mut found, e, best, "label", format!("same name {quoted}"));
                }
            }
            let core = name.core.as_deref().unwrap_or(&name.key);
            for e in index.by_core.get(hash32(&[core.as_bytes()])) {
                let ext = &index.entities[e as usize];
                let named = found.get(&e).is_some_and(|c| c.score >= SCORE_CORE);
                if !named && ext.names.iter().any(|n| n.core.as_deref() == Some(core)) {
                    offer(
                        &mut found,
                        e,
                        SCORE_CORE,
                        "formal-name",
                        format!("{quoted} in a formal name"),
                    );
                }
            }
            if let Some(core) = &name.core {
                for e in index.by_key.get(hash32(&[core.as_bytes()])) {
                    let ext = &index.entities[e as usize];
                    if ext.names.iter().any(|n| n.key == *core) {
                        offer(
                            &mut found,
                            e,
                            SCORE_CORE,
                            "formal-name",
                            format!("core of the formal name {quoted}"),
                        );
                    }
                }
            }
        }

        if !found.values().any(|c| c.score >= SCORE_CORE) {
            for name in &local.names {
                for (e, similarity) in self.similar(&name.key) {
                    let quoted = self.quote(name);
                    offer(
                        &mut found,
                        e,
                        SIMILAR_WEIGHT * similarity,
                        "similar",
                        format!("name similar to {quoted} ({similarity:.2})"),
                    );
                }
            }
        }

        let mut candidates: Vec<Candidate> = found
            .into_values()
            .filter_map(|mut c| {
                let ext = &index.entities[c.external as usize];
                match self.hierarchy.verdict(&local.types, &ext.types) {
                    TypeVerdict::Agree => Some(c),
                    TypeVerdict::Disagree => None,
                    // A shared identifier needs no types; a name does.
                    TypeVerdict::Unknown if matches!(c.method, "id" | "link") => Some(c),
                    TypeVerdict::Unknown => {
                        c.score *= UNKNOWN_TYPE;
                        c.evidence.push("types not comparable".to_owned());
                        Some(c)
                    }
                }
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.external.cmp(&b.external))
        });
        candidates
    }

    fn quote(&self, name: &Name) -> String {
        let lang = self.symbols.languages.name(name.lang);
        let text = if name.text.is_empty() {
            &name.key
        } else {
            &name.text
        };
        if lang.is_empty() {
            format!("\"{text}\"")
        } else {
            format!("\"{text}\"@{lang}")
        }
    }

    /// External entities with a name similar to `key`: those sharing the most of its rarest
    /// whole words and trigrams (a shared word counts as several trigrams, so that a name with
    /// one misspelt word is found through its other words), compared by Jaro-Winkler.
    fn similar(&mut self, key: &str) -> Vec<(u32, f64)> {
        let index = self.index;
        self.counts.clear();
        self.grams.clear();
        self.grams
            .extend(key.split(' ').map(|w| hash32(&[w.as_bytes()])));
        self.grams.sort_unstable();
        self.grams.dedup();
        let mut words: Vec<(usize, u32)> = self
            .grams
            .iter()
            .map(|w| (index.by_word.range(*w).len(), *w))
            .filter(|(n, _)| *n > 0)
            .collect();
        // A name of one word has nothing but that word, misspelt or not: trigrams find it.
        if words.len() > 1 {
            words.sort_unstable();
            let mut scanned = 0;
            for (n, w) in words {
                if scanned + n > WORD_BUDGET && scanned > 0 {
                    break;
                }
                scanned += n;
                for e in index.by_word.get(w) {
                    *self.counts.entry(e).or_default() += WORD_WEIGHT;
                }
            }
        }
        self.grams.clear();
        trigrams(key, &mut self.grams);
        self.grams.sort_unstable();
        self.grams.dedup();
        let mut grams: Vec<(usize, u32)> = self
            .grams
            .iter()
            .map(|g| (index.by_gram.range(*g).len(), *g))
            .filter(|(n, _)| *n > 0)
            .collect();
        grams.sort_unstable();
        let mut scanned = 0;
        for (n, g) in grams {
            if scanned + n > GRAM_BUDGET && scanned > 0 {
                break;
            }
            scanned += n;
            for e in index.by_gram.get(g) {
                *self.counts.entry(e).or_default() += 1;
            }
        }
        let mut best: Vec<(u32, u32)> = self.counts.iter().map(|(e, n)| (*n, *e)).collect();
        if best.len() > GRAM_CANDIDATES {
            best.select_nth_unstable_by(GRAM_CANDIDATES, |a, b| b.cmp(a));
            best.truncate(GRAM_CANDIDATES);
        }
        best.into_iter()
            .filter_map(|(_, e)| {
                let similarity = index.entities[e as usize]
                    .names
                    .iter()
                    .map(|n| strsim::jaro_winkler(key, &n.key))
                    .fold(0.0, f64::max);
                (similarity >= SIMILAR_MIN).then_some((e, similarity))
            })
            .collect()
    }
}

/// The score of two equal folded names: preferred names count more than aliases; a match
/// across two different languages a little less.
fn name_score(local: &Name, external: &Name) -> f64 {
    let base = match (local.preferred, external.preferred) {
        (true, true) => 0.95,
        (true, false) | (false, true) => 0.93,
        (false, false) => 0.91,
    };
    if local.lang != 0 && external.lang != 0 && local.lang != external.lang {
        base - 0.02
    } else {
        base
    }
}

/// Precision, recall and F1 of `predicted` links against `gold` ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub true_positives: usize,
    pub predicted: usize,
    pub gold: usize,
    /// Predicted but not in the gold standard.
    pub wrong: Vec<(String, String)>,
    /// In the gold standard but not predicted.
    pub missed: Vec<(String, String)>,
}

impl Evaluation {
    pub fn new(predicted: &[(String, String)], gold: &[(String, String)]) -> Self {
        let p: HashSet<&(String, String)> = predicted.iter().collect();
        let g: HashSet<&(String, String)> = gold.iter().collect();
        let mut wrong: Vec<_> = p.difference(&g).map(|x| (*x).clone()).collect();
        let mut missed: Vec<_> = g.difference(&p).map(|x| (*x).clone()).collect();
        wrong.sort();
        missed.sort();
        Self {
            true_positives: p.intersection(&g).count(),
            predicted: p.len(),
            gold: g.len(),
            wrong,
            missed,
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(
        vocabulary: &Vocabulary,
        symbols: &mut Symbols,
        rows: &[(&str, &str, &str)],
    ) -> Vec<Entity> {
        let mut entities = Entities::new(vocabulary, true);
        for (s, p, o) in rows {
            let object = if o.starts_with("http") {
                Object::Iri(o)
            } else {
                let (value, lang) = o.split_once('@').map_or((*o, None), |(v, l)| (v, Some(l)));
                Object::Literal { value, lang }
            };
            entities.add(symbols, s, p, object);
        }
        entities.named()
    }

    fn run(
        local: &[(&str, &str, &str)],
        external: &[(&str, &str, &str)],
    ) -> Vec<(String, String, Status)> {
        let vocabulary = Vocabulary::default();
        let mut symbols = Symbols::new(&vocabulary);
        let locals = side(&vocabulary, &mut symbols, local);
        let index = Index::new(side(&vocabulary, &mut symbols, external));
        let mut hierarchy = Hierarchy::default();
        hierarchy.add(
            &mut symbols.classes,
            "http://schema.org/Country",
            "http://www.wikidata.org/entity/Q6256",
        );
        hierarchy.add(
            &mut symbols.classes,
            "http://www.wikidata.org/entity/Q6256",
            "http://schema.org/Country",
        );
        hierarchy.add(
            &mut symbols.classes,
            "http://schema.org/Person",
            "http://schema.org/Thing",
        );
        let all: Vec<u32> = (0..symbols.classes.names.len() as u32).collect();
        hierarchy.close(all);
        let settings = Settings {
            threshold: 0.9,
            review: 0.7,
            use_ids: true,
        };
        match_all(&locals, &index, &hierarchy, &symbols, settings, &|_| {})
            .into_iter()
            .map(|p| {
                (
                    locals[p.local].iri.to_string(),
                    index.entities[p.external].iri.to_string(),
                    p.status,
                )
            })
            .collect()
    }

    const TYPE: &str = iri::RDF_TYPE;
    const P31: &str = iri::WDT_P31;
    const LABEL: &str = iri::RDFS_LABEL;
    const ALT: &str = iri::ALT_LABEL;
    const COUNTRY: &str = "http://schema.org/Country";
    const WD_COUNTRY: &str = "http://www.wikidata.org/entity/Q6256";

    #[test]
    fn labels_articles_and_formal_names() {
        let found = run(
            &[
                ("l:bahamas", TYPE, COUNTRY),
                ("l:bahamas", LABEL, "the Bahamas@en"),
                ("l:kenya", TYPE, COUNTRY),
                ("l:kenya", LABEL, "Republic of Kenya@en"),
            ],
            &[
                ("w:Q778", P31, WD_COUNTRY),
                ("w:Q778", LABEL, "Bahamas@en"),
                ("w:Q114", P31, WD_COUNTRY),
                ("w:Q114", LABEL, "Kenya@en"),
            ],
        );
        assert_eq!(
            found,
            [
                ("l:bahamas".into(), "w:Q778".into(), Status::Accepted),
                ("l:kenya".into(), "w:Q114".into(), Status::Review),
            ]
        );
    }

    #[test]
    fn types_must_agree_and_ties_are_ambiguous() {
        let found = run(
            &[
                ("l:georgia", TYPE, COUNTRY),
                ("l:georgia", LABEL, "Georgia@en"),
                ("l:jordan", TYPE, "http://schema.org/Person"),
                ("l:jordan", LABEL, "Jordan@en"),
            ],
            &[
                ("w:1", P31, WD_COUNTRY),
                ("w:1", LABEL, "Georgia@en"),
                ("w:2", P31, WD_COUNTRY),
                ("w:2", ALT, "Georgia@en"),
                ("w:3", P31, WD_COUNTRY),
                ("w:3", LABEL, "Georgia@en"),
                ("w:4", P31, WD_COUNTRY),
                ("w:4", LABEL, "Jordan@en"),
            ],
        );
        assert_eq!(
            found,
            [
                ("l:georgia".into(), "w:1".into(), Status::Ambiguous),
                ("l:georgia".into(), "w:3".into(), Status::Ambiguous),
            ]
        );
    }

    #[test]
    fn identifiers_and_similar_names() {
        let found = run(
            &[
                ("l:a", "http://www.wikidata.org/prop/direct/P297", "KE"),
                ("l:a", LABEL, "Somewhere else@en"),
                ("l:b", TYPE, COUNTRY),
                ("l:b", LABEL, "Guatamala@en"),
                ("l:c", LABEL, "Atlantis@en"),
            ],
            &[
                ("w:Q114", "http://www.wikidata.org/prop/direct/P297", "KE"),
                ("w:Q114", LABEL, "Kenya@en"),
                ("w:Q774", P31, WD_COUNTRY),
                ("w:Q774", LABEL, "Guatemala@en"),
            ],
        );
        assert_eq!(
            found,
            [
                ("l:a".into(), "w:Q114".into(), Status::Accepted),
                ("l:b".into(), "w:Q774".into(), Status::Review),
            ]
        );
    }

    #[test]
    fn evaluation() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        let e = Evaluation::new(
            &[pair("a", "1"), pair("b", "9")],
            &[pair("a", "1"), pair("b", "2"), pair("c", "3")],
        );
        assert_eq!(e.true_positives, 1);
        assert!((e.precision() - 0.5).abs() < 1e-9);
        assert!((e.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!((e.f1() - 0.4).abs() < 1e-9);
        assert_eq!(e.missed.len(), 2);
    }
}
