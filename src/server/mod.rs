//! A read-only SPARQL 1.1 Protocol endpoint over a store, on Oxigraph's own HTTP server (oxhttp).
//!
//! `GET /query?query=...`, `POST /query` with `application/sparql-query` or a form, the same at
//! `/sparql`; `default-graph-uri` and `named-graph-uri` as the protocol says, else the union of all
//! graphs (as a set) as the default graph, as `mss-kg query` has it. Results are chosen by the
//! `Accept` header (JSON by default for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE) and
//! stream, in batches ([`answer`]).
//!
//! What one request can take is bounded: connections (`--max-connections`, each a thread of
//! oxhttp's, on which its queries run), queries in flight (`--max-queries`; more answer 503 with
//! `Retry-After`), the request body ([`protocol::MAX_BODY`]), the structure of a query
//! ([`crate::sparql::limits`]), and its time (`--timeout`, one watchdog thread for all queries).

pub mod answer;
pub mod protocol;

use crate::sparql::Dataset;
use answer::{First, Job, Slots};
use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::NamedNode;
use oxigraph::store::Store;
use protocol::{HttpError, Params, bad_request, media_type, read_body, text};
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

/// What the endpoint serves and how.
#[derive(Clone)]
pub struct Endpoint {
    pub store: Store,
    /// Queries still running after this are cancelled.
    pub timeout: Option<Duration>,
    slots: Arc<Slots>,
}

impl Endpoint {
    /// Serves `store`, cancelling queries after `timeout` and running at most `max_queries` at
    /// once.
    pub fn new(store: Store, timeout: Option<Duration>, max_queries: usize) -> Self {
        Self {
            store,
            timeout,
            slots: Slots::new(max_queries),
        }
    }

    /// Answers one request; errors become a plain-text response with their status, and nothing
    /// a request does (a panic included) stops the server.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| self.route(request)))
            .unwrap_or_else(|_| Err(protocol::server_error("the request failed: internal error")));
        answer.unwrap_or_else(|(status, message)| text(status, format!("{message}\n")))
    }

    fn route(&self, request: &mut Request<Body>) -> Result<Response<Body>, HttpError> {
        let path = request.uri().path().to_owned();
        match (path.as_str(), request.method().clone()) {
            ("/", Method::GET | Method::HEAD) => Ok(text(
                StatusCode::OK,
                concat!(
                    "mss-kg ",
                    env!("CARGO_PKG_VERSION"),
                    ": a read-only SPARQL endpoint over the MSS knowledge graph.\n",
                    "Send queries to /query (GET ?query=... or POST application/sparql-query).\n"
                )
                .to_owned(),
            )),
            ("/query" | "/sparql", Method::GET) => {
                let mut params = Params::parse(request.uri().query().unwrap_or("").as_bytes());
                if !params.has("query") {
                    return Err(bad_request(
                        "no query given: send ?query=... (SPARQL 1.1 Protocol)",
                    ));
                }
                let query = params.one("query")?;
                self.query(request, query, params)
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
                        self.query(request, query, url_params)
                    }
                    "application/x-www-form-urlencoded" => {
                        let mut params = Params::parse(&body);
                        params.pairs.extend(url_params.pairs);
                        let query = params.one("query")?;
                        self.query(request, query, params)
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
        text: String,
        mut params: Params,
    ) -> Result<Response<Body>, HttpError> {
        let graphs = |iris: Vec<String>| {
            iris.into_iter()
                .map(|iri| {
                    NamedNode::new(&iri)
                        .map_err(|e| bad_request(format!("invalid graph IRI '{iri}': {e}")))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let default = graphs(params.all("default-graph-uri"))?;
        let named = graphs(params.all("named-graph-uri"))?;
        let dataset = if default.is_empty() && named.is_empty() {
            Dataset::Union
        } else {
            Dataset::Given { default, named }
        };
        let accept = match request.headers().get(oxhttp::model::header::ACCEPT) {
            Some(value) => Some(
                value
                    .to_str()
                    .map_err(|_| bad_request("the Accept header is not ASCII"))?
                    .to_owned(),
            ),
            None => None,
        };
        let Some(slot) = self.slots.try_take() else {
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "too many queries are running: try again in a moment".to_owned(),
            ));
        };
        let job = Job {
            store: self.store.clone(),
            text,
            dataset,
            accept,
            timeout: self.timeout,
        };
        let response = Response::builder();
        match answer::start(job, slot) {
            First::Error(error) => Err(error),
            First::Whole { media_type, body } => response
                .header(CONTENT_TYPE, media_type)
                .body(body.into())
                .map_err(protocol::server_error),
            First::Streaming { media_type, body } => response
                .header(CONTENT_TYPE, media_type)
                .body(Body::from_read(body))
                .map_err(protocol::server_error),
        }
    }
}

/// Starts serving `endpoint` on `addresses` with at most `max_connections` open at once; `join`
/// the result to serve until the process ends.
pub fn start(
    endpoint: Endpoint,
    addresses: &[std::net::SocketAddr],
    max_connections: usize,
) -> io::Result<oxhttp::ListeningServer> {
    // A connection idle (or a client not reading) this long is closed, so that idle clients cannot
    // hold every connection for long.
    let idle = endpoint
        .timeout
        .unwrap_or(Duration::ZERO)
        .max(Duration::from_secs(60));
    let mut server = oxhttp::Server::new(move |request| endpoint.handle(request))
        .with_global_timeout(idle)
        .with_max_concurrent_connections(max_connections);
    server = server
        .with_server_name(concat!("mss-kg/", env!("CARGO_PKG_VERSION")))
        .map_err(io::Error::other)?;
    for address in addresses {
        server = server.bind(*address);
    }
    server.spawn()
}
