//! Every command-line definition of mss-kg; the doc comments are the help text.

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;
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
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        hide_env_values = true,
        env = "MSS_KG_STORE",
        value_name = "DIR"
    )]
    pub store: Option<PathBuf>,
    /// Use a throw-away in-memory store holding the bundled graph (takes precedence over --store)
    #[arg(long, global = true, help_heading = "Global options")]
    pub memory: bool,
    /// Seconds to wait for a store that another mss-kg process holds
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "SECS",
        default_value_t = 5.0
    )]
    pub wait: f64,
    /// Print no progress or summary on stderr (errors are still printed)
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Tables as wide as their cells: by default, on a terminal (or with COLUMNS set), a table
    /// fits the terminal's width and long cells wrap
    #[arg(long, global = true, help_heading = "Global options")]
    pub wide: bool,
    /// A folder of your own saved queries (*.rq), added to the bundled ones; yours win on a name
    /// clash
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        hide_env_values = true,
        env = "MSS_KG_QUERIES",
        value_name = "DIR"
    )]
    pub queries: Option<PathBuf>,
    /// Work on a remote SPARQL engine (Virtuoso, Fuseki, QLever, GraphDB, `mss-kg serve`, ...)
    /// instead of the store: its SPARQL 1.1 Protocol query URL. Credentials come from
    /// MSS_KG_TOKEN (a bearer token) or MSS_KG_BASIC_AUTH (user:password), never from here
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        hide_env_values = true,
        env = "MSS_KG_ENDPOINT",
        value_name = "URL"
    )]
    pub endpoint: Option<String>,
    /// Where the endpoint takes SPARQL Updates, if not at --endpoint
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        hide_env_values = true,
        env = "MSS_KG_UPDATE_ENDPOINT",
        value_name = "URL"
    )]
    pub update_endpoint: Option<String>,
    /// The endpoint's Graph Store Protocol URL (Virtuoso: .../sparql-graph-crud), for faster
    /// loads; without it `load` sends INSERT DATA updates
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        hide_env_values = true,
        env = "MSS_KG_GRAPH_STORE",
        value_name = "URL"
    )]
    pub graph_store: Option<String>,
    /// Use the store even where --endpoint, MSS_KG_ENDPOINT or a saved query's `#+ endpoint:`
    /// names an endpoint
    #[arg(long, global = true, help_heading = "Global options")]
    pub local: bool,
    /// Give up after this many seconds (0: never): the whole command (a query on the store is
    /// cancelled, and anything still running half a second later stopped, writing nothing)
    /// [default: never]; an endpoint's answer [default: 60]; each query `serve` evaluates
    /// [default: 60]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "SECS"
    )]
    pub timeout: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Load(LoadArgs),
    Query(QueryArgs),
    Update(UpdateArgs),
    Stats(StatsArgs),
    Queries(QueriesArgs),
    Run(RunArgs),
    Describe(DescribeArgs),
    Export(ExportArgs),
    Link(LinkArgs),
    Serve(ServeArgs),
    Diff(DiffArgs),
    Validate(ValidateArgs),
    Mentions(MentionsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Load RDF files into the store, atomically.
///
/// Reads Turtle, TriG, N-Triples, N-Quads, RDF/XML and JSON-LD, chosen by each file's extension
/// or by --format. A folder is read recursively (files of known extensions, in name order); `-`
/// reads standard input (--format is then required). A file's triples go into the named graph
/// --graph, or the store's default graph with --default-graph, or else into a graph named by the
/// file's URL (file:///...); the graphs of a TriG or N-Quads file stay as they are. One
/// invocation is atomic: if any file fails, nothing of it is in the store. Uses Oxigraph's bulk
/// loader; shows progress on a terminal.
///
/// With --endpoint, the files go to a remote engine (Graph Store Protocol with --graph-store,
/// else SPARQL Update), each parsed before anything is sent; a load that fails part-way says
/// what was written and how to clear it. --bundled publishes the bundled graph, graph by graph.
///
/// Example: mss-kg load countries.ttl extra/ --graph https://example.org/extra
/// Example: mss-kg --endpoint http://localhost:8890/sparql load --bundled
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Files or folders to load; `-` for standard input
    #[arg(value_name = "FILE|DIR|-", required_unless_present = "bundled")]
    pub files: Vec<PathBuf>,
    /// Load the bundled graph (ontology and data, graph by graph, each replaced as a whole): with
    /// --endpoint, publishes to an engine what the store holds from the start
    #[arg(long)]
    pub bundled: bool,
    /// Format of the input: a name (turtle, trig, ntriples, nquads, rdfxml, jsonld), an extension
    /// or a MIME type [default: from each file's extension]
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::rdf_formats))]
    pub format: Option<String>,
    /// Named graph that receives the triples of the files' default graph
    #[arg(long, short, value_name = "IRI", conflicts_with = "default_graph")]
    pub graph: Option<String>,
    /// Put the triples of the files' default graph into the store's default graph, not a named
    /// graph: about twice as fast to load (three indexes instead of six), but no graph records
    /// where they came from
    #[arg(long)]
    pub default_graph: bool,
    /// Base IRI against which relative IRIs are resolved [default: the file's URL]
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,
    /// Replace, not add to, every graph the input writes into (and the --graph or
    /// --default-graph target), atomically with the rest of the load, as a Graph Store Protocol
    /// PUT does: restores a backup made by `export --all --format trig` exactly
    #[arg(long)]
    pub replace: bool,
}

/// Run a SPARQL query against the store.
///
/// The query comes from the argument, from --file, or else from standard input. The default
/// graph is the union of all graphs (so facts are found whatever source graph holds them, and
/// `GRAPH ?g` still tells which one), unless --no-union or the query has FROM. Common prefixes
/// (rdf, rdfs, owl, xsd, skos, schema, prov, org, time, dcterms, sh, wd, wdt, mss, mssr, src) are
/// declared when the query omits them. SELECT and ASK results print as an aligned table on a
/// terminal and as SPARQL TSV when piped; CONSTRUCT and DESCRIBE as Turtle, written by export's
/// pretty writer (prefixed, grouped, sorted; N-Triples and N-Quads stream). Rows stream.
///
/// Example: mss-kg query 'SELECT ?name { ?c a schema:Country ; rdfs:label ?name }' --format csv
#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: SparqlInput,
    /// Output format: table, csv, tsv, json, xml for SELECT/ASK; turtle, trig, ntriples, nquads,
    /// rdfxml, jsonld for CONSTRUCT/DESCRIBE (also as extensions or MIME types)
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::result_formats))]
    pub format: Option<String>,
    /// Make the default graph the store's default graph only, not the union of all graphs
    #[arg(long)]
    pub no_union: bool,
    /// Write the results to this file (atomically), in the format its extension names (.csv,
    /// .tsv, .json, .xml, .ttl, .nt, .jsonld...) unless --format says
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Apply a SPARQL Update to the store, atomically, and say what it changed.
///
/// The update comes from the argument, from --file, or else from standard input. It is applied
/// in one transaction: if it fails, the store is unchanged. Common prefixes are declared as for
/// `query`. It prints the triples it deleted and inserted, per graph.
///
/// As the standard says, an update reads and writes the store's own default graph unless it
/// names graphs (GRAPH, WITH, USING). mss-kg keeps its facts in named graphs, one per source, so
/// `DELETE WHERE { ... }` alone matches nothing; the update then says which graphs its pattern
/// matches in. Use `GRAPH ?g { ... }` to change every graph that holds a fact, or `--graph` (or
/// WITH) for one.
///
/// With --endpoint, the update is sent to the engine as written (SPARQL 1.1 Update, with the
/// common prefixes declared); the engine applies it and does not say what changed.
///
/// Example: mss-kg update 'INSERT DATA { GRAPH <urn:x:notes> { mssr:mss rdfs:comment "seen" } }'
/// Example: mss-kg update --graph src:004_dab5f6f63f8bcf4a 'DELETE WHERE { ?d mss:personnelCount ?c }'
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub input: SparqlInput,
    /// Read and write this graph where the update would use the default graph, as if each
    /// operation began with `WITH <GRAPH>` (an IRI, `<IRI>` or a prefixed name)
    #[arg(long, value_name = "GRAPH")]
    pub graph: Option<String>,
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
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::table_or_json), default_value = "table")]
    pub format: String,
}

/// List the saved queries, or show one.
///
/// Lists every saved query (the bundled ones and those of --queries): its name, summary,
/// parameters (type, whether required, default, allowed values) and tags. `queries show NAME`
/// prints one query's documentation and SPARQL text.
///
/// Example: mss-kg queries --tag people
#[derive(Debug, Args)]
pub struct QueriesArgs {
    #[command(subcommand)]
    pub action: Option<QueriesAction>,
    /// Only list queries with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Output format: table, or json for tools
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::table_or_json), default_value = "table")]
    pub format: String,
}

#[derive(Debug, Subcommand)]
pub enum QueriesAction {
    /// Print a saved query's documentation and SPARQL text.
    ///
    /// Example: mss-kg queries show kenya-deployments
    Show {
        /// The saved query's name
        #[arg(add = ArgValueCompleter::new(crate::complete::query_names))]
        name: String,
    },
}

/// Run a saved query, its parameters bound as RDF terms.
///
/// Runs `queries/<NAME>.rq` (bundled, or from --queries) against the store, like `query`: same
/// default graph (the union of all graphs) and output formats. Each --param name=value is checked
/// against the parameter's type and allowed values and bound to the parsed query as an RDF term,
/// never pasted into the text; an optional parameter not given stays unbound.
///
/// Example: mss-kg run person-actions --param person=mssr:kipchumba-murkomen --format csv
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The saved query's name (`mss-kg queries` lists them)
    #[arg(add = ArgValueCompleter::new(crate::complete::query_names))]
    pub name: String,
    /// A parameter value, as name=value (repeat for several)
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = mss_kg::queries::parse_param,
          add = ArgValueCompleter::new(crate::complete::param_names))]
    pub params: Vec<(String, String)>,
    /// Output format: table, csv, tsv, json, xml for a SELECT/ASK query; turtle, trig, ntriples,
    /// nquads, rdfxml, jsonld for CONSTRUCT/DESCRIBE (also as extensions or MIME types) [default:
    /// a table on a terminal, else TSV; Turtle for graphs]
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::result_formats))]
    pub format: Option<String>,
    /// Make the default graph the store's default graph only, not the union of all graphs
    #[arg(long)]
    pub no_union: bool,
    /// Write the results to this file (atomically), in the format its extension names (.csv,
    /// .tsv, .json, .xml, .ttl, .nt, .jsonld...) unless --format says
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Tell what the graph knows about an entity, found by name or IRI.
///
/// NAME is matched against labels and aliases ignoring case, accents, punctuation and a leading
/// article ("otunge", "Moise", "the bahamas"); a name made of some of an entity's words is enough
/// when only one entity has them. Several matches are listed, and nothing is chosen for you. An
/// IRI (full, <...>, or prefixed like mssr:kenya) is taken as is. Prints a card: labels and types,
/// external identifiers, every fact about it grouped by relation in both directions, and the
/// sources of each (000..004: the source articles). --format turtle (or any RDF format) prints the
/// same as RDF; trig and nquads keep each fact's graph, that is its source.
///
/// Example: mss-kg describe otunge
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// A label, alias or IRI
    pub name: String,
    /// Output format: card (default), or an RDF format (turtle, trig, ntriples, nquads, ...)
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::describe_formats))]
    pub format: Option<String>,
}

/// Export RDF: pretty, deterministic Turtle and TriG, or any other RDF format.
///
/// Without --graph, --bundled or --all, exports everything in the store: merged into one graph
/// for Turtle, N-Triples and RDF/XML, graph by graph for TriG, N-Quads and JSON-LD. --query and
/// --sparql export the result of a CONSTRUCT or DESCRIBE query instead; --from reads RDF files
/// instead of the store (a pretty-printer for Turtle).
///
/// Turtle and TriG are written for people and diffs: `@prefix` lines for the prefixes used, one
/// block per subject in IRI order (a source graph's own article node first), `a` and labels
/// first, numbers bare, blank nodes referenced once inline as `[ ... ]`, lists as `( ... )`. The
/// same graph always gives the same bytes: blank nodes are ordered by their RDF Dataset
/// Canonicalization (RDFC-1.0) labels. They are sorted in memory (about 150 bytes a distinct
/// term); N-Triples and N-Quads stream in store order with constant memory (a triple held by
/// several graphs is then written once per graph). RDF/XML and JSON-LD are sorted as well.
/// A file is written atomically: to a temporary file renamed at the end.
///
/// Example: mss-kg export --bundled --output mss-kg.trig
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A graph to export, by IRI or prefixed name (`default` for the default graph); repeat for
    /// several
    #[arg(long, short, value_name = "IRI", conflicts_with_all = ["bundled", "all"])]
    pub graph: Vec<String>,
    /// The graphs of the bundled files: ontology, shapes, entities and one graph per source
    #[arg(long, conflicts_with = "all")]
    pub bundled: bool,
    /// Every graph in the store, the default graph included
    #[arg(long)]
    pub all: bool,
    /// Leave out the ontology, alignments and shapes (the graphs under
    /// https://w3id.org/mss-kg/graph/ontology/): the data only
    #[arg(long)]
    pub data_only: bool,
    /// Export the result of this saved CONSTRUCT or DESCRIBE query (`mss-kg queries` lists them)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["graph", "bundled", "all", "sparql", "from"],
          add = ArgValueCompleter::new(crate::complete::query_names))]
    pub query: Option<String>,
    /// A parameter of the saved query, as name=value (repeat for several)
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", requires = "query",
          value_parser = mss_kg::queries::parse_param,
          add = ArgValueCompleter::new(crate::complete::param_names))]
    pub params: Vec<(String, String)>,
    /// Export the result of this CONSTRUCT or DESCRIBE query
    #[arg(long, value_name = "QUERY", conflicts_with_all = ["graph", "bundled", "all", "from"])]
    pub sparql: Option<String>,
    /// Read these RDF files (or `-` for standard input) instead of the store
    #[arg(long, value_name = "FILE", conflicts_with_all = ["graph", "bundled", "all"])]
    pub from: Vec<PathBuf>,
    /// Format of the --from files [default: from each file's extension]
    #[arg(long, value_name = "FORMAT", requires = "from")]
    pub from_format: Option<String>,
    /// Base IRI for relative IRIs in the --from files [default: each file's URL]
    #[arg(long, value_name = "IRI", requires = "from")]
    pub base: Option<String>,
    /// Output format: turtle, trig, ntriples, nquads, rdfxml, jsonld (also extensions or MIME
    /// types) [default: from --output's extension, else Turtle, or TriG for several graphs]
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::rdf_formats))]
    pub format: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write canonical N-Quads instead: blank nodes labelled by RDF Dataset Canonicalization
    /// (RDFC-1.0, SHA-256), one quad a line, lines sorted; the same graph always gives the same
    /// bytes, whatever its order or blank node labels, so it can be hashed or signed
    #[arg(long, conflicts_with = "format")]
    pub canonical: bool,
    /// Print only the SHA-256 of the canonical N-Quads (`sha256:HEX`): the graph's fingerprint
    #[arg(long, conflicts_with = "format")]
    pub hash: bool,
    /// A prefix to write IRIs with, as name=IRI (repeat for several); it takes precedence over
    /// the common prefixes and those the loaded files declared
    #[arg(long = "prefix", value_name = "NAME=IRI", value_parser = mss_kg::prefixes::parse_prefix)]
    pub prefixes: Vec<(String, String)>,
}

/// Find the entities of an external graph (Wikidata and others) that are the same as ours.
///
/// SOURCE is an RDF file (read, N-Triples and N-Quads in parallel; with --apply also loaded, in
/// the same parse, into a named graph of its own that the links point into: --graph, or
/// https://w3id.org/mss-kg/graph/external/<file name>, replacing what an earlier --apply loaded
/// there), a named graph already in the store (IRI or prefixed name),
/// or a SPARQL endpoint URL (its entities are fetched with SERVICE; give --type to fetch only
/// entities of matching classes from a big endpoint such as Wikidata's).
///
/// Local entities are the named, typed IRIs of every other graph (not the ontology, the external
/// graphs or the links graphs), or of --local-graph graphs, or of --type. Evidence, strongest first: an
/// identifier both sides give (ISO 3166 codes, GeoNames ids, an existing owl:sameAs to the
/// external IRI), 1.0; the same name once case, accents, punctuation and articles are folded
/// ("the Bahamas" = "Bahamas (the)"), 0.91-0.95; the same formal-name core ("the Republic of
/// Kenya" = "Kenya"), 0.85; a similar name (Jaro-Winkler), up to 0.8. Types must agree (a
/// country only matches a country, through rdfs:subClassOf, owl:equivalentClass and wdt:P279,
/// and the alignments in ontology/alignments.ttl); when a side's types are unknown, names score
/// 10% less. Candidates come from a blocking index (hashes of folded names and their character
/// trigrams), so time grows about linearly with both graphs.
///
/// Prints one row per proposed link, best first: status (accepted at --threshold or above,
/// review from --review, ambiguous when tied or claimed twice: never accepted), score, the two
/// entities and their names, and the evidence. --apply writes the accepted links to a links
/// graph, each with its provenance (method, score, evidence, time, source). --gold compares the
/// accepted links with known ones and prints precision, recall and F1 on stderr.
///
/// Example: mss-kg link --with wikidata-countries.ttl --type schema:Country --apply
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// An RDF file, a graph in the store, or a SPARQL endpoint URL
    #[arg(long = "with", short = 'w', value_name = "SOURCE")]
    pub with: String,
    /// Only link local entities of this class (or its subclasses), e.g. schema:Country
    #[arg(long = "type", short = 't', value_name = "CLASS")]
    pub class: Option<String>,
    /// Accept links scoring at least this
    #[arg(long, value_name = "SCORE", default_value_t = 0.9)]
    pub threshold: f64,
    /// List links scoring at least this for review
    #[arg(long, value_name = "SCORE", default_value_t = 0.7)]
    pub review: f64,
    /// Write the accepted links into the links graph
    #[arg(long)]
    pub apply: bool,
    /// The known links to score against: a CSV file of two columns (local, external) or an RDF
    /// file of owl:sameAs / skos:exactMatch triples
    #[arg(long, value_name = "FILE")]
    pub gold: Option<PathBuf>,
    /// What counts as evidence: `all`, or `labels` to ignore identifiers and existing links
    #[arg(long, value_name = "KIND", default_value = "all", value_parser = ["all", "labels"])]
    pub evidence: String,
    /// The property the links are written with: owl:sameAs, or skos:exactMatch
    #[arg(long, value_name = "PROPERTY", default_value = "owl:sameAs")]
    pub relation: String,
    /// A property whose values name entities (repeat for several); replaces the defaults
    /// (rdfs:label, skos:prefLabel, schema:name; aliases skos:altLabel, schema:alternateName)
    #[arg(long = "label-property", value_name = "PROPERTY")]
    pub label_properties: Vec<String>,
    /// Only names in these languages (and names without one), e.g. en,fr
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// The named graph --apply loads an RDF file SOURCE into
    #[arg(long, short, value_name = "IRI")]
    pub graph: Option<String>,
    /// Only link the entities of this graph (repeat for several)
    #[arg(long = "local-graph", value_name = "IRI")]
    pub local_graphs: Vec<String>,
    /// The graph --apply writes to [default: https://w3id.org/mss-kg/graph/links/<source name>]
    #[arg(long, value_name = "IRI")]
    pub links_graph: Option<String>,
    /// Output format: table, csv, tsv, json or xml [default: table on a terminal, else TSV]
    #[arg(long, short, add = ArgValueCompleter::new(crate::complete::table_formats))]
    pub format: Option<String>,
}

/// Serve the store as a SPARQL endpoint (SPARQL 1.1 Protocol), read-only unless --writable.
///
/// Answers `GET /query?query=...` and `POST /query` (application/sparql-query, or a form), also
/// at `/sparql`. The default graph is the union of all graphs unless the request names graphs
/// with `default-graph-uri` / `named-graph-uri`; common prefixes may be omitted, as for `query`.
/// Results follow the Accept header: SPARQL JSON (default), XML, CSV or TSV; N-Triples (default),
/// Turtle, RDF/XML, ... for CONSTRUCT and DESCRIBE. They stream. `GET /sparql` without a query
/// answers the Service Description; `GET /store?graph=IRI` (or `?default`) a graph (Graph Store
/// Protocol). Without --writable, updates are refused and the store is opened read-only, so other
/// mss-kg processes can still read it while it is served. Stops on
/// Ctrl-C. Other tools (and `SERVICE <http://127.0.0.1:7878/query>` in a query) can use it. A
/// query still running after --timeout seconds (60 by default; 0: never) is cancelled: before its
/// first results it answers 503, later it ends its response as failed.
///
/// Example: mss-kg serve --bind 127.0.0.1:7878
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (repeat for several); a host name listens on every address it
    /// resolves to
    #[arg(
        long,
        short,
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:7878"
    )]
    pub bind: Vec<String>,
    /// Evaluate at most this many queries at once; more answer 503 with Retry-After
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_queries: u64,
    /// Keep at most this many client connections open; more wait to be accepted
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_connections: u64,
    /// Take writes: SPARQL Update on /update and the Graph Store Protocol on /store (PUT, POST,
    /// DELETE). Writes need the bearer token of --token-file or MSS_KG_TOKEN; without one, only
    /// on a loopback address. The store is then opened for writing: other processes wait for it
    #[arg(long)]
    pub writable: bool,
    /// A file holding the bearer token that writes must carry (`Authorization: Bearer TOKEN`)
    /// [default: MSS_KG_TOKEN]
    #[arg(long, value_name = "FILE", requires = "writable")]
    pub token_file: Option<PathBuf>,
    /// Refuse a request body larger than this many bytes (413)
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
    pub max_body: u64,
    /// Let pages of this origin (e.g. https://example.org, or `*`) call the endpoint from a
    /// browser (CORS); none by default
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
}

/// Print a shell completion script to standard output.
///
/// Example: mss-kg completions bash > /etc/bash_completion.d/mss-kg
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

/// Show what a change adds and removes: the triples (or quads) only in A and only in B.
///
/// A and B are each an RDF file, a folder of RDF files, a named graph of the store (an IRI or a
/// prefixed name), or `store` (every graph in it). Blank nodes are matched by their canonical
/// labels (RDF Dataset Canonicalization, RDFC-1.0), so files that differ only in the order of
/// their triples or the labels of their blank nodes are equal. When a side is one graph or a
/// file of triples (Turtle, N-Triples, RDF/XML), triples are compared, graph names aside;
/// otherwise quads, each in its graph. The difference prints as two sorted Turtle (or TriG)
/// documents through export's pretty writer, each under a comment saying which side it is.
///
/// Exit status, as diff(1): 0 when A and B hold the same, 1 when they differ, 2 when either
/// cannot be read.
///
/// Example: mss-kg diff src:004_dab5f6f63f8bcf4a data/source-004.trig
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first side: a file, a folder, a graph of the store, or `store`
    pub a: String,
    /// The second side: a file, a folder, a graph of the store, or `store`
    pub b: String,
    /// Say only whether they differ (the exit status), printing nothing
    #[arg(long)]
    pub brief: bool,
}

/// Check the graph against its SHACL shapes, and warn where the sources disagree.
///
/// Validates the store (the merge of its graphs), or RDF files as `load --replace` would leave
/// the store: the files' graphs in place of the store's graphs of the same names, the rest of
/// the store as their context (the ontology's classes, the entities they refer to), reporting
/// what the files describe, each finding with the file and line where its node is first
/// described. Nothing is loaded. The engine is the rudof project's SHACL validator (Core and
/// SPARQL); the shapes are the bundled ontology/shapes.ttl unless --shapes names others.
///
/// The consistency checks, saved queries tagged `consistency` (`mss-kg queries --tag consistency`), add
/// warnings where the sources disagree, each naming the sources on both sides.
///
/// Exit status: 0 when nothing violates a shape (warnings aside, unless --strict), 1 when
/// something does, 2 when the input or the shapes cannot be read.
///
/// Example: mss-kg validate data/source-005.trig
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// RDF files or folders to check without loading them (default: the store)
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// The SHACL shapes (Turtle) to validate against, instead of the bundled ones
    #[arg(long, value_name = "FILE")]
    pub shapes: Option<std::path::PathBuf>,
    /// How to print the findings: text, turtle (a W3C sh:ValidationReport) or json
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,
    /// Exit 1 on warnings too (SHACL warnings and the consistency checks')
    #[arg(long)]
    pub strict: bool,
    /// Run the shapes only, not the consistency checks
    #[arg(long)]
    pub no_consistency: bool,
}

/// Find what a new article talks about: the known entities it names, and what it names that
/// the graph does not know.
///
/// Reads a plain-text article (a file, or `-` for standard input) and finds every entity of the
/// graph it mentions, by label and alias, ignoring case, accents, punctuation and spacing, the
/// longest name first, whole words only, with character offsets (end exclusive). Capitalised
/// names it cannot place and the numbers it states are listed too, as candidates for new
/// entities and figures. A name two entities share gives a row for each.
///
/// With --skeleton, prints a TriG skeleton for the article's source graph instead: its named
/// graph, the mss:Article metadata to fill in, a schema:mentions per entity found, and a
/// commented stub per unplaced name and number, ready to edit, `validate` and `load`.
///
/// Example: mss-kg mentions article.txt --skeleton > data/source-005.trig
#[derive(Debug, Args)]
pub struct MentionsArgs {
    /// The article, as plain text (UTF-8); `-` reads standard input. Several articles, or
    /// folders of `.txt` files, give a `file` column first
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Print a TriG skeleton of the article's source graph instead of the list
    #[arg(long)]
    pub skeleton: bool,
    /// Output format of the list: table, csv, tsv, json or xml (SPARQL results)
    #[arg(long, short = 'f', value_name = "FORMAT")]
    pub format: Option<String>,
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
