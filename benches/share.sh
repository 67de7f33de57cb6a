#!/usr/bin/env bash
# Benchmarks sharing the graph (issue #15), side by side in one run with `oxigraph serve`, and
# records the "share" section of benches/RESULTS.md. Run by hand, never in CI:
#   benches/share.sh [TRIPLES] [SECS]
#
# 1. wrk -t2 -c16 -dSECS --latency: a small saved query (mss-commander) through mss-kg's API
#    (/api/mss-commander) against the same query text sent to `oxigraph serve-read-only`, both on
#    the bundled graph; and a 1,000-row SELECT on TRIPLES generated triples on both.
# 2. Loading the TRIPLES generated triples over the Graph Store Protocol (one PUT) into
#    `mss-kg serve --writable` and into `oxigraph serve`, against `oxigraph load` locally.
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
secs="${2:-30}"
source benches/common.sh
bench_setup wrk:wrk curl:curl
bench_data "$triples"

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$1/status"; }
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# The bundled graph in both stores; the generated graph in both.
rm -rf "$work/share-mss" "$work/share-oxi" "$work/share-gen-mss" "$work/share-gen-oxi"
"$mss" --store "$work/share-mss" --quiet stats >/dev/null
"$mss" --memory --quiet export --bundled --output "$work/bundled.trig"
"$oxi" load --location "$work/share-oxi" --file "$work/bundled.trig" 2>/dev/null
g="http://example.org/bench"
"$mss" --store "$work/share-gen-mss" --quiet load --graph "$g" "$data"
"$oxi" load --location "$work/share-gen-oxi" --file "$data" --graph "$g" 2>/dev/null

# The saved query's text with the prefixes it uses declared, for oxigraph.
saved="$(python3 - <<'PY'
import re
from pathlib import Path
prefixes = {"mss": "https://w3id.org/mss-kg/ontology#", "mssr": "https://w3id.org/mss-kg/id/",
            "org": "http://www.w3.org/ns/org#", "prov": "http://www.w3.org/ns/prov#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/"}
text = "\n".join(l for l in Path("queries/mss-commander.rq").read_text().splitlines() if not l.startswith("#+"))
print("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + text)
PY
)"
big="SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 1000"

results="$work/share.tsv"; : > "$results"
measure() { # tool case store-dir url
  local tool="$1" case="$2" dir="$3" path="$4" p pid
  p="$(port)"
  if [[ $tool == mss-kg ]]; then
    "$mss" --store "$dir" serve --bind "127.0.0.1:$p" 2>/dev/null &
  else
    "$oxi" serve-read-only --location "$dir" --bind "127.0.0.1:$p" --union-default-graph 2>/dev/null &
  fi
  pid=$!; pids+=("$pid")
  wait_up "$p"
  local url="http://127.0.0.1:$p$path"
  curl -sf -H 'Accept: text/csv' "$url" > "$work/share-$tool-$case.csv"
  local start_rss; start_rss="$(rss "$pid")"
  echo "== $tool, $case, ${secs}s" >&2
  wrk -t2 -c16 -d"${secs}s" --latency -H 'Accept: text/csv' "$url" > "$work/share-wrk-$tool-$case.txt"
  local end_rss; end_rss="$(rss "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local summary rows
  summary="$(python3 benches/wrk_summary.py "$work/share-wrk-$tool-$case.txt")"
  rows=$(( $(wc -l < "$work/share-$tool-$case.csv") - 1 ))
  echo -e "$tool\t$case\t$summary\t$start_rss\t$end_rss\t$rows" >> "$results"
}
measure mss-kg saved "$work/share-mss" "/api/mss-commander"
measure oxigraph saved "$work/share-oxi" "/query?query=$(urlencode "$saved")"
measure mss-kg rows1000 "$work/share-gen-mss" "/query?query=$(urlencode "$big")"
measure oxigraph rows1000 "$work/share-gen-oxi" "/query?query=$(urlencode "$big")"

# 2. Loads over the Graph Store Protocol.
loads="$work/share-loads.tsv"; : > "$loads"
seconds() { python3 -c 'import time; print(time.time())'; }
gsp_load() { # tool
  local tool="$1" p pid dir="$work/share-load-$1" t0 t1 status
  rm -rf "$dir"; p="$(port)"
  if [[ $tool == mss-kg ]]; then
    "$mss" --store "$dir" serve --writable --max-body 4000000000 --bind "127.0.0.1:$p" 2>/dev/null &
  else
    "$oxi" serve --location "$dir" --bind "127.0.0.1:$p" 2>/dev/null &
  fi
  pid=$!; pids+=("$pid")
  wait_up "$p"
  t0="$(seconds)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/n-triples' \
            --data-binary "@$data" "http://127.0.0.1:$p/store?graph=$(urlencode "$g")")"
  t1="$(seconds)"
  local n; n="$(curl -s -H 'Accept: text/csv' --data-urlencode "query=SELECT (COUNT(*) AS ?n) { GRAPH <$g> { ?s ?p ?o } }" "http://127.0.0.1:$p/query" | tail -n 1 | tr -d '\r')"
  local peak; peak="$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo -e "$tool serve, one GSP PUT ($status)\t$(python3 -c "print(f'{$t1 - $t0:.1f}')")\t$n\t$peak" >> "$loads"
}
echo "== GSP loads" >&2
gsp_load mss-kg
gsp_load oxigraph
rm -rf "$work/share-load-local"
t0="$(seconds)"; "$oxi" load --location "$work/share-load-local" --file "$data" --graph "$g" 2>/dev/null; t1="$(seconds)"
echo -e "oxigraph load (local, no server)\t$(python3 -c "print(f'{$t1 - $t0:.1f}')")\t$triples\t" >> "$loads"

python3 - "$results" "$loads" "$secs" "$triples" "$("$mss" --version)" "$("$oxi" --version)" <<'PY' | python3 benches/put_section.py share
import sys
results, loads, secs, triples, mss, oxi = sys.argv[1:]
rows = {(r[0], r[1]): r for r in (l.split("\t") for l in open(results).read().splitlines())}
print(f"## Sharing the graph (issue #15): the saved-query API and Graph Store loads, side by side with `oxigraph serve`\n")
print(f"`benches/share.sh` in one run: {mss} (release), {oxi} (PyPI wheel), two cores shared by the")
print(f"server and the client. wrk -t2 -c16 -d{secs}s --latency, `Accept: text/csv`, keep-alive. \"saved\": the")
print("`mss-commander` saved query through `/api/mss-commander` on the bundled graph, against the same")
print("text sent to `oxigraph serve-read-only --union-default-graph` on the same graph; \"1,000 rows\":")
print(f"`SELECT ?s ?l {{ ?s rdfs:label ?l }} LIMIT 1000` on {int(triples):,} generated triples on both.\n")
print("| case | tool | rows | req/s | vs oxigraph | p50 (ms) | p99 (ms) | errors | RSS start → end (MiB) |")
print("|---|---|---:|---:|---:|---:|---:|---|---|")
for case, label in (("saved", "saved query"), ("rows1000", "1,000 rows")):
    base = rows[("oxigraph", case)]
    for tool in ("mss-kg", "oxigraph"):
        r = rows[(tool, case)]
        print(f"| {label} | {tool} | {r[9]} | {float(r[2]):,.0f} | {float(r[2]) / float(base[2]):.2f}× | {float(r[3]):.2f} | {float(r[4]):.2f} | {r[6]} of {int(r[5]):,} | {r[7]} → {r[8]} |")
print(f"\nLoading the {int(triples):,} triples (N-Triples, one `PUT /store?graph=...`) into a fresh store:\n")
print("| loader | seconds | triples/s | triples in the graph | server's peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|")
for name, s, n, peak in (l.split("\t") for l in open(loads).read().splitlines()):
    print(f"| {name} | {s} | {int(triples) / float(s):,.0f} | {n} | {peak or '–'} |")
PY
echo "recorded in benches/RESULTS.md" >&2
