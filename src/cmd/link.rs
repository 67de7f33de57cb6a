//! `mss-kg link`: discover identity links to an external graph, review them, record them.

use super::Context;
use crate::cli::LinkArgs;
use anyhow::{Context as _, Result, anyhow, bail};
use mss_kg::backend::{Backend, Load, QueryMethod, Replace, Target};
use mss_kg::input::{expand, parse_error};
use mss_kg::link::{
    self, Entities, Entity, Evaluation, Hierarchy, Index, Object, Proposal, Settings, Status,
    Symbols, Vocabulary,
};
use mss_kg::output;
use mss_kg::prefixes::{GRAPH, MSS, MSSR};
use mss_kg::queries::expand_iri;
use mss_kg::store::Access;
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Variable};
use oxigraph::sparql::QueryResults;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Graphs that `link` loads external files into.
pub const EXTERNAL_GRAPHS: &str = "https://w3id.org/mss-kg/graph/external/";
/// Graphs that `link --apply` writes links into.
pub const LINK_GRAPHS: &str = "https://w3id.org/mss-kg/graph/links/";

const PROV: &str = "http://www.w3.org/ns/prov#";

/// Where the external entities come from.
enum Source {
    /// An RDF file, loaded into a graph of the store.
    File { path: PathBuf, graph: NamedNode },
    /// A named graph of the store.
    Graph(NamedNode),
    /// A SPARQL endpoint.
    Endpoint(NamedNode),
}

impl Source {
    /// What `--with` names: a file (if one is there, or if it is no IRI), a graph the store
    /// holds, or else an http(s) URL taken as an endpoint.
    fn resolve(with: &str, graph: Option<&str>, store: &Backend) -> Result<Self> {
        let path = Path::new(with);
        let expanded = expand_iri(with);
        let is_iri = expanded.contains("://") || expanded.starts_with("urn:");
        if path.exists() || !is_iri {
            std::fs::metadata(path).with_context(|| format!("cannot read '{with}'"))?;
            let graph = match graph {
                Some(iri) => named_node(iri, "--graph")?,
                None => NamedNode::new(format!("{EXTERNAL_GRAPHS}{}", slug(file_name(path))))?,
            };
            return Ok(Source::File {
                path: path.to_path_buf(),
                graph,
            });
        }
        let node = named_node(with, "--with")?;
        if store.contains_graph(&node)? {
            return Ok(Source::Graph(node));
        }
        if expanded.starts_with("http://") || expanded.starts_with("https://") {
            return Ok(Source::Endpoint(node));
        }
        bail!("'{with}' is neither a file, a graph in the store, nor a SPARQL endpoint URL")
    }

    /// The IRI that names the source in provenance.
    fn iri(&self) -> Result<NamedNode> {
        Ok(match self {
            Source::File { graph, .. } | Source::Graph(graph) | Source::Endpoint(graph) => {
                graph.clone()
            }
        })
    }

    /// The graph holding the external entities in the store, if they are there.
    fn graph(&self) -> Option<&NamedNode> {
        match self {
            Source::File { graph, .. } | Source::Graph(graph) => Some(graph),
            Source::Endpoint(_) => None,
        }
    }

    /// A short name, for the default links graph.
    fn name(&self) -> String {
        let iri = match self {
            Source::File { path, .. } => return slug(file_stem(path)),
            Source::Graph(g) => g.as_str(),
            Source::Endpoint(url) => {
                let host = url.as_str().split("://").nth(1).unwrap_or("");
                return slug(host.split('/').next().unwrap_or("endpoint"));
            }
        };
        let last = iri
            .trim_end_matches(['/', '#'])
            .rsplit(['/', '#', ':'])
            .next()
            .unwrap_or("graph");
        slug(last.rsplit_once('.').map_or(last, |(stem, _)| stem))
    }
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
}

fn file_stem(path: &Path) -> &str {
    let name = file_name(path);
    name.split('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

/// Letters, digits, `.`, `_` and `-` kept; anything else to `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn named_node(value: &str, option: &str) -> Result<NamedNode> {
    NamedNode::new(expand_iri(value)).map_err(|e| anyhow!("{option} '{value}' is not an IRI: {e}"))
}

fn to_object(term: &Term) -> Object<'_> {
    match term {
        Term::NamedNode(n) => Object::Iri(n.as_str()),
        Term::Literal(l) => Object::Literal {
            value: l.value(),
            lang: l.language(),
        },
        _ => Object::Other,
    }
}

pub fn run(ctx: &Context, args: LinkArgs) -> Result<()> {
    for (name, value) in [("--threshold", args.threshold), ("--review", args.review)] {
        if !(0.0..=1.0).contains(&value) {
            bail!("{name} takes a score from 0 to 1, not {value}");
        }
    }
    if args.review > args.threshold {
        bail!(
            "--review ({}) is above --threshold ({}): links to review score below those accepted",
            args.review,
            args.threshold
        );
    }
    let relation = named_node(&args.relation, "--relation")?;
    if ![link::iri::SAME_AS, link::iri::EXACT_MATCH].contains(&relation.as_str()) {
        bail!(
            "--relation '{}' is neither owl:sameAs nor skos:exactMatch",
            args.relation
        );
    }
    let mut vocabulary = Vocabulary {
        languages: args.lang.iter().map(|l| l.trim().to_owned()).collect(),
        ..Vocabulary::default()
    };
    if !args.label_properties.is_empty() {
        vocabulary.labels = args
            .label_properties
            .iter()
            .map(|p| Ok((named_node(p, "--label-property")?.into_string(), true)))
            .collect::<Result<_>>()?;
    }
    let class = args
        .class
        .as_deref()
        .map(|c| named_node(c, "--type"))
        .transpose()?;
    let locals_only: Vec<NamedNode> = args
        .local_graphs
        .iter()
        .map(|g| named_node(g, "--local-graph"))
        .collect::<Result<_>>()?;
    let links_graph = args
        .links_graph
        .as_deref()
        .map(|g| named_node(g, "--links-graph"))
        .transpose()?;
    let gold = args.gold.as_deref().map(read_gold).transpose()?;

    // Only --apply writes (the links, and a file source's graph). Otherwise the store is read.
    let store = ctx.backend.open(if args.apply {
        Access::Write
    } else {
        Access::Read
    })?;
    let source = Source::resolve(&args.with, args.graph.as_deref(), &store)?;
    // A file loaded into a new graph by this run is dropped again if the run fails: a failed
    // command leaves the store as it was.
    let new_graph = match &source {
        Source::File { graph, .. } if !store.contains_graph(graph)? => Some(graph.clone()),
        _ => None,
    };
    let result = (|| -> Result<()> {
        let start = Instant::now();
        let mut symbols = Symbols::new(&vocabulary);

        // The class hierarchy: the store's (ontology, alignments, loaded graphs).
        let mut hierarchy = Hierarchy::default();
        for (property, both) in [
            (link::iri::SUBCLASS_OF, false),
            (link::iri::WDT_P279, false),
            (link::iri::EQUIVALENT_CLASS, true),
        ] {
            for quad in store.quads(None, Some(&NamedNode::new_unchecked(property)), None, None)? {
                let quad = quad?;
                if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
                    (&quad.subject, &quad.object)
                {
                    hierarchy.add(&mut symbols.classes, s.as_str(), o.as_str());
                    if both {
                        hierarchy.add(&mut symbols.classes, o.as_str(), s.as_str());
                    }
                }
            }
        }

        // The external entities.
        let mut external = Entities::new(&vocabulary, false);
        let external_graph = source.graph().cloned();
        match &source {
            // Applied links point into the file's graph: it is loaded (in the same parse),
            // replacing what an earlier run loaded. Otherwise the file is only read.
            Source::File { path, graph } if args.apply => {
                let present = store.contains_graph(graph)?;
                load_file(
                    ctx,
                    &store,
                    path,
                    graph,
                    present,
                    &mut symbols,
                    &mut external,
                )?;
            }
            Source::File { path, .. } => {
                read_file(ctx, path, &vocabulary, &mut symbols, &mut external)?;
            }
            Source::Graph(graph) => {
                read_graph(
                    &store,
                    &graph.clone().into(),
                    &vocabulary,
                    &mut symbols,
                    &mut external,
                )?;
            }
            Source::Endpoint(url) => {
                let classes = class.as_ref().map(|c| {
                    let id = symbols.classes.get_or_add(c.as_str());
                    hierarchy
                        .descendants(id)
                        .into_iter()
                        .map(|c| NamedNode::new_unchecked(symbols.classes.name(c)))
                        .collect::<Vec<_>>()
                });
                fetch_endpoint(
                    ctx,
                    url,
                    &vocabulary,
                    classes.as_deref(),
                    &mut symbols,
                    &mut external,
                )?;
            }
        }
        for (class, parent) in std::mem::take(&mut external.class_edges) {
            hierarchy.add(&mut symbols.classes, &class, &parent);
        }

        // The local entities: every graph but the external, links and ontology ones, read graph by
        // graph so that the external graph is never decoded a second time.
        let mut local = Entities::new(&vocabulary, true);
        let graphs = store.graphs()?;
        for graph in graphs
            .iter()
            .filter(|g| is_local(g, external_graph.as_ref(), &locals_only))
        {
            read_graph(&store, graph, &vocabulary, &mut symbols, &mut local)?;
        }
        let all_classes: Vec<u32> = (0..u32::try_from(symbols.classes.len())?).collect();
        hierarchy.close(all_classes);
        let class_id = class
            .as_ref()
            .map(|c| symbols.classes.get_or_add(c.as_str()));
        hierarchy.close(class_id);
        let locals: Vec<Entity> = local
            .named()
            .into_iter()
            .filter(|e| !e.types.is_empty() || class_id.is_none() && !locals_only.is_empty())
            .filter(|e| class_id.is_none_or(|c| e.types.iter().any(|t| hierarchy.is_a(*t, c))))
            .collect();

        let bar = ctx.printer.progress("external entities indexed");
        bar.set_message("building the blocking index");
        // An external entity with a local IRI is one of ours (an endpoint serving this very graph,
        // say): linking it to itself says nothing.
        let local_iris: std::collections::HashSet<&str> = locals.iter().map(|e| &*e.iri).collect();
        let index = Index::new(
            external
                .named()
                .into_iter()
                .filter(|e| !local_iris.contains(&*e.iri))
                .collect(),
        );
        bar.finish_and_clear();
        if index.is_empty() {
            bail!(
                "{}: no named entities found (names are read from {})",
                args.with,
                vocabulary
                    .labels
                    .iter()
                    .map(|(p, _)| mss_kg::prefixes::compact(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let bar = ctx.printer.progress("local entities matched");
        let settings = Settings {
            threshold: args.threshold,
            review: args.review,
            use_ids: args.evidence == "all",
        };
        let proposals = link::match_all(&locals, &index, &hierarchy, &symbols, settings, &|n| {
            bar.inc(n)
        });
        bar.finish_and_clear();

        write_table(ctx, &args, &locals, &index, &proposals)?;

        let count = |s: Status| proposals.iter().filter(|p| p.status == s).count();
        ctx.printer.note(format!(
        "matched {} local entities against {} external ones in {:.2}s: {} accepted, {} to review, {} ambiguous",
        locals.len(),
        index.len(),
        start.elapsed().as_secs_f64(),
        count(Status::Accepted),
        count(Status::Review),
        count(Status::Ambiguous),
    ));

        let pairs = |wanted: &[Status]| -> Vec<(String, String)> {
            proposals
                .iter()
                .filter(|p| wanted.contains(&p.status))
                .map(|p| {
                    (
                        locals[p.local].iri.to_string(),
                        index.entities[p.external].iri.to_string(),
                    )
                })
                .collect()
        };
        let accepted = pairs(&[Status::Accepted]);
        if let Some(gold) = gold {
            let evaluation = Evaluation::new(&accepted, &gold);
            let proposed = Evaluation::new(&pairs(&[Status::Accepted, Status::Review]), &gold);
            // Asked for: printed even with --quiet.
            eprintln!(
                "precision {:.3} ({} of {} accepted links are known), recall {:.3} ({} of {} known links found), F1 {:.3}",
                evaluation.precision(),
                evaluation.true_positives,
                evaluation.predicted,
                evaluation.recall(),
                evaluation.true_positives,
                evaluation.gold,
                evaluation.f1()
            );
            eprintln!(
                "with the links to review: recall {:.3} ({} of {} known links accepted or to review)",
                proposed.recall(),
                proposed.true_positives,
                proposed.gold
            );
            // The first few of each, enough to look into; the counts say the rest.
            const SHOWN: usize = 20;
            for (what, pairs) in [
                ("not known", &evaluation.wrong),
                ("missed", &evaluation.missed),
            ] {
                for (l, e) in pairs.iter().take(SHOWN) {
                    eprintln!("  {what}: <{l}> <{e}>");
                }
                if pairs.len() > SHOWN {
                    eprintln!("  ... and {} more {what}", pairs.len() - SHOWN);
                }
            }
        }

        if args.apply {
            let graph = match links_graph {
                Some(g) => g,
                None => NamedNode::new(format!("{LINK_GRAPHS}{}", source.name()))?,
            };
            let written = apply(
                &store,
                &graph,
                &relation,
                &source.iri()?,
                &args,
                &locals,
                &index,
                &proposals,
            )?;
            ctx.printer
                .note(format!("wrote {written} links into graph {graph}"));
        }
        Ok(())
    })();
    if result.is_err()
        && let Some(graph) = &new_graph
    {
        let _ = store.drop_graph(graph);
    }
    result
}

/// Whether a graph's entities are local ones.
fn is_local(graph: &GraphName, external: Option<&NamedNode>, only: &[NamedNode]) -> bool {
    match graph {
        GraphName::NamedNode(g) => {
            if !only.is_empty() {
                return only.contains(g);
            }
            Some(g) != external
                && !g.as_str().starts_with(EXTERNAL_GRAPHS)
                && !g.as_str().starts_with(LINK_GRAPHS)
                && !g.as_str().starts_with(&format!("{GRAPH}ontology/"))
        }
        GraphName::DefaultGraph | GraphName::BlankNode(_) => only.is_empty(),
    }
}

fn read_graph(
    store: &Backend,
    graph: &GraphName,
    vocabulary: &Vocabulary,
    symbols: &mut Symbols,
    into: &mut Entities,
) -> Result<()> {
    // A property a task, on every core; the parts are then taken in the vocabulary's order.
    let properties = vocabulary.properties();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(properties.len());
    let mut parts: Vec<(usize, Result<Part>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(property) = properties.get(i) else {
                            return done;
                        };
                        let read = || -> Result<Part> {
                            let mut entities = Entities::new(vocabulary, into.keeps_text());
                            let mut own = Symbols::new(vocabulary);
                            let p = NamedNode::new_unchecked(*property);
                            for quad in store.quads(None, Some(&p), None, Some(graph))? {
                                let quad = quad?;
                                if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
                                    entities.add(
                                        &mut own,
                                        s.as_str(),
                                        property,
                                        to_object(&quad.object),
                                    );
                                }
                            }
                            Ok((entities, own))
                        };
                        done.push((i, read()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a reading thread panicked"))
            .collect()
    });
    parts.sort_by_key(|(i, _)| *i);
    for (_, part) in parts {
        let (entities, theirs) = part?;
        into.absorb(symbols, entities, &theirs);
    }
    Ok(())
}

/// Files from this size on are read by several threads, if their format allows it.
const PARALLEL_READ_MIN: u64 = 8 << 20;

/// Reads the entities of the RDF file at `path`, writing nothing: N-Triples and N-Quads in
/// parallel, a part a thread.
fn read_file(
    ctx: &Context,
    path: &Path,
    vocabulary: &Vocabulary,
    symbols: &mut Symbols,
    into: &mut Entities,
) -> Result<()> {
    let inputs = expand(&[path.to_path_buf()], None)?;
    let input = inputs.first().context("no file to read")?;
    let name = input.name();
    let bar = ctx.printer.progress("triples");
    bar.set_message(format!("reading {name}"));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parallel = threads > 1
        && matches!(input.format, RdfFormat::NTriples | RdfFormat::NQuads)
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= PARALLEL_READ_MIN);
    let count = match parallel {
        true => match read_parts(input, path, threads, vocabulary, &bar) {
            Ok((parts, count)) => {
                for (entities, theirs) in parts {
                    into.absorb(symbols, entities, &theirs);
                }
                count
            }
            // A part's line numbers are its own: read again in one piece, which says where.
            Err(_) => read_serial(input, symbols, into, &bar)?,
        },
        false => read_serial(input, symbols, into, &bar)?,
    };
    bar.finish_and_clear();
    ctx.printer
        .note(format!("read {count} triples from {name}"));
    Ok(())
}

type Part = (Entities, Symbols);

/// The entities of each part of a file split for parallel parsing, in file order.
fn read_parts(
    input: &mss_kg::input::Input,
    path: &Path,
    threads: usize,
    vocabulary: &Vocabulary,
    bar: &indicatif::ProgressBar,
) -> Result<(Vec<Part>, u64)> {
    let parsers = input
        .parser(None)?
        .split_file_for_parallel_parsing(path, threads)
        .with_context(|| format!("cannot read '{}'", path.display()))?;
    let parts: Vec<Result<(Part, u64), oxigraph::io::RdfParseError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = parsers
                .into_iter()
                .map(|parser| {
                    scope.spawn(move || {
                        let mut entities = Entities::new(vocabulary, false);
                        let mut own = Symbols::new(vocabulary);
                        let mut count = 0u64;
                        for quad in parser {
                            let quad = quad?;
                            take(&mut entities, &mut own, &quad, &mut count, bar);
                        }
                        Ok(((entities, own), count))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a reading thread panicked"))
                .collect()
        });
    let mut total = 0;
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let (part, count) = part?;
        total += count;
        out.push(part);
    }
    Ok((out, total))
}

/// What a quad says of its subject's names, types and identifiers, if the subject is an IRI.
fn observe(into: &mut Entities, symbols: &mut Symbols, quad: &Quad) {
    if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
        into.add(
            symbols,
            s.as_str(),
            quad.predicate.as_str(),
            to_object(&quad.object),
        );
    }
}

/// One quad of a file read: its entity's names, types and identifiers, counted, and the progress.
fn take(
    into: &mut Entities,
    symbols: &mut Symbols,
    quad: &Quad,
    count: &mut u64,
    bar: &indicatif::ProgressBar,
) {
    observe(into, symbols, quad);
    *count += 1;
    if count.is_multiple_of(4096) {
        bar.inc(4096);
    }
}

/// Reads the entities of `input` in one thread; returns the number of triples.
fn read_serial(
    input: &mss_kg::input::Input,
    symbols: &mut Symbols,
    into: &mut Entities,
    bar: &indicatif::ProgressBar,
) -> Result<u64> {
    let name = input.name();
    let mut count = 0u64;
    for quad in input.parser(None)?.for_reader(input.open()?) {
        let quad = quad.map_err(|e| parse_error(&name, e, "nothing was written"))?;
        take(into, symbols, &quad, &mut count, bar);
    }
    Ok(count)
}

/// Loads `path` into `graph`, reading its entities on the way: one parse on the store (two on an
/// endpoint, which is sent nothing unless the whole file parses). A graph loaded before is
/// replaced.
fn load_file(
    ctx: &Context,
    store: &Backend,
    path: &Path,
    graph: &NamedNode,
    replace: bool,
    symbols: &mut Symbols,
    into: &mut Entities,
) -> Result<()> {
    let inputs = expand(&[path.to_path_buf()], None)?;
    let name = inputs.first().context("no file to load")?.name();
    let bar = ctx.printer.progress("triples");
    bar.set_message(format!("loading {name}"));
    let load = Load {
        inputs: &inputs,
        base: None,
        target: Target::Graph(graph.clone()),
        replace: if replace {
            Replace::These(vec![graph.clone()])
        } else {
            Replace::Nothing
        },
    };
    let loaded = store.load(&load, &mut |quad| observe(into, symbols, quad), &bar)?;
    bar.finish_and_clear();
    ctx.printer.note(format!(
        "loaded {} triples from {name} into graph {graph}",
        loaded.triples
    ));
    Ok(())
}

/// Reads the entities of a SPARQL endpoint with `SERVICE`: their names, types, identifiers and
/// links, only of `classes` when given. The query is built as algebra, never as text.
fn fetch_endpoint(
    ctx: &Context,
    url: &NamedNode,
    vocabulary: &Vocabulary,
    classes: Option<&[NamedNode]>,
    symbols: &mut Symbols,
    into: &mut Entities,
) -> Result<()> {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::{GroundTerm, TriplePattern};
    let (e, p, v, t, tp) = (
        Variable::new_unchecked("e"),
        Variable::new_unchecked("p"),
        Variable::new_unchecked("v"),
        Variable::new_unchecked("t"),
        Variable::new_unchecked("tp"),
    );
    let values = |var: &Variable, iris: Vec<NamedNode>| GraphPattern::Values {
        variables: vec![var.clone()],
        bindings: iris
            .into_iter()
            .map(|i| vec![Some(GroundTerm::NamedNode(i))])
            .collect(),
    };
    let join = |left, right| GraphPattern::Join {
        left: Box::new(left),
        right: Box::new(right),
    };
    let bgp = |s: &Variable, p: &Variable, o: &Variable| GraphPattern::Bgp {
        patterns: vec![TriplePattern {
            subject: s.clone().into(),
            predicate: p.clone().into(),
            object: o.clone().into(),
        }],
    };
    let properties = vocabulary
        .properties()
        .into_iter()
        .map(NamedNode::new_unchecked)
        .collect();
    let mut inner = join(values(&p, properties), bgp(&e, &p, &v));
    if let Some(classes) = classes {
        let typed = join(
            join(
                values(&t, classes.to_vec()),
                values(
                    &tp,
                    vec![
                        NamedNode::new_unchecked(link::iri::RDF_TYPE),
                        NamedNode::new_unchecked(link::iri::WDT_P31),
                    ],
                ),
            ),
            bgp(&e, &tp, &t),
        );
        inner = join(typed, inner);
    }
    let query = spargebra::Query::Select {
        dataset: None,
        pattern: GraphPattern::Project {
            inner: Box::new(inner),
            variables: vec![e.clone(), p.clone(), v.clone()],
        },
        base_iri: None,
    };
    let unreachable = |error: &dyn std::fmt::Display| {
        anyhow!("cannot query the SPARQL endpoint {url}: {error} (nothing was written)")
    };
    let endpoint =
        mss_kg::backend::Config::endpoint(url.as_str(), QueryMethod::Post, ctx.remote_timeout())
            .open(Access::Read)
            .map_err(|e| unreachable(&e))?;
    let results = endpoint
        .query(query, mss_kg::sparql::Dataset::Union, None)
        .map_err(|e| unreachable(&e))?;
    let QueryResults::Solutions(solutions) = results else {
        bail!("the endpoint {url} did not answer with solutions");
    };
    for solution in solutions {
        let solution = solution.map_err(|e| unreachable(&e))?;
        if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)) =
            (solution.get(&e), solution.get(&p), solution.get(&v))
        {
            into.add(symbols, s.as_str(), p.as_str(), to_object(o));
        }
    }
    Ok(())
}

fn write_table(
    ctx: &Context,
    args: &LinkArgs,
    locals: &[Entity],
    index: &Index,
    proposals: &[Proposal],
) -> Result<()> {
    let format = output::solution_format(args.format.as_deref(), ctx.printer.stdout_is_terminal())?;
    let variables: Vec<Variable> = [
        "status",
        "score",
        "local",
        "local_name",
        "external",
        "external_name",
        "evidence",
    ]
    .into_iter()
    .map(Variable::new_unchecked)
    .collect();
    let rows = proposals.iter().map(|p| {
        let l = &locals[p.local];
        let e = &index.entities[p.external];
        Ok(vec![
            Some(Literal::new_simple_literal(p.status.as_str()).into()),
            Some(score(p.score).into()),
            Some(NamedNode::new_unchecked(&*l.iri).into()),
            Some(Literal::new_simple_literal(&*l.display).into()),
            Some(NamedNode::new_unchecked(&*e.iri).into()),
            Some(Literal::new_simple_literal(&*e.display).into()),
            Some(Literal::new_simple_literal(&p.evidence).into()),
        ])
    });
    let mut out = ctx.printer.stdout();
    output::write_solutions(&mut out, format, &variables, rows, &ctx.printer)?;
    out.flush()?;
    Ok(())
}

fn score(value: f64) -> Literal {
    Literal::new_typed_literal(format!("{value:.3}"), xsd::DECIMAL)
}

/// Writes the accepted links into `graph` in one transaction, each described as an
/// `mss:IdentityLink` (an `rdf:Statement`) with its method, score, evidence and the run that
/// made it. A link written before is described anew, not twice.
#[allow(clippy::too_many_arguments)]
fn apply(
    store: &Backend,
    graph: &NamedNode,
    relation: &NamedNode,
    source: &NamedNode,
    args: &LinkArgs,
    locals: &[Entity],
    index: &Index,
    proposals: &[Proposal],
) -> Result<usize> {
    let now = oxsdatatypes::DateTime::now();
    let stamp: String = now
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let node = |iri: String| NamedNode::new_unchecked(iri);
    let term = |s: &str| NamedNode::new_unchecked(s);
    let run = node(format!("{MSSR}link-run/{stamp}"));
    let g = GraphName::NamedNode(graph.clone());
    let time = Literal::new_typed_literal(now.to_string(), xsd::DATE_TIME);
    let mut quads = vec![
        Quad::new(
            run.clone(),
            rdf::TYPE,
            term(&format!("{PROV}Activity")),
            g.clone(),
        ),
        Quad::new(
            run.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(format!(
                "mss-kg link --with {} (threshold {}, evidence {})",
                args.with, args.threshold, args.evidence
            )),
            g.clone(),
        ),
        Quad::new(
            run.clone(),
            term(&format!("{PROV}used")),
            source.clone(),
            g.clone(),
        ),
        Quad::new(
            run.clone(),
            term(&format!("{PROV}wasAssociatedWith")),
            node(format!("{MSSR}mss-kg")),
            g.clone(),
        ),
        Quad::new(
            run.clone(),
            term(&format!("{PROV}endedAtTime")),
            time.clone(),
            g.clone(),
        ),
    ];
    let mut written = 0;
    let mut stale = Vec::new();
    for p in proposals.iter().filter(|p| p.status == Status::Accepted) {
        let local = node(locals[p.local].iri.to_string());
        let external = node(index.entities[p.external].iri.to_string());
        let id = link::fnv64(format!("{local}\t{relation}\t{external}").as_bytes());
        let statement = node(format!("{MSSR}link/{id:016x}"));
        stale.push(statement.clone());
        quads.extend([
            Quad::new(local.clone(), relation.clone(), external.clone(), g.clone()),
            Quad::new(
                statement.clone(),
                rdf::TYPE,
                term(&format!("{MSS}IdentityLink")),
                g.clone(),
            ),
            Quad::new(statement.clone(), rdf::SUBJECT, local, g.clone()),
            Quad::new(
                statement.clone(),
                rdf::PREDICATE,
                relation.clone(),
                g.clone(),
            ),
            Quad::new(statement.clone(), rdf::OBJECT, external, g.clone()),
            Quad::new(
                statement.clone(),
                term(&format!("{MSS}score")),
                score(p.score),
                g.clone(),
            ),
            Quad::new(
                statement.clone(),
                term(&format!("{MSS}matchMethod")),
                Literal::new_simple_literal(p.method),
                g.clone(),
            ),
            Quad::new(
                statement.clone(),
                term(&format!("{MSS}evidence")),
                Literal::new_simple_literal(&p.evidence),
                g.clone(),
            ),
            Quad::new(
                statement.clone(),
                term(&format!("{PROV}generatedAtTime")),
                time.clone(),
                g.clone(),
            ),
            Quad::new(
                statement,
                term(&format!("{PROV}wasGeneratedBy")),
                run.clone(),
                g.clone(),
            ),
        ]);
        written += 1;
    }
    store.replace_subjects(graph, &stale, if written > 0 { &quads } else { &[] })?;
    Ok(written)
}

/// Known links: a CSV file of two columns, or an RDF file of owl:sameAs / skos:exactMatch.
fn read_gold(path: &Path) -> Result<Vec<(String, String)>> {
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"));
    if is_csv {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        let mut pairs = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<String> = line
                .split([',', '\t'])
                .map(|f| expand_iri(f.trim().trim_matches('"')))
                .collect();
            let is_iri = |f: &str| f.contains(':');
            match fields.as_slice() {
                [l, e] if is_iri(l) && is_iri(e) => pairs.push((l.clone(), e.clone())),
                _ if n == 0 => {} // a header
                _ => bail!(
                    "{}:{}: expected two IRIs separated by a comma",
                    path.display(),
                    n + 1
                ),
            }
        }
        return Ok(pairs);
    }
    let input = expand(&[path.to_path_buf()], None)?
        .pop()
        .context("no gold file")?;
    let mut pairs = Vec::new();
    for quad in input.parser(None)?.for_reader(input.open()?) {
        let quad = quad.map_err(|e| parse_error(&input.name(), e, "no links read"))?;
        if [link::iri::SAME_AS, link::iri::EXACT_MATCH].contains(&quad.predicate.as_str())
            && let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
                (&quad.subject, &quad.object)
        {
            pairs.push((s.as_str().to_owned(), o.as_str().to_owned()));
        }
    }
    Ok(pairs)
}
