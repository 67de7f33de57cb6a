"""Runs the W3C SPARQL 1.1 Protocol and Graph Store HTTP Protocol tests against a live
`mss-kg serve --writable` (run by tests/serve.rs):

    python3 tests/w3c_protocol.py BASE_URL

Each test of tests/fixtures/w3c/sparql11/protocol/manifest.ttl and
graph-store-protocol/manifest-indirect.ttl is a list of HTTP requests with the expected status,
result format, boolean, Location and (for graphs) content, isomorphic. The store is emptied before
each test and its `ut:graphData` loaded. Paths `/sparql/` and `/gsp` map to mss-kg's `/sparql` and
`/store`. Tests that do not apply are listed with why. Prints a line per test; exits 1 if any fails.
"""
import http.client
import json
import pathlib
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

base = urllib.parse.urlsplit(sys.argv[1])
HOST = base.netloc
FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "w3c" / "sparql11"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# Tests that do not apply to mss-kg, and why (besides those needing direct graph identification).
NOT_APPLICABLE = {}


def request(method, path, headers, body):
    connection = http.client.HTTPConnection(HOST, timeout=60)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def clear():
    status, _, data = request("POST", "/update", {"Content-Type": "application/sparql-update"}, b"DROP ALL")
    assert status == 200, (status, data)


def load(graph_file, name, folder):
    body = (folder / graph_file).read_bytes()
    target = "/store?graph=" + urllib.parse.quote(name, safe="")
    status, _, data = request("PUT", target, {"Content-Type": "application/n-triples"}, body)
    assert status in (201, 204), (status, data)


def status_ok(expected, status):
    for e in expected:
        name = str(e).rsplit("#", 1)[-1]
        if name.startswith("StatusCode") and name.endswith("xx"):
            if str(status)[0] == name[len("StatusCode")]:
                return True
        else:
            codes = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404,
                     "BadRequest": 400, "UnsupportedMediaType": 415}
            if codes.get(name) == status:
                return True
    return not expected


def boolean_of(content_type, data):
    if "json" in content_type:
        return json.loads(data)["boolean"]
    root = ET.fromstring(data)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    return element.text.strip() == "true"


def format_of(content_type):
    if any(t in content_type for t in ("sparql-results", "text/csv", "tab-separated")):
        return "tabular"
    if any(t in content_type for t in ("turtle", "n-triples", "rdf+xml", "ld+json", "n-quads", "trig")):
        return "RDF"
    return "?"


def run_manifest(path, rewrite):
    manifest = rdflib.Graph().parse(path, format="turtle")
    folder = path.parent
    entries = list(rdflib.collection.Collection(manifest, manifest.value(rdflib.URIRef(path.as_uri()), MF.entries)))
    failures = []
    for test in entries:
        name = str(test).rsplit("#", 1)[-1]
        if name in NOT_APPLICABLE:
            print(f"skip {name}: {NOT_APPLICABLE[name]}")
            continue
        requires = [str(r).rsplit("#", 1)[-1] for r in manifest.objects(test, MF.requires)]
        if "DirectGraphIdentification" in requires:
            print(f"skip {name}: direct graph identification (mss-kg names graphs with ?graph=)")
            continue
        clear()
        for data in manifest.objects(test, UT.graphData):
            load(str(manifest.value(data, UT.graph)).rsplit("/", 1)[-1], str(manifest.value(data, rdflib.RDFS.label)), folder)
        action = manifest.value(test, MF.action)
        steps = list(rdflib.collection.Collection(manifest, manifest.value(action, HT.requests)))
        location = {}
        problem = None
        for step in steps:
            method = str(manifest.value(step, HT.methodName))
            target = rewrite(str(manifest.value(step, HT.absolutePath)))
            headers = {}
            header_list = manifest.value(step, HT.headers)
            if header_list is not None:
                for h in rdflib.collection.Collection(manifest, header_list):
                    headers[str(manifest.value(h, HT.fieldName))] = str(manifest.value(h, HT.fieldValue))
            body = None
            body_node = manifest.value(step, HT.body)
            if body_node is not None:
                chars = manifest.value(body_node, CNT.chars)
                if chars is not None:
                    text = str(chars)
                    for template, value in location.items():
                        text = text.replace(template, value)
                    encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
                    body = text.encode(encoding)
                bytes_node = manifest.value(body_node, CNT.bytes)
                if bytes_node is not None:
                    import base64
                    body = base64.b64decode(str(bytes_node))
            for template, value in location.items():
                target = target.replace(template, urllib.parse.quote(value, safe="") if "?graph=" in target else value)
            status, got_headers, data = request(method, target, headers, body)
            response = manifest.value(step, HT.resp)
            expected = list(manifest.objects(response, MF.expectedStatus))
            if not status_ok(expected, status):
                problem = f"{method} {target}: status {status}, expected {[str(e).rsplit('#', 1)[-1] for e in expected]}: {data[:200]!r}"
                break
            content_type = got_headers.get("content-type", "")
            fmt = manifest.value(response, MF.expectedFormat)
            if fmt is not None and format_of(content_type) != str(fmt) and str(fmt) != "boolean":
                problem = f"{method} {target}: format {content_type}, expected {fmt}"
                break
            boolean = manifest.value(response, MF.expectedBoolean)
            if boolean is not None and boolean_of(content_type, data) != boolean.toPython():
                problem = f"{method} {target}: boolean {data[:200]!r}, expected {boolean}"
                break
            template = manifest.value(response, MF.expectedLocation)
            if template is not None:
                if "location" not in got_headers:
                    problem = f"{method} {target}: no Location"
                    break
                location[str(template)] = got_headers["location"]
            expected_body = manifest.value(response, HT.body)
            if expected_body is not None and method in ("GET",):
                chars = str(manifest.value(expected_body, CNT.chars))
                for t, value in location.items():
                    chars = chars.replace(t, value)
                rheaders = manifest.value(response, HT.headers)
                expected_type = "text/turtle"
                if rheaders is not None:
                    for h in rdflib.collection.Collection(manifest, rheaders):
                        if str(manifest.value(h, HT.fieldName)).lower() == "content-type":
                            expected_type = str(manifest.value(h, HT.fieldValue)).split(";")[0]
                want = rdflib.Graph().parse(data=chars, format=expected_type)
                got = rdflib.Graph().parse(data=data, format=content_type.split(";")[0] or "turtle")
                if not isomorphic(want, got):
                    problem = f"GET {target}: graph differs: {data[:300]!r}"
                    break
        if problem:
            print(f"FAIL {name}: {problem}")
            failures.append(name)
        else:
            print(f"pass {name}")
    return len(entries), failures


protocol = run_manifest(FIXTURES / "protocol" / "manifest.ttl",
                        lambda p: p.replace("/sparql/", "/sparql", 1))
gsp = run_manifest(FIXTURES / "graph-store-protocol" / "manifest-indirect.ttl",
                   lambda p: p.replace("/gsp", "/store", 1).replace("www.example", HOST))
# The direct-identification tests name a graph by the request URL itself (/gsp/person/1.ttl).
direct = rdflib.Graph().parse(FIXTURES / "graph-store-protocol" / "manifest-direct.ttl", format="turtle")
for test in direct.subjects(RDF.type, MF.GraphStoreProtocolTest):
    print(f"skip {str(test).rsplit('#', 1)[-1]}: direct graph identification (mss-kg names graphs with ?graph=)")
failed = protocol[1] + gsp[1]
print(f"protocol: {protocol[0]} tests, graph store (indirect): {gsp[0]} tests, {len(failed)} failed")
sys.exit(1 if failed else 0)
