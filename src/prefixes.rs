//! The prefixes mss-kg declares for the user: in queries that omit them, in tables and in Turtle.

/// The project's base IRI: every term and entity of mss-kg lives under it.
pub const BASE: &str = "https://w3id.org/mss-kg/";
/// The ontology's namespace (`mss:`).
pub const MSS: &str = "https://w3id.org/mss-kg/ontology#";
/// Entities of the knowledge graph (`mssr:`).
pub const MSSR: &str = "https://w3id.org/mss-kg/id/";
/// Source articles, each also the name of the graph holding what it reports (`src:`).
pub const SRC: &str = "https://w3id.org/mss-kg/source/";
/// Graphs of the bundled files that are not sources (the ontology, the shapes, curated data).
pub const GRAPH: &str = "https://w3id.org/mss-kg/graph/";
/// The graph of knowledge from outside the source articles (data/editorial.trig), cited as
/// `editorial`.
pub const EDITORIAL: &str = "https://w3id.org/mss-kg/graph/editorial";

/// `(prefix, namespace)` pairs, in the order they are declared.
pub const COMMON: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("schema", "http://schema.org/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("wdt", "http://www.wikidata.org/prop/direct/"),
    ("mss", MSS),
    ("mssr", MSSR),
    ("src", SRC),
    ("graph", GRAPH),
];

/// Writes `iri` as `prefix:local` when a common prefix covers it and the local part is a valid
/// Turtle local name as it is; otherwise as `<iri>`.
pub fn compact(iri: &str) -> String {
    static COMMON_MAP: std::sync::LazyLock<PrefixMap> = std::sync::LazyLock::new(PrefixMap::common);
    match COMMON_MAP.find(iri) {
        Some((i, len)) => format!("{}:{}", COMMON_MAP.entries[i].0, &iri[len..]),
        None => format!("<{iri}>"),
    }
}

/// Prefixes to write IRIs with: the common ones first, then others (from the store or the files
/// read), each name bound once. Lookups pick the longest namespace that leaves a valid Turtle
/// local name.
#[derive(Debug, Clone)]
pub struct PrefixMap {
    entries: Vec<(String, String)>,
}

impl Default for PrefixMap {
    fn default() -> Self {
        Self::common()
    }
}

impl PrefixMap {
    /// The common prefixes.
    pub fn common() -> Self {
        let mut map = Self::empty();
        map.add_common();
        map
    }

    /// No prefixes.
    pub fn empty() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Adds the common prefixes whose names are free.
    pub fn add_common(&mut self) {
        for (name, ns) in COMMON {
            self.add(name, ns);
        }
    }

    /// Binds `name` to `namespace` unless the name is taken or not a valid prefix name; returns
    /// whether it was added.
    pub fn add(&mut self, name: &str, namespace: &str) -> bool {
        if !is_prefix_name(name) || self.entries.iter().any(|(n, _)| n == name) {
            return false;
        }
        self.entries.push((name.to_owned(), namespace.to_owned()));
        true
    }

    /// `(name, namespace)` pairs in the order they were bound.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// The entry to write `iri` with, and the length of its namespace, if any fits.
    pub fn find(&self, iri: &str) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, (_, ns)) in self.entries.iter().enumerate() {
            if iri.starts_with(ns.as_str())
                && best.is_none_or(|(_, len)| ns.len() > len)
                && is_local_name(&iri[ns.len()..])
            {
                best = Some((i, ns.len()));
            }
        }
        best
    }
}

/// Prefixes recorded in a store folder: those the loaded files declared.
pub const STORE_FILE: &str = "mss-kg-prefixes.tsv";

/// The prefixes recorded in the store folder `dir`, sorted by name.
pub fn read_store(dir: &std::path::Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join(STORE_FILE)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let (name, ns) = line.split_once('\t')?;
            Some((name.to_owned(), ns.to_owned()))
        })
        .collect()
}

/// Adds `declared` to the prefixes recorded in `dir`. A name already bound to another namespace
/// keeps the smaller of the two, so the result does not depend on the order of loads.
pub fn record_in_store(
    dir: &std::path::Path,
    declared: &[(String, String)],
) -> std::io::Result<()> {
    let mut map: std::collections::BTreeMap<String, String> = read_store(dir).into_iter().collect();
    let before = map.clone();
    for (name, ns) in declared {
        if !is_prefix_name(name) || oxigraph::model::NamedNode::new(ns.as_str()).is_err() {
            continue;
        }
        map.entry(name.clone())
            .and_modify(|old| {
                if ns < old {
                    old.clone_from(ns);
                }
            })
            .or_insert_with(|| ns.clone());
    }
    if map == before {
        return Ok(());
    }
    let text: String = map
        .iter()
        .map(|(name, ns)| format!("{name}\t{ns}\n"))
        .collect();
    let tmp = dir.join(format!("{STORE_FILE}.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(tmp, dir.join(STORE_FILE))
}

/// Turtle's PN_PREFIX, or the empty prefix.
pub fn is_prefix_name(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    match chars.as_slice() {
        [] => true,
        [first, middle @ .., last] if chars.len() > 1 => {
            is_pn_chars_base(*first)
                && middle.iter().all(|&c| is_pn_chars(c) || c == '.')
                && is_pn_chars(*last)
        }
        [only] => is_pn_chars_base(*only),
        _ => false,
    }
}

/// Turtle's PN_LOCAL without backslash escapes (which other parsers read unevenly): what may
/// follow `prefix:` as it is.
pub fn is_local_name(local: &str) -> bool {
    let bytes = local.as_bytes();
    let mut chars = local.char_indices().peekable();
    let mut first = true;
    while let Some((i, c)) = chars.next() {
        let last = chars.peek().is_none();
        if c == '%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            chars.next();
            chars.next();
            first = false;
            continue;
        }
        let ok = if first {
            is_pn_chars_u(c) || c == ':' || c.is_ascii_digit()
        } else if last {
            is_pn_chars(c) || c == ':'
        } else {
            is_pn_chars(c) || c == '.' || c == ':'
        };
        if !ok {
            return false;
        }
        first = false;
    }
    true
}

fn is_pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_pn_chars_u(c: char) -> bool {
    is_pn_chars_base(c) || c == '_'
}

fn is_pn_chars(c: char) -> bool {
    is_pn_chars_u(c)
        || matches!(c, '-' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// `name=IRI` for `--prefix`.
pub fn parse_prefix(arg: &str) -> Result<(String, String), String> {
    let (name, iri) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected name=IRI, got '{arg}'"))?;
    if !is_prefix_name(name) {
        return Err(format!("'{name}' is not a valid prefix name"));
    }
    oxigraph::model::NamedNode::new(iri).map_err(|e| format!("'{iri}' is not a valid IRI: {e}"))?;
    Ok((name.to_owned(), iri.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_known_namespaces_only() {
        assert_eq!(compact("http://www.wikidata.org/entity/Q114"), "wd:Q114");
        assert_eq!(
            compact("https://w3id.org/mss-kg/id/godfrey-otunge"),
            "mssr:godfrey-otunge"
        );
        assert_eq!(compact("http://example.com/x"), "<http://example.com/x>");
        assert_eq!(compact("http://schema.org/a/b"), "<http://schema.org/a/b>");
        assert_eq!(compact("http://schema.org/x."), "<http://schema.org/x.>");
    }

    #[test]
    fn local_names_follow_turtle() {
        for ok in ["", "a", "a.b", "1a", "a:b", "_x", "a%20b", "é", "a-b"] {
            assert!(is_local_name(ok), "{ok}");
        }
        for bad in ["a.", "-a", "a/b", "a#b", "a%2", "a b", ".a", "a?"] {
            assert!(!is_local_name(bad), "{bad}");
        }
        assert!(is_prefix_name("") && is_prefix_name("ex") && is_prefix_name("e.x"));
        assert!(!is_prefix_name("1x") && !is_prefix_name("x.") && !is_prefix_name("_x"));
    }

    #[test]
    fn longest_namespace_with_a_valid_local_name_wins() {
        let mut map = PrefixMap::common();
        assert!(map.add("ex", "http://example.org/"));
        assert!(map.add("exa", "http://example.org/a/"));
        assert!(!map.add("ex", "http://other.org/"));
        let (i, len) = map.find("http://example.org/a/b").unwrap();
        assert_eq!((map.entries()[i].0.as_str(), len), ("exa", 21));
        let (i, _) = map
            .find("http://example.org/a/b/c")
            .unwrap_or((usize::MAX, 0));
        assert_eq!(i, usize::MAX);
    }
}
