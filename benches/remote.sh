#!/usr/bin/env bash
# Benchmarks `--endpoint` (issue #14), side by side in one run, and records the "remote" section
# of benches/RESULTS.md. Run by hand, never in CI:
#   benches/remote.sh [TRIPLES] [RUNS]
#
# 1. Every saved query, end to end (process start to last row), on the embedded store, through
#    `--endpoint` against `mss-kg serve`, and against Virtuoso holding the same bundled graph:
#    the protocol's cost per query (hyperfine, RUNS runs each after a warm-up).
# 2. Loading TRIPLES generated Wikidata-shaped triples (benches/gen_wikidata.py): into Virtuoso
#    with `mss-kg load --endpoint` (Graph Store Protocol, and SPARQL Update without it), with
#    Virtuoso's own bulk loader (ld_dir + rdf_loader_run() through isql-vt), and locally with
#    `oxigraph load` and `mss-kg load`.
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
runs="${2:-20}"
source benches/common.sh
bench_setup hyperfine:hyperfine curl:curl virtuoso-t:virtuoso-opensource
bench_data "$triples"
data="$(realpath "$data")"

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# A Virtuoso of its own: the packaged ini, its database in a fresh folder, 127.0.0.1 on free
# ports, the data folder allowed to its bulk loader, and memory for a million triples.
start_virtuoso() {
  local dir="$1" sql="$2" http="$3" ini
  rm -rf "$dir"; mkdir -p "$dir"
  ini=/etc/virtuoso-opensource-7/virtuoso.ini
  [[ -f $ini ]] || ini=/usr/share/virtuoso-opensource-7/virtuoso.ini
  python3 - "$ini" "$dir" "$sql" "$http" "$(dirname "$data")" > "$dir/virtuoso.ini" <<'PY'
import sys
ini, db, sql, http, allowed = sys.argv[1:]
section = ""
for line in open(ini).read().splitlines():
    s = line.strip()
    if s.startswith("["):
        section = s
    key = s.split("=")[0].strip()
    line = line.replace("/var/lib/virtuoso-opensource-7/db", db)
    if section == "[Parameters]" and key == "ServerPort":
        line = f"ServerPort = 127.0.0.1:{sql}"
    elif section == "[HTTPServer]" and key == "ServerPort":
        line = f"ServerPort = 127.0.0.1:{http}"
    elif key == "DirsAllowed":
        line = f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {allowed}"
    elif key == "NumberOfBuffers":
        line = "NumberOfBuffers = 340000"
    elif key == "MaxDirtyBuffers":
        line = "MaxDirtyBuffers = 250000"
    print(line)
PY
  (cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >/dev/null 2>&1) &
  pids+=($!)
  for _ in $(seq 600); do
    curl -s -o /dev/null "http://127.0.0.1:$http/sparql?query=ASK%7B%7D" && break
    sleep 0.1
  done
  isql-vt "127.0.0.1:$sql" dba dba 'exec=GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null
}

vsql="$(port)"; vhttp="$(port)"
start_virtuoso "$PWD/$work/virtuoso" "$vsql" "$vhttp"
V="http://127.0.0.1:$vhttp/sparql"; GSP="http://127.0.0.1:$vhttp/sparql-graph-crud"
"$mss" --quiet --endpoint "$V" --graph-store "$GSP" load --bundled

store="$work/remote-store"
rm -rf "$store"; "$mss" --store "$store" --quiet stats >/dev/null
sport="$(port)"
"$mss" --store "$store" serve --bind "127.0.0.1:$sport" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$sport/" && break; sleep 0.1; done
S="http://127.0.0.1:$sport/query"

# 1. Saved queries.
results="$work/remote-queries.tsv"; : > "$results"
for q in queries/*.rq; do
  name="$(basename "$q" .rq)"
  [[ $name == nation-codes-remote ]] && continue
  echo "== $name" >&2
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/hf-$name.json" \
    -n store "$mss --store $store run $name --format tsv" \
    -n serve "$mss --endpoint $S run $name --format tsv" \
    -n virtuoso "$mss --endpoint $V run $name --format tsv" >/dev/null
  python3 - "$name" "$work/hf-$name.json" >> "$results" <<'PY'
import json, sys
name, path = sys.argv[1:]
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(path))["results"]}
print(f"{name}\t{r['store']:.1f}\t{r['serve']:.1f}\t{r['virtuoso']:.1f}")
PY
done

# 2. Loads.
g="http://example.org/bench"
seconds() { python3 -c 'import sys, time; print(time.time())'; }
timed() { local t0 t1; t0="$(seconds)"; "$@" >/dev/null 2>&1; t1="$(seconds)"; python3 -c "print(f'{$t1 - $t0:.1f}')"; }
loads="$work/remote-loads.tsv"; : > "$loads"
fresh() { cleanup; pids=(); vsql="$(port)"; vhttp="$(port)"; start_virtuoso "$PWD/$work/virtuoso" "$vsql" "$vhttp"
          V="http://127.0.0.1:$vhttp/sparql"; GSP="http://127.0.0.1:$vhttp/sparql-graph-crud"; }
count() { curl -s -H 'Accept: text/csv' --data-urlencode "query=SELECT (COUNT(*) AS ?n) { GRAPH <$g> { ?s ?p ?o } }" "$V" | tail -n 1; }

echo "== load: mss-kg --endpoint (Graph Store Protocol)" >&2
fresh; t="$(timed "$mss" --quiet --endpoint "$V" --graph-store "$GSP" load "$data" --graph "$g")"
echo -e "mss-kg load --endpoint --graph-store (Virtuoso)\t$t\t$(count)" >> "$loads"
echo "== load: mss-kg --endpoint (SPARQL Update)" >&2
fresh; t="$(timed "$mss" --quiet --endpoint "$V" load "$data" --graph "$g")"
echo -e "mss-kg load --endpoint, INSERT DATA (Virtuoso)\t$t\t$(count)" >> "$loads"
echo "== load: Virtuoso's bulk loader" >&2
fresh; t="$(timed isql-vt "127.0.0.1:$vsql" dba dba "exec=ld_dir('$(dirname "$data")', '$(basename "$data")', '$g'); rdf_loader_run(); checkpoint;")"
echo -e "Virtuoso ld_dir + rdf_loader_run() (isql-vt)\t$t\t$(count)" >> "$loads"
cleanup; pids=()
echo "== load: oxigraph load, mss-kg load (local)" >&2
rm -rf "$work/remote-oxi" "$work/remote-mss"
t="$(timed "$oxi" load --location "$work/remote-oxi" --file "$data" --graph "$g")"
echo -e "oxigraph load (local store)\t$t\t$triples" >> "$loads"
t="$(timed "$mss" --store "$work/remote-mss" --quiet load "$data" --graph "$g")"
echo -e "mss-kg load (local store)\t$t\t$triples" >> "$loads"

python3 - "$results" "$loads" "$triples" "$runs" <<'PY' | python3 benches/put_section.py remote
import sys
queries, loads, triples, runs = sys.argv[1:]
triples = int(triples)
print(f"## Remote engines (issue #14): saved queries through `--endpoint`, and loads of {triples:,} triples")
print()
print(f"`benches/remote.sh`: each saved query end to end (process start to last row, mean of {runs} runs")
print("after a warm-up, hyperfine), on the embedded store and through `--endpoint` against `mss-kg serve`")
print("and Virtuoso 7.2 (Debian), all holding the bundled graph; the ratio is to the store.")
print()
print("| saved query | store (ms) | serve (ms) | ratio | Virtuoso (ms) | ratio |")
print("|---|---:|---:|---:|---:|---:|")
sums = [0.0, 0.0, 0.0]
rows = [l.split("\t") for l in open(queries).read().splitlines()]
for name, a, b, c in rows:
    a, b, c = float(a), float(b), float(c)
    sums = [sums[0] + a, sums[1] + b, sums[2] + c]
    print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f}× | {c:.1f} | {c / a:.2f}× |")
a, b, c = sums
print(f"| **all {len(rows)}** | {a:.0f} | {b:.0f} | {b / a:.2f}× | {c:.0f} | {c / a:.2f}× |")
print()
print(f"Loading {triples:,} generated Wikidata-shaped N-Triples into the named graph of a fresh store:")
print()
print("| loader | seconds | triples/s | triples in the graph |")
print("|---|---:|---:|---:|")
for name, secs, n in (l.split("\t") for l in open(loads).read().splitlines()):
    print(f"| {name} | {secs} | {triples / float(secs):,.0f} | {n.strip() or '?'} |")
PY
echo "recorded in benches/RESULTS.md" >&2
