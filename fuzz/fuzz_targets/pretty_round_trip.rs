//! Any TriG that parses, written by the pretty writer as TriG and as Turtle, parses back to the
//! same dataset (the same graph, for Turtle), canonically: blank nodes matched by RDFC-1.0.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::pretty::{Doc, write};
use mss_kg::prefixes::PrefixMap;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad};

fn canonical(quads: impl Iterator<Item = Quad>) -> String {
    mss_kg::canonical::nquads(quads.map(Ok::<_, anyhow::Error>)).expect("canonical")
}

fuzz_target!(|data: &[u8]| {
    let Ok(quads) = RdfParser::from_format(RdfFormat::TriG)
        .with_base_iri("http://example.com/base/")
        .expect("a base")
        .for_slice(data)
        .collect::<Result<Vec<Quad>, _>>()
    else {
        return;
    };
    let mut prefixes = PrefixMap::common();
    prefixes.add("ex", "http://example.com/");
    for format in [RdfFormat::TriG, RdfFormat::Turtle] {
        let merge = !format.supports_datasets();
        let mut doc = Doc::new(merge);
        for quad in &quads {
            doc.insert(quad.clone());
        }
        let mut out = Vec::new();
        write(doc, format, &prefixes, &mut out, &indicatif::ProgressBar::hidden())
            .expect("the writer writes what was parsed");
        let back: Vec<Quad> = RdfParser::from_format(format)
            .for_slice(&out)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{format} it wrote does not parse ({e}):\n{}", String::from_utf8_lossy(&out)));
        let expected = quads.iter().cloned().map(|mut q| {
            if merge {
                q.graph_name = GraphName::DefaultGraph;
            }
            q
        });
        assert_eq!(
            canonical(back.into_iter()),
            canonical(expected),
            "{format} round trip changed the data:\n{}",
            String::from_utf8_lossy(&out)
        );
    }
});
