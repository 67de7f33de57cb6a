#!/usr/bin/env bash
# Benchmarks `mss-kg serve` side by side with `oxigraph serve-read-only`, in one run, on the same
# data: wrk -t2 -c16 -d${SECS}s --latency on a 10-row and a 1,000-row SELECT (CSV), each server
# with its default settings (mss-kg: its 60 s timeout, 32 queries in flight) and the union of
# all graphs as its default graph. Records req/s, p50, p99, errors and resident memory at start
# and end into the "serve" section of benches/RESULTS.md (issue #20). Run by hand, never in CI:
#   benches/serve.sh [TRIPLES] [SECS]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
secs="${2:-60}"
source benches/common.sh
bench_setup wrk:wrk curl:curl

bench_data "$triples"
g="http://example.org/bench"
if [[ ! -f "$work/s-mss/.loaded-$triples" ]]; then
  rm -rf "$work/s-mss" "$work/s-oxi"
  "$mss" --store "$work/s-mss" --quiet load --graph "$g" "$data"
  "$oxi" load --location "$work/s-oxi" --file "$data" --graph "$g" 2>/dev/null
  touch "$work/s-mss/.loaded-$triples"
fi

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$1/status"; }

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
label="<http://www.w3.org/2000/01/rdf-schema#label>"
results="$work/serve.tsv"
: > "$results"

for rows in 10 1000; do
  query="SELECT ?s ?l WHERE { ?s $label ?l } LIMIT $rows"
  for tool in mss-kg oxigraph; do
    p="$(port)"
    if [[ $tool == mss-kg ]]; then
      "$mss" --store "$work/s-mss" serve --bind "127.0.0.1:$p" 2>/dev/null &
    else
      "$oxi" serve-read-only --location "$work/s-oxi" --bind "127.0.0.1:$p" --union-default-graph 2>/dev/null &
    fi
    pid=$!
    wait_up "$p"
    url="http://127.0.0.1:$p/query?query=$(urlencode "$query")"
    # Both answer the same rows (the same CSV up to order).
    curl -s -H 'Accept: text/csv' "$url" | sort > "$work/serve-$tool-$rows.csv"
    lines=$(wc -l < "$work/serve-$tool-$rows.csv")
    [[ "$lines" -eq $((rows + 1)) ]] || { echo "$tool answered $lines lines for $rows rows" >&2; exit 1; }
    start_rss="$(rss "$pid")"
    echo "== $tool, $rows rows, ${secs}s" >&2
    wrk -t2 -c16 -d"${secs}s" --latency -H 'Accept: text/csv' "$url" > "$work/wrk-$tool-$rows.txt"
    end_rss="$(rss "$pid")"
    threads="$(ls "/proc/$pid/task" | wc -l)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    summary="$(python3 benches/wrk_summary.py "$work/wrk-$tool-$rows.txt")"
    IFS=$'\t' read -r rps p50 p99 total errors <<< "$summary"
    echo -e "$tool\t$rows\t$rps\t$p50\t$p99\t$total\t$errors\t$start_rss\t$end_rss\t$threads" >> "$results"
  done
done

python3 - "$results" "$secs" "$triples" "$("$mss" --version)" "$("$oxi" --version)" <<'PY' | python3 benches/put_section.py serve
import sys
path, secs, triples, mss, oxi = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(path)]
by = {(r[0], r[1]): r for r in rows}
print(f"## Serve: wrk -t2 -c16 -d{secs}s --latency, {int(triples):,} Wikidata-shaped triples\n")
print(f"Produced by `benches/serve.sh` in one run: {mss} (release), {oxi} (PyPI wheel's CLI), two cores shared")
print("by the server and wrk. Both serve the same store contents with the union of all graphs as the")
print("default graph; mss-kg with its defaults (`--timeout 60`, `--max-queries 32`), oxigraph with")
print("`serve-read-only --union-default-graph`. `SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT N`,")
print("`Accept: text/csv`, keep-alive connections. Errors: non-2xx answers plus socket errors.\n")
print("| result | tool | req/s | vs oxigraph | p50 (ms) | p99 (ms) | p99 vs oxigraph | errors | RSS start → end (MiB) | threads at end |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in ("10", "1000"):
    base = by[("oxigraph", n)]
    for tool in ("mss-kg", "oxigraph"):
        r = by[(tool, n)]
        rps, p50, p99 = float(r[2]), float(r[3]), float(r[4])
        print(f"| {n} rows | {tool} | {rps:,.0f} | {rps / float(base[2]):.2f}× | {p50:.2f} | {p99:.2f} | {p99 / float(base[4]):.2f}× | {r[6]} of {int(r[5]):,} | {r[7]} → {r[8]} | {r[9]} |")
print("\nTargets (issue #20): req/s at least Oxigraph's, p99 at most 1.2× its, no errors, memory flat.")
PY
sed -n '/begin serve/,/end serve/p' benches/RESULTS.md
