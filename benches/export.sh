#!/usr/bin/env bash
# Benchmarks `mss-kg export` side by side with its peers, in one run, on this machine: a
# generated Wikidata-shaped graph (5M triples by default, with blank nodes) loaded into the
# default graph of an mss-kg store and of an Oxigraph store, then exported
#   - as N-Triples: `mss-kg export -f nt` vs `oxigraph dump --format nt`;
#   - as Turtle: `mss-kg export` (pretty, sorted) vs `oxigraph dump --format ttl` (flat) vs
#     `rapper -i ntriples -o turtle` (Raptor's pretty writer, from the N-Triples file).
# Time by hyperfine, peak memory (max RSS) by GNU time. Writes the "export" section of
# benches/RESULTS.md. Run by hand, never in CI:
#   benches/export.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-5000000}"
source benches/common.sh
bench_setup hyperfine:hyperfine rapper:raptor2-utils /usr/bin/time:time

data="$work/wikidata-$triples-bnodes.nt"
[[ -f "$data" ]] || python3 benches/gen_wikidata.py "$triples" "$data" --blank-nodes
echo "== loading $data" >&2
rm -rf "$work/e-mss" "$work/e-oxi"
"$mss" --store "$work/e-mss" --quiet load --default-graph "$data"
"$oxi" load --location "$work/e-oxi" --file "$data" 2>/dev/null

out="$work/export-out"; mkdir -p "$out"
declare -A cmds=(
  ["mss-kg export -f nt"]="$mss --store $work/e-mss --quiet export --graph default -f nt -o $out/mss.nt"
  ["oxigraph dump --format nt"]="$oxi dump --location $work/e-oxi --graph default --format nt --file $out/oxi.nt"
  ["mss-kg export (pretty Turtle)"]="$mss --store $work/e-mss --quiet export --graph default -o $out/mss.ttl"
  ["oxigraph dump --format ttl"]="$oxi dump --location $work/e-oxi --graph default --format ttl --file $out/oxi.ttl"
  ["rapper -o turtle"]="rapper -q -i ntriples -o turtle $data > $out/rapper.ttl"
)
order=("mss-kg export -f nt" "oxigraph dump --format nt" "mss-kg export (pretty Turtle)" "oxigraph dump --format ttl" "rapper -o turtle")

echo "== peak memory" >&2
: > "$work/export-rss.tsv"
for name in "${order[@]}"; do
  /usr/bin/time -f "%M" -o "$work/rss" bash -c "${cmds[$name]}"
  printf '%s\t%s\n' "$name" "$(tail -1 "$work/rss")" >> "$work/export-rss.tsv"
done
# The two Turtle files and the N-Triples must hold the same graph (by line count of N-Triples).
[[ $(wc -l < "$out/mss.nt") -eq $(wc -l < "$out/oxi.nt") ]] || { echo "N-Triples differ in size" >&2; exit 1; }
"$mss" export --from "$out/mss.ttl" -f nt | wc -l > "$work/ttl-lines"
[[ $(cat "$work/ttl-lines") -eq $(wc -l < "$out/oxi.nt") ]] || { echo "the pretty Turtle reads back to another size" >&2; exit 1; }

echo "== time" >&2
args=()
for name in "${order[@]}"; do args+=(-n "$name" "${cmds[$name]}"); done
hyperfine --runs 3 --export-json "$work/export.json" "${args[@]}"

python3 - "$work/export.json" "$work/export-rss.tsv" "$triples" "$("$oxi" --version)" "$(rapper --version)" "$("$mss" --version)" <<'PY' | python3 benches/put_section.py export
import json, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]))
triples, oxi, rapper, mss = int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
print(f"## Export: {triples:,} triples (`benches/gen_wikidata.py --blank-nodes`), default graph\n")
print(f"Produced by `benches/export.sh` in one run: {mss}, {oxi}, rapper {rapper}. Time: hyperfine,")
print("3 runs, mean ± standard deviation; peak memory: GNU time's maximum resident set size.")
print("Each exports the whole graph to a file; rapper converts the N-Triples file (it has no store).\n")
print("| tool | time (s) | vs `oxigraph dump` (same format) | peak memory (MiB) |")
print("|---|---|---|---|")
base = {"nt": times["oxigraph dump --format nt"]["mean"], "ttl": times["oxigraph dump --format ttl"]["mean"]}
for name, r in times.items():
    kind = "nt" if "nt" in name.split()[-1] or name.endswith("-f nt") else "ttl"
    print(f"| {name} | {r['mean']:.2f} ± {r['stddev']:.2f} | {r['mean'] / base[kind]:.2f}× time | {int(rss[name]) / 1024:.0f} |")
print()
print("Targets: N-Triples at least as fast as `oxigraph dump` (ratio ≤ 1.00×); pretty Turtle within")
print("2× of `oxigraph dump`'s flat Turtle, under 2 GiB. `oxigraph dump` writes Turtle triple by")
print("triple in store order with no grouping or prefixes; mss-kg sorts, orders blank nodes canonically")
print("(colour refinement) and nests them, which is what costs the difference.")
PY
sed -n '/<!-- begin export -->/,/<!-- end export -->/p' benches/RESULTS.md
