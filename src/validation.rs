//! SHACL validation with the rudof project's `shacl` engine (SHACL Core, in memory): the shapes
//! compiled once, the data graph (the merge of what is validated) handed over as triples, and
//! the results read back as [`Finding`]s, which the consistency checks (saved queries tagged
//! `consistency`) add warnings to. [`report`] writes them as a W3C `sh:ValidationReport`.

use anyhow::{Context, Result, anyhow};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    BlankNode, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple,
};
use rudof_rdf::rdf_core::{BuildRDF, SHACLPath};
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::types::Severity as ShaclSeverity;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::store::Graph;
use shacl::validator::{ShaclConfig, ShaclValidationMode};

const SH: &str = "http://www.w3.org/ns/shacl#";

/// How grave a finding is, as SHACL grades them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Violation,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Violation => "Violation",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }

    fn iri(self) -> NamedNode {
        NamedNode::new_unchecked(format!("{SH}{}", self.name()))
    }
}

/// A property path of a result: a predicate, or one of SHACL's path forms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(Box<Path>),
    Sequence(Vec<Path>),
    Alternative(Vec<Path>),
    ZeroOrMore(Box<Path>),
    OneOrMore(Box<Path>),
    ZeroOrOne(Box<Path>),
}

impl Path {
    fn from_shacl(path: &SHACLPath) -> Result<Self> {
        let boxed = |p: &SHACLPath| Path::from_shacl(p).map(Box::new);
        let all = |ps: &[SHACLPath]| ps.iter().map(Path::from_shacl).collect::<Result<Vec<_>>>();
        Ok(match path {
            SHACLPath::Predicate { pred } => Path::Predicate(NamedNode::new(pred.as_str())?),
            SHACLPath::Inverse { path } => Path::Inverse(boxed(path)?),
            SHACLPath::Sequence { paths } => Path::Sequence(all(paths)?),
            SHACLPath::Alternative { paths } => Path::Alternative(all(paths)?),
            SHACLPath::ZeroOrMore { path } => Path::ZeroOrMore(boxed(path)?),
            SHACLPath::OneOrMore { path } => Path::OneOrMore(boxed(path)?),
            SHACLPath::ZeroOrOne { path } => Path::ZeroOrOne(boxed(path)?),
        })
    }

    /// The path as SPARQL writes it, IRIs through `name` (`mss:country`, `^org:memberOf`).
    pub fn display(&self, name: &dyn Fn(&str) -> String) -> String {
        let group = |ps: &[Path], sep: &str| {
            let parts: Vec<String> = ps.iter().map(|p| p.display(name)).collect();
            format!("({})", parts.join(sep))
        };
        match self {
            Path::Predicate(p) => name(p.as_str()),
            Path::Inverse(p) => format!("^{}", p.display(name)),
            Path::Sequence(ps) => group(ps, "/"),
            Path::Alternative(ps) => group(ps, "|"),
            Path::ZeroOrMore(p) => format!("{}*", p.display(name)),
            Path::OneOrMore(p) => format!("{}+", p.display(name)),
            Path::ZeroOrOne(p) => format!("{}?", p.display(name)),
        }
    }

    /// The path as SHACL writes it in RDF: its node, with the triples describing it.
    fn to_rdf(&self, triples: &mut Vec<Triple>) -> Term {
        let sh = |local: &str| NamedNode::new_unchecked(format!("{SH}{local}"));
        let wrapped = |p: &Path, property: &str, triples: &mut Vec<Triple>| {
            let node = BlankNode::default();
            let inner = p.to_rdf(triples);
            triples.push(Triple::new(node.clone(), sh(property), inner));
            Term::from(node)
        };
        match self {
            Path::Predicate(p) => p.clone().into(),
            Path::Inverse(p) => wrapped(p, "inversePath", triples),
            Path::ZeroOrMore(p) => wrapped(p, "zeroOrMorePath", triples),
            Path::OneOrMore(p) => wrapped(p, "oneOrMorePath", triples),
            Path::ZeroOrOne(p) => wrapped(p, "zeroOrOnePath", triples),
            Path::Sequence(ps) => list(ps.iter().map(|p| p.to_rdf(triples)).collect(), triples),
            Path::Alternative(ps) => {
                let items = ps.iter().map(|p| p.to_rdf(triples)).collect();
                let node = BlankNode::default();
                let items = list(items, triples);
                triples.push(Triple::new(node.clone(), sh("alternativePath"), items));
                node.into()
            }
        }
    }
}

/// An RDF collection of `items`: its head, with its triples added.
fn list(items: Vec<Term>, triples: &mut Vec<Triple>) -> Term {
    let mut rest: Term = rdf::NIL.into_owned().into();
    for item in items.into_iter().rev() {
        let cell = BlankNode::default();
        triples.push(Triple::new(cell.clone(), rdf::FIRST, item));
        triples.push(Triple::new(cell.clone(), rdf::REST, rest));
        rest = cell.into();
    }
    rest
}

/// One result of a validation: a shape's constraint that a node breaks, or a consistency check
/// that a node fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub focus: Term,
    pub path: Option<Path>,
    pub value: Option<Term>,
    /// The SHACL constraint component (`sh:MinCountConstraintComponent`), or
    /// `sh:SPARQLConstraintComponent` for a consistency check.
    pub component: NamedNode,
    /// The shape (an IRI; a shape that is a blank node is not named) or the consistency check.
    pub shape: Option<NamedNode>,
    pub message: Option<String>,
}

/// The shapes, compiled for validation.
pub struct Shapes {
    schema: IRSchema,
    /// The `sh:message` of each shape named by an IRI (English first): SHACL gives it to every
    /// result of the shape, which the engine does for property shapes only.
    messages: std::collections::HashMap<NamedNode, String>,
}

impl Shapes {
    /// Parses and compiles a shapes graph given as Turtle; `name` is for messages.
    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let triples = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| {
                q.map(Triple::from)
                    .map_err(|e| crate::input::parse_error(name, e.into(), "nothing was validated"))
            })
            .collect::<Result<Vec<_>>>()?;
        let message = NamedNode::new_unchecked(format!("{SH}message"));
        let mut messages: std::collections::HashMap<NamedNode, (u8, String)> = Default::default();
        for t in &triples {
            if let (NamedOrBlankNode::NamedNode(shape), Term::Literal(text)) =
                (&t.subject, &t.object)
                && t.predicate == message
            {
                let rank = match text.language() {
                    Some("en") => 0,
                    None => 1,
                    Some(_) => 2,
                };
                let entry = messages
                    .entry(shape.clone())
                    .or_insert_with(|| (rank, text.value().to_owned()));
                if rank < entry.0 {
                    *entry = (rank, text.value().to_owned());
                }
            }
        }
        let messages = messages.into_iter().map(|(k, (_, v))| (k, v)).collect();
        let graph = in_memory(triples)?;
        let ast = ShaclParser::new(graph)
            .parse()
            .map_err(|e| anyhow!("{name}: not a SHACL shapes graph: {e}"))?;
        let schema = IRSchema::compile(&ast)
            .map_err(|e| anyhow!("{name}: cannot compile the shapes: {e}"))?;
        Ok(Self { schema, messages })
    }
}

/// A graph of the engine holding `triples`.
fn in_memory(triples: impl IntoIterator<Item = Triple>) -> Result<OxigraphInMemory> {
    let mut graph = OxigraphInMemory::new();
    for t in triples {
        graph
            .add_triple(t.subject, t.predicate, t.object)
            .map_err(|e| anyhow!("cannot hold a triple for validation: {e}"))?;
    }
    Ok(graph)
}

/// Validates the graph of `triples` (their merge: a triple given twice is one) against `shapes`.
pub fn validate(
    triples: impl IntoIterator<Item = Triple>,
    shapes: &Shapes,
) -> Result<Vec<Finding>> {
    let graph = in_memory(triples)?;
    let graph =
        Graph::try_from(graph).map_err(|e| anyhow!("cannot hold the graph for validation: {e}"))?;
    let mut validation = GraphValidation::new(graph);
    let report = validation
        .validate(
            &shapes.schema,
            &ShaclValidationMode::Native,
            &ShaclConfig::default(),
        )
        .map_err(|e| anyhow!("SHACL validation failed: {e}"))?;
    let mut findings = Vec::new();
    for result in report.results() {
        let severity = match result.severity() {
            ShaclSeverity::Violation => Severity::Violation,
            ShaclSeverity::Warning => Severity::Warning,
            _ => Severity::Info,
        };
        let component = match Term::from(result.constraint_component().clone()) {
            Term::NamedNode(n) => n,
            other => {
                return Err(anyhow!(
                    "a constraint component that is not an IRI: {other}"
                ));
            }
        };
        let shape = result
            .source()
            .map(|s| Term::from(s.clone()))
            .and_then(|s| match s {
                Term::NamedNode(n) => Some(n),
                _ => None,
            });
        // English first, then a message without a language, then the others in order.
        let message = result
            .message()
            .iter()
            .map(|(lang, text)| {
                let lang = lang.as_ref().map(|l| l.to_string()).unwrap_or_default();
                let rank = match lang.as_str() {
                    "en" => 0,
                    "" => 1,
                    _ => 2,
                };
                (rank, lang, text.clone())
            })
            .min()
            .map(|(_, _, text)| text);
        // A shape's own message wins over the engine's default ("OR not satisfied").
        let message = shape
            .as_ref()
            .filter(|_| !component.as_str().ends_with("#SPARQLConstraintComponent"))
            .and_then(|s| shapes.messages.get(s))
            .cloned()
            .or(message);
        findings.push(Finding {
            severity,
            focus: result.focus_node().clone().into(),
            path: result.path().map(Path::from_shacl).transpose()?,
            value: result.value().map(|v| v.clone().into()),
            component,
            shape,
            message,
        });
    }
    sort(&mut findings);
    Ok(findings)
}

/// Sorts findings the same way every time (graver first, then by focus node, path, component
/// and value) and drops repeats.
pub fn sort(findings: &mut Vec<Finding>) {
    let key = |f: &Finding| {
        (
            f.severity,
            f.focus.to_string(),
            f.path
                .as_ref()
                .map(|p| p.display(&|iri: &str| iri.to_owned())),
            f.component.as_str().to_owned(),
            f.value.as_ref().map(Term::to_string),
            f.message.clone(),
        )
    };
    findings.sort_by_cached_key(key);
    findings.dedup();
}

/// The findings as a W3C `sh:ValidationReport`: `sh:conforms` is SHACL's (false when there is
/// any result, warnings included).
pub fn report(findings: &[Finding]) -> Vec<Triple> {
    let sh = |local: &str| NamedNode::new_unchecked(format!("{SH}{local}"));
    let mut triples = Vec::new();
    let report = BlankNode::default();
    triples.push(Triple::new(
        report.clone(),
        rdf::TYPE,
        sh("ValidationReport"),
    ));
    triples.push(Triple::new(
        report.clone(),
        sh("conforms"),
        Literal::new_typed_literal(findings.is_empty().to_string(), xsd::BOOLEAN),
    ));
    for f in findings {
        let node = BlankNode::default();
        triples.push(Triple::new(report.clone(), sh("result"), node.clone()));
        triples.push(Triple::new(node.clone(), rdf::TYPE, sh("ValidationResult")));
        triples.push(Triple::new(
            node.clone(),
            sh("resultSeverity"),
            f.severity.iri(),
        ));
        triples.push(Triple::new(node.clone(), sh("focusNode"), f.focus.clone()));
        if let Some(path) = &f.path {
            let path = path.to_rdf(&mut triples);
            triples.push(Triple::new(node.clone(), sh("resultPath"), path));
        }
        if let Some(value) = &f.value {
            triples.push(Triple::new(node.clone(), sh("value"), value.clone()));
        }
        triples.push(Triple::new(
            node.clone(),
            sh("sourceConstraintComponent"),
            f.component.clone(),
        ));
        if let Some(shape) = &f.shape {
            triples.push(Triple::new(node.clone(), sh("sourceShape"), shape.clone()));
        }
        if let Some(message) = &f.message {
            triples.push(Triple::new(
                node.clone(),
                sh("resultMessage"),
                Literal::new_simple_literal(message),
            ));
        }
    }
    triples
}

/// Where a node is first described in a Turtle-family text: the first line that starts with it
/// (as a subject, its full IRI or a prefixed name with the text's own prefixes), else the first
/// line that mentions it; `None` for a blank node or a node the text does not name.
pub fn first_line(
    text: &str,
    node: NamedOrBlankNodeRef<'_>,
    prefixes: &[(String, String)],
) -> Option<usize> {
    let NamedOrBlankNodeRef::NamedNode(iri) = node else {
        return None;
    };
    let iri = iri.as_str();
    let mut forms = vec![format!("<{iri}>")];
    for (prefix, namespace) in prefixes {
        if let Some(local) = iri.strip_prefix(namespace.as_str())
            && !local.is_empty()
        {
            forms.push(format!("{prefix}:{local}"));
        }
    }
    let ends_name = |rest: &str| {
        rest.chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '%')))
            || rest.starts_with(". ")
            || rest == "."
    };
    let mentions = |line: &str, at_start: bool| {
        forms.iter().any(|form| {
            if at_start {
                line.trim_start()
                    .strip_prefix(form.as_str())
                    .is_some_and(ends_name)
            } else {
                line.match_indices(form.as_str()).any(|(i, _)| {
                    let before = line[..i].chars().next_back();
                    before.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | ':')))
                        && ends_name(&line[i + form.len()..])
                })
            }
        })
    };
    let lines = || text.lines().enumerate();
    lines()
        .find(|(_, line)| mentions(line, true))
        .or_else(|| lines().find(|(_, line)| mentions(line, false)))
        .map(|(i, _)| i + 1)
}

/// The subject a finding is about, when it can be one.
pub fn focus_subject(finding: &Finding) -> Option<NamedOrBlankNode> {
    match &finding.focus {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// The bundled shapes, `ontology/shapes.ttl`.
pub fn bundled_shapes() -> Result<&'static str> {
    crate::bundle::files()
        .iter()
        .find(|(path, _, _)| *path == "ontology/shapes.ttl")
        .map(|(_, text, _)| *text)
        .context("the bundled shapes (ontology/shapes.ttl) are missing from this build")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_found_where_it_is_first_described() {
        let text = "@prefix ex: <http://example.org/> .\n\
                    ex:b ex:p ex:a .\n\
                    ex:ab ex:p 1 .\n\
                    ex:a ex:p 2 .\n\
                    <http://example.org/c> ex:p ex:a .\n";
        let prefixes = vec![("ex".to_owned(), "http://example.org/".to_owned())];
        let line = |iri: &str| {
            let node = NamedNode::new(iri).unwrap();
            first_line(
                text,
                NamedOrBlankNodeRef::NamedNode(node.as_ref()),
                &prefixes,
            )
        };
        assert_eq!(
            line("http://example.org/a"),
            Some(4),
            "as a subject, not ex:ab"
        );
        assert_eq!(line("http://example.org/c"), Some(5), "by its full IRI");
        assert_eq!(line("http://example.org/p"), Some(2), "mentioned only");
        assert_eq!(line("http://example.org/zzz"), None);
    }

    #[test]
    fn a_path_is_written_as_sparql_and_as_shacl_rdf() {
        let p =
            |s: &str| Path::Predicate(NamedNode::new(format!("http://example.org/{s}")).unwrap());
        let path = Path::Sequence(vec![
            Path::Inverse(Box::new(p("a"))),
            Path::ZeroOrMore(Box::new(p("b"))),
        ]);
        let name = |iri: &str| iri.replace("http://example.org/", "ex:");
        assert_eq!(path.display(&name), "(^ex:a/ex:b*)");
        let mut triples = Vec::new();
        path.to_rdf(&mut triples);
        // Two list cells (2 triples each), an inverse and a zero-or-more node.
        assert_eq!(triples.len(), 6);
    }
}
