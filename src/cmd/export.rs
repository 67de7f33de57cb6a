//! `mss-kg export`: write graphs of the store, a query's result or RDF files, pretty and sorted
//! for Turtle and TriG, streamed for N-Triples and N-Quads, atomically into a file.

use super::Context;
use crate::cli::ExportArgs;
use anyhow::{Context as _, Result, anyhow, bail};
use indicatif::ProgressBar;
use mss_kg::backend::Backend;
use mss_kg::input::{self as load, Input};
use mss_kg::prefixes::{self, PrefixMap};
use mss_kg::pretty::{self, Doc};
use mss_kg::sparql::Dataset;
use mss_kg::store::Access;
use mss_kg::{format, queries, sparql};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::sparql::QueryResults;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

/// A quad source: quads one by one, each fallible.
type Quads<'a> = Box<dyn Iterator<Item = Result<Quad>> + 'a>;

pub fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    let start = Instant::now();
    let output = args.output.clone().filter(|p| p.as_os_str() != "-");
    let dataset = args.all || args.bundled || args.graph.len() > 1;
    let format = output_format(&args, output.as_deref(), dataset)?;
    let mut prefix_map = PrefixMap::empty();
    for (name, ns) in &args.prefixes {
        prefix_map.add(name, ns);
    }
    prefix_map.add_common();

    let bar = if output.is_none() && std::io::stdout().is_terminal() {
        ProgressBar::hidden()
    } else {
        ctx.printer.progress("triples")
    };
    let written = if args.from.is_empty() {
        let store = ctx.backend.open(Access::Read)?;
        if let Some(dir) = store.dir() {
            for (name, ns) in prefixes::read_store(dir) {
                prefix_map.add(&name, &ns);
            }
        }
        let quads = store_quads(ctx, &args, &store)?;
        if args.canonical || args.hash {
            write_canonical(quads, args.hash, output.as_deref())?
        } else {
            write_with(quads, format, || prefix_map, output.as_deref(), &bar)?
        }
    } else {
        let inputs = load::expand(
            &args.from,
            load::forced_format(args.from_format.as_deref())?,
        )?;
        if inputs.is_empty() {
            bail!("no RDF files found in the --from folders");
        }
        let declared = std::cell::RefCell::new(Vec::new());
        let quads = file_quads(&inputs, args.base.as_deref(), &declared);
        if args.canonical || args.hash {
            write_canonical(quads, args.hash, output.as_deref())?
        } else {
            write_with(
                quads,
                format,
                || {
                    let mut map = prefix_map.clone();
                    for (name, ns) in declared.borrow().iter() {
                        map.add(name, ns);
                    }
                    map
                },
                output.as_deref(),
                &bar,
            )?
        }
    };
    bar.finish_and_clear();
    if let Some(path) = &output {
        ctx.printer.note(format!(
            "exported {written} {} to {} in {:.2}s",
            if format.supports_datasets() || args.canonical {
                "quads"
            } else {
                "triples"
            },
            path.display(),
            start.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

/// `--format`, else the output file's extension, else Turtle (TriG for several graphs).
fn output_format(args: &ExportArgs, output: Option<&Path>, dataset: bool) -> Result<RdfFormat> {
    if let Some(format) = load::forced_format(args.format.as_deref())? {
        return Ok(format);
    }
    if let Some(path) = output {
        // An output file's extension says its format; one that names none is an error, not a
        // silent default.
        return format::rdf_format_of_path(path).ok_or_else(|| {
            mss_kg::usage(format!(
                "cannot tell an RDF format from the extension of '{}' (use .ttl, .trig, .nt, .nq, .rdf or .jsonld, or --format)",
                path.display()
            ))
        });
    }
    let from_format = args.from_format.as_deref().and_then(format::rdf_format);
    let from_dataset = args.from.iter().any(|p| {
        from_format
            .or_else(|| format::rdf_format_of_path(p))
            .is_some_and(|f| f.supports_datasets())
    });
    Ok(if dataset || from_dataset {
        RdfFormat::TriG
    } else {
        RdfFormat::Turtle
    })
}

/// The quads `args` select from the store: graphs, everything, or a query's result.
fn store_quads<'a>(ctx: &Context, args: &ExportArgs, store: &'a Backend) -> Result<Quads<'a>> {
    let query = if let Some(name) = &args.query {
        let saved = queries::find(ctx.queries.as_deref(), name)?;
        super::queries::warn_header(ctx, &saved);
        Some((
            saved.algebra(&args.params)?,
            format!("saved query '{name}'"),
        ))
    } else if let Some(text) = &args.sparql {
        Some((
            sparql::parse_algebra(text, "--sparql")?,
            "--sparql".to_owned(),
        ))
    } else {
        None
    };
    if let Some((query, what)) = query {
        let deadline = ctx.deadline();
        let results = store
            .query(query, Dataset::Union, deadline.as_ref())
            .with_context(|| format!("{what} failed"))?;
        let QueryResults::Graph(triples) = results else {
            bail!(
                "{what} is not a CONSTRUCT or DESCRIBE query: export writes graphs (use `query` or `run` for a table)"
            );
        };
        return Ok(Box::new(sparql::distinct_triples(triples).map(|t| {
            t.map(|t| t.in_graph(GraphName::DefaultGraph))
                .map_err(anyhow::Error::from)
        })));
    }
    let graphs: Option<Vec<GraphName>> = if args.all {
        Some(store.graphs()?)
    } else if args.bundled {
        Some(
            mss_kg::bundle::graphs()?
                .into_iter()
                .map(GraphName::from)
                .collect(),
        )
    } else if !args.graph.is_empty() {
        Some(
            args.graph
                .iter()
                .map(|g| graph_name(store, g))
                .collect::<Result<_>>()?,
        )
    } else {
        None
    };
    // --data-only: the instance data, without the ontology, alignments and shapes.
    let graphs = match (graphs, args.data_only) {
        (graphs, false) => graphs,
        (None, true) => Some(store.graphs()?),
        (some, true) => some,
    }
    .map(|graphs| {
        graphs
            .into_iter()
            .filter(|g| !args.data_only || !is_ontology(g))
            .collect::<Vec<_>>()
    });
    Ok(match graphs {
        None => store.quads(None, None, None, None)?,
        Some(graphs) => Box::new(graphs.into_iter().flat_map(move |g| {
            match store.quads(None, None, None, Some(&g)) {
                Ok(quads) => quads,
                Err(e) => Box::new(std::iter::once(Err(e))),
            }
        })),
    })
}

/// Whether `graph` holds the schema (ontology, alignments, shapes) rather than data.
fn is_ontology(graph: &GraphName) -> bool {
    matches!(graph, GraphName::NamedNode(n) if n.as_str().starts_with(&format!("{}ontology/", mss_kg::prefixes::GRAPH)))
}

/// The graph `--graph` names: `default`, or an IRI (full, `<...>` or prefixed) the store holds.
fn graph_name(store: &Backend, given: &str) -> Result<GraphName> {
    if given == "default" {
        return Ok(GraphName::DefaultGraph);
    }
    let iri = queries::expand_iri(given);
    let node =
        NamedNode::new(&iri).map_err(|e| anyhow!("--graph '{given}' is not a valid IRI: {e}"))?;
    if !store.contains_graph(&node)? {
        let mut names = Vec::new();
        for graph in store.graphs()? {
            if let GraphName::NamedNode(n) = graph {
                names.push(prefixes::compact(n.as_str()));
            }
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let close = queries::closest(given, &refs);
        bail!(
            "the {} holds no graph {}{}",
            match store {
                Backend::Embedded(_) => "store".to_owned(),
                Backend::Remote(_) => store.name(),
            },
            prefixes::compact(node.as_str()),
            if close.is_empty() {
                " (`mss-kg stats` lists the graphs)".to_owned()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            }
        );
    }
    Ok(node.into())
}

/// The quads of RDF files, parsed one after the other; the prefixes each file declares are
/// added to `declared` once it is read.
fn file_quads<'a>(
    inputs: &'a [Input],
    base: Option<&'a str>,
    declared: &'a std::cell::RefCell<Vec<(String, String)>>,
) -> Quads<'a> {
    Box::new(inputs.iter().flat_map(move |input| {
        let parsed = input
            .parser(base)
            .and_then(|parser| Ok(parser.for_reader(input.open()?)));
        let mut parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => return Box::new(std::iter::once(Err(e))) as Quads<'a>,
        };
        let name = input.name();
        let mut done = false;
        Box::new(std::iter::from_fn(move || {
            if done {
                return None;
            }
            match parsed.next() {
                Some(Ok(quad)) => Some(Ok(quad)),
                Some(Err(e)) => {
                    done = true;
                    Some(Err(load::parse_error(&name, e, "nothing was written")))
                }
                None => {
                    done = true;
                    declared.borrow_mut().extend(
                        parsed
                            .prefixes()
                            .map(|(name, ns)| (name.to_owned(), ns.to_owned())),
                    );
                    None
                }
            }
        }))
    }))
}

/// Writes `quads` in `format` to `output` (standard output if `None`); `prefixes` is asked for
/// once all quads are read. N-Triples and N-Quads stream; other formats are sorted first.
fn write_with(
    quads: Quads<'_>,
    format: RdfFormat,
    prefixes: impl FnOnce() -> PrefixMap,
    output: Option<&Path>,
    bar: &ProgressBar,
) -> Result<u64> {
    let merge = !format.supports_datasets();
    match format {
        RdfFormat::NTriples | RdfFormat::NQuads => mss_kg::files::write_atomically(output, |out| {
            let mut serializer = RdfSerializer::from_format(format).for_writer(out);
            let mut count = 0u64;
            for quad in quads {
                let quad = quad?;
                if merge {
                    serializer.serialize_triple(quad.as_ref())?;
                } else {
                    serializer.serialize_quad(&quad)?;
                }
                count += 1;
                if count.is_multiple_of(4096) {
                    bar.inc(4096);
                }
            }
            serializer.finish()?;
            Ok(count)
        }),
        _ => {
            bar.set_message("reading");
            let mut doc = Doc::new(merge);
            for quad in quads {
                doc.insert(quad?);
                if doc.len().is_multiple_of(4096) {
                    bar.inc(4096);
                }
            }
            bar.set_position(0);
            let prefixes = prefixes();
            mss_kg::files::write_atomically(output, |out| {
                pretty::write(doc, format, &prefixes, out, bar)
            })
        }
    }
}

/// Runs `write` on standard output, or on a temporary file beside `path` that replaces `path`
/// only once everything is written and synced: a failure or a crash leaves `path` as it was.
/// Canonical N-Quads (RDFC-1.0 labels, sorted lines), or with `hash` only its SHA-256 on one
/// line. Returns how many quads the canonical form has.
fn write_canonical(quads: Quads<'_>, hash: bool, output: Option<&Path>) -> Result<u64> {
    let text = mss_kg::canonical::nquads(quads)?;
    let count = text.lines().count() as u64;
    mss_kg::files::write_atomically(output, |out| {
        if hash {
            writeln!(out, "{}", mss_kg::canonical::sha256(text.as_bytes()))?;
        } else {
            out.write_all(text.as_bytes())?;
        }
        Ok(count)
    })
}
