//! A read-only SPARQL 1.1 Protocol endpoint over a store, on Oxigraph's own HTTP server (oxhttp).
//!
//! `GET /query?query=...`, `POST /query` with `application/sparql-query` or a form, the same at
//! `/sparql`; `default-graph-uri` and `named-graph-uri` as the protocol says, else the union of all
//! graphs as the default graph, as `mss-kg query` has it. Results are chosen by the `Accept` header
//! (JSON by default for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE) and stream: the
//! response is written while the query is evaluated, never held whole in memory.

use crate::sparql;
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults};
use oxigraph::store::Store;
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::time::Duration;

/// The most a request body (a query or a form) may hold.
const MAX_BODY: u64 = 16 << 20;

/// What the endpoint serves and how.
#[derive(Clone)]
pub struct Endpoint {
    pub store: Store,
    /// Queries still running after this are cancelled.
    pub timeout: Option<Duration>,
}

type HttpError = (StatusCode, String);

impl Endpoint {
    /// Answers one request; errors become a plain-text response with their status.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        self.route(request).unwrap_or_else(|(status, message)| {
            text(status, format!("{message}\n")).expect("a plain-text response builds")
        })
    }

    fn route(&self, request: &mut Request<Body>) -> Result<Response<Body>, HttpError> {
        let path = request.uri().path().to_owned();
        match (path.as_str(), request.method().clone()) {
            ("/", Method::GET | Method::HEAD) => text(
                StatusCode::OK,
                concat!(
                    "mss-kg ",
                    env!("CARGO_PKG_VERSION"),
                    ": a read-only SPARQL endpoint over the MSS knowledge graph.\n",
                    "Send queries to /query (GET ?query=... or POST application/sparql-query).\n"
                )
                .to_owned(),
            ),
            ("/query" | "/sparql", Method::GET) => {
                let mut params = Params::parse(request.uri().query().unwrap_or("").as_bytes());
                if !params.has("query") {
                    return Err(bad_request(
                        "no query given: send ?query=... (SPARQL 1.1 Protocol)",
                    ));
                }
                let query = params.one("query")?;
                self.query(request, &query, params)
            }
            ("/query" | "/sparql", Method::POST) => {
                let content_type = media_type(request, CONTENT_TYPE).unwrap_or_default();
                let url_params = Params::parse(request.uri().query().unwrap_or("").as_bytes());
                let body = read_body(request)?;
                match content_type.as_str() {
                    "application/sparql-query" => {
                        let query = String::from_utf8(body)
                            .map_err(|_| bad_request("the query is not UTF-8"))?;
                        if url_params.has("query") {
                            return Err(bad_request("the query is both in the URL and the body"));
                        }
                        self.query(request, &query, url_params)
                    }
                    "application/x-www-form-urlencoded" => {
                        let mut params = Params::parse(&body);
                        params.pairs.extend(url_params.pairs);
                        let query = params.one("query")?;
                        self.query(request, &query, params)
                    }
                    "" => Err(bad_request("no Content-Type given")),
                    other => Err((
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        format!(
                            "unsupported Content-Type '{other}' (send application/sparql-query or a form)"
                        ),
                    )),
                }
            }
            ("/update", _) => Err((
                StatusCode::FORBIDDEN,
                "this endpoint is read-only: use `mss-kg update` on the store".to_owned(),
            )),
            ("/" | "/query" | "/sparql", _) => Err((
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {} is not allowed here", request.method()),
            )),
            _ => Err((StatusCode::NOT_FOUND, format!("nothing at '{path}'"))),
        }
    }

    fn query(
        &self,
        request: &Request<Body>,
        text: &str,
        mut params: Params,
    ) -> Result<Response<Body>, HttpError> {
        let default_graphs = params.all("default-graph-uri");
        let named_graphs = params.all("named-graph-uri");
        let mut evaluator = sparql::evaluator();
        if let Some(timeout) = self.timeout {
            let token = CancellationToken::new();
            evaluator = evaluator.with_cancellation_token(token.clone());
            std::thread::Builder::new()
                .name("query timeout".into())
                .spawn(move || {
                    std::thread::sleep(timeout);
                    token.cancel();
                })
                .map_err(server_error)?;
        }
        let mut prepared = sparql::parse_query_with(
            evaluator,
            text,
            "query",
            default_graphs.is_empty() && named_graphs.is_empty(),
        )
        .map_err(|e| bad_request(format!("{e:#}")))?;
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            let graphs = |iris: Vec<String>| {
                iris.into_iter()
                    .map(|iri| {
                        NamedNode::new(&iri)
                            .map_err(|e| bad_request(format!("invalid graph IRI '{iri}': {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            let defaults = graphs(default_graphs)?;
            let named = graphs(named_graphs)?;
            let dataset = prepared.dataset_mut();
            dataset.set_default_graph(defaults.into_iter().map(GraphName::from).collect());
            dataset.set_available_named_graphs(
                named.into_iter().map(NamedOrBlankNode::from).collect(),
            );
        }
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(server_error)?;
        match results {
            QueryResults::Solutions(solutions) => {
                let format = negotiate(
                    request,
                    QueryResultsFormat::from_media_type,
                    QueryResultsFormat::Json,
                )?;
                let buffer = Buffer::default();
                let variables = solutions.variables().to_vec();
                let mut writer = Some(
                    QueryResultsSerializer::from_format(format)
                        .serialize_solutions_to_writer(buffer.clone(), variables)
                        .map_err(server_error)?,
                );
                let mut solutions = solutions;
                streamed(format.media_type(), buffer, move || {
                    let Some(w) = writer.as_mut() else {
                        return Ok(false);
                    };
                    match solutions.next() {
                        Some(solution) => {
                            w.serialize(&solution.map_err(io::Error::other)?)?;
                            Ok(true)
                        }
                        None => {
                            writer.take().map(|w| w.finish()).transpose()?;
                            Ok(false)
                        }
                    }
                })
            }
            QueryResults::Boolean(value) => {
                let format = negotiate(
                    request,
                    QueryResultsFormat::from_media_type,
                    QueryResultsFormat::Json,
                )?;
                let mut body = Vec::new();
                QueryResultsSerializer::from_format(format)
                    .serialize_boolean_to_writer(&mut body, value)
                    .map_err(server_error)?;
                Response::builder()
                    .header(CONTENT_TYPE, format.media_type())
                    .body(body.into())
                    .map_err(server_error)
            }
            QueryResults::Graph(triples) => {
                let format = negotiate(request, RdfFormat::from_media_type, RdfFormat::NTriples)?;
                let buffer = Buffer::default();
                let mut writer =
                    Some(crate::output::rdf_serializer(format).for_writer(buffer.clone()));
                let mut triples = triples;
                streamed(format.media_type(), buffer, move || {
                    let Some(w) = writer.as_mut() else {
                        return Ok(false);
                    };
                    match triples.next() {
                        Some(triple) => {
                            w.serialize_triple(&triple.map_err(io::Error::other)?)?;
                            Ok(true)
                        }
                        None => {
                            writer.take().map(|w| w.finish()).transpose()?;
                            Ok(false)
                        }
                    }
                })
            }
        }
    }
}

/// Bytes a serializer has written and the response has not yet sent.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A response body produced as it is read: `step` writes the next result into the buffer and
/// says whether more may follow. Query results are not `Send`, so they are evaluated on the
/// thread that writes the response, a few kilobytes at a time.
struct Streamed<F> {
    buffer: Buffer,
    position: usize,
    step: Option<F>,
}

impl<F: FnMut() -> io::Result<bool>> Read for Streamed<F> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.position == self.buffer.0.borrow().len() {
            self.buffer.0.borrow_mut().clear();
            self.position = 0;
            while let Some(step) = self.step.as_mut() {
                match step() {
                    Ok(true) if self.buffer.0.borrow().len() < 16 * 1024 => {}
                    Ok(true) => break,
                    Ok(false) => self.step = None,
                    Err(e) => {
                        // The status line is sent: all that is left is to end the body early.
                        eprintln!("mss-kg serve: query failed while streaming its results: {e}");
                        self.step = None;
                    }
                }
            }
        }
        let buffer = self.buffer.0.borrow();
        let n = out.len().min(buffer.len() - self.position);
        out[..n].copy_from_slice(&buffer[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

fn streamed(
    media_type: &'static str,
    buffer: Buffer,
    step: impl FnMut() -> io::Result<bool> + 'static,
) -> Result<Response<Body>, HttpError> {
    Response::builder()
        .header(CONTENT_TYPE, media_type)
        .body(Body::from_read(Streamed {
            buffer,
            position: 0,
            step: Some(step),
        }))
        .map_err(server_error)
}

/// Request parameters, from a URL's query string or a form body, percent-decoded.
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn parse(bytes: &[u8]) -> Self {
        Self {
            pairs: form_urlencoded::parse(bytes).into_owned().collect(),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// The one value of `key`: missing or repeated is an error.
    fn one(&mut self, key: &str) -> Result<String, HttpError> {
        let mut values = self.all(key);
        match values.len() {
            1 => Ok(values.remove(0)),
            0 => Err(bad_request(format!("parameter '{key}' is missing"))),
            _ => Err(bad_request(format!(
                "parameter '{key}' is given more than once"
            ))),
        }
    }

    fn all(&mut self, key: &str) -> Vec<String> {
        let (wanted, rest) = std::mem::take(&mut self.pairs)
            .into_iter()
            .partition(|(k, _)| k == key);
        self.pairs = rest;
        wanted.into_iter().map(|(_, v)| v).collect()
    }
}

fn read_body(request: &mut Request<Body>) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    request
        .body_mut()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| bad_request(format!("cannot read the request body: {e}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over {MAX_BODY} bytes"),
        ));
    }
    Ok(body)
}

/// The media type of a header, without parameters, lower-cased.
fn media_type(
    request: &Request<Body>,
    header: oxhttp::model::header::HeaderName,
) -> Option<String> {
    let value = request.headers().get(header)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// The format the `Accept` header prefers among those `parse` knows; `default` for none, `*/*` or
/// `type/*`; 406 when nothing it lists can be served.
fn negotiate<F: Copy>(
    request: &Request<Body>,
    parse: impl Fn(&str) -> Option<F>,
    default: F,
) -> Result<F, HttpError> {
    let Some(header) = request.headers().get(ACCEPT) else {
        return Ok(default);
    };
    let header = header
        .to_str()
        .map_err(|_| bad_request("the Accept header is not ASCII"))?;
    let mut best: Option<(f32, F)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .next_back()
            .map_or(Ok(1.0), str::parse::<f32>)
            .map_err(|_| bad_request(format!("invalid quality in Accept: '{item}'")))?;
        let format = if media == "*/*" || media.ends_with("/*") {
            Some(default)
        } else {
            parse(&media)
        };
        if let Some(format) = format
            && q > 0.0
            && best.is_none_or(|(b, _)| q > b)
        {
            best = Some((q, format));
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        (
            StatusCode::NOT_ACCEPTABLE,
            format!("cannot answer in any format the Accept header lists ('{header}')"),
        )
    })
}

fn text(status: StatusCode, body: String) -> Result<Response<Body>, HttpError> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(body.into())
        .map_err(server_error)
}

fn bad_request(message: impl std::fmt::Display) -> HttpError {
    (StatusCode::BAD_REQUEST, message.to_string())
}

fn server_error(error: impl std::fmt::Display) -> HttpError {
    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}

/// Starts serving `endpoint` on `addresses`; `join` the result to serve until the process ends.
pub fn start(
    endpoint: Endpoint,
    addresses: &[std::net::SocketAddr],
) -> io::Result<oxhttp::ListeningServer> {
    let mut server = oxhttp::Server::new(move |request| endpoint.handle(request))
        .with_global_timeout(Duration::from_secs(600))
        .with_max_concurrent_connections(128);
    server = server
        .with_server_name(concat!("mss-kg/", env!("CARGO_PKG_VERSION")))
        .map_err(io::Error::other)?;
    for address in addresses {
        server = server.bind(*address);
    }
    server.spawn()
}
