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

/// Writes `iri` as `prefix:local` when a common prefix covers it and the local part is a plain
/// name that needs no escaping; otherwise as `<iri>`.
pub fn compact(iri: &str) -> String {
    let best = COMMON
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len());
    if let Some((prefix, ns)) = best {
        let local = &iri[ns.len()..];
        if is_plain_local(local) {
            return format!("{prefix}:{local}");
        }
    }
    format!("<{iri}>")
}

fn is_plain_local(local: &str) -> bool {
    let mut chars = local.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || c == '_' => {
            local
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !local.ends_with('.')
        }
        Some(_) => false,
    }
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
}
