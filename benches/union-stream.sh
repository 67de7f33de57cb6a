#!/usr/bin/env bash
# Measures queries over the union of the graphs, which mss-kg's evaluator reads as their merge,
# each triple once, in constant memory (issue #19, vendor/PATCH.md): listings, a join and
# a count over 1M generated triples (benches/serve.sh's data) held by one graph, and by two graphs
# holding the same triples (every triple shared: the merge's worst case), against
# `oxigraph query --union-default-graph` on one graph (with two it would list every triple twice).
# Time (best of 3) and peak memory by GNU time. Writes the "union-stream" section of
# benches/RESULTS.md. Run by hand, never in CI:   benches/union-stream.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
source benches/common.sh
bench_setup time:time
bench_data "$triples"
g="http://example.org/bench"
one="$work/union-one"; two="$work/union-two"; oxstore="$work/union-oxi"
if [[ ! -f "$two/.loaded-$triples" ]]; then
  rm -rf "$one" "$two" "$oxstore"
  "$mss" --store "$one" --quiet load --graph "$g" "$data"
  "$mss" --store "$two" --quiet load --graph "$g" "$data"
  "$mss" --store "$two" --quiet load --graph "$g/copy" "$data"
  "$oxi" load --location "$oxstore" --file "$data" --graph "$g" 2>/dev/null
  touch "$two/.loaded-$triples"
fi
label="<http://www.w3.org/2000/01/rdf-schema#label>"
p31="<http://www.wikidata.org/prop/direct/P31>"; q5="<http://www.wikidata.org/entity/Q5>"
: > "$work/union-stream.tsv"
measure() { # name tool query
  local name=$1 tool=$2 query=$3 best="" peak=0 secs rss
  for _ in 1 2 3; do
    case $tool in
      oxigraph) /usr/bin/time -f "%e\t%M" -o "$work/time" "$oxi" query --location "$oxstore" \
          --query "$query" --union-default-graph --results-format tsv > "$work/union-out.tsv" 2>/dev/null ;;
      "mss-kg, one graph") /usr/bin/time -f "%e\t%M" -o "$work/time" "$mss" --store "$one" query "$query" --format tsv > "$work/union-out.tsv" ;;
      "mss-kg, two graphs") /usr/bin/time -f "%e\t%M" -o "$work/time" "$mss" --store "$two" query "$query" --format tsv > "$work/union-out.tsv" ;;
    esac
    IFS=$'\t' read -r secs rss < <(tail -1 "$work/time")
    if [[ -z $best ]] || python3 -c "import sys; sys.exit(not $secs < $best)"; then best=$secs; fi
    (( rss > peak )) && peak=$rss
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$best" "$peak" "$(($(wc -l < "$work/union-out.tsv") - 1))" >> "$work/union-stream.tsv"
}
for what in "every triple|SELECT * WHERE { ?s ?p ?o }" \
            "every label|SELECT * WHERE { ?s $label ?o }" \
            "join: humans and their labels|SELECT ?s ?l WHERE { ?s $p31 $q5 ; $label ?l }" \
            "count every triple|SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"; do
  name=${what%%|*} query=${what#*|}
  echo "== $name" >&2
  for tool in "mss-kg, one graph" "mss-kg, two graphs" oxigraph; do
    measure "$name" "$tool" "$query"
  done
done
python3 - "$work/union-stream.tsv" "$("$mss" --version)" "$("$oxi" --version)" "$(nproc)" "$triples" <<'PY' | python3 benches/put_section.py union-stream
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print("## Union streaming: queries over the union of the graphs, read as their merge\n")
print(f"Produced by `benches/union-stream.sh` in one run: {sys.argv[2]} (release), {sys.argv[3]},")
print(f"{sys.argv[4]} cores, {int(sys.argv[5]):,} generated triples. *one graph*: mss-kg's store")
print("holding them in one named graph (and the bundled graph); *two graphs*: in two named graphs")
print("that hold the same triples, so that every triple is shared and read as one (the merge's worst")
print("case); *oxigraph*: `oxigraph query --union-default-graph` on one graph (on two it would list")
print("every triple twice). Time: wall clock, process start to last row, best of 3; peak memory:")
print("GNU time's maximum resident set size, the largest of the 3 runs. mss-kg's rows include the")
print("bundled graph's few thousand.\n")
print("| query | tool | time (s) | × oxigraph | peak memory (MiB) | rows |")
print("|---|---|---|---|---|---|")
ox = {r[0]: float(r[2]) for r in rows if r[1] == "oxigraph"}
for name, tool, secs, rss, n in rows:
    print(f"| {name} | {tool} | {float(secs):.2f} | {float(secs) / ox[name]:.2f} | {int(rss) / 1024:.0f} | {int(n):,} |")
print()
PY
sed -n '/<!-- begin union-stream -->/,/<!-- end union-stream -->/p' benches/RESULTS.md
