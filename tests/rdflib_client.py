"""rdflib's SPARQLStore and SPARQLUpdateStore (PyPI) against a live `mss-kg serve --writable`
(run by tests/serve.rs): the client most Python notebooks use.

    python3 tests/rdflib_client.py BASE_URL
"""
import sys

import rdflib
from rdflib import Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

base = sys.argv[1].rstrip("/")


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        sys.exit(1)


# Reading: a query over the bundled graph, as a notebook would.
reader = rdflib.Graph(SPARQLStore(query_endpoint=base + "/sparql", returnFormat="json"))
rows = list(reader.query("""
    PREFIX schema: <http://schema.org/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?name WHERE { <https://w3id.org/mss-kg/id/godfrey-otunge> rdfs:label ?name }"""))
check("SPARQLStore reads the bundled graph", [str(r[0]) for r in rows] == ["Godfrey Otunge"], rows)
asked = reader.query("ASK { ?s a <http://schema.org/Country> }").askAnswer
check("an ASK answers", asked is True, asked)

# Writing: a graph of its own, added to, read back, removed from.
store = SPARQLUpdateStore(query_endpoint=base + "/sparql", update_endpoint=base + "/update",
                          returnFormat="json")
g = rdflib.Graph(store, identifier=URIRef("urn:x:rdflib"))
a, p = URIRef("urn:x:a"), URIRef("urn:x:p")
g.add((a, p, Literal("one")))
g.add((a, p, Literal("two", lang="en")))
check("SPARQLUpdateStore adds triples", len(g) == 2, len(g))
check("and finds one", (a, p, Literal("two", lang="en")) in g)
g.remove((a, p, Literal("one")))
check("and removes one", sorted(str(o) for o in g.objects(a, p)) == ["two"], list(g.objects(a, p)))
print("all rdflib checks passed")
