//! A remote SPARQL engine, spoken to in the W3C standards only: the SPARQL 1.1 Protocol for
//! queries, SPARQL 1.1 Update for updates, and the Graph Store HTTP Protocol for loading graphs.
//! Credentials come from the environment and are never printed; every failure is one line that
//! names the URL and what it said.

use anyhow::{Result, anyhow, bail};
use oxhttp::Client;
use oxhttp::model::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter};
use spargebra::algebra::GraphTarget;
use spargebra::{GraphUpdateOperation, Query, Update};
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The environment variable holding a bearer token.
pub const TOKEN_ENV: &str = "MSS_KG_TOKEN";
/// The environment variable holding `user:password` for HTTP basic authentication.
pub const BASIC_ENV: &str = "MSS_KG_BASIC_AUTH";

/// How a query travels: in a form posted to the endpoint (the default: no length limit), or in
/// the URL of a GET (grlc's `endpoint-method: GET`; cacheable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryMethod {
    #[default]
    Post,
    Get,
}

/// Where a remote graph is read and written.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// The SPARQL query endpoint.
    pub query: String,
    /// The SPARQL Update endpoint [default: the query endpoint].
    pub update: Option<String>,
    /// The Graph Store Protocol endpoint, if the server has one; else loads go through Update.
    pub graph_store: Option<String>,
    /// How long to wait for an answer, in all.
    pub timeout: Option<Duration>,
    pub method: QueryMethod,
}

/// A remote engine, ready to be asked.
pub struct Remote {
    pub config: RemoteConfig,
    client: Client,
    auth: Option<HeaderValue>,
}

/// What went wrong on the way to an endpoint, said in one line that names it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RemoteError(pub String);

impl Remote {
    pub fn new(config: RemoteConfig) -> Result<Self> {
        for url in [
            Some(&config.query),
            config.update.as_ref(),
            config.graph_store.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            check_url(url)?;
        }
        let mut client = Client::new()
            .with_redirection_limit(5)
            .with_user_agent(concat!("mss-kg/", env!("CARGO_PKG_VERSION")))
            .map_err(|e| anyhow!("{e}"))?;
        if let Some(timeout) = config.timeout {
            client = client.with_global_timeout(timeout);
        }
        Ok(Self {
            config,
            client,
            auth: auth_from_env()?,
        })
    }

    /// The URL updates go to.
    pub fn update_url(&self) -> &str {
        self.config.update.as_deref().unwrap_or(&self.config.query)
    }

    /// Sends `query` (already rewritten for the dataset) with the Protocol's dataset parameters,
    /// and streams the answer as results. The text sent is checked to say what the algebra says
    /// ([`crate::sparql::wire`]): a parameter bound as a term can't change the query's shape.
    pub fn query(
        &self,
        query: &Query,
        default: &[NamedNode],
        named: &[NamedNode],
    ) -> Result<QueryResults<'static>> {
        let text = crate::sparql::wire::to_text(query)?;
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("query", &text);
        for g in default {
            form.append_pair("default-graph-uri", g.as_str());
        }
        for g in named {
            form.append_pair("named-graph-uri", g.as_str());
        }
        let form = form.finish();
        let graph = matches!(query, Query::Construct { .. } | Query::Describe { .. });
        let accept = if graph {
            "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
        } else {
            "application/sparql-results+json, application/sparql-results+xml;q=0.9"
        };
        let url = &self.config.query;
        let request = match self.config.method {
            QueryMethod::Post => self
                .request(Method::POST, url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, accept)
                .body(Body::from(form)),
            QueryMethod::Get => {
                let sep = if url.contains('?') { '&' } else { '?' };
                self.request(Method::GET, &format!("{url}{sep}{form}"))
                    .header(ACCEPT, accept)
                    .body(Body::empty())
            }
        }
        .map_err(|e| anyhow!("cannot build a request for the endpoint {url}: {e}"))?;
        let started = Instant::now();
        let response = self.send(request, url, started)?;
        let content_type = content_type(&response);
        let body = Timed {
            inner: response.into_body(),
            started,
            timeout: self.config.timeout,
        };
        let url = Arc::<str>::from(url.as_str());
        if graph {
            let format = RdfFormat::from_media_type(&content_type).ok_or_else(|| {
                anyhow!("the endpoint {url} answered with '{content_type}', not RDF")
            })?;
            let url2 = url.clone();
            let triples = RdfParser::from_format(format)
                .for_reader(body)
                .map(move |quad| {
                    quad.map(oxigraph::model::Triple::from)
                        .map_err(|e| malformed(&url2, &e.to_string()))
                });
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
        }
        let format = QueryResultsFormat::from_media_type(&content_type).ok_or_else(|| {
            anyhow!("the endpoint {url} answered with '{content_type}', not SPARQL results")
        })?;
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(Replace::new(body, VIRTUOSO_BNODE, READABLE_BNODE))
            .map_err(|e| anyhow!("{}", malformed(&url, &e.to_string())))?;
        Ok(match parsed {
            oxigraph::sparql::results::ReaderQueryResultsParserOutput::Boolean(b) => {
                QueryResults::Boolean(b)
            }
            oxigraph::sparql::results::ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[_]> = solutions.variables().into();
                let rows =
                    solutions.map(move |row| row.map_err(|e| malformed(&url, &e.to_string())));
                QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
            }
        })
    }

    /// Sends a SPARQL Update, written out from its algebra.
    pub fn update(&self, update: &Update) -> Result<()> {
        self.update_text(update.to_string())
    }

    /// Sends the text of a SPARQL Update.
    pub fn update_text(&self, text: String) -> Result<()> {
        let url = self.update_url().to_owned();
        let request = self
            .request(Method::POST, &url)
            .header(CONTENT_TYPE, "application/sparql-update")
            .body(Body::from(text))
            .map_err(|e| anyhow!("cannot build a request for the endpoint {url}: {e}"))?;
        let response = self.send(request, &url, Instant::now())?;
        // Read the answer out, so that a server that fails late is heard.
        drain(response, &url)
    }

    /// Adds N-Triples to `graph` with the Graph Store Protocol (`POST`), or replaces it (`PUT`).
    pub fn store_graph(&self, graph: &GraphName, ntriples: Vec<u8>, replace: bool) -> Result<()> {
        let store = self
            .config
            .graph_store
            .as_deref()
            .expect("the caller checks that a graph store is given");
        let sep = if store.contains('?') { '&' } else { '?' };
        let url = match graph {
            GraphName::NamedNode(g) => {
                let q: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("graph", g.as_str())
                    .finish();
                format!("{store}{sep}{q}")
            }
            _ => format!("{store}{sep}default"),
        };
        let request = self
            .request(if replace { Method::PUT } else { Method::POST }, &url)
            .header(CONTENT_TYPE, "application/n-triples")
            .body(Body::from(ntriples))
            .map_err(|e| anyhow!("cannot build a request for the graph store {store}: {e}"))?;
        let response = self.send(request, store, Instant::now())?;
        drain(response, store)
    }

    fn request(&self, method: Method, url: &str) -> oxhttp::model::request::Builder {
        let mut builder = Request::builder().method(method).uri(url);
        if let Some(auth) = &self.auth {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        builder
    }

    /// Sends a request; a refused connection, a timeout or an error status is one line.
    fn send(&self, request: Request<Body>, url: &str, started: Instant) -> Result<Response<Body>> {
        let response = self.client.request(request).map_err(|e| {
            let timed_out = matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
            if timed_out {
                RemoteError(self.timed_out(url))
            } else {
                RemoteError(format!("cannot reach the endpoint {url}: {e}"))
            }
        })?;
        if self.config.timeout.is_some_and(|t| started.elapsed() > t) {
            bail!(RemoteError(self.timed_out(url)));
        }
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(|v| format!(" (retry after {v} s)"))
            .unwrap_or_default();
        let said = said(response);
        let reason = status.canonical_reason().unwrap_or("");
        let hint = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => format!(
                " (credentials come from {TOKEN_ENV} or {BASIC_ENV}; the server may also need to grant updates)"
            ),
            _ => String::new(),
        };
        bail!(RemoteError(format!(
            "the endpoint {url} answered {} {reason}{retry}{}{hint}",
            status.as_u16(),
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        )))
    }

    fn timed_out(&self, url: &str) -> String {
        match self.config.timeout {
            Some(t) => format!(
                "the endpoint {url} did not answer within {} s (--timeout)",
                t.as_secs_f64()
            ),
            None => format!("the endpoint {url} stopped answering"),
        }
    }
}

/// Refuses a URL that isn't http(s), or that carries credentials (they belong in the environment,
/// where no process listing or shell history shows them).
fn check_url(url: &str) -> Result<()> {
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("'{url}' is not an http:// or https:// URL");
    };
    if !matches!(scheme, "http" | "https") {
        bail!("'{url}' is not an http:// or https:// URL");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        bail!(
            "the endpoint URL holds credentials: give them in {TOKEN_ENV} (a bearer token) or {BASIC_ENV} (user:password) instead, so they are never on a command line"
        );
    }
    oxhttp::model::Uri::try_from(url).map_err(|e| anyhow!("'{url}' is not a valid URL: {e}"))?;
    Ok(())
}

/// The `Authorization` header the environment asks for, marked sensitive.
fn auth_from_env() -> Result<Option<HeaderValue>> {
    use base64::Engine as _;
    let token = std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty());
    let basic = std::env::var(BASIC_ENV).ok().filter(|t| !t.is_empty());
    let value = match (token, basic) {
        (Some(_), Some(_)) => bail!("{TOKEN_ENV} and {BASIC_ENV} are both set: keep one"),
        (Some(token), None) => format!("Bearer {token}"),
        (None, Some(basic)) => {
            if !basic.contains(':') {
                bail!("{BASIC_ENV} takes user:password");
            }
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(basic)
            )
        }
        (None, None) => return Ok(None),
    };
    let mut header = HeaderValue::try_from(value)
        .map_err(|_| anyhow!("{TOKEN_ENV} or {BASIC_ENV} holds characters a header can't"))?;
    header.set_sensitive(true);
    Ok(Some(header))
}

fn content_type(response: &Response<Body>) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn malformed(url: &str, error: &str) -> QueryEvaluationError {
    let message = if error.contains("--timeout") {
        format!("the endpoint {url}: {error}")
    } else {
        format!("the endpoint {url} sent malformed results: {error}")
    };
    QueryEvaluationError::Service(Box::new(RemoteError(message)))
}

/// The first line of what a failed response said, trimmed (servers send whole HTML pages).
fn said(response: Response<Body>) -> String {
    let mut text = String::new();
    let _ = response.into_body().take(4096).read_to_string(&mut text);
    let text = strip_tags(&text);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut line: String = line.chars().take(200).collect();
    if line.len() < text.trim().len() && line.chars().count() == 200 {
        line.push('…');
    }
    line
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn drain(response: Response<Body>, url: &str) -> Result<()> {
    std::io::copy(&mut response.into_body(), &mut std::io::sink())
        .map_err(|e| anyhow!("the endpoint {url} broke off its answer: {e}"))?;
    Ok(())
}

/// A response body that gives up once the whole answer has taken longer than the timeout (the
/// socket's own timeout only catches a server that goes quiet, not one that trickles).
struct Timed {
    inner: Body,
    started: Instant,
    timeout: Option<Duration>,
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(t) = self.timeout
            && self.started.elapsed() > t
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!(
                    "the answer took longer than {} s (--timeout)",
                    t.as_secs_f64()
                ),
            ));
        }
        self.inner.read(buf).map_err(|e| {
            if matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the endpoint went quiet in the middle of its answer (--timeout)",
                )
            } else {
                e
            }
        })
    }
}
/// `DROP SILENT GRAPH <g>`, as algebra.
fn drop_graph(graph: &GraphName) -> Update {
    Update {
        base_iri: None,
        operations: vec![GraphUpdateOperation::Drop {
            silent: true,
            graph: match graph {
                GraphName::NamedNode(named) => GraphTarget::NamedNode(named.clone()),
                _ => GraphTarget::DefaultGraph,
            },
        }],
    }
}

/// The error of a load that failed part-way on an endpoint: what was written, how to clear it.
fn partly_written(
    error: anyhow::Error,
    sent: u64,
    total: u64,
    graphs: &[String],
    url: &str,
) -> anyhow::Error {
    if sent == 0 {
        return anyhow!("{error:#} (nothing was written)");
    }
    let name = |g: &String| {
        if g.is_empty() {
            "the default graph".to_owned()
        } else {
            format!("<{g}>")
        }
    };
    let clear = |g: &String| {
        if g.is_empty() {
            "CLEAR DEFAULT".to_owned()
        } else {
            format!("DROP GRAPH <{g}>")
        }
    };
    anyhow!(
        "{error:#}: {sent} of {total} triples were written before it failed, into {}; to clear them: mss-kg --endpoint {url} update '{}'",
        graphs.iter().map(name).collect::<Vec<_>>().join(", "),
        graphs.iter().map(clear).collect::<Vec<_>>().join(" ; ")
    )
}

/// Triples sent per Graph Store Protocol request, and per `INSERT DATA` where there is none
/// (Virtuoso's SPARQL compiler refuses an update of 2,000: its SQL would pass 10,000 lines).
const GSP_CHUNK: usize = 100_000;
const UPDATE_CHUNK: usize = 1_000;

/// Sends quads to an endpoint in chunks, graph by graph: with the Graph Store Protocol when the
/// server has one, else as `INSERT DATA`. A triple with a blank node waits for the end, so that
/// all of a blank node's triples travel in one request and stay about one node (each request
/// is a document of its own, whose blank nodes are new). It counts what was written, to say so
/// if a request fails.
pub struct Sender<'a> {
    remote: &'a Remote,
    bar: &'a indicatif::ProgressBar,
    total: u64,
    sent: u64,
    /// Graphs written to (or cleared), for the message of a failure.
    touched: Vec<String>,
    /// Per graph: ground triples, and triples with blank nodes.
    pending: std::collections::BTreeMap<String, (GraphName, Vec<Quad>, Vec<Quad>)>,
}

impl<'a> Sender<'a> {
    pub fn new(remote: &'a Remote, total: u64, bar: &'a indicatif::ProgressBar) -> Self {
        Self {
            remote,
            bar,
            total,
            sent: 0,
            touched: Vec::new(),
            pending: std::collections::BTreeMap::new(),
        }
    }

    fn chunk(&self) -> usize {
        if self.remote.config.graph_store.is_some() {
            GSP_CHUNK
        } else {
            UPDATE_CHUNK
        }
    }

    fn fail(&self, error: anyhow::Error) -> anyhow::Error {
        partly_written(
            error,
            self.sent,
            self.total,
            &self.touched,
            &self.remote.config.query,
        )
    }

    /// Empties a graph before anything is written to it.
    /// Empties `graph` (a named graph is dropped; the default graph cleared).
    pub fn clear(&mut self, graph: &GraphName) -> Result<()> {
        self.touch(match graph {
            GraphName::NamedNode(named) => named.as_str(),
            _ => "",
        });
        self.remote
            .update(&drop_graph(graph))
            .map_err(|e| self.fail(e))
    }

    fn touch(&mut self, graph: &str) {
        if !self.touched.iter().any(|g| g == graph) {
            self.touched.push(graph.to_owned());
        }
    }

    pub fn send_all(&mut self, quads: impl Iterator<Item = Result<Quad>>) -> Result<()> {
        let chunk = self.chunk();
        for quad in quads {
            let quad = quad?;
            let key = match &quad.graph_name {
                GraphName::NamedNode(n) => n.as_str().to_owned(),
                GraphName::BlankNode(b) => b.to_string(),
                GraphName::DefaultGraph => String::new(),
            };
            let has_blank = quad.subject.is_blank_node() || quad.object.is_blank_node();
            let entry = self
                .pending
                .entry(key.clone())
                .or_insert_with(|| (quad.graph_name.clone(), Vec::new(), Vec::new()));
            if has_blank {
                entry.2.push(quad);
            } else {
                entry.1.push(quad);
                if entry.1.len() >= chunk {
                    let (graph, ground) = (entry.0.clone(), std::mem::take(&mut entry.1));
                    self.write(&graph, ground)?;
                }
            }
        }
        Ok(())
    }

    /// Sends what is left: the last ground triples, then each graph's blank-node triples.
    pub fn finish(mut self) -> Result<()> {
        for (_, (graph, ground, blank)) in std::mem::take(&mut self.pending) {
            if !ground.is_empty() {
                self.write(&graph, ground)?;
            }
            if !blank.is_empty() {
                self.write(&graph, blank)?;
            }
        }
        Ok(())
    }

    fn write(&mut self, graph: &GraphName, quads: Vec<Quad>) -> Result<()> {
        let label = match graph {
            GraphName::NamedNode(n) => n.as_str().to_owned(),
            GraphName::DefaultGraph => String::new(),
            GraphName::BlankNode(b) => {
                return Err(self.fail(anyhow!(
                    "a graph named by a blank node ({b}) can't be sent to an endpoint"
                )));
            }
        };
        let n = quads.len() as u64;
        let result = if self.remote.config.graph_store.is_some() {
            let mut body = Vec::with_capacity(quads.len() * 100);
            for quad in &quads {
                use std::io::Write as _;
                writeln!(
                    body,
                    "{} {} {} .",
                    quad.subject, quad.predicate, quad.object
                )
                .expect("writing to memory");
            }
            self.remote.store_graph(graph, body, false)
        } else {
            insert_text(&quads).and_then(|text| self.remote.update_text(text))
        };
        self.touch(&label);
        result.map_err(|e| self.fail(e))?;
        self.sent += n;
        self.bar.inc(n);
        Ok(())
    }
}

/// `INSERT DATA { GRAPH <g> { ... } }` for ground quads, `INSERT { GRAPH <g> { ... } } WHERE {}`
/// when blank nodes are among them: the same meaning (new blank nodes, once), and what Virtuoso
/// accepts (it refuses blank nodes in `INSERT DATA`, and a `.` after a `GRAPH` block, which
/// spargebra's writer puts). The terms are written by oxrdf as in N-Triples, escaped; the text
/// is checked to parse.
pub fn insert_text(quads: &[Quad]) -> Result<String> {
    use std::fmt::Write as _;
    let blank = quads
        .iter()
        .any(|q| q.subject.is_blank_node() || q.object.is_blank_node());
    let mut graphs: std::collections::BTreeMap<String, Vec<&Quad>> = Default::default();
    for quad in quads {
        let key = match &quad.graph_name {
            GraphName::NamedNode(n) => n.to_string(),
            _ => String::new(),
        };
        graphs.entry(key).or_default().push(quad);
    }
    let mut text = String::from(if blank {
        "INSERT {\n"
    } else {
        "INSERT DATA {\n"
    });
    for (graph, quads) in graphs {
        if !graph.is_empty() {
            let _ = writeln!(text, "GRAPH {graph} {{");
        }
        for q in quads {
            let _ = writeln!(text, "{} {} {} .", q.subject, q.predicate, q.object);
        }
        if !graph.is_empty() {
            text.push_str("}\n");
        }
    }
    text.push_str(if blank { "} WHERE {}" } else { "}" });
    spargebra::SparqlParser::new()
        .parse_update(&text)
        .map_err(|e| anyhow!("cannot write the data as a SPARQL Update: {e}"))?;
    Ok(text)
}

/// `DELETE WHERE { GRAPH <g> { <s> ?p ?o } }` for each subject, as one request's text.
pub fn delete_subjects_text(graph: &NamedNode, subjects: &[NamedNode]) -> String {
    subjects
        .iter()
        .map(|s| format!("DELETE WHERE {{ GRAPH {graph} {{ {s} ?p ?o }} }}"))
        .collect::<Vec<_>>()
        .join(" ;\n")
}

/// Virtuoso names blank nodes `nodeID://b10006` in its results, which no RDF syntax allows as a
/// label: read as `nodeID-b10006`. Only the exact bytes of a JSON blank-node binding are touched
/// (a literal can't hold them: its quotes would be escaped).
const VIRTUOSO_BNODE: &[u8] = b"\"type\": \"bnode\", \"value\": \"nodeID://";
const READABLE_BNODE: &[u8] = b"\"type\": \"bnode\", \"value\": \"nodeID-";

/// A reader that replaces every `from` with `to` as the bytes stream by.
struct Replace<R> {
    inner: R,
    from: &'static [u8],
    to: &'static [u8],
    /// Bytes read but not yet searched through (the tail may be the start of `from`).
    pending: Vec<u8>,
    /// Bytes ready to hand out, from `at`.
    ready: Vec<u8>,
    at: usize,
    eof: bool,
}

impl<R: Read> Replace<R> {
    fn new(inner: R, from: &'static [u8], to: &'static [u8]) -> Self {
        Self {
            inner,
            from,
            to,
            pending: Vec::new(),
            ready: Vec::new(),
            at: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Replace<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.ready.len() {
            if self.eof && self.pending.is_empty() {
                return Ok(0);
            }
            self.ready.clear();
            self.at = 0;
            if !self.eof {
                let mut chunk = [0; 64 * 1024];
                let n = self.inner.read(&mut chunk)?;
                self.eof = n == 0;
                self.pending.extend_from_slice(&chunk[..n]);
            }
            // Search all but a tail that could begin a match, unless the input is over.
            let keep = if self.eof { 0 } else { self.from.len() - 1 };
            let searchable = self.pending.len().saturating_sub(keep);
            let mut i = 0;
            while i < searchable {
                if self.pending[i..].starts_with(self.from) {
                    self.ready.extend_from_slice(self.to);
                    i += self.from.len();
                } else {
                    self.ready.push(self.pending[i]);
                    i += 1;
                }
            }
            self.pending.drain(..i.min(self.pending.len()));
        }
        let n = buf.len().min(self.ready.len() - self.at);
        buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtuoso_blank_nodes_are_renamed_across_reads() {
        let text = br#"{"b": { "type": "bnode", "value": "nodeID://b1" }, "l": { "type": "literal", "value": "nodeID://x" }}"#;
        // One byte at a time: a match split across reads is still found.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut out = String::new();
        Replace::new(Trickle(text), VIRTUOSO_BNODE, READABLE_BNODE)
            .read_to_string(&mut out)
            .unwrap();
        assert!(out.contains(r#""value": "nodeID-b1""#), "{out}");
        assert!(out.contains(r#""value": "nodeID://x""#), "{out}");
    }
}
