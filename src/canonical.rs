//! Canonical N-Quads: a graph's bytes that do not depend on the order it was read in nor on its
//! blank node labels, so that it can be hashed or signed. Blank nodes are relabelled by the W3C
//! RDF Dataset Canonicalization (RDFC-1.0, SHA-256; `_:c14n0`, `_:c14n1`, ...), each quad is
//! written as an N-Quads line, and the lines are sorted by code point, as RDFC-1.0's canonical
//! form says.

use anyhow::Result;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::{Dataset, Quad};
use sha2::{Digest, Sha256};

/// The canonical N-Quads of `quads` (a set: a quad given twice is written once).
pub fn nquads<E>(quads: impl Iterator<Item = Result<Quad, E>>) -> Result<String>
where
    anyhow::Error: From<E>,
{
    let mut dataset = Dataset::new();
    for quad in quads {
        dataset.insert(&quad?);
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = dataset.iter().map(|q| format!("{q} .\n")).collect();
    lines.sort_unstable();
    Ok(lines.concat())
}

/// `sha256:` and the hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, GraphName, Literal, NamedNode};

    fn quad(s: BlankNode, o: &str) -> Quad {
        Quad::new(
            s,
            NamedNode::new_unchecked("http://e/p"),
            Literal::new_simple_literal(o),
            GraphName::DefaultGraph,
        )
    }

    #[test]
    fn the_same_graph_hashes_the_same_whatever_its_order_and_labels() {
        let a = nquads(
            [
                quad(BlankNode::new_unchecked("x"), "1"),
                quad(BlankNode::new_unchecked("y"), "2"),
            ]
            .into_iter()
            .map(Ok::<_, anyhow::Error>),
        )
        .unwrap();
        let b = nquads(
            [
                quad(BlankNode::new_unchecked("q"), "2"),
                quad(BlankNode::new_unchecked("r"), "1"),
            ]
            .into_iter()
            .map(Ok::<_, anyhow::Error>),
        )
        .unwrap();
        assert_eq!(a, b);
        assert!(a.contains("_:c14n"), "{a}");
        let c = nquads(
            [quad(BlankNode::new_unchecked("x"), "3")]
                .into_iter()
                .map(Ok::<_, anyhow::Error>),
        )
        .unwrap();
        assert_ne!(sha256(a.as_bytes()), sha256(c.as_bytes()));
        // The empty string's SHA-256, a known value.
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
