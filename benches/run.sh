#!/usr/bin/env bash
# Benchmarks mss-kg side by side with its peers, in one run, on this machine:
#   load:  `mss-kg load` vs `oxigraph load` (oxigraph-cli from crates.io) vs pyoxigraph bulk_load
#          of a generated Wikidata-shaped N-Triples file (1M triples by default);
#   query: end-to-end latency of a small SELECT, process start to last byte, mss-kg vs
#          `oxigraph query`, each on the store it loaded.
# Writes the figures and the machine into benches/RESULTS.md. Run by hand, never in CI:
#   benches/run.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
work="benches/.work"; tools="benches/.tools"
mkdir -p "$work" "$tools"
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/mss-kg/bench-target}"
oxigraph_version="0.5.13"   # the version the mss-kg crate builds on

command -v hyperfine >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null

echo "== building mss-kg (release) and oxigraph-cli $oxigraph_version (release)" >&2
scripts/with-deps cargo build --release --quiet
mss="$CARGO_TARGET_DIR/release/mss-kg"
if [[ ! -x "$tools/bin/oxigraph" ]]; then
  scripts/with-deps cargo install --quiet --locked --root "$tools" --version "$oxigraph_version" oxigraph-cli
fi
oxi="$tools/bin/oxigraph"
python3 -c 'import pyoxigraph' 2>/dev/null || python3 -m pip install --quiet pyoxigraph
pyoxi_version="$(python3 -c 'import importlib.metadata as m; print(m.version("pyoxigraph"))')"

data="$work/wikidata-$triples.nt"
[[ -f "$data" ]] || python3 benches/gen_wikidata.py "$triples" "$data"

echo "== load" >&2
hyperfine --runs 3 --export-json "$work/load.json" \
  --prepare "rm -rf $work/s-mss $work/s-oxi $work/s-py" \
  -n "mss-kg load" "$mss --store $work/s-mss --quiet load $data" \
  -n "oxigraph load" "$oxi load --location $work/s-oxi --file $data" \
  -n "pyoxigraph bulk_load" "python3 benches/pyoxigraph_load.py $data $work/s-py"

# Stores for the query benchmark (left by the last load runs).
query='SELECT ?label WHERE { <http://www.wikidata.org/entity/Q5000> <http://www.w3.org/2000/01/rdf-schema#label> ?label }'
"$mss" --store "$work/s-mss" query "$query" --format csv > "$work/q-mss.csv"
"$oxi" query --location "$work/s-oxi" --query "$query" --results-format csv > "$work/q-oxi.csv"
cmp <(sort "$work/q-mss.csv") <(sort "$work/q-oxi.csv") || { echo "the two answers differ" >&2; exit 1; }

echo "== query latency" >&2
hyperfine --warmup 5 --runs 50 --export-json "$work/query.json" \
  -n "mss-kg query" "$mss --store $work/s-mss query '$query' --format csv" \
  -n "oxigraph query" "$oxi query --location $work/s-oxi --query '$query' --results-format csv"

python3 benches/report.py "$work/load.json" "$work/query.json" "$triples" \
  "$("$oxi" --version)" "pyoxigraph $pyoxi_version" "$("$mss" --version)" > benches/RESULTS.md
cat benches/RESULTS.md
