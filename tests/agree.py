#!/usr/bin/env python3
"""Other parsers' verdict on mss-kg's exports: rdflib and Raptor's rapper must each read every
export to the graph (or dataset) that was expected.

    agree.py LIST

LIST holds one case a line, `export<TAB>expected[<TAB>original<TAB>base]`: an export in Turtle
(.ttl) or TriG (.trig); the graph it must equal, in N-Triples (.nt) or N-Quads (.nq); and the
file it was exported from, with its base IRI. For each case the export is parsed by rdflib, and
by `rapper` to N-Quads that rdflib then reads; each result is compared with the expected one up
to blank node renaming (rdflib.compare.isomorphic; for a dataset, graph by graph, or as one
graph of reified quads when blank nodes cross graphs). Language tags compare ignoring case, as
RDF says they do.

A parser that misreads the original file itself (rapper drops what follows a NUL character,
and reads no blank-node graph names; rdflib resolves some relative IRIs wrongly) may read the
export either as expected or as it reads the original; if it cannot read the original at all,
it is not asked about the export. Those cases are printed and counted, not hidden.

Prints every disagreement; exits 1 if there is any, 2 if rdflib or rapper is missing.
"""
import shutil
import subprocess
import sys

try:
    import rdflib
    from rdflib.compare import isomorphic
except ImportError:
    print("agree.py: rdflib is missing (pip install rdflib)", file=sys.stderr)
    sys.exit(2)

if shutil.which("rapper") is None:
    print("agree.py: rapper is missing (apt-get install raptor2-utils)", file=sys.stderr)
    sys.exit(2)

# Compare lexical forms as written, not rdflib's normalised values.
rdflib.NORMALIZE_LITERALS = False

FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads"}


def fmt(path):
    for ext, name in FORMATS.items():
        if path.endswith(ext):
            return name
    raise ValueError(f"unknown format: {path}")


def quads(dataset):
    """(s, p, o, graph id or None) for every quad; None is the default graph."""
    default = rdflib.graph.DATASET_DEFAULT_GRAPH_ID
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g) if g is not None else default
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        yield s, p, o, (None if name == default else name)


def parse(data, format, **kwargs):
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=format, **kwargs)
    return set(quads(dataset))


def same(actual, expected):
    """Dataset isomorphism of two sets of quads."""
    if len(actual) != len(expected):
        return False
    blank = rdflib.BNode
    blanks_in = {}
    for s, p, o, g in list(actual) + list(expected):
        for term in (s, o):
            if isinstance(term, blank):
                blanks_in.setdefault(term, set()).add(g)
    crossing = any(len(graphs) > 1 for graphs in blanks_in.values()) or any(
        isinstance(g, blank) for _, _, _, g in list(actual) + list(expected)
    )
    if crossing:
        return isomorphic(reified(actual), reified(expected))
    names = {g for *_, g in actual} | {g for *_, g in expected}
    for name in names:
        a, e = rdflib.Graph(), rdflib.Graph()
        for s, p, o, g in actual:
            if g == name:
                a.add((s, p, o))
        for s, p, o, g in expected:
            if g == name:
                e.add((s, p, o))
        if not isomorphic(a, e):
            return False
    return True


def reified(quad_set):
    ns = rdflib.Namespace("urn:agree:")
    graph = rdflib.Graph()
    for s, p, o, g in quad_set:
        q = rdflib.BNode()
        graph.add((q, ns.s, s))
        graph.add((q, ns.p, p))
        graph.add((q, ns.o, o))
        graph.add((q, ns.g, g if g is not None else ns.default))
    return graph


def rapper(path, base=None):
    out_format = "nquads" if path.endswith(".trig") else "ntriples"
    run = subprocess.run(
        ["rapper", "-q", "-i", fmt(path), "-o", out_format, path] + ([base] if base else []),
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip() or f"exit {run.returncode}")
    return parse(run.stdout, "nquads")


def read_with(parser, path, base=None):
    if parser == "rapper":
        return rapper(path, base)
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), fmt(path), publicID=base)


def main():
    failures = 0
    misread_originals = []
    cases = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
    for case in cases:
        export, expected_path = case[0], case[1]
        original, base = (case[2], case[3]) if len(case) >= 4 else (None, None)
        with open(expected_path, encoding="utf-8") as f:
            expected = parse(f.read(), fmt(expected_path))
        for parser in ("rdflib", "rapper"):
            # What the parser may read: the expected graph, or what it reads in the original.
            targets = [expected]
            if original is not None:
                try:
                    of_original = read_with(parser, original, base)
                except Exception:
                    misread_originals.append(f"{parser} cannot read {original}")
                    continue
                if not same(of_original, expected):
                    misread_originals.append(f"{parser} misreads {original}")
                    targets.append(of_original)
            try:
                actual = read_with(parser, export)
            except Exception as error:  # a parser's refusal is a disagreement too
                print(f"{export}: {parser} cannot read it: {error}")
                failures += 1
                continue
            if not any(same(actual, target) for target in targets):
                print(f"{export}: {parser} reads a different graph than {expected_path}")
                failures += 1
    for note in misread_originals:
        print(f"note: {note} (the original, not the export)")
    print(
        f"{len(cases)} exports, {failures} disagreements, "
        f"{len(misread_originals)} originals a parser misreads"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
