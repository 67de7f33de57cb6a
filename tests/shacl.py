"""Validates an N-Triples file against SHACL shapes with pySHACL, as the SHACL standard has it (no
inference: targets follow rdf:type/rdfs:subClassOf* in the data, which holds the ontology).
Prints the report, or with --results one line per result, `focus TAB path TAB component`, sorted
(IRIs in full; a path that is not a predicate, or none, is `-`). Exits 0 if the data conforms, 1
if not, 2 on a usage or setup error."""
import sys

try:
    import pyshacl
    import rdflib
    from rdflib.namespace import SH
except ImportError as error:  # a missing engine must fail the test, not pass it
    print(f"pySHACL is not installed: {error}", file=sys.stderr)
    sys.exit(2)

args = sys.argv[1:]
results_only = "--results" in args
args = [a for a in args if a != "--results"]
if len(args) != 2:
    print("usage: shacl.py [--results] DATA.nt SHAPES.ttl", file=sys.stderr)
    sys.exit(2)
data = rdflib.Graph().parse(args[0], format="nt")
shapes = rdflib.Graph().parse(args[1], format="turtle")
conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
if results_only:
    lines = set()
    # The report's own results, not those nested in them as sh:detail (of an sh:node, say).
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        path = str(path) if isinstance(path, rdflib.URIRef) else "-"
        lines.add(f"{focus}\t{path}\t{component}")
    print("\n".join(sorted(lines)))
else:
    print(text)
sys.exit(0 if conforms else 1)
