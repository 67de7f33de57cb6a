//! Writes, with `serve --writable`: SPARQL 1.1 Update on `/update` and the Graph Store HTTP
//! Protocol on `/store` (`GET`, `HEAD`, `PUT`, `POST`, `DELETE`; `?graph=IRI` or `?default`).
//! Reading a graph stays open to everyone; a write needs the bearer token when one is set, and
//! every write is one transaction: a request that fails changes nothing.

use super::protocol::{HttpError, Params, bad_request, media_type, server_error, text};
use crate::update;
use oxhttp::model::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::Store;
use subtle::ConstantTimeEq;

/// Who may write.
#[derive(Clone, Default)]
pub struct Writes {
    /// Whether `--writable` was given.
    pub enabled: bool,
    /// The bearer token writes must carry, if any.
    pub token: Option<String>,
}

impl Writes {
    /// Refuses a write unless `--writable` and the right token: 403 when not writable or the
    /// token is wrong, 401 (with `WWW-Authenticate`) when it is missing.
    pub fn check(&self, request: &Request<Body>) -> Result<(), HttpError> {
        if !self.enabled {
            return Err((
                StatusCode::FORBIDDEN,
                "this endpoint is read-only: start it with `mss-kg serve --writable` to take writes"
                    .to_owned(),
            ));
        }
        let Some(token) = &self.token else {
            return Ok(());
        };
        let given = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match given {
            None => Err((
                StatusCode::UNAUTHORIZED,
                "writes need a bearer token: send `Authorization: Bearer TOKEN`".to_owned(),
            )),
            // Compared in constant time, so the time taken says nothing of how much matched.
            Some(given) if bool::from(given.as_bytes().ct_eq(token.as_bytes())) => Ok(()),
            Some(_) => Err((StatusCode::FORBIDDEN, "wrong token".to_owned())),
        }
    }
}

/// A 401 asks for the token the way HTTP says.
pub fn challenge(mut response: Response<Body>) -> Response<Body> {
    if response.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            "Bearer realm=\"mss-kg\"".parse().expect("a valid header"),
        );
    }
    response
}

/// Applies a SPARQL Update (from `application/sparql-update`, or a form's `update`), with the
/// protocol's `using-graph-uri` / `using-named-graph-uri`, and answers what it changed.
pub fn apply_update(
    store: &Store,
    update_text: &str,
    mut params: Params,
    base: &str,
) -> Result<Response<Body>, HttpError> {
    let mut parsed = crate::sparql::parse_update_algebra_at(update_text, "update", Some(base))
        .map_err(|e| bad_request(format!("{e:#}")))?;
    let iris = |values: Vec<String>| -> Result<Vec<NamedNode>, HttpError> {
        values
            .into_iter()
            .map(|v| {
                NamedNode::new(&v).map_err(|e| bad_request(format!("invalid graph IRI '{v}': {e}")))
            })
            .collect()
    };
    let default = iris(params.all("using-graph-uri"))?;
    let named = iris(params.all("using-named-graph-uri"))?;
    if !default.is_empty() || !named.is_empty() {
        for op in &mut parsed.operations {
            if let spargebra::GraphUpdateOperation::DeleteInsert { using, .. } = op {
                if using.is_some() {
                    return Err(bad_request(
                        "the update has USING or WITH, and the request gives using-graph-uri too: give one",
                    ));
                }
                *using = Some(spargebra::algebra::QueryDataset {
                    default: default.clone(),
                    named: Some(named.clone()),
                });
            }
        }
    }
    let report = update::apply(store, parsed, None)
        .map_err(|e| bad_request(format!("the update failed, nothing changed: {e:#}")))?;
    crate::store::flush(store).map_err(server_error)?;
    let mut said = crate::update::summary(&report);
    for warning in &report.warnings {
        said.push_str(&format!("\nwarning: {warning}"));
    }
    Ok(text(StatusCode::OK, format!("{said}\n")))
}

/// The graph a Graph Store request names: `?graph=IRI` or `?default` (exactly one).
pub fn target(params: &mut Params) -> Result<Option<GraphName>, HttpError> {
    let default = params.has("default");
    let graphs = params.all("graph");
    match (default, graphs.as_slice()) {
        (true, []) => Ok(Some(GraphName::DefaultGraph)),
        (false, [iri]) => Ok(Some(
            NamedNode::new(iri)
                .map_err(|e| bad_request(format!("invalid graph IRI '{iri}': {e}")))?
                .into(),
        )),
        (false, []) => Ok(None),
        _ => Err(bad_request("give one of ?graph=IRI and ?default")),
    }
}

/// Whether the store holds `graph` (the default graph always exists).
pub fn exists(store: &Store, graph: &GraphName) -> Result<bool, HttpError> {
    match graph {
        GraphName::DefaultGraph => Ok(true),
        GraphName::NamedNode(n) => store.contains_named_graph(n).map_err(server_error),
        GraphName::BlankNode(b) => store.contains_named_graph(b).map_err(server_error),
    }
}

/// `PUT` (replace) or `POST` (add) the body into `graph`, in one transaction: 201 when the graph
/// is new, else 204. The body's format comes from its Content-Type.
pub fn write(
    store: &Store,
    request: &mut Request<Body>,
    graph: GraphName,
    replace: bool,
    max_body: u64,
) -> Result<Response<Body>, HttpError> {
    let content_type = media_type(request, CONTENT_TYPE).unwrap_or_default();
    let raw_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    // The body is read first, so that the connection stays usable whatever is answered.
    let body = super::protocol::read_body(request, max_body)?;
    // A multipart form carries several RDF documents, each with its type (the protocol's POST).
    let documents: Vec<(String, Vec<u8>)> = if content_type == "multipart/form-data" {
        multipart(&raw_type, &body)?
    } else {
        vec![(content_type, body)]
    };
    let created = !exists(store, &graph)?;
    let mut parsers = Vec::new();
    for (content_type, body) in documents {
        let format = RdfFormat::from_media_type(&content_type).ok_or_else(|| {
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                if content_type.is_empty() {
                    "no Content-Type given: send an RDF media type (text/turtle, application/n-triples, ...)".to_owned()
                } else {
                    format!("'{content_type}' is not an RDF format this server reads")
                },
            )
        })?;
        let parser = RdfParser::from_format(format)
            .with_default_graph(graph.clone())
            .rename_blank_nodes();
        parsers.push((format, parser, body));
    }
    if replace && !created {
        // Replacing a graph: emptied and filled in one transaction, so readers never see it empty.
        let mut quads: Vec<Quad> = Vec::new();
        for (format, parser, body) in parsers {
            for quad in checked(format, parser, &body, &graph) {
                quads.push(quad?);
            }
        }
        let mut transaction = store.start_transaction().map_err(server_error)?;
        transaction
            .clear_graph(graph.as_ref())
            .map_err(server_error)?;
        transaction.extend(&quads);
        transaction.commit().map_err(server_error)?;
    } else {
        // Adding (POST, or PUT of a new graph): Oxigraph's bulk loader, committed only when every
        // document parsed, about five times as fast as a transaction for a large body.
        let mut loader = store.bulk_loader();
        for (format, parser, body) in parsers {
            let mut failed: Option<HttpError> = None;
            let quads = checked(format, parser, &body, &graph).map_while(|q| match q {
                Ok(q) => Some(Ok::<Quad, oxigraph::store::StorageError>(q)),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            });
            loader
                .load_ok_quads::<oxigraph::store::StorageError, oxigraph::store::StorageError>(
                    quads,
                )
                .map_err(server_error)?;
            if let Some(error) = failed {
                return Err(error);
            }
        }
        loader.commit().map_err(server_error)?;
        if let GraphName::NamedNode(n) = &graph {
            // An empty PUT still makes the graph exist.
            store.insert_named_graph(n).map_err(server_error)?;
        }
    }
    crate::store::flush(store).map_err(server_error)?;
    let status = if created && !graph.is_default_graph() {
        StatusCode::CREATED
    } else {
        StatusCode::NO_CONTENT
    };
    empty(status)
}

/// Each quad of a body as parsed; one in another graph (a TriG or N-Quads body may name some) is
/// refused.
fn checked<'a>(
    format: RdfFormat,
    parser: RdfParser,
    body: &'a [u8],
    graph: &GraphName,
) -> impl Iterator<Item = Result<Quad, HttpError>> + 'a {
    let graph = graph.clone();
    parser.for_slice(body).map(move |quad| {
        let quad =
            quad.map_err(|e| bad_request(format!("the body is not valid {}: {e}", format.name())))?;
        if quad.graph_name != graph {
            return Err(bad_request(
                "the body names other graphs: the Graph Store Protocol writes one graph",
            ));
        }
        Ok(quad)
    })
}

/// The parts of a `multipart/form-data` body: each one's media type and bytes.
fn multipart(content_type: &str, body: &[u8]) -> Result<Vec<(String, Vec<u8>)>, HttpError> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(|| bad_request("a multipart/form-data body needs its boundary"))?;
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let find =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).position(|w| w == needle);
    let start = find(rest, delimiter.as_bytes())
        .ok_or_else(|| bad_request("no part in the multipart body"))?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        let end = find(rest, delimiter.as_bytes())
            .ok_or_else(|| bad_request("the multipart body does not end with its boundary"))?;
        let part = &rest[..end];
        rest = &rest[end + delimiter.len()..];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let split = find(part, b"\r\n\r\n")
            .ok_or_else(|| bad_request("a multipart part has no headers"))?;
        let headers = String::from_utf8_lossy(&part[..split]);
        let media = headers
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        parts.push((media, part[split + 4..].to_vec()));
    }
    Ok(parts)
}

/// `POST` without a graph: a new graph, named by the server, holds the body (201, Location).
pub fn create(
    store: &Store,
    request: &mut Request<Body>,
    base: &str,
    max_body: u64,
) -> Result<Response<Body>, HttpError> {
    let id = format!(
        "{:016x}",
        crate::hash::fnv64(format!("{:?}", std::time::SystemTime::now()).as_bytes())
    );
    let graph = NamedNode::new(format!("{base}/store/graphs/{id}")).map_err(server_error)?;
    write(store, request, graph.clone().into(), false, max_body)?;
    Response::builder()
        .status(StatusCode::CREATED)
        .header(LOCATION, graph.as_str())
        .body(Body::empty())
        .map_err(server_error)
}

/// `DELETE`: the graph dropped (the default graph emptied); 404 if there is no such graph.
pub fn delete(store: &Store, graph: &GraphName) -> Result<Response<Body>, HttpError> {
    if !exists(store, graph)? {
        return Err((StatusCode::NOT_FOUND, format!("there is no graph {graph}")));
    }
    match graph {
        GraphName::DefaultGraph => store.clear_graph(graph.as_ref()).map_err(server_error)?,
        GraphName::NamedNode(n) => {
            store.remove_named_graph(n).map_err(server_error)?;
        }
        GraphName::BlankNode(b) => {
            store.remove_named_graph(b).map_err(server_error)?;
        }
    }
    crate::store::flush(store).map_err(server_error)?;
    empty(StatusCode::NO_CONTENT)
}

/// The query that reads a graph for `GET`: built as algebra, the IRI a term.
pub fn read_query(graph: &GraphName) -> spargebra::Query {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern, Variable};
    let [s, p, o] = ["s", "p", "o"].map(Variable::new_unchecked);
    let triple = TriplePattern {
        subject: TermPattern::Variable(s),
        predicate: NamedNodePattern::Variable(p),
        object: TermPattern::Variable(o),
    };
    let bgp = GraphPattern::Bgp {
        patterns: vec![triple.clone()],
    };
    let pattern = match graph {
        GraphName::NamedNode(n) => GraphPattern::Graph {
            name: NamedNodePattern::NamedNode(n.clone()),
            inner: Box::new(bgp),
        },
        _ => bgp,
    };
    spargebra::Query::Construct {
        template: vec![triple],
        dataset: None,
        pattern,
        base_iri: None,
    }
}

fn empty(status: StatusCode) -> Result<Response<Body>, HttpError> {
    Response::builder()
        .status(status)
        .body(Body::empty())
        .map_err(server_error)
}
