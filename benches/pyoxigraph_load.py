"""Loads an N-Triples file into a new on-disk pyoxigraph store with its bulk loader, into the
default graph or, given a third argument, into that named graph."""
import sys

import pyoxigraph

store = pyoxigraph.Store(sys.argv[2])
graph = pyoxigraph.NamedNode(sys.argv[3]) if len(sys.argv) > 3 else None
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
store.flush()
