#!/usr/bin/env bash
# Benchmarks `mss-kg mentions` (issue #18): ARTICLES generated articles against a gazetteer of
# NAMES labels (benches/gen_mentions.py; 10,000 against 1M by default), in one run:
#   - `mss-kg mentions FOLDER`: the names read from the store, the automaton built, every
#     article matched (case, accents and punctuation folded, longest first, whole words), rows
#     written as TSV;
#   - the peer: pyahocorasick (C, for Python) with the same folding, longest first, whole words,
#     the names read from a text file (no store) and no offsets mapped back. GNU grep
#     (`grep -F -i -w -f` with the names) was tried first: at 1M names it ran out of 24 GiB.
# Time and peak memory by GNU time. Writes the "mentions" section of benches/RESULTS.md. Run by
# hand, never in CI:   benches/mentions.sh [NAMES ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh
bench_setup /usr/bin/time:time
names=${1:-1000000} articles=${2:-10000}
dir="$work/mentions-$names-$articles"
[[ -f "$dir/names.nt" ]] || python3 benches/gen_mentions.py "$names" "$articles" "$dir"
store="$work/mentions-store"; rm -rf "$store"
"$mss" --store "$store" --quiet load "$dir/names.nt" --graph https://example.org/names

: > "$work/mentions.tsv"
echo "== mss-kg mentions: $articles articles, $names names" >&2
/usr/bin/time -f "%e\t%M" -o "$work/time" \
  "$mss" --store "$store" mentions "$dir/articles" --format tsv > "$work/mentions-out.tsv" 2> "$work/mentions-err"
cat "$work/mentions-err" >&2
found=$(grep -o '[0-9]* mentions' "$work/mentions-err" | grep -o '^[0-9]*')
read_s=$(grep -o 'names read in [0-9.]*' "$work/mentions-err" | grep -o '[0-9.]*$')
match_s=$(grep -o 'articles matched in [0-9.]*' "$work/mentions-err" | grep -o '[0-9.]*$')
printf 'mss-kg\t%s\t%s\t%s\t%s\n' "$(tail -1 "$work/time")" "$found" "$read_s" "$match_s" >> "$work/mentions.tsv"

"$tools/venv/bin/python" -c 'import ahocorasick' 2>/dev/null || "$tools/venv/bin/pip" install --quiet pyahocorasick
echo "== pyahocorasick, the same folding, longest first, whole words" >&2
/usr/bin/time -f "%e\t%M" -o "$work/time" \
  "$tools/venv/bin/python" benches/pyahocorasick_mentions.py "$dir/names.txt" "$dir/articles" > "$work/pyac-out.txt"
printf 'pyahocorasick\t%s\t%s\t\t\n' "$(tail -1 "$work/time")" "$(cat "$work/pyac-out.txt")" >> "$work/mentions.tsv"

python3 - "$work/mentions.tsv" "$("$mss" --version)" "$(nproc)" "$names" "$articles" <<'PY' | python3 benches/put_section.py mentions
import sys
rows = {r[0]: r[1:] for r in (line.rstrip("\n").split("\t") for line in open(sys.argv[1]))}
names, articles = int(sys.argv[4]), int(sys.argv[5])
print("## Mentions: generated articles against a gazetteer of labels\n")
print(f"Produced by `benches/mentions.sh` in one run: {sys.argv[2]}, {sys.argv[3]} cores. "
      f"{articles:,} articles of about 400 words against {names:,} entities' names (labels, and an")
print("alias for one in five; `benches/gen_mentions.py`), a name every sixteen words on average,")
print("some in capitals or with accents. *mss-kg*: `mentions FOLDER --format tsv`, from reading the")
print("names out of the store to the last row (offsets mapped back to the original text, rows")
print("written); *pyahocorasick*: the C Aho-Corasick of Python with the same folding, longest first,")
print("whole words, the names read from a text file, counting matches. GNU grep (`grep -F -i -w -f`)")
print("was tried as a peer: with 1M names it ran out of 24 GiB and was killed. Time: wall clock;")
print("peak memory: GNU time's maximum resident set size.\n")
print("| tool | time (s) | peak memory (MiB) | names found | articles/s |")
print("|---|---|---|---|---|")
for tool, (secs, rss, found, read_s, match_s) in rows.items():
    rate = articles / float(secs)
    print(f"| {tool} | {float(secs):.1f} | {int(rss) / 1024:.0f} | {int(found):,} | {rate:,.0f} |")
m, p = rows["mss-kg"], rows["pyahocorasick"]
print()
print(f"mss-kg / pyahocorasick: ×{float(m[0]) / float(p[0]):.2f} in time, ×{int(m[1]) / int(p[1]):.2f} in memory; "
      f"they find {int(m[2]):,} and {int(p[2]):,} names. Of mss-kg's {float(m[0]):.1f} s, reading the names "
      f"from the store and building the automaton took {float(m[3]):.1f} s, and matching the articles "
      f"{float(m[4]):.1f} s ({articles / float(m[4]):,.0f} articles/s once the names are in). Target (issue #18): "
      "none given; the articles of a day are matched in well under a second.")
print("mss-kg finds a few more: pyahocorasick's longest match at a place can hide a whole-word match")
print("that starts inside it. Most of the matching time is glibc's malloc, slowed by the million small")
print("allocations that came and went while the names were read: with jemalloc or mimalloc preloaded")
print("(LD_PRELOAD) matching is about 3 times faster. mss-kg cannot take either as its global allocator:")
print("Oxigraph 0.5 frees RocksDB's C error strings with Rust's allocator (`CString::from_raw`), which")
print("then crashes on the first storage error (found by the full-disk test); it calls `malloc_trim`")
print("after building the automaton instead.")
PY
sed -n '/<!-- begin mentions -->/,/<!-- end mentions -->/p' benches/RESULTS.md
