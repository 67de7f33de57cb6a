//! The one seam to the graph: the embedded store or a remote SPARQL engine, chosen once from the
//! command line (`--endpoint`, or `--store`/`--memory`), and asked the same questions either way.
//! Commands never open a store or build an HTTP request themselves.
//!
//! On an endpoint, mss-kg reads and writes named graphs: an engine's default graph is usually
//! the union of its graphs (Virtuoso's, QLever's, `mss-kg serve`'s), so there is no "store's
//! own default graph" to tell apart, and `--no-union` is refused.

pub mod embedded;
pub mod remote;

use crate::input::{Input, parse_error};
use crate::sparql::{self, Dataset, Deadline};
use crate::store::{Access, OpenStore, StoreConfig};
use crate::update::Report;
use anyhow::{Result, anyhow, bail};
use indicatif::ProgressBar;
use oxigraph::io::RdfParser;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::QueryResults;
pub use remote::{QueryMethod, Remote, RemoteConfig};
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern, Variable};
use spargebra::{Query, Update};

/// Quads one by one, each fallible.
pub type Quads<'a> = Box<dyn Iterator<Item = Result<Quad>> + 'a>;

/// Where the graph is: decided once, opened by each command for what it does.
#[derive(Debug, Clone)]
pub enum Config {
    Embedded(StoreConfig),
    Remote(RemoteConfig),
}

impl Config {
    /// Opens the store (for `access`) or readies the endpoint.
    pub fn open(&self, access: Access) -> Result<Backend> {
        Ok(match self {
            Config::Embedded(config) => Backend::Embedded(crate::store::open(config, access)?),
            Config::Remote(config) => Backend::Remote(Remote::new(config.clone())?),
        })
    }

    /// Another endpoint (a saved query's grlc `endpoint`, a `link` source), given `timeout`.
    pub fn endpoint(
        endpoint: &str,
        method: QueryMethod,
        timeout: Option<std::time::Duration>,
    ) -> Config {
        Config::Remote(RemoteConfig {
            query: endpoint.to_owned(),
            update: None,
            graph_store: None,
            timeout,
            method,
        })
    }
}

/// How long an endpoint may take to answer unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Where `load` puts the triples of a file's default graph.
#[derive(Debug, Clone)]
pub enum Target {
    /// This named graph.
    Graph(NamedNode),
    /// The default graph.
    DefaultGraph,
    /// A graph named by the file's URL (`file:///...`); standard input's go to the default graph.
    FileGraph,
}

/// What `load` reads and where it goes.
pub struct Load<'a> {
    pub inputs: &'a [Input],
    pub base: Option<&'a str>,
    pub target: Target,
    /// What the load replaces rather than adds to.
    pub replace: Replace,
}

/// What a load replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replace {
    /// Nothing: the triples are added.
    Nothing,
    /// These graphs, emptied first (a file loaded again replaces its graph).
    These(Vec<NamedNode>),
    /// Every graph the inputs write into (the Graph Store Protocol's PUT), atomically with the
    /// rest of the load.
    Touched,
}

impl Load<'_> {
    /// The parser for one input, its default graph sent where [`Target`] says.
    pub fn parser(&self, input: &Input) -> Result<RdfParser> {
        let parser = input.parser(self.base)?;
        Ok(match (&self.target, &input.path) {
            (Target::Graph(graph), _) => parser.with_default_graph(graph.clone()),
            (Target::FileGraph, Some(path)) => {
                parser.with_default_graph(NamedNode::new(crate::input::file_url(path)?)?)
            }
            _ => parser,
        })
    }
}

/// What a load did.
#[derive(Debug, Default)]
pub struct Loaded {
    pub triples: u64,
    /// The prefixes the files declared, for `export` to write IRIs with.
    pub prefixes: Vec<(String, String)>,
}

/// The graph, opened: ask it anything.
pub enum Backend {
    Embedded(OpenStore),
    Remote(Remote),
}

impl Backend {
    /// `store '/path'`, `the in-memory store` or `endpoint http://...`, for messages.
    pub fn name(&self) -> String {
        match self {
            Backend::Embedded(store) => match &store.path {
                Some(path) => format!("store '{}'", path.display()),
                None => "the in-memory store".to_owned(),
            },
            Backend::Remote(remote) => format!("endpoint {}", remote.config.query),
        }
    }

    /// The embedded store, for what only it can do (`serve` it, say).
    pub fn store(&self) -> Result<&OpenStore> {
        match self {
            Backend::Embedded(store) => Ok(store),
            Backend::Remote(remote) => bail!(
                "this works on the embedded store only, not on the endpoint {} (drop --endpoint, or use --local)",
                remote.config.query
            ),
        }
    }

    /// The folder of an on-disk store (where the prefixes of loaded files are recorded).
    pub fn dir(&self) -> Option<&std::path::Path> {
        match self {
            Backend::Embedded(store) => store.path.as_deref(),
            Backend::Remote(_) => None,
        }
    }

    /// Evaluates a parsed query against `dataset`; results stream.
    pub fn query(
        &self,
        query: Query,
        dataset: Dataset,
        deadline: Option<&Deadline>,
    ) -> Result<QueryResults<'static>> {
        match self {
            Backend::Embedded(store) => Ok(sparql::prepare(query, dataset, deadline)
                .on_store(store)
                .execute()?),
            Backend::Remote(remote) => {
                let (default, named) = match &dataset {
                    Dataset::Union => (Vec::new(), Vec::new()),
                    Dataset::Store => bail!(
                        "--no-union has no meaning on the endpoint {}: its default graph is the engine's own (usually the union of its graphs); name graphs with FROM instead",
                        remote.config.query
                    ),
                    Dataset::Given { default, named } => (default.clone(), named.clone()),
                };
                let query = sparql::read_as_set(sparql::order::sorted_concats(query), &dataset);
                remote.query(&query, &default, &named)
            }
        }
    }

    /// The quads matching a pattern (`None` matches anything). On an endpoint, only named graphs
    /// are read (see the module's documentation).
    pub fn quads(
        &self,
        subject: Option<&NamedOrBlankNode>,
        predicate: Option<&NamedNode>,
        object: Option<&Term>,
        graph: Option<&GraphName>,
    ) -> Result<Quads<'_>> {
        match self {
            Backend::Embedded(store) => Ok(Box::new(
                store
                    .quads_for_pattern(
                        subject.map(Into::into),
                        predicate.map(Into::into),
                        object.map(Into::into),
                        graph.map(Into::into),
                    )
                    .map(|q| q.map_err(anyhow::Error::from)),
            )),
            Backend::Remote(remote) => remote_quads(remote, subject, predicate, object, graph),
        }
    }

    /// Every graph holding triples: the default graph first (on the embedded store), then the
    /// named graphs.
    pub fn graphs(&self) -> Result<Vec<GraphName>> {
        match self {
            Backend::Embedded(store) => {
                let mut graphs = vec![GraphName::DefaultGraph];
                for graph in store.named_graphs() {
                    graphs.push(graph?.into());
                }
                Ok(graphs)
            }
            Backend::Remote(remote) => {
                let g = Variable::new_unchecked("g");
                let query = select(
                    vec![g.clone()],
                    GraphPattern::Distinct {
                        inner: Box::new(GraphPattern::Project {
                            inner: Box::new(in_graph(
                                NamedNodePattern::Variable(g.clone()),
                                any_triple(),
                            )),
                            variables: vec![g.clone()],
                        }),
                    },
                );
                let QueryResults::Solutions(rows) = remote.query(&query, &[], &[])? else {
                    bail!(
                        "the endpoint {} answered a SELECT with no table",
                        remote.config.query
                    );
                };
                let mut graphs: Vec<GraphName> = Vec::new();
                for row in rows {
                    match row?.get(&g) {
                        Some(Term::NamedNode(n)) => graphs.push(n.clone().into()),
                        Some(Term::BlankNode(b)) => graphs.push(b.clone().into()),
                        _ => {}
                    }
                }
                graphs.sort_by_key(ToString::to_string);
                Ok(graphs)
            }
        }
    }

    /// Whether a named graph holds anything.
    pub fn contains_graph(&self, graph: &NamedNode) -> Result<bool> {
        match self {
            Backend::Embedded(store) => Ok(store.contains_named_graph(graph)?),
            Backend::Remote(remote) => {
                let query = Query::Ask {
                    dataset: None,
                    pattern: in_graph(NamedNodePattern::NamedNode(graph.clone()), any_triple()),
                    base_iri: None,
                };
                match remote.query(&query, &[], &[])? {
                    QueryResults::Boolean(b) => Ok(b),
                    _ => bail!(
                        "the endpoint {} answered an ASK with no boolean",
                        remote.config.query
                    ),
                }
            }
        }
    }

    /// Drops a named graph, if it is there.
    pub fn drop_graph(&self, graph: &NamedNode) -> Result<()> {
        match self {
            Backend::Embedded(store) => {
                store.remove_named_graph(graph)?;
                crate::store::flush(store)
            }
            Backend::Remote(remote) => remote.update(&Update {
                base_iri: None,
                operations: vec![spargebra::GraphUpdateOperation::Drop {
                    silent: true,
                    graph: spargebra::algebra::GraphTarget::NamedNode(graph.clone()),
                }],
            }),
        }
    }

    /// Applies an update; with `graph`, as if each operation began with `WITH <graph>`. The
    /// embedded store says what changed, in one transaction; an endpoint does not (`None`).
    /// An endpoint is sent `text` as the user wrote it (with the common prefixes declared)
    /// when there is no `graph` to apply, else the update written out from its algebra.
    pub fn update(
        &self,
        update: Update,
        text: Option<&str>,
        graph: Option<&NamedNode>,
    ) -> Result<Option<Report>> {
        match self {
            Backend::Embedded(store) => {
                let report = crate::update::apply(store, update, graph)?;
                crate::store::flush(store)?;
                Ok(Some(report))
            }
            Backend::Remote(remote) => {
                match (graph, text) {
                    (None, Some(text)) => {
                        let mut sent = String::new();
                        for (prefix, ns) in crate::prefixes::COMMON {
                            sent.push_str(&format!("PREFIX {prefix}: <{ns}>\n"));
                        }
                        sent.push_str(text);
                        remote.update_text(sent)?;
                    }
                    (Some(g), _) => remote.update(&crate::update::retarget(update, g))?,
                    (None, None) => remote.update(&update)?,
                }
                Ok(None)
            }
        }
    }

    /// Loads RDF inputs, calling `observe` with each quad as it is read. On the embedded store
    /// the load is atomic; on an endpoint every input is parsed first, so a malformed one sends
    /// nothing, and a failure on the way says what was written and how to clear it.
    pub fn load(
        &self,
        load: &Load<'_>,
        observe: &mut dyn FnMut(&Quad),
        bar: &ProgressBar,
    ) -> Result<Loaded> {
        match self {
            Backend::Embedded(store) => embedded::load(store, load, observe, bar),
            Backend::Remote(remote) => {
                let mut loaded = Loaded::default();
                let mut touched: Vec<GraphName> = Vec::new();
                // First pass: everything must parse before anything is sent.
                for input in load.inputs {
                    bar.set_message(format!("checking {}", input.name()));
                    let mut parsed = load.parser(input)?.for_reader(input.open()?);
                    for quad in parsed.by_ref() {
                        let quad =
                            quad.map_err(|e| parse_error(&input.name(), e, "nothing was sent"))?;
                        if load.replace == Replace::Touched && !touched.contains(&quad.graph_name) {
                            touched.push(quad.graph_name.clone());
                        }
                        observe(&quad);
                        loaded.triples += 1;
                    }
                    loaded.prefixes.extend(
                        parsed
                            .prefixes()
                            .map(|(name, ns)| (name.to_owned(), ns.to_owned())),
                    );
                }
                let mut sender = remote::Sender::new(remote, loaded.triples, bar);
                let cleared: Vec<GraphName> = match &load.replace {
                    Replace::Nothing => Vec::new(),
                    Replace::These(graphs) => graphs.iter().cloned().map(Into::into).collect(),
                    Replace::Touched => touched,
                };
                for graph in &cleared {
                    sender.clear(graph)?;
                }
                for input in load.inputs {
                    bar.set_message(format!("sending {}", input.name()));
                    let quads = load.parser(input)?.for_reader(input.open()?);
                    sender.send_all(quads.map(|q| q.map_err(anyhow::Error::from)))?;
                }
                sender.finish()?;
                Ok(loaded)
            }
        }
    }

    /// Publishes the bundled graph (ontology and data), graph by graph, each graph replaced as
    /// a whole: what the embedded store holds from the start. Returns the triples written.
    pub fn publish_bundled(&self, bar: &ProgressBar) -> Result<u64> {
        match self {
            Backend::Embedded(_) => Ok(0),
            Backend::Remote(remote) => {
                let mut quads = Vec::new();
                for (path, text, _) in crate::bundle::rdf_files() {
                    quads.extend(crate::bundle::parse(path, text)?);
                }
                let mut graphs: Vec<NamedNode> = quads
                    .iter()
                    .filter_map(|q| match &q.graph_name {
                        GraphName::NamedNode(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                graphs.sort();
                graphs.dedup();
                let mut sender = remote::Sender::new(remote, quads.len() as u64, bar);
                for graph in &graphs {
                    sender.clear(&graph.clone().into())?;
                }
                let total = quads.len() as u64;
                sender.send_all(quads.into_iter().map(Ok))?;
                sender.finish()?;
                Ok(total)
            }
        }
    }

    /// In `graph`, removes every triple whose subject is one of `subjects`, then adds `quads`:
    /// in one transaction on the embedded store, in one update request on an endpoint.
    pub fn replace_subjects(
        &self,
        graph: &NamedNode,
        subjects: &[NamedNode],
        quads: &[Quad],
    ) -> Result<()> {
        match self {
            Backend::Embedded(store) => embedded::replace_subjects(store, graph, subjects, quads),
            Backend::Remote(remote) => {
                let mut parts = Vec::new();
                if !subjects.is_empty() {
                    parts.push(remote::delete_subjects_text(graph, subjects));
                }
                if !quads.is_empty() {
                    parts.push(remote::insert_text(quads)?);
                }
                if parts.is_empty() {
                    return Ok(());
                }
                remote.update_text(parts.join(" ;\n"))
            }
        }
    }
}

fn any_triple() -> TriplePattern {
    TriplePattern {
        subject: TermPattern::Variable(Variable::new_unchecked("s")),
        predicate: NamedNodePattern::Variable(Variable::new_unchecked("p")),
        object: TermPattern::Variable(Variable::new_unchecked("o")),
    }
}

fn in_graph(name: NamedNodePattern, triple: TriplePattern) -> GraphPattern {
    GraphPattern::Graph {
        name,
        inner: Box::new(GraphPattern::Bgp {
            patterns: vec![triple],
        }),
    }
}

fn select(variables: Vec<Variable>, pattern: GraphPattern) -> Query {
    let pattern = match pattern {
        p @ (GraphPattern::Project { .. } | GraphPattern::Distinct { .. }) => p,
        p => GraphPattern::Project {
            inner: Box::new(p),
            variables,
        },
    };
    Query::Select {
        dataset: None,
        pattern,
        base_iri: None,
    }
}

/// A quad pattern as a query to an endpoint: built as algebra, the fixed terms as terms.
fn remote_quads<'a>(
    remote: &'a Remote,
    subject: Option<&NamedOrBlankNode>,
    predicate: Option<&NamedNode>,
    object: Option<&Term>,
    graph: Option<&GraphName>,
) -> Result<Quads<'a>> {
    let graph_name = match graph {
        None => None,
        Some(GraphName::NamedNode(n)) => Some(n.clone()),
        // An endpoint's default graph is the union of its graphs: see the module's docs.
        Some(_) => return Ok(Box::new(std::iter::empty())),
    };
    let [s, p, o, g] = ["s", "p", "o", "g"].map(Variable::new_unchecked);
    let subject_pattern = match subject {
        None => TermPattern::Variable(s.clone()),
        Some(NamedOrBlankNode::NamedNode(n)) => TermPattern::NamedNode(n.clone()),
        // A blank node's label means nothing to another engine: it can't be asked for.
        Some(NamedOrBlankNode::BlankNode(_)) => return Ok(Box::new(std::iter::empty())),
    };
    let object_pattern = match object {
        None => TermPattern::Variable(o.clone()),
        Some(Term::NamedNode(n)) => TermPattern::NamedNode(n.clone()),
        Some(Term::Literal(l)) => TermPattern::Literal(l.clone()),
        Some(_) => return Ok(Box::new(std::iter::empty())),
    };
    let triple = TriplePattern {
        subject: subject_pattern,
        predicate: match predicate {
            None => NamedNodePattern::Variable(p.clone()),
            Some(n) => NamedNodePattern::NamedNode(n.clone()),
        },
        object: object_pattern,
    };
    let variables: Vec<Variable> = [
        (subject.is_none(), &s),
        (predicate.is_none(), &p),
        (object.is_none(), &o),
        (graph_name.is_none(), &g),
    ]
    .into_iter()
    .filter(|(free, _)| *free)
    .map(|(_, v)| v.clone())
    .collect();
    let name = match &graph_name {
        Some(n) => NamedNodePattern::NamedNode(n.clone()),
        None => NamedNodePattern::Variable(g.clone()),
    };
    let query = select(variables, in_graph(name, triple));
    let QueryResults::Solutions(rows) = remote.query(&query, &[], &[])? else {
        bail!(
            "the endpoint {} answered a SELECT with no table",
            remote.config.query
        );
    };
    let (subject, predicate, object) = (subject.cloned(), predicate.cloned(), object.cloned());
    let url = remote.config.query.clone();
    Ok(Box::new(rows.map(move |row| {
        let row = row?;
        let bad =
            || anyhow!("the endpoint {url} answered a quad pattern with a term of the wrong kind");
        let subject = match &subject {
            Some(s) => s.clone(),
            None => match row.get(&s) {
                Some(Term::NamedNode(n)) => n.clone().into(),
                Some(Term::BlankNode(b)) => b.clone().into(),
                _ => return Err(bad()),
            },
        };
        let predicate = match &predicate {
            Some(p) => p.clone(),
            None => match row.get(&p) {
                Some(Term::NamedNode(n)) => n.clone(),
                _ => return Err(bad()),
            },
        };
        let object = match &object {
            Some(o) => o.clone(),
            None => row.get(&o).cloned().ok_or_else(bad)?,
        };
        let graph_name: GraphName = match &graph_name {
            Some(n) => n.clone().into(),
            None => match row.get(&g) {
                Some(Term::NamedNode(n)) => n.clone().into(),
                Some(Term::BlankNode(b)) => b.clone().into(),
                _ => return Err(bad()),
            },
        };
        Ok(Quad::new(subject, predicate, object, graph_name))
    })))
}
