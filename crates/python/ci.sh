#!/usr/bin/env bash
# The Python package's CI step (called by .ci/run, or alone from anywhere): a fresh virtualenv
# under target/, `pip install` of the package with its extras (maturin builds the extension into
# target/python), then pytest. GEOEVENTS_BIN: the CLI the tests compare with (default
# target/debug/geoevents, as `cargo test` leaves it; it is built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
PY=${PYTHON:-python3}
venv=target/python-venv
rm -rf "$venv"
"$PY" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
export CARGO_TARGET_DIR="$PWD/target/python"
"$venv/bin/python" -m pip install -q "./crates/python[geo,spark,test]"
echo "python: venv and package installed in $((SECONDS - started)) s"
export GEOEVENTS_BIN=${GEOEVENTS_BIN:-$PWD/target/debug/geoevents}
[ -x "$GEOEVENTS_BIN" ] || cargo build --bin geoevents
"$venv/bin/python" -m pytest -p no:cacheprovider -q crates/python/tests
echo "python: step took $((SECONDS - started)) s"
