#!/usr/bin/env bash
# Benchmarks mss-kg side by side with its peers, in one run, on this machine:
#   load:  `mss-kg load` vs `oxigraph load` (the CLI of PyPI's oxigraph wheel) vs pyoxigraph bulk_load
#          of a generated Wikidata-shaped N-Triples file (1M triples by default);
#   query: end-to-end latency of a small SELECT, process start to last byte, mss-kg vs
#          `oxigraph query`, each on the store it loaded.
# Writes the figures and the machine into the "load-query" section of benches/RESULTS.md
# (benches/export.sh writes the "export" one). Run by hand, never in CI:
#   benches/run.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
source benches/common.sh
bench_setup hyperfine:hyperfine
python3 -c 'import pyoxigraph' 2>/dev/null || python3 -m pip install --quiet pyoxigraph
pyoxi_version="$(python3 -c 'import importlib.metadata as m; print(m.version("pyoxigraph"))')"

data="$work/wikidata-$triples.nt"
[[ -f "$data" ]] || python3 benches/gen_wikidata.py "$triples" "$data"

# Equal work for every tool: the same triples into the same kind of graph. A named graph is
# indexed six ways in Oxigraph, the default graph three ways, so the two are measured apart.
g="http://example.org/bench"
echo "== load into the default graph" >&2
hyperfine --runs 5 --export-json "$work/load-default.json" \
  --prepare "rm -rf $work/d-mss" --prepare "rm -rf $work/d-oxi" --prepare "rm -rf $work/d-py" \
  -n "mss-kg load --default-graph" "$mss --store $work/d-mss --quiet load --default-graph $data" \
  -n "oxigraph load" "$oxi load --location $work/d-oxi --file $data" \
  -n "pyoxigraph bulk_load" "python3 benches/pyoxigraph_load.py $data $work/d-py"
echo "== load into a named graph" >&2
hyperfine --runs 5 --export-json "$work/load-named.json" \
  --prepare "rm -rf $work/n-mss" --prepare "rm -rf $work/n-oxi" --prepare "rm -rf $work/n-py" \
  -n "mss-kg load --graph" "$mss --store $work/n-mss --quiet load --graph $g $data" \
  -n "oxigraph load --graph" "$oxi load --location $work/n-oxi --file $data --graph $g" \
  -n "pyoxigraph bulk_load to_graph" "python3 benches/pyoxigraph_load.py $data $work/n-py $g"

# The query benchmark reads the stores the last load runs left, the default-graph ones.
query='SELECT ?label WHERE { <http://www.wikidata.org/entity/Q5000> <http://www.w3.org/2000/01/rdf-schema#label> ?label }'
"$mss" --store "$work/d-mss" query "$query" --format csv > "$work/q-mss.csv"
"$oxi" query --location "$work/d-oxi" --query "$query" --results-format csv > "$work/q-oxi.csv"
cmp <(sort "$work/q-mss.csv") <(sort "$work/q-oxi.csv") || { echo "the two answers differ" >&2; exit 1; }

echo "== query latency" >&2
hyperfine --warmup 5 --runs 50 --export-json "$work/query.json" \
  -n "mss-kg query" "$mss --store $work/d-mss query '$query' --format csv" \
  -n "oxigraph query" "$oxi query --location $work/d-oxi --query '$query' --results-format csv"

python3 benches/report.py "$work/load-default.json" "$work/load-named.json" "$work/query.json" "$triples" \
  "$("$oxi" --version)" "pyoxigraph $pyoxi_version" "$("$mss" --version)" \
  | python3 benches/put_section.py load-query
cat benches/RESULTS.md
