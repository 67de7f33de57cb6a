# Sourced by the benchmark scripts (from the repository root): the work folders, and the two
# release binaries compared side by side.
#   bench_setup DEBIAN_COMMAND:PACKAGE...   installs what is missing, then sets $mss and $oxi
work="benches/.work"; tools="benches/.tools"
mkdir -p "$work" "$tools"
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/mss-kg/bench-target}"
oxigraph_version="0.5.13"   # the version the mss-kg crate builds on

bench_setup() {
  local pkg
  for pkg in "$@"; do
    command -v "${pkg%%:*}" >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkg#*:}" >/dev/null
  done
  echo "== building mss-kg (release) and oxigraph-cli $oxigraph_version (release)" >&2
  scripts/with-deps cargo build --release --quiet
  mss="$CARGO_TARGET_DIR/release/mss-kg"
  if [[ ! -x "$tools/bin/oxigraph" ]]; then
    scripts/with-deps cargo install --quiet --locked --root "$tools" --version "$oxigraph_version" oxigraph-cli
  fi
  oxi="$tools/bin/oxigraph"
}
