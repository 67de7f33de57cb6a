//! `mss-kg validate`: the store, or files as loading them would leave it, against the SHACL
//! shapes (the bundled `ontology/shapes.ttl` unless `--shapes`), with the consistency checks
//! (saved queries tagged `consistency`) as warnings.

use super::Context;
use crate::cli::ValidateArgs;
use anyhow::{Context as _, Result, anyhow};
use mss_kg::backend::{Backend, Load, Replace, Target};
use mss_kg::input::{self, Input};
use mss_kg::prefixes;
use mss_kg::sparql::Dataset;
use mss_kg::store::{Access, OpenStore};
use mss_kg::validation::{self, Finding, Severity};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;

/// The tag of the saved queries that are consistency checks.
const CONSISTENCY: &str = "consistency";

/// Where each node the files describe is first described: `file:line`.
type Places = HashMap<NamedOrBlankNode, (String, Option<usize>)>;

pub fn run(ctx: &Context, args: ValidateArgs) -> Result<()> {
    // Exit 1 means "violations": trouble reading the input or the shapes is 2, as in `diff`.
    validate(ctx, args).map_err(|e| {
        if e.is::<mss_kg::usage::Silent>() || mss_kg::usage::is_usage(&e) {
            e
        } else {
            mss_kg::usage(format!("{e:#}"))
        }
    })
}

fn validate(ctx: &Context, args: ValidateArgs) -> Result<()> {
    if !matches!(args.format.as_str(), "text" | "turtle" | "ttl" | "json") {
        return Err(mss_kg::usage(format!(
            "unknown --format '{}': validate prints text, turtle or json",
            args.format
        )));
    }
    let (shapes_text, shapes_name) = match &args.shapes {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the shapes '{}'", path.display()))?,
            path.display().to_string(),
        ),
        None => (
            validation::bundled_shapes()?.to_owned(),
            "ontology/shapes.ttl (bundled)".to_owned(),
        ),
    };
    let shapes = validation::Shapes::parse(&shapes_text, &shapes_name)?;
    let backend = ctx.backend.open(Access::Read)?;

    // What is validated: the store's graph, or the store as `load --replace FILES` would leave
    // it (the files' graphs in place of the store's graphs of the same names).
    let (graph_backend, places) = if args.files.is_empty() {
        (None, None)
    } else {
        let inputs = input::expand(&args.files, None)?;
        if inputs.is_empty() {
            return Err(anyhow!("no RDF file among the paths given"));
        }
        let (store, places) = combined(&backend, &inputs)?;
        (
            Some(Backend::Embedded(OpenStore::shared(store))),
            Some(places),
        )
    };
    let graph = graph_backend.as_ref().unwrap_or(&backend);
    let triples = merged_triples(graph)?;
    let labels = labels(&triples);
    let count = triples.len();

    let mut findings = validation::validate(triples, &shapes)?;
    if let Some(places) = &places {
        // Only what the files describe: the rest of the store is their context.
        findings.retain(|f| validation::focus_subject(f).is_some_and(|s| places.contains_key(&s)));
    }
    let checks = if args.no_consistency {
        0
    } else {
        consistency(ctx, graph, &mut findings)?
    };
    validation::sort(&mut findings);

    let violations = findings
        .iter()
        .filter(|f| f.severity == Severity::Violation)
        .count();
    let warnings = findings.len() - violations;
    let mut out = ctx.printer.stdout();
    match args.format.as_str() {
        "turtle" | "ttl" => {
            let quads = validation::report(&findings)
                .into_iter()
                .map(|t| Ok::<_, anyhow::Error>(t.in_graph(GraphName::DefaultGraph)));
            mss_kg::output::write_graph(quads, oxigraph::io::RdfFormat::Turtle, &mut out)?;
        }
        "json" => {
            let results: Vec<_> = findings
                .iter()
                .map(|f| json_finding(f, &labels, places.as_ref()))
                .collect();
            let doc = json!({
                "conforms": violations == 0,
                "violations": violations,
                "warnings": warnings,
                "triples": count,
                "shapes": shapes_name,
                "results": results,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        _ => {
            for (i, f) in findings.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_text(&mut out, f, &labels, places.as_ref())?;
            }
        }
    }
    out.flush()?;
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let what = match &places {
        Some(places) => format!(
            "{} described in {}",
            plural(places.len(), "node"),
            plural(args.files.len(), "path")
        ),
        None => backend.name(),
    };
    ctx.printer.note(format!(
        "{}, {} ({what}, {} triples; shapes: {shapes_name}; {})",
        plural(violations, "violation"),
        plural(warnings, "warning"),
        count,
        plural(checks, "consistency check"),
    ));
    if violations > 0 || (args.strict && warnings > 0) {
        return Err(anyhow::Error::new(mss_kg::usage::Silent(1)));
    }
    Ok(())
}

/// The store's quads with the files' in place of the graphs they name, in a store in memory;
/// and where in the files each subject is first described.
fn combined(backend: &Backend, inputs: &[Input]) -> Result<(Store, Places)> {
    let load = Load {
        inputs,
        base: None,
        target: Target::FileGraph,
        replace: Replace::Touched,
    };
    let mut file_quads: Vec<Quad> = Vec::new();
    let mut places = Places::new();
    for input in inputs {
        let name = input.name();
        let mut parsed = load.parser(input)?.for_reader(input.open()?);
        let mut subjects: Vec<NamedOrBlankNode> = Vec::new();
        for quad in parsed.by_ref() {
            let quad = quad.map_err(|e| input::parse_error(&name, e, "nothing was validated"))?;
            subjects.push(quad.subject.clone());
            file_quads.push(quad);
        }
        let declared: Vec<(String, String)> = parsed
            .prefixes()
            .map(|(p, ns)| (p.to_owned(), ns.to_owned()))
            .collect();
        // Positions are found in the text for the Turtle family; other formats name the file.
        let text = match input.format {
            oxigraph::io::RdfFormat::Turtle
            | oxigraph::io::RdfFormat::TriG
            | oxigraph::io::RdfFormat::NTriples
            | oxigraph::io::RdfFormat::NQuads => input
                .path
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok()),
            _ => None,
        };
        for subject in subjects {
            places.entry(subject.clone()).or_insert_with(|| {
                let line = text
                    .as_deref()
                    .and_then(|t| validation::first_line(t, subject.as_ref(), &declared));
                (name.clone(), line)
            });
        }
    }
    let replaced: HashSet<GraphName> = file_quads.iter().map(|q| q.graph_name.clone()).collect();
    let store = Store::new().context("cannot create an in-memory store")?;
    let mut loader = store.bulk_loader();
    let mut kept = Vec::new();
    for quad in backend.quads(None, None, None, None)? {
        let quad = quad?;
        if !replaced.contains(&quad.graph_name) {
            kept.push(quad);
        }
    }
    loader.load_quads(kept.into_iter().chain(file_quads))?;
    loader.commit()?;
    Ok((store, places))
}

/// The triples of the graph queries see (the merge of the store's graphs): each once.
fn merged_triples(backend: &Backend) -> Result<Vec<Triple>> {
    let query = spargebra::SparqlParser::new()
        .parse_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .expect("a valid query");
    let QueryResults::Graph(triples) = backend.query(query, Dataset::Union, None)? else {
        unreachable!("a CONSTRUCT answers triples")
    };
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    for triple in triples {
        let triple = triple?;
        if seen.insert(triple.clone()) {
            all.push(triple);
        }
    }
    Ok(all)
}

/// A label for each node that has one (`rdfs:label`, else `skos:prefLabel`, else `schema:name`;
/// English first).
fn labels(triples: &[Triple]) -> HashMap<NamedOrBlankNode, String> {
    let rank_of = |p: &str| match p {
        "http://www.w3.org/2000/01/rdf-schema#label" => Some(0),
        "http://www.w3.org/2004/02/skos/core#prefLabel" => Some(1),
        "http://schema.org/name" => Some(2),
        _ => None,
    };
    let mut best: HashMap<NamedOrBlankNode, ((u8, u8, String), String)> = HashMap::new();
    for t in triples {
        let (Some(rank), Term::Literal(l)) = (rank_of(t.predicate.as_str()), &t.object) else {
            continue;
        };
        let lang_rank = match l.language() {
            Some("en") => 0,
            None => 1,
            Some(_) => 2,
        };
        let key = (rank, lang_rank, l.value().to_owned());
        let entry = best
            .entry(t.subject.clone())
            .or_insert_with(|| (key.clone(), l.value().to_owned()));
        if key < entry.0 {
            *entry = (key, l.value().to_owned());
        }
    }
    best.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// Runs every saved query tagged `consistency` on `graph`, each row a warning; how many ran.
///
/// A consistency query answers `?focus` (what the warning is about), `?message`, and `?sources`
/// (the citations of the sources on each side), and may answer `?value`.
fn consistency(ctx: &Context, graph: &Backend, findings: &mut Vec<Finding>) -> Result<usize> {
    let catalog = mss_kg::queries::catalog(ctx.queries.as_deref())?;
    let checks: Vec<_> = catalog
        .queries
        .iter()
        .filter(|q| q.tags.iter().any(|t| t == CONSISTENCY))
        .collect();
    let component =
        NamedNode::new_unchecked("http://www.w3.org/ns/shacl#SPARQLConstraintComponent");
    for check in &checks {
        let query = check.algebra(&[])?;
        let results = graph
            .query(query, Dataset::Union, ctx.deadline().as_ref())
            .with_context(|| format!("the consistency check '{}' failed", check.name))?;
        let QueryResults::Solutions(rows) = results else {
            return Err(anyhow!(
                "the consistency check '{}' is not a SELECT query",
                check.name
            ));
        };
        let shape = NamedNode::new_unchecked(format!("{}query/{}", prefixes::BASE, check.name));
        for row in rows {
            let row =
                row.with_context(|| format!("the consistency check '{}' failed", check.name))?;
            let Some(focus) = row.get("focus").cloned() else {
                return Err(anyhow!(
                    "the consistency check '{}' answered a row without ?focus",
                    check.name
                ));
            };
            let text = |name: &str| {
                row.get(name).map(|t| match t {
                    Term::Literal(l) => l.value().to_owned(),
                    other => mss_kg::output::display_term(other),
                })
            };
            // The sources are added unless the message names them all already.
            let message = match (text("message"), text("sources")) {
                (Some(m), Some(s)) if !s.split("; ").all(|c| m.contains(c)) => {
                    format!("{m} [sources: {s}]")
                }
                (Some(m), _) => m,
                (None, _) => format!("fails the consistency check '{}'", check.name),
            };
            findings.push(Finding {
                severity: Severity::Warning,
                focus,
                path: None,
                value: row.get("value").cloned(),
                component: component.clone(),
                shape: Some(shape.clone()),
                message: Some(message),
            });
        }
    }
    Ok(checks.len())
}

fn place_of(f: &Finding, places: Option<&Places>) -> Option<(String, Option<usize>)> {
    places?.get(&validation::focus_subject(f)?).cloned()
}

fn write_text(
    out: &mut dyn Write,
    f: &Finding,
    labels: &HashMap<NamedOrBlankNode, String>,
    places: Option<&Places>,
) -> Result<()> {
    let name = |iri: &str| prefixes::compact(iri);
    let mut head = format!(
        "{}: {}",
        f.severity.name(),
        mss_kg::output::display_term(&f.focus)
    );
    if let Some(label) = validation::focus_subject(f).and_then(|s| labels.get(&s)) {
        head.push_str(&format!(" \"{label}\""));
    }
    if let Some((file, line)) = place_of(f, places) {
        match line {
            Some(line) => head.push_str(&format!(" ({file}:{line})")),
            None => head.push_str(&format!(" ({file})")),
        }
    }
    writeln!(out, "{head}")?;
    let mut detail = Vec::new();
    if let Some(path) = &f.path {
        detail.push(format!("path {}", path.display(&name)));
    }
    if let Some(value) = &f.value {
        detail.push(format!("value {}", show_value(value)));
    }
    detail.push(name(f.component.as_str()));
    if let Some(shape) = &f.shape {
        let check = shape
            .as_str()
            .strip_prefix(prefixes::BASE)
            .and_then(|rest| rest.strip_prefix("query/"));
        detail.push(match check {
            Some(query) => format!("check {query}"),
            None => format!("shape {}", name(shape.as_str())),
        });
    }
    writeln!(out, "  {}", detail.join(" · "))?;
    if let Some(message) = &f.message {
        writeln!(out, "  {message}")?;
    }
    Ok(())
}

/// A value as people read it, strings quoted so that an empty one shows.
fn show_value(value: &Term) -> String {
    match value {
        Term::Literal(l)
            if l.datatype().as_str().ends_with("#string") || l.language().is_some() =>
        {
            format!("\"{}\"", l.value())
        }
        other => mss_kg::output::display_term(other),
    }
}

fn json_finding(
    f: &Finding,
    labels: &HashMap<NamedOrBlankNode, String>,
    places: Option<&Places>,
) -> serde_json::Value {
    let term = |t: &Term| match t {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    };
    let mut o = serde_json::Map::new();
    o.insert("severity".into(), json!(f.severity.name()));
    o.insert("focus".into(), json!(term(&f.focus)));
    if let Some(label) = validation::focus_subject(f).and_then(|s| labels.get(&s)) {
        o.insert("label".into(), json!(label));
    }
    if let Some(path) = &f.path {
        o.insert(
            "path".into(),
            json!(path.display(&|iri: &str| match &f.path {
                Some(validation::Path::Predicate(_)) => iri.to_owned(),
                _ => format!("<{iri}>"),
            })),
        );
    }
    if let Some(value) = &f.value {
        o.insert("value".into(), json!(value.to_string()));
    }
    o.insert("component".into(), json!(f.component.as_str()));
    if let Some(shape) = &f.shape {
        o.insert("shape".into(), json!(shape.as_str()));
    }
    if let Some(message) = &f.message {
        o.insert("message".into(), json!(message));
    }
    if let Some((file, line)) = place_of(f, places) {
        o.insert("file".into(), json!(file));
        if let Some(line) = line {
            o.insert("line".into(), json!(line));
        }
    }
    serde_json::Value::Object(o)
}
