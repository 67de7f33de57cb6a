//! "Tell me about X": finding an entity by a name people use, and gathering what the graph says
//! about it, in both directions, with the sources of each fact.

use crate::backend::Backend as Store;
use crate::output::display_term;
use crate::prefixes::{self, EDITORIAL};
use crate::queries::expand_iri;
use anyhow::{Context as _, Result, anyhow};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

/// The properties whose values name an entity.
pub const LABEL_PROPERTIES: &[&str] = &[
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://schema.org/name",
    "http://schema.org/alternateName",
];

/// Names to find an entity by but never to show as its name (skos:hiddenLabel: an imprecise name
/// or another spelling, from the editorial graph; issue #22). A card lists them among its facts,
/// with their source.
pub const HIDDEN_LABEL: &str = "http://www.w3.org/2004/02/skos/core#hiddenLabel";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SAME_AS: [&str; 2] = [
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
];

pub use crate::names::normalize;

/// An entity that a name matched, with the name it is known by and the one that matched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub label: String,
    pub iri: NamedNode,
    pub matched: String,
}

/// What looking a name up found.
#[derive(Debug)]
pub enum Lookup {
    /// Exactly one entity.
    Found(NamedNode),
    /// Several entities share the best match.
    Ambiguous(Vec<Candidate>),
    /// Nothing matched; these are close.
    NotFound(Vec<Candidate>),
}

/// Looks `wanted` up: an IRI (full, `<...>` or prefixed) that the store mentions, or else a
/// label or alias: the same name first, then a name containing all of its words, then similar
/// names (Jaro-Winkler) as suggestions.
pub fn lookup(store: &Store, wanted: &str) -> Result<Lookup> {
    let expanded = expand_iri(wanted);
    if expanded.contains(':')
        && let Ok(iri) = NamedNode::new(&expanded)
        && mentions(store, iri.as_ref())?
    {
        return Ok(Lookup::Found(iri));
    }
    let target = normalize(wanted);
    if target.is_empty() {
        return Ok(Lookup::NotFound(Vec::new()));
    }
    let target_words: BTreeSet<&str> = target.split(' ').collect();
    let mut exact: BTreeMap<NamedNode, String> = BTreeMap::new();
    // Names holding all the wanted words, by the share of the name those words cover.
    let mut partial: BTreeMap<NamedNode, (f64, String)> = BTreeMap::new();
    let mut similar: Vec<(f64, NamedNode, String)> = Vec::new();
    for property in LABEL_PROPERTIES.iter().chain([&HIDDEN_LABEL]) {
        let property = NamedNode::new_unchecked(*property);
        for quad in store.quads(None, Some(&property), None, None)? {
            let quad = quad?;
            let (oxigraph::model::NamedOrBlankNode::NamedNode(entity), Term::Literal(name)) =
                (quad.subject, quad.object)
            else {
                continue;
            };
            let folded = normalize(name.value());
            if folded == target {
                exact
                    .entry(entity)
                    .or_insert_with(|| name.value().to_owned());
            } else if target_words
                .iter()
                .all(|w| folded.split(' ').any(|f| f == *w))
            {
                let coverage = target_words.len() as f64 / folded.split(' ').count() as f64;
                let best = partial.entry(entity).or_insert((0.0, String::new()));
                if coverage > best.0 {
                    *best = (coverage, name.value().to_owned());
                }
            } else {
                let score = strsim::jaro_winkler(&folded, &target);
                if score >= 0.85 {
                    similar.push((score, entity, name.value().to_owned()));
                }
            }
        }
    }
    let candidates = |found: BTreeMap<NamedNode, String>| -> Result<Vec<Candidate>> {
        let mut out = found
            .into_iter()
            .map(|(iri, matched)| {
                Ok(Candidate {
                    label: label(store, iri.as_ref())?,
                    iri,
                    matched,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort();
        Ok(out)
    };
    match exact.len() {
        0 => {}
        1 => return Ok(Lookup::Found(exact.into_keys().next().expect("one"))),
        _ => return Ok(Lookup::Ambiguous(candidates(exact)?)),
    }
    // The partial match covering most of its name wins if it is clearly the best: alone at the
    // top, and the next covers at most half as much ("Moise": "Jovenel Moïse" over "Jovenel
    // Moïse, President of Haiti"; "police" stays ambiguous).
    let mut coverages: Vec<(f64, &NamedNode)> = partial.iter().map(|(e, (c, _))| (*c, e)).collect();
    coverages.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let Some((top, best)) = coverages.first()
        && coverages.get(1).is_none_or(|(next, _)| *next <= top / 2.0)
    {
        return Ok(Lookup::Found((*best).clone()));
    }
    if !partial.is_empty() {
        let all = partial
            .into_iter()
            .map(|(e, (_, name))| (e, name))
            .collect();
        return Ok(Lookup::Ambiguous(candidates(all)?));
    }
    similar.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut near: BTreeMap<NamedNode, String> = BTreeMap::new();
    for (_, iri, matched) in similar {
        if near.len() == 5 {
            break;
        }
        near.entry(iri).or_insert(matched);
    }
    Ok(Lookup::NotFound(candidates(near)?))
}

/// Parameter values (`name=value` pairs) with the IRIs their names resolved to, and warnings.
pub type Resolved = (Vec<(String, String)>, Vec<String>);

/// Parameter values as people give them, for the IRI parameters of `saved`: an IRI (`<...>`, a
/// full one, or prefixed with `prefixes` or the common ones) stays as it is; anything else is a
/// name, looked up as `describe` looks it up, and becomes the IRI it names. A name that matches
/// several entities, or none, is an error listing the candidates. Returns the values (each IRI
/// written `<...>`, still bound as a term by [`SavedQuery::algebra`]) and a warning for each IRI
/// the graph does not mention.
///
/// [`SavedQuery::algebra`]: crate::queries::SavedQuery::algebra
pub fn resolve_params(
    store: &Store,
    saved: &crate::queries::SavedQuery,
    given: &[(String, String)],
    prefixes: &[(String, String)],
) -> Result<Resolved> {
    use crate::queries::ParamType;
    let mut values = Vec::with_capacity(given.len());
    let mut warnings = Vec::new();
    for (name, value) in given {
        let Some(param) = saved
            .params
            .iter()
            .find(|p| &p.name == name && p.kind == ParamType::Iri)
        else {
            values.push((name.clone(), value.clone()));
            continue;
        };
        let iri = match as_iri(value, prefixes).with_context(|| format!("parameter '{name}'"))? {
            Some(iri) => {
                // An endpoint (`SERVICE ?param`) is not in the graph, nor has to be.
                if !saved.names_a_service(param) && !mentions(store, iri.as_ref())? {
                    warnings.push(format!(
                        "parameter '{name}': {} names nothing in the graph",
                        prefixes::compact(iri.as_str())
                    ));
                }
                iri
            }
            None => match lookup(store, value)? {
                Lookup::Found(iri) => iri,
                Lookup::Ambiguous(candidates) => {
                    return Err(anyhow!(
                        "parameter '{name}': '{value}' matches {} entities: {} (give one of these IRIs, or a longer name)",
                        candidates.len(),
                        candidate_list(&candidates)
                    ));
                }
                Lookup::NotFound(near) if near.is_empty() => {
                    return Err(anyhow!(
                        "parameter '{name}': '{value}' is neither an IRI nor the name of an entity"
                    ));
                }
                Lookup::NotFound(near) => {
                    return Err(anyhow!(
                        "parameter '{name}': no entity is called '{value}' (did you mean {}?)",
                        candidate_list(&near)
                    ));
                }
            },
        };
        // As given when it already reads as that IRI (so messages quote it), else spelt out.
        let value = if expand_iri(value) == iri.as_str() {
            value.clone()
        } else {
            format!("<{}>", iri.as_str())
        };
        values.push((name.clone(), value));
    }
    Ok((values, warnings))
}

/// `Label (prefixed:iri), ...`, for messages.
pub fn candidate_list(candidates: &[Candidate]) -> String {
    candidates
        .iter()
        .map(|c| format!("{} ({})", c.label, prefixes::compact(c.iri.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The IRI `value` writes, if it writes one: `<iri>`, `prefix:local` with a known prefix, or an
/// absolute IRI (a scheme, then `:`); an error if it is written as one but is not valid.
fn as_iri(value: &str, declared: &[(String, String)]) -> Result<Option<NamedNode>> {
    let value = value.trim();
    let checked = |iri: String| {
        NamedNode::new(iri)
            .map(Some)
            .map_err(|e| anyhow!("'{value}' is not a valid IRI ({e})"))
    };
    if let Some(inner) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return checked(inner.to_owned());
    }
    let Some((scheme, local)) = value.split_once(':') else {
        return Ok(None);
    };
    if let Some((_, ns)) = declared.iter().find(|(p, _)| p == scheme) {
        return checked(format!("{ns}{local}"));
    }
    let expanded = expand_iri(value);
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if expanded != value || is_scheme {
        return checked(expanded);
    }
    Ok(None)
}

fn mentions(store: &Store, iri: NamedNodeRef<'_>) -> Result<bool> {
    let iri = iri.into_owned();
    Ok(store
        .quads(Some(&iri.clone().into()), None, None, None)?
        .next()
        .transpose()?
        .is_some()
        || store
            .quads(None, None, Some(&iri.into()), None)?
            .next()
            .transpose()?
            .is_some())
}

/// The entity's English label (or any label, or its prefixed IRI).
pub fn label(store: &Store, iri: NamedNodeRef<'_>) -> Result<String> {
    let mut any = None;
    for property in &LABEL_PROPERTIES[..2] {
        for quad in store.quads(
            Some(&iri.into_owned().into()),
            Some(&NamedNode::new_unchecked(*property)),
            None,
            None,
        )? {
            if let Term::Literal(l) = quad?.object {
                match l.language() {
                    Some("en") | None => return Ok(l.value().to_owned()),
                    Some(_) => any = any.or(Some(l.value().to_owned())),
                }
            }
        }
    }
    Ok(any.unwrap_or_else(|| prefixes::compact(iri.as_str())))
}

/// One relation of the card: the other end, and the sources that state it.
#[derive(Debug, Default)]
pub struct Values(pub BTreeMap<String, BTreeSet<String>>);

/// Everything the graph says about an entity.
#[derive(Debug)]
pub struct Card {
    pub iri: NamedNode,
    pub label: String,
    pub types: BTreeSet<String>,
    pub names: BTreeSet<String>,
    pub external: BTreeSet<String>,
    /// Outgoing relations: property label -> values.
    pub facts: BTreeMap<String, Values>,
    /// Incoming relations: property label -> subjects.
    pub referenced_by: BTreeMap<String, Values>,
    /// The quads the card is made of, for RDF output.
    pub quads: Vec<Quad>,
}

/// `000` for a source article's graph, `data/entities` for a bundled file's graph, the
/// prefixed graph name otherwise.
pub fn source_name(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(n) => {
            if let Some(file) = n.as_str().strip_prefix(prefixes::SRC) {
                file.chars().take(3).collect()
            } else if let Some(path) = n.as_str().strip_prefix(prefixes::GRAPH) {
                path.to_owned()
            } else {
                prefixes::compact(n.as_str())
            }
        }
        GraphName::BlankNode(b) => b.to_string(),
        GraphName::DefaultGraph => "default graph".to_owned(),
    }
}

/// Gathers the card of `iri`.
pub fn card(store: &Store, iri: &NamedNode) -> Result<Card> {
    let mut card = Card {
        iri: iri.clone(),
        label: label(store, iri.as_ref())?,
        types: BTreeSet::new(),
        names: BTreeSet::new(),
        external: BTreeSet::new(),
        facts: BTreeMap::new(),
        referenced_by: BTreeMap::new(),
        quads: Vec::new(),
    };
    let mut property_labels: BTreeMap<NamedNode, String> = BTreeMap::new();
    let mut property_label = |p: &NamedNode| -> Result<String> {
        if let Some(l) = property_labels.get(p) {
            return Ok(l.clone());
        }
        let l = label(store, p.as_ref())?;
        property_labels.insert(p.clone(), l.clone());
        Ok(l)
    };
    let value = |term: &Term| -> Result<String> {
        Ok(match term {
            Term::NamedNode(n) => {
                let l = label(store, n.as_ref())?;
                let short = prefixes::compact(n.as_str());
                if l == short {
                    short
                } else {
                    format!("{l} ({short})")
                }
            }
            other => display_term(other),
        })
    };
    for quad in store.quads(Some(&iri.clone().into()), None, None, None)? {
        let quad = quad?;
        let source = source_name(&quad.graph_name);
        let p = quad.predicate.as_str();
        match (&quad.object, p) {
            (Term::NamedNode(t), RDF_TYPE) => {
                card.types.insert(prefixes::compact(t.as_str()));
            }
            (Term::NamedNode(other), p) if SAME_AS.contains(&p) => {
                card.external.insert(prefixes::compact(other.as_str()));
            }
            (Term::Literal(l), p) if LABEL_PROPERTIES.contains(&p) => {
                // A name no article uses says where it comes from (issue #22).
                let editorial =
                    matches!(&quad.graph_name, GraphName::NamedNode(g) if g.as_str() == EDITORIAL);
                card.names.insert(if editorial {
                    format!("{} [{source}]", l.value())
                } else {
                    l.value().to_owned()
                });
            }
            _ => {
                let key = property_label(&quad.predicate)?;
                let val = value(&quad.object)?;
                card.facts
                    .entry(key)
                    .or_default()
                    .0
                    .entry(val)
                    .or_default()
                    .insert(source);
            }
        }
        card.quads.push(quad);
    }
    for quad in store.quads(None, None, Some(&iri.clone().into()), None)? {
        let quad = quad?;
        let source = source_name(&quad.graph_name);
        let key = property_label(&quad.predicate)?;
        let subject = match quad.subject.as_ref() {
            NamedOrBlankNodeRef::NamedNode(n) => value(&n.into_owned().into())?,
            NamedOrBlankNodeRef::BlankNode(b) => b.to_string(),
        };
        card.referenced_by
            .entry(key)
            .or_default()
            .0
            .entry(subject)
            .or_default()
            .insert(source);
        card.quads.push(quad);
    }
    if card.quads.is_empty() {
        return Err(anyhow!(
            "the store says nothing about {}",
            prefixes::compact(iri.as_str())
        ));
    }
    Ok(card)
}
