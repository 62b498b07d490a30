#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for a bounded time each and reports executions and crashes.
#
#     bash benches/fuzz.sh [TEXT_SECONDS] [GEONAMES_SECONDS] [INDEX_SECONDS]   (defaults 600, 120, 300)
#
# A target given 0 seconds is skipped. The targets:
#   geonames_line  one line as a GeoNames dump row through the parser
#   text_pipeline  any bytes as a document (text or HTML) through places, events and the layer
#                  writers; inputs up to 1 MiB, and a repeat mode (first byte 0xFF) that builds
#                  documents up to 1 MiB from a short input
#   index          any bytes as a `--gazetteer` index file: Gazetteer::open from a file, then
#                  lookups, fuzzy search, admin names, records and `places` through it; half the
#                  inputs get their checksums rewritten to match, so mutations reach the decoders
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain builds it with
# RUSTC_BOOTSTRAP=1. Targets are built without a sanitizer (`-s none`): the code under test is safe
# Rust, so a bug shows as a panic, which libFuzzer reports as a crash just the same, and the run
# gets several times more executions. Seeds: the example reports, the GeoNames fixture rows, and
# an index built from the fixtures (with the debug binary, built here if missing).
# Crashes (crash-*, timeout-*, oom-*) land in fuzz/artifacts/<target>/; each one found gets a
# regression test in tests/. slow-unit-* files there are inputs that took over 10 s: no failure,
# but worth a look (the repeat mode's 1 MiB documents can take that long in the instrumented build).
# Not run by CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
text_secs=${1:-600}
geo_secs=${2:-120}
index_secs=${3:-300}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/text_pipeline corpus/geonames_line corpus/index \
    artifacts/text_pipeline artifacts/geonames_line artifacts/index
cp ../examples/*.txt corpus/text_pipeline/
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" > "corpus/geonames_line/fixture-$i"
done < <(head -n 40 ../tests/fixtures/geonames/UA.txt)
if [ "$index_secs" != 0 ]; then
    # Seeds for `index`: a fixture index as it is (mode byte 0) and to be resealed (mode byte 1).
    seed=$(mktemp -d)
    (cd "$root" && cargo run --quiet --bin geoevents -- gazetteer build \
        tests/fixtures/geonames/UA.txt tests/fixtures/geonames/PL.txt \
        tests/fixtures/geonames/alternateNamesV2.txt tests/fixtures/geonames/admin1CodesASCII.txt \
        tests/fixtures/geonames/countryInfo.txt -o "$seed/fx.gaz" 2>/dev/null)
    { printf '\000'; cat "$seed/fx.gaz"; } > corpus/index/fixture-plain
    { printf '\001'; cat "$seed/fx.gaz"; } > corpus/index/fixture-resealed
    index_len=$(( $(stat -c %s corpus/index/fixture-plain) * 2 ))
    rm -rf "$seed"
else
    index_len=4096
fi
cargo fuzz build -O -s none >/dev/null 2>&1
total=0
crashes_all=0
for spec in "geonames_line:$geo_secs:4096" "text_pipeline:$text_secs:1048576" "index:$index_secs:$index_len"; do
    IFS=: read -r target secs maxlen <<<"$spec"
    [ "$secs" = 0 ] && continue
    log=$(mktemp)
    status=0
    before=$(find "artifacts/$target" -type f -not -name 'slow-unit-*' | wc -l)
    cargo fuzz run -O -s none "$target" "corpus/$target" -- \
        -max_total_time="$secs" -max_len="$maxlen" -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    after=$(find "artifacts/$target" -type f -not -name 'slow-unit-*' | wc -l)
    slow=$(find "artifacts/$target" -type f -name 'slow-unit-*' | wc -l)
    total=$((total + runs))
    crashes_all=$((crashes_all + after - before))
    echo "$target: ${secs}s, $runs executions ($rate/s), exit $status, new crash files: $((after - before)) (all: $after; slow units, not crashes: $slow)"
    if [ "$status" != 0 ]; then
        tail -n 30 "$log" | sed "s/^/    $target: /"
    fi
    rm -f "$log"
done
echo "total executions: $total, new crash files: $crashes_all"
