//! The SPARQL 1.1 Service Description of the endpoint: what `GET /sparql` without a query answers,
//! so that clients (YASGUI, Jena, rdflib) can learn what it speaks.

use super::protocol::{HttpError, negotiate, server_error};
use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Body, Response};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, NamedNode, NamedOrBlankNode, Term, Triple};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

/// The description of the endpoint at `base` (`http://host:port`), in the format `accept` asks
/// for (Turtle by default).
pub fn describe(
    base: &str,
    writable: bool,
    accept: Option<&str>,
    graphs: &[NamedOrBlankNode],
) -> Result<Response<Body>, HttpError> {
    let format = negotiate(accept, RdfFormat::from_media_type, RdfFormat::Turtle)?;
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let service = BlankNode::default();
    let mut triples = Vec::new();
    let mut add = |s: NamedOrBlankNode, p: NamedNode, o: Term| triples.push(Triple::new(s, p, o));
    let s: NamedOrBlankNode = service.clone().into();
    add(s.clone(), rdf::TYPE.into(), sd("Service").into());
    add(
        s.clone(),
        sd("endpoint"),
        NamedNode::new_unchecked(format!("{base}/sparql")).into(),
    );
    add(
        s.clone(),
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    if writable {
        add(
            s.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update").into(),
        );
    }
    for feature in ["UnionDefaultGraph", "BasicFederatedQuery"] {
        add(s.clone(), sd("feature"), sd(feature).into());
    }
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "N-Triples",
        "Turtle",
        "RDF_XML",
        "N-Quads",
        "TriG",
        "JSON-LD",
    ] {
        add(
            s.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(format!("{FORMATS}{format}")).into(),
        );
    }
    add(
        s.clone(),
        sd("defaultEntailmentRegime"),
        NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple").into(),
    );
    let dataset: NamedOrBlankNode = BlankNode::default().into();
    add(s, sd("defaultDataset"), dataset.clone().into());
    add(dataset.clone(), rdf::TYPE.into(), sd("Dataset").into());
    let default: NamedOrBlankNode = BlankNode::default().into();
    add(dataset.clone(), sd("defaultGraph"), default.clone().into());
    add(default, rdf::TYPE.into(), sd("Graph").into());
    for graph in graphs {
        let named: NamedOrBlankNode = BlankNode::default().into();
        add(dataset.clone(), sd("namedGraph"), named.clone().into());
        add(named.clone(), rdf::TYPE.into(), sd("NamedGraph").into());
        add(named, sd("name"), graph.clone().into());
    }
    let mut serializer = RdfSerializer::from_format(format)
        .with_prefix("sd", SD)
        .map_err(server_error)?
        .for_writer(Vec::new());
    for triple in &triples {
        serializer.serialize_triple(triple).map_err(server_error)?;
    }
    let body = serializer.finish().map_err(server_error)?;
    Response::builder()
        .header(CONTENT_TYPE, format.media_type())
        .body(body.into())
        .map_err(server_error)
}
