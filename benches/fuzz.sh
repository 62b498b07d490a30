#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for a bounded time each and reports executions and crashes.
#
#     bash benches/fuzz.sh [TEXT_SECONDS] [GEONAMES_SECONDS]     (defaults 600 and 120)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain builds it with
# RUSTC_BOOTSTRAP=1. Targets are built without a sanitizer (`-s none`): the code under test is safe
# Rust, so a bug shows as a panic, which libFuzzer reports as a crash just the same, and the run
# gets several times more executions. Seeds: the example report and the GeoNames fixture rows.
# Crashes land in fuzz/artifacts/<target>/; each one found gets a regression test in tests/.
# Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
text_secs=${1:-600}
geo_secs=${2:-120}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/text_pipeline corpus/geonames_line artifacts
cp ../examples/*.txt corpus/text_pipeline/
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" > "corpus/geonames_line/fixture-$i"
done < <(head -n 40 ../tests/fixtures/geonames/UA.txt)
cargo fuzz build -O -s none >/dev/null 2>&1
total=0
for spec in "geonames_line:$geo_secs:4096" "text_pipeline:$text_secs:2048"; do
    IFS=: read -r target secs maxlen <<<"$spec"
    log=$(mktemp)
    status=0
    cargo fuzz run -O -s none "$target" "corpus/$target" -- \
        -max_total_time="$secs" -max_len="$maxlen" -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "artifacts/$target" -type f 2>/dev/null | wc -l)
    total=$((total + runs))
    echo "$target: ${secs}s, $runs executions ($rate/s), exit $status, crash files: $crashes"
    rm -f "$log"
done
echo "total executions: $total"
