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
pub mod api;
pub mod pages;
pub mod protocol;
pub mod service;
pub mod store;

use crate::sparql::Dataset;
use answer::{First, Job, Slots};
use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::store::Store;
use protocol::{HttpError, Params, bad_request, media_type, read_body, text};
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

/// How the endpoint serves.
#[derive(Clone)]
pub struct Options {
    /// Queries still running after this are cancelled.
    pub timeout: Option<Duration>,
    /// At most this many queries at once.
    pub max_queries: usize,
    /// The most a request body may hold.
    pub max_body: u64,
    /// Whether writes are taken, and with which token.
    pub writes: store::Writes,
    /// The origin allowed to call from a browser page of another site (`*` for any).
    pub cors: Option<String>,
    /// The user's folder of saved queries (`--queries`), beside the bundled ones.
    pub queries: Option<std::path::PathBuf>,
    /// The prefixes the loaded files declared, for parameters written with them.
    pub prefixes: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            timeout: Some(Duration::from_secs(60)),
            max_queries: 32,
            max_body: protocol::MAX_BODY,
            writes: store::Writes::default(),
            cors: None,
            queries: None,
            prefixes: Vec::new(),
        }
    }
}

/// What the endpoint serves and how.
#[derive(Clone)]
pub struct Endpoint {
    pub store: Store,
    /// Queries still running after this are cancelled.
    pub timeout: Option<Duration>,
    options: Arc<Options>,
    slots: Arc<Slots>,
}

impl Endpoint {
    /// Serves `store` as `options` say.
    pub fn new(store: Store, options: Options) -> Self {
        Self {
            store,
            timeout: options.timeout,
            slots: Slots::new(options.max_queries),
            options: Arc::new(options),
        }
    }

    /// Answers one request; errors become a plain-text response with their status, and nothing
    /// a request does (a panic included) stops the server.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| self.route(request)))
            .unwrap_or_else(|_| Err(protocol::server_error("the request failed: internal error")));
        let response =
            answer.unwrap_or_else(|(status, message)| text(status, format!("{message}\n")));
        self.cors(request, store::challenge(response))
    }

    /// Adds CORS headers when `--cors` allows the request's origin.
    fn cors(&self, request: &Request<Body>, mut response: Response<Body>) -> Response<Body> {
        let Some(allowed) = &self.options.cors else {
            return response;
        };
        let origin = request
            .headers()
            .get(oxhttp::model::header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let Some(origin) = origin.filter(|o| allowed == "*" || o == allowed) else {
            return response;
        };
        let headers = response.headers_mut();
        let value = |v: &str| v.parse().expect("a valid header value");
        headers.insert(
            oxhttp::model::header::ACCESS_CONTROL_ALLOW_ORIGIN,
            value(if allowed == "*" { "*" } else { origin }),
        );
        // (oxhttp drops Access-Control-Allow-Methods as if it were a request header: browsers
        // then allow GET, HEAD and POST, the protocol's methods, and not PUT or DELETE.)
        headers.insert(
            oxhttp::model::header::ACCESS_CONTROL_ALLOW_HEADERS,
            value("Accept, Authorization, Content-Type"),
        );
        headers.insert(oxhttp::model::header::VARY, value("Origin"));
        response
    }

    /// The URL of the request, without its query: the base of relative IRIs in a query or an
    /// update (SPARQL 1.1 Protocol).
    fn url(request: &Request<Body>) -> String {
        format!("{}{}", Self::base(request), request.uri().path())
    }

    /// `http://host:port` as the client reached us.
    fn base(request: &Request<Body>) -> String {
        let host = request
            .headers()
            .get(oxhttp::model::header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request.uri().authority().map(ToString::to_string))
            .unwrap_or_else(|| "localhost".to_owned());
        format!("http://{host}")
    }

    fn route(&self, request: &mut Request<Body>) -> Result<Response<Body>, HttpError> {
        let path = request.uri().path().to_owned();
        if request.method() == Method::OPTIONS {
            return Response::builder()
                .status(StatusCode::NO_CONTENT)
                .body(Body::empty())
                .map_err(protocol::server_error);
        }
        match (path.as_str(), request.method().clone()) {
            ("/", Method::GET | Method::HEAD) => {
                pages::html_response(StatusCode::OK, pages::home())
            }
            (p, Method::GET | Method::HEAD) if p.starts_with("/assets/") => {
                pages::asset(p).ok_or_else(|| (StatusCode::NOT_FOUND, format!("nothing at '{p}'")))
            }
            ("/queries" | "/queries/", Method::GET | Method::HEAD) => {
                self.page(|| pages::saved_list(self.options.queries.as_deref()))
            }
            (p, Method::GET | Method::HEAD) if p.starts_with("/queries/") => {
                let name = percent_decode(&p["/queries/".len()..]);
                let params = url_params(request);
                self.page_with_slot(|| {
                    pages::saved_query(
                        &self.store,
                        self.options.queries.as_deref(),
                        &name,
                        params,
                        self.timeout,
                    )
                })
            }
            ("/timeline", Method::GET | Method::HEAD) => {
                let params = url_params(request);
                self.page_with_slot(|| pages::timeline(&self.store, params, self.timeout))
            }
            (p, Method::GET | Method::HEAD) if p == "/entity" || p.starts_with("/entity/") => {
                let rest = percent_decode(p.trim_start_matches("/entity").trim_start_matches('/'));
                let mut params = url_params(request);
                let Some(iri) = pages::entity_iri(&rest, &mut params) else {
                    return Ok(pages::error_page(
                        StatusCode::BAD_REQUEST,
                        "give ?iri=IRI (or search by name)",
                    ));
                };
                self.page_with_slot(|| pages::entity(&self.store, &iri))
            }
            ("/search", Method::GET | Method::HEAD) => {
                let mut params = url_params(request);
                let q = params.all("q").into_iter().next().unwrap_or_default();
                if q.trim().is_empty() {
                    return Ok(pages::error_page(
                        StatusCode::BAD_REQUEST,
                        "type a name to search for",
                    ));
                }
                let Some(_slot) = self.slots.try_take() else {
                    return Ok(pages::error_page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "too many queries are running: try again in a moment",
                    ));
                };
                Ok(pages::search(&self.store, &q)
                    .unwrap_or_else(|(status, message)| pages::error_page(status, &message)))
            }
            ("/query" | "/sparql", Method::GET) => {
                let mut params = url_params(request);
                if !params.has("query") {
                    if params.pairs.is_empty() {
                        return self.service_description(request);
                    }
                    return Err(bad_request(
                        "no query given: send ?query=... (SPARQL 1.1 Protocol)",
                    ));
                }
                let query = params.one("query")?;
                let format = params.all("format").into_iter().next();
                if format.as_deref() == Some("html")
                    || (format.is_none() && pages::wants_html(accept_of(request)?.as_deref()))
                {
                    return self.page_with_slot(|| {
                        pages::query_results(&self.store, &query, self.timeout)
                    });
                }
                if let Some(format) = format {
                    let media = api::SUFFIXES
                        .iter()
                        .find(|(e, _)| *e == format)
                        .map(|(_, m)| *m)
                        .ok_or_else(|| bad_request(format!("unknown format '{format}' (json, xml, csv, tsv, ttl, nt, jsonld, html)")))?;
                    return self.query_as(
                        Some(media.to_owned()),
                        query,
                        params,
                        &Self::url(request),
                    );
                }
                self.query(request, query, params)
            }
            ("/query" | "/sparql", Method::POST) => self.post(request, false),
            ("/update", Method::POST) => {
                // Checked before the body is read: a refused writer sends nothing in vain.
                self.options.writes.check(request)?;
                self.post(request, true)
            }
            ("/update", _) => {
                self.options.writes.check(request)?;
                Err((
                    StatusCode::METHOD_NOT_ALLOWED,
                    "updates are POSTed (SPARQL 1.1 Protocol)".to_owned(),
                ))
            }
            ("/store", method) => self.graph_store(request, method),
            ("/api" | "/api/", Method::GET | Method::HEAD) => {
                api::list(self.options.queries.as_deref())
            }
            ("/api/openapi.json", Method::GET | Method::HEAD) => {
                api::openapi(self.options.queries.as_deref(), &Self::base(request))
            }
            (p, Method::GET | Method::HEAD) if p.starts_with("/api/") => {
                let name = percent_decode(&p["/api/".len()..]);
                let (name, media) = api::split_suffix(&name);
                let params = url_params(request);
                let (_, query) = api::bind(
                    self.options.queries.as_deref(),
                    name,
                    params,
                    &self.store,
                    &self.options.prefixes,
                )?;
                let accept = match media {
                    Some(media) => Some(media.to_owned()),
                    None => accept_of(request)?,
                };
                self.answer(accept, query, Dataset::Union, RdfFormat::Turtle)
            }
            ("/" | "/query" | "/sparql", _) => Err((
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {} is not allowed here", request.method()),
            )),
            _ => Err((StatusCode::NOT_FOUND, format!("nothing at '{path}'"))),
        }
    }

    /// A POST of the SPARQL 1.1 Protocol: a query or an update, in the body or in a form, with
    /// its dataset in the URL. `/update` (`updates_only`) takes updates only.
    fn post(
        &self,
        request: &mut Request<Body>,
        updates_only: bool,
    ) -> Result<Response<Body>, HttpError> {
        protocol::utf8_only(request)?;
        let content_type = media_type(request, CONTENT_TYPE).unwrap_or_default();
        let url_params = url_params(request);
        let body = read_body(request, self.options.max_body)?;
        let utf8 = |body: Vec<u8>, what: &str| {
            String::from_utf8(body).map_err(|_| bad_request(format!("the {what} is not UTF-8")))
        };
        match content_type.as_str() {
            "application/sparql-update" => self.update(request, utf8(body, "update")?, url_params),
            "application/sparql-query" if !updates_only => {
                if url_params.has("query") {
                    return Err(bad_request("the query is both in the URL and the body"));
                }
                self.query(request, utf8(body, "query")?, url_params)
            }
            "application/x-www-form-urlencoded" => {
                let mut params = Params::parse(&body);
                params.pairs.extend(url_params.pairs);
                if updates_only || (params.has("update") && !params.has("query")) {
                    let update = params.one("update")?;
                    return self.update(request, update, params);
                }
                let query = params.one("query")?;
                self.query(request, query, params)
            }
            "" => Err(bad_request("no Content-Type given")),
            other => Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported Content-Type '{other}' (send {} or a form)",
                    if updates_only {
                        "application/sparql-update"
                    } else {
                        "application/sparql-query"
                    }
                ),
            )),
        }
    }

    /// An update, once the writer is checked; its dataset may come from the request.
    fn update(
        &self,
        request: &Request<Body>,
        text: String,
        params: Params,
    ) -> Result<Response<Body>, HttpError> {
        self.options.writes.check(request)?;
        store::apply_update(&self.store, &text, params, &Self::url(request))
    }

    fn service_description(&self, request: &Request<Body>) -> Result<Response<Body>, HttpError> {
        let graphs = self
            .store
            .named_graphs()
            .collect::<Result<Vec<_>, _>>()
            .map_err(protocol::server_error)?;
        let accept = request
            .headers()
            .get(oxhttp::model::header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        service::describe(
            &Self::base(request),
            self.options.writes.enabled,
            accept,
            &graphs,
        )
    }

    /// The Graph Store HTTP Protocol on `/store`.
    fn graph_store(
        &self,
        request: &mut Request<Body>,
        method: Method,
    ) -> Result<Response<Body>, HttpError> {
        let mut params = url_params(request);
        let graph = store::target(&mut params)?;
        match (method, graph) {
            (Method::GET | Method::HEAD, Some(graph)) => {
                if !store::exists(&self.store, &graph)? {
                    return Err((StatusCode::NOT_FOUND, format!("there is no graph {graph}")));
                }
                // The store's own default graph for `?default`; `GRAPH <g>` names the graph.
                let dataset = Dataset::Store;
                let head = request.method() == Method::HEAD;
                let response = self.answer(
                    accept_of(request)?,
                    store::read_query(&graph),
                    dataset,
                    RdfFormat::Turtle,
                )?;
                if head {
                    let (parts, _) = response.into_parts();
                    return Ok(Response::from_parts(parts, Body::empty()));
                }
                Ok(response)
            }
            (Method::GET | Method::HEAD, None) => Err(bad_request(
                "give ?graph=IRI or ?default (Graph Store HTTP Protocol)",
            )),
            (Method::PUT | Method::POST, Some(graph)) => {
                self.options.writes.check(request)?;
                let replace = request.method() == Method::PUT;
                store::write(&self.store, request, graph, replace, self.options.max_body)
            }
            (Method::POST, None) => {
                self.options.writes.check(request)?;
                store::create(
                    &self.store,
                    request,
                    &Self::base(request),
                    self.options.max_body,
                )
            }
            (Method::DELETE, Some(graph)) => {
                self.options.writes.check(request)?;
                store::delete(&self.store, &graph)
            }
            (Method::PUT | Method::DELETE, None) => {
                self.options.writes.check(request)?;
                Err(bad_request(
                    "give ?graph=IRI or ?default (Graph Store HTTP Protocol)",
                ))
            }
            (method, _) => Err((
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {method} is not allowed on /store"),
            )),
        }
    }

    /// A page that runs no query.
    fn page(
        &self,
        build: impl FnOnce() -> Result<maud::Markup, HttpError>,
    ) -> Result<Response<Body>, HttpError> {
        Ok(match build() {
            Ok(markup) => pages::html_response(StatusCode::OK, markup)?,
            Err((status, message)) => pages::error_page(status, &message),
        })
    }

    /// A page that runs queries: it takes a place among the queries in flight.
    fn page_with_slot(
        &self,
        build: impl FnOnce() -> Result<maud::Markup, HttpError>,
    ) -> Result<Response<Body>, HttpError> {
        let Some(_slot) = self.slots.try_take() else {
            return Ok(pages::error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many queries are running: try again in a moment",
            ));
        };
        self.page(build)
    }

    fn query(
        &self,
        request: &Request<Body>,
        text: String,
        params: Params,
    ) -> Result<Response<Body>, HttpError> {
        self.query_as(accept_of(request)?, text, params, &Self::url(request))
    }

    fn query_as(
        &self,
        accept: Option<String>,
        text: String,
        mut params: Params,
        base: &str,
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
        let query = crate::sparql::parse_algebra_at(&text, "query", Some(base))
            .map_err(|e| bad_request(format!("{e:#}")))?;
        self.answer(accept, query, dataset, RdfFormat::NTriples)
    }

    /// Evaluates a parsed query and answers with its results, negotiated by `Accept` (graphs in
    /// `graph_default` when the client takes anything).
    pub fn answer(
        &self,
        accept: Option<String>,
        query: spargebra::Query,
        dataset: Dataset,
        graph_default: RdfFormat,
    ) -> Result<Response<Body>, HttpError> {
        let Some(slot) = self.slots.try_take() else {
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "too many queries are running: try again in a moment".to_owned(),
            ));
        };
        let job = Job {
            store: self.store.clone(),
            query,
            dataset,
            accept,
            timeout: self.timeout,
            graph_default,
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

/// The parameters of the request's URL.
fn url_params(request: &Request<Body>) -> Params {
    Params::parse(request.uri().query().unwrap_or("").as_bytes())
}

/// The request's `Accept` header.
fn accept_of(request: &Request<Body>) -> Result<Option<String>, HttpError> {
    match request.headers().get(oxhttp::model::header::ACCEPT) {
        Some(value) => Ok(Some(
            value
                .to_str()
                .map_err(|_| bad_request("the Accept header is not ASCII"))?
                .to_owned(),
        )),
        None => Ok(None),
    }
}

/// A URL path segment, percent-decoded.
fn percent_decode(path: &str) -> String {
    let bytes: Vec<u8> =
        form_urlencoded::parse(format!("x={}", path.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
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
