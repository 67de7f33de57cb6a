#!/usr/bin/env bash
# Benchmarks `mss-kg link` on generated graphs (benches/gen_link.py): a local graph of LOCAL
# entities against an external Wikidata-shaped graph of EXTERNAL items, at two sizes, 10k x 100k
# and 100k x 1M by default, to show how the cost grows. For each size, in one store:
#   - `mss-kg load` of the local graph (not timed here: `load` has its own benchmark);
#   - `mss-kg link --with FILE`: bulk-loads the external file into its own graph and links, in
#     one parse (timed, peak memory);
#   - `mss-kg link --with GRAPH`: links against the graph now in the store (timed, peak memory);
# each scored against the generated truth (--gold). No RDF tool links entities, so there is no
# peer to run beside it; Silk and LIMES need a JVM and XML link specs. Time and peak memory by
# GNU time. Writes the "link" section of benches/RESULTS.md. Run by hand, never in CI:
#   benches/link.sh [LOCAL EXTERNAL]...
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh
bench_setup /usr/bin/time:time
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100000 100000 1000000)

: > "$work/link.tsv"
for ((k = 0; k < ${#sizes[@]}; k += 2)); do
  loc=${sizes[k]} ext=${sizes[k+1]}
  e="$work/link-ext-$ext.nt" l="$work/link-loc-$loc-$ext.nt" gold="$work/link-gold-$loc-$ext.csv"
  [[ -f "$e" && -f "$l" ]] || python3 benches/gen_link.py "$ext" "$loc" "$e" "$l"
  grep '<https://example.org/truth>' "$l" | sed -E 's/^<([^>]*)> <[^>]*> <([^>]*)> \.$/\1,\2/' > "$gold"
  store="$work/link-store"; rm -rf "$store"
  "$mss" --store "$store" --quiet load "$l" --graph https://example.org/local
  for source in file graph; do
    with="$e"; [[ $source == graph ]] && with="https://w3id.org/mss-kg/graph/external/link-ext-$ext.nt"
    echo "== link $loc local x $ext external, from the $source" >&2
    /usr/bin/time -f "%e\t%M" -o "$work/time" \
      "$mss" --store "$store" link --with "$with" --local-graph https://example.org/local \
        --gold "$gold" --format tsv > "$work/link-out.tsv" 2> "$work/link-err"
    grep -E '^(precision|matched)' "$work/link-err" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$loc" "$ext" "$source" "$(tail -1 "$work/time")" \
      "$(grep -o '^precision [0-9.]*' "$work/link-err" | cut -d' ' -f2)" \
      "$(grep -o 'recall [0-9.]*' "$work/link-err" | cut -d' ' -f2)" >> "$work/link.tsv"
  done
done

python3 - "$work/link.tsv" "$("$mss" --version)" "$(nproc)" <<'PY' | python3 benches/put_section.py link
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print("## Link: generated local entities against a generated external graph\n")
print(f"Produced by `benches/link.sh` in one run: {sys.argv[2]}, {sys.argv[3]} cores. Graphs from")
print("`benches/gen_link.py` (made-up names of 2-3 words; 70% of the local entities name an external")
print("item, written with other case, accents, a leading article, a formal prefix or one letter")
print("changed). *from the file*: `link --with FILE` bulk-loads the external file into its own graph")
print("and links, in one parse; *from the graph*: `link --with GRAPH` against the graph already")
print("loaded. Time: wall clock of one run; peak memory: GNU time's maximum resident set size;")
print("precision and recall of the accepted links against the generated truth (`--gold`).\n")
print("| local × external | source | time (s) | peak memory (MiB) | precision | recall |")
print("|---|---|---|---|---|---|")
by = {}
for loc, ext, source, secs, rss, p, r in rows:
    by[(loc, ext, source)] = float(secs)
    print(f"| {int(loc):,} × {int(ext):,} | from the {source} | {float(secs):.1f} | {int(rss) / 1024:.0f} | {p} | {r} |")
sizes = sorted({(int(l), int(e)) for l, e, *_ in rows})
if len(sizes) >= 2:
    (l0, e0), (l1, e1) = sizes[0], sizes[-1]
    print()
    for source in ("file", "graph"):
        t0, t1 = by[(str(l0), str(e0), source)], by[(str(l1), str(e1), source)]
        print(f"Growth from the {source}: {l0:,} × {e0:,} to {l1:,} × {e1:,} (both graphs ×{e1 // e0}) costs "
              f"×{t1 / t0:.1f} in time (linear: ×{e1 // e0}; all pairs would be ×{(l1 * e1) // (l0 * e0)}).")
print()
print("Target: 100k × 1M under 60 s and 4 GiB on this machine. Recall stays under 1 by design:")
print("a misspelt name scores as a similar name (at most 0.8) and waits for review, never accepted.")
PY
sed -n '/<!-- begin link -->/,/<!-- end link -->/p' benches/RESULTS.md
