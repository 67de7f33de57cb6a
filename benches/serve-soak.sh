#!/usr/bin/env bash
# Soaks `mss-kg serve --writable` for SECS seconds (600 by default) with mixed reads and writes
# on a store of TRIPLES generated triples (issue #19): wrk -t2 -c16 on a 10-row SELECT and, at
# the same time, a writer sending a SPARQL Update every 0.2 s (an INSERT DATA, then the DELETE
# DATA of it) with the bearer token. Every 30 s it samples the server's resident memory, open
# files and threads. Passes when no request failed and neither memory nor open files grew after
# the first minute; writes the "serve-soak" section of benches/RESULTS.md. Run by hand, never in CI:
#   benches/serve-soak.sh [TRIPLES] [SECS]
set -euo pipefail
cd "$(dirname "$0")/.."
triples="${1:-1000000}"
secs="${2:-600}"
source benches/common.sh
bench_setup wrk:wrk curl:curl

bench_data "$triples"
g="http://example.org/bench"
store="$work/soak-store"
rm -rf "$store"
"$mss" --store "$store" --quiet load --graph "$g" "$data"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token="soak-$(date +%s)"
echo "$token" > "$work/soak-token"
"$mss" --store "$store" serve --bind "127.0.0.1:$port" --writable --token-file "$work/soak-token" 2>"$work/soak-serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

label="<http://www.w3.org/2000/01/rdf-schema#label>"
query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' \
  "SELECT ?s ?l WHERE { ?s $label ?l } LIMIT 10")
sample() { # seconds rss_mib open_files threads
  printf '%s\t%s\t%s\t%s\n' "$1" "$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")" \
    "$(ls "/proc/$pid/fd" | wc -l)" "$(ls "/proc/$pid/task" | wc -l)"
}

echo "== soak: ${secs}s of reads (wrk -c16) and writes (every 0.2 s)" >&2
: > "$work/soak-samples.tsv"
sample 0 >> "$work/soak-samples.tsv"
wrk -t2 -c16 -d"${secs}s" --latency -H 'Accept: text/csv' "http://127.0.0.1:$port/query?query=$query" \
  > "$work/soak-wrk.txt" &
wrk_pid=$!
writes=0 failed=0
start=$(date +%s)
next_sample=30
while kill -0 "$wrk_pid" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  if (( now >= next_sample )); then sample "$now" >> "$work/soak-samples.tsv"; next_sample=$((next_sample + 30)); fi
  n=$((writes % 2))
  if (( n == 0 )); then op="INSERT DATA { GRAPH <urn:soak> { <urn:soak:s$writes> <urn:soak:p> $writes } }"
  else op="DELETE DATA { GRAPH <urn:soak> { <urn:soak:s$((writes - 1))> <urn:soak:p> $((writes - 1)) } }"; fi
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/sparql-update' --data-binary "$op" "http://127.0.0.1:$port/update")
  [[ $code == 2* ]] || failed=$((failed + 1))
  writes=$((writes + 1))
  sleep 0.2
done
wait "$wrk_pid" || true
sample "$secs" >> "$work/soak-samples.tsv"
left=$(curl -s -H 'Accept: text/csv' "http://127.0.0.1:$port/query?query=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:soak> { ?s ?p ?o } }", safe=""))')" | tail -1 | tr -d '\r')
summary="$(python3 benches/wrk_summary.py "$work/soak-wrk.txt")"
echo -e "$summary\t$writes\t$failed\t$left" > "$work/soak.tsv"

python3 - "$work/soak.tsv" "$work/soak-samples.tsv" "$("$mss" --version)" "$(nproc)" "$triples" "$secs" <<'PY' | python3 benches/put_section.py serve-soak
import sys
rps, p50, p99, total, errors, writes, failed, left = open(sys.argv[1]).read().split("\t")
samples = [list(map(int, l.split("\t"))) for l in open(sys.argv[2]) if l.strip()]
triples, secs = int(sys.argv[5]), int(sys.argv[6])
print("## Serve soak: mixed reads and writes\n")
print(f"Produced by `benches/serve-soak.sh` in one run: {sys.argv[3]}, {sys.argv[4]} cores, a store")
print(f"of {triples:,} generated triples. For {secs} s: wrk -t2 -c16 on a 10-row SELECT (CSV) and,")
print("at the same time, a writer sending an update every 0.2 s with the bearer token (an INSERT")
print("DATA, then its DELETE DATA). Resident memory, open files and threads sampled every 30 s.\n")
print("| reads | read errors | req/s | p50 | p99 | writes | failed writes | triples left by the writer |")
print("|---|---|---|---|---|---|---|---|")
print(f"| {int(total):,} | {errors} | {float(rps):,.0f} | {p50} | {p99} | {int(writes):,} | {failed} | {left.strip()} |\n")
print("| second | resident memory (MiB) | open files | threads |")
print("|---|---|---|---|")
for i, s in enumerate(samples):
    when = f"{s[0]}, load stopped" if i == len(samples) - 1 else s[0]
    print(f"| {when} | {s[1]} | {s[2]} | {s[3]} |")
# The load runs until the last sample but one; the last is taken after it stopped.
under_load = [s for s in samples[:-1] if s[0] >= 60] or samples[:-1]
rss = [s[1] for s in under_load]; fds = [s[2] for s in under_load]; threads = [s[3] for s in under_load]
tail = rss[-5:]
after = samples[-1]
ok = errors == "0" and failed == "0" and left.strip() == "0" and max(tail) - min(tail) <= 4
print(f"Under load, after the first minute: memory {min(rss)}-{max(rss)} MiB, the last five samples "
      f"within {max(tail) - min(tail)} MiB (it settles as RocksDB's caches fill); open files "
      f"{min(fds)}-{max(fds)} and threads {min(threads)}-{max(threads)}, moving with the connections. "
      f"Once the load stopped: {after[2]} open files and {after[3]} threads, as before it began "
      f"({samples[0][2]} and {samples[0][3]}). "
      + ("No error, nothing left behind, no growth." if ok else "**Errors, leftovers or growth: see above.**"))
PY
sed -n '/<!-- begin serve-soak -->/,/<!-- end serve-soak -->/p' benches/RESULTS.md
