#!/usr/bin/env bash
# Runs every fuzz target for SECS seconds each (default 600), two at a time on two cores, and
# prints each one's executions and findings. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`); libFuzzer comes with the libfuzzer-sys crate. Never in CI's
# default run. Crashes are saved under fuzz/artifacts/TARGET/; fix each with a regression test.
#   fuzz/run.sh [SECS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}; shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(saved_query_header parameter_binding pretty_round_trip names_folding serve_request mentions_matcher)
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/mss-kg/fuzz-target}"
# Judged by use: a toolchain list that names nightly, a cargo-fuzz that answers.
rustup toolchain list 2>/dev/null | grep -q '^nightly' || {
  echo "fuzz/run.sh: needs a nightly toolchain (libFuzzer's sanitizer flags): rustup toolchain install nightly" >&2
  exit 1
}
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# (cargo fuzz builds one target or all: all, once.)
scripts/with-deps cargo +nightly fuzz build --release 2>&1 | tail -1
mkdir -p fuzz/logs
run() {
  local t=$1
  mkdir -p "fuzz/corpus/$t"
  cargo +nightly fuzz run --release "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=4096 -print_final_stats=1 \
    > "fuzz/logs/$t.log" 2>&1 && status=ok || status="FAILED (see fuzz/logs/$t.log, fuzz/artifacts/$t/)"
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$' || echo "?")
  echo "$t: $secs s, $execs executions, $status"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if [[ $((i + 1)) -lt ${#targets[@]} ]]; then
    run "${targets[i + 1]}" &
  fi
  wait
done
