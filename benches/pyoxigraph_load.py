"""Loads an N-Triples file into a new on-disk pyoxigraph store with its bulk loader."""
import sys

import pyoxigraph

store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)
store.flush()
