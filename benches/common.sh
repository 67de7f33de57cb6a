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
  echo "== building mss-kg (release); oxigraph $oxigraph_version's CLI from PyPI" >&2
  scripts/with-deps cargo build --release --quiet
  mss="$CARGO_TARGET_DIR/release/mss-kg"
  # The `oxigraph` wheel on PyPI carries the release CLI binary: seconds to install, where
  # building oxigraph-cli from crates.io takes half an hour on two cores.
  if [[ ! -x "$tools/venv/bin/oxigraph" ]]; then
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet "oxigraph==$oxigraph_version"
  fi
  oxi="$tools/venv/bin/oxigraph"
}

# bench_data TRIPLES: sets $data to the generated Wikidata-shaped N-Triples file of that size.
bench_data() {
  data="$work/wikidata-$1.nt"
  [[ -f "$data" ]] || python3 benches/gen_wikidata.py "$1" "$data"
}
