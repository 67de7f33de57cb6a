#!/usr/bin/env bash
# Measures what reading the default graph as a set costs (issue #21; since issue #19 the
# evaluator reads the merge itself, vendor/PATCH.md): the same queries on the same 1M-triple
# store, end to end, with mss-kg before it read the merge (commit ec07189, built here), mss-kg
# now, and `oxigraph query --union-default-graph` (which counts a triple once per graph, as
# mss-kg did before). Writes the "merge" section of
# benches/RESULTS.md. Run by hand, never in CI:
#   benches/merge.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
before_rev="ec07189"   # "serve survives load ...": the last commit without src/sparql/merge.rs
source benches/common.sh
bench_setup hyperfine:hyperfine time:time

if [[ ! -x "$tools/mss-kg-before" ]]; then
  echo "== building mss-kg at $before_rev (release)" >&2
  rm -rf "$work/before" "$work/before-target"
  git worktree add --quiet --detach "$work/before" "$before_rev"
  # A target folder of its own (a copy, so that RocksDB is not compiled again): the two trees'
  # build outputs must not mix.
  cp -r "$CARGO_TARGET_DIR" "$work/before-target"
  (cd "$work/before" && CARGO_TARGET_DIR="$PWD/../before-target" scripts/with-deps cargo build --release --quiet)
  cp "$work/before-target/release/mss-kg" "$tools/mss-kg-before"
  git worktree remove --force "$work/before"
  rm -rf "$work/before-target"
fi
before="$tools/mss-kg-before"

bench_data "$triples"
g="http://example.org/bench"
if [[ ! -f "$work/m-mss/.loaded-$triples" ]]; then
  rm -rf "$work/m-mss" "$work/m-before" "$work/m-oxi"
  "$mss" --store "$work/m-mss" --quiet load --graph "$g" "$data"
  # The same contents for oxigraph: the bench graph and the bundled graph mss-kg holds.
  "$mss" --store "$work/m-mss" export --all --format nq -o "$work/m-all.nq"
  "$oxi" load --location "$work/m-oxi" --file "$work/m-all.nq" 2>/dev/null
  touch "$work/m-mss/.loaded-$triples"
fi
# The commit before has its own bundled graph, and each binary reloads its own into a store that
# holds the other's: each gets a copy of the store, so that no run pays for a reload.
if [[ ! -f "$work/m-before/.loaded-$triples" ]]; then
  rm -rf "$work/m-before"
  cp -r "$work/m-mss" "$work/m-before"
  "$before" --store "$work/m-before" stats > /dev/null
fi

WD="http://www.wikidata.org/entity/"; WDT="http://www.wikidata.org/prop/direct/"
L="<http://www.w3.org/2000/01/rdf-schema#label>"
# The GRAPH ?g counts read each graph alone, as before: what changed besides the merge. ("count
# all" stays last: its answer is quoted below.)
names=(point "1,000 rows" join "DISTINCT, 1,000 rows" "count labels" "count labels, GRAPH ?g"
       "count all, GRAPH ?g" "count all")
queries=(
  "SELECT ?l WHERE { <${WD}Q5000> $L ?l }"
  "SELECT ?s ?l WHERE { ?s $L ?l } LIMIT 1000"
  "SELECT ?s ?l WHERE { ?s <${WDT}P31> <${WD}Q5> ; $L ?l } LIMIT 1000"
  "SELECT DISTINCT ?s WHERE { ?s $L ?l } LIMIT 1000"
  "SELECT (COUNT(*) AS ?n) WHERE { ?s $L ?l }"
  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s $L ?l } }"
  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
  "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
)
results="$work/merge.tsv"
: > "$results"
for i in "${!queries[@]}"; do
  q="${queries[$i]}"
  # The answers agree but for "count all": the bench graph holds each triple once; only the
  # bundled graph's shared facts are counted once per graph before.
  echo "== ${names[$i]}" >&2
  hyperfine --warmup 2 --runs 10 --export-json "$work/merge-$i.json" \
    -n before "$before --store $work/m-before query '$q' --format csv" \
    -n now "$mss --store $work/m-mss query '$q' --format csv" \
    -n oxigraph "$oxi query --location $work/m-oxi --union-default-graph --query '$q' --results-format csv" >/dev/null
  peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }
  pb="$(peak "$before" --store "$work/m-before" query "$q" --format csv)"
  pn="$(peak "$mss" --store "$work/m-mss" query "$q" --format csv)"
  po="$(peak "$oxi" query --location "$work/m-oxi" --union-default-graph --query "$q" --results-format csv)"
  ab="$("$before" --store "$work/m-before" query "$q" --format csv | tail -n +2 | wc -l)"
  an="$("$mss" --store "$work/m-mss" query "$q" --format csv | tail -n +2 | wc -l)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${names[$i]}" "$work/merge-$i.json" "$pb" "$pn" "$po" "$ab" "$an" >> "$results"
done
last=$(( ${#queries[@]} - 1 ))
# What counting the union gave before: a copy of a shared fact once per graph (GRAPH ?g counts
# them so now, on the same store).
count_before="$("$mss" --store "$work/m-mss" query "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" --format csv | tail -n 1 | tr -d '\r')"
count_now="$("$mss" --store "$work/m-mss" query "${queries[$last]}" --format csv | tail -n 1 | tr -d '\r')"

python3 - "$results" "$triples" "$("$mss" --version)" "$("$oxi" --version)" "$count_before" "$count_now" <<'PY' | python3 benches/put_section.py merge
import json, sys
path, triples, mss, oxi, cb, cn = sys.argv[1:]
print(f"## Default graph as a set: the cost of reading the merge (issue #21), {int(triples):,} triples\n")
print(f"Produced by `benches/merge.sh` in one run: {mss} (release) now, its evaluator reading the")
print("merge (vendor/PATCH.md), and at commit ec07189, before it read the merge at all (`before`),")
print(f"and {oxi} with `--union-default-graph`, on the same data")
print("(a named graph of generated Wikidata-shaped triples plus the bundled graph). End to end,")
print("process start to last byte; hyperfine, 10 runs, mean ± standard deviation; peak memory:")
print(f"GNU time's maximum resident set size. Each mss-kg has a copy of the store with its own")
print(f"bundled graph. On mss-kg's store now, `count all` counts {cn} triples (the merge), where")
print(f"counting the union as before would give {cb} (a copy of a shared fact once per graph).\n")
print("| query | before (ms) | now (ms) | now vs before | oxigraph (ms) | peak MiB before → now |")
print("|---|---|---|---|---|---|")
for line in open(path):
    name, js, pb, pn, po, ab, an = line.rstrip("\n").split("\t")
    r = {x["command"]: x for x in json.load(open(js))["results"]}
    b, n, o = (r[k]["mean"] * 1000 for k in ("before", "now", "oxigraph"))
    sb, sn, so = (r[k]["stddev"] * 1000 for k in ("before", "now", "oxigraph"))
    print(f"| {name} | {b:.1f} ± {sb:.1f} | {n:.1f} ± {sn:.1f} | {n / b:.2f}× | {o:.1f} ± {so:.1f} | {int(pb) // 1024} → {int(pn) // 1024} |")
PY
sed -n '/begin merge/,/end merge/p' benches/RESULTS.md
