"""Validates an N-Triples file against SHACL shapes with pySHACL (RDFS inference, so subclasses
count). Prints the report; exits 0 if the data conforms, 1 if not, 2 on a usage or setup error."""
import sys

try:
    import pyshacl
    import rdflib
except ImportError as error:  # a missing engine must fail the test, not pass it
    print(f"pySHACL is not installed: {error}", file=sys.stderr)
    sys.exit(2)

if len(sys.argv) != 3:
    print("usage: shacl.py DATA.nt SHAPES.ttl", file=sys.stderr)
    sys.exit(2)
data = rdflib.Graph().parse(sys.argv[1], format="nt")
shapes = rdflib.Graph().parse(sys.argv[2], format="turtle")
conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs", advanced=True)
print(text)
sys.exit(0 if conforms else 1)
