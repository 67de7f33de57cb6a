//! Every command-line definition of mss-kg; the doc comments are the help text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// A knowledge graph of the Kenya-led Multinational Security Support (MSS) mission in Haiti.
///
/// Every fact carries the article it comes from. The bundled graph (ontology and data) ships
/// inside the binary and is loaded into the store the first time it is used: no load step needed.
///
/// Example: mss-kg query 'SELECT ?p ?name { ?p a schema:Person ; rdfs:label ?name }'
#[derive(Debug, Parser)]
#[command(
    name = "mss-kg",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The store folder (created on first use) [default: mss-kg/store in the user's data folder]
    #[arg(long, global = true, env = "MSS_KG_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Use a throw-away in-memory store holding the bundled graph (takes precedence over --store)
    #[arg(long, global = true)]
    pub memory: bool,
    /// Seconds to wait for a store that another mss-kg process holds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 5.0)]
    pub wait: f64,
    /// Print no progress or summary on stderr (errors are still printed)
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Load(LoadArgs),
    Query(QueryArgs),
    Update(UpdateArgs),
    Stats(StatsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Load RDF files into the store, atomically.
///
/// Reads Turtle, TriG, N-Triples, N-Quads, RDF/XML and JSON-LD, chosen by each file's extension
/// or by --format. A folder is read recursively (files of known extensions, in name order); `-`
/// reads standard input (--format is then required). A file's triples go into the named graph
/// --graph, or else into a graph named by the file's URL (file:///...); the graphs of a TriG or
/// N-Quads file stay as they are. One invocation is atomic: if any file fails, nothing of it is
/// in the store. Uses Oxigraph's bulk loader; shows progress on a terminal.
///
/// Example: mss-kg load countries.ttl extra/ --graph https://example.org/extra
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Files or folders to load; `-` for standard input
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub files: Vec<PathBuf>,
    /// Format of the input: a name (turtle, trig, ntriples, nquads, rdfxml, jsonld), an extension
    /// or a MIME type [default: from each file's extension]
    #[arg(long, short)]
    pub format: Option<String>,
    /// Named graph that receives the triples of the files' default graph
    #[arg(long, short, value_name = "IRI")]
    pub graph: Option<String>,
    /// Base IRI against which relative IRIs are resolved [default: the file's URL]
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,
}

/// Run a SPARQL query against the store.
///
/// The query comes from the argument, from --file, or else from standard input. The default
/// graph is the union of all graphs (so facts are found whatever source graph holds them, and
/// `GRAPH ?g` still tells which one), unless --no-union or the query has FROM. Common prefixes
/// (rdf, rdfs, owl, xsd, skos, schema, prov, org, time, dcterms, sh, wd, wdt, mss, mssr, src) are
/// declared when the query omits them. SELECT and ASK results print as an aligned table on a
/// terminal and as SPARQL TSV when piped; CONSTRUCT and DESCRIBE as Turtle. Results stream.
///
/// Example: mss-kg query 'SELECT ?name { ?c a schema:Country ; rdfs:label ?name }' --format csv
#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: SparqlInput,
    /// Output format: table, csv, tsv, json, xml for SELECT/ASK; turtle, trig, ntriples, nquads,
    /// rdfxml, jsonld for CONSTRUCT/DESCRIBE (also as extensions or MIME types)
    #[arg(long, short)]
    pub format: Option<String>,
    /// Make the default graph the store's default graph only, not the union of all graphs
    #[arg(long)]
    pub no_union: bool,
}

/// Apply a SPARQL Update to the store, atomically.
///
/// The update comes from the argument, from --file, or else from standard input. It is applied
/// in one transaction: if it fails, the store is unchanged. Common prefixes are declared as for
/// `query`.
///
/// Example: mss-kg update 'INSERT DATA { GRAPH <urn:x:notes> { mssr:mss rdfs:comment "seen" } }'
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub input: SparqlInput,
}

/// Where `query` and `update` read their SPARQL: the argument, a file, or standard input.
#[derive(Debug, Args)]
pub struct SparqlInput {
    /// The SPARQL text [default: read from --file, or else from standard input]
    #[arg(conflicts_with = "file")]
    pub sparql: Option<String>,
    /// Read the SPARQL text from this file
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Show what the store holds: triples per graph and instances per class.
///
/// Graphs are listed by name (the default graph first); classes by number of instances, most
/// first, counted over the union of all graphs.
///
/// Example: mss-kg stats --format json
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format: table or json
    #[arg(long, short, default_value = "table")]
    pub format: String,
}

/// Print a shell completion script to standard output.
///
/// Example: mss-kg completions bash > /etc/bash_completion.d/mss-kg
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff) to standard output, or write one page per command into a folder.
///
/// Example: mss-kg man --dir /usr/local/share/man/man1
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write mss-kg.1 and one page per subcommand (mss-kg-load.1, ...) into this folder
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}
