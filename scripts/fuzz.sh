#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UBSan in build-asan/
# (the sanitized build scripts/test.sh also runs the suite in) and runs each one for SECONDS (default 60), seeded from the shipped scenarios and
# their traces. Findings (crashing inputs) land in build-asan/findings/ and fail the
# script; the corpora grow in build-asan/corpus/ and are kept between runs.
#
#   scripts/fuzz.sh            # the short run .ci/run does
#   scripts/fuzz.sh 3600       # a long campaign: an hour per target
#   JOBS=2 scripts/fuzz.sh 0   # build only
#
# A campaign with an execution goal: FUZZ_RUNS=10000000 stops each target after that
# many inputs (or after SECONDS, whichever comes first; pass a large SECONDS);
# FUZZ_TARGETS="trace" runs only some targets. On a shared machine keep it to one
# core: FUZZ_RUNS=10000000 taskset -c 1 nice -n 19 scripts/fuzz.sh 86400
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
runs=${FUZZ_RUNS:-}
targets=${FUZZ_TARGETS:-trace scenario}
out=build-asan

scripts/deps.sh
# The same settings as scripts/test.sh's sanitized stage, so the two share one build.
cmake -S . -B "$out" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSPINDLE_FUZZ=ON -DSPINDLE_BENCHMARKS=OFF >/dev/null
cmake --build "$out" -j"${JOBS:-2}" --target spindle_fuzz_trace spindle_fuzz_scenario spindle-run
[ "$seconds" -gt 0 ] || exit 0

# Seeds: every shipped scenario, and the trace of its run (deadlock included).
seeds=$out/seeds
mkdir -p "$seeds/trace" "$seeds/scenario" "$out/corpus/trace" "$out/corpus/scenario" "$out/findings"
for s in scenarios/*.lua; do
    n=$(basename "$s" .lua)
    cp "$s" "$seeds/scenario/$n.lua"
    "$out/app/spindle-run" -q --trace "$seeds/trace/$n.spt" "$s" >/dev/null 2>&1 || true
done

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in $targets; do
    echo "fuzz: spindle_fuzz_$target for ${seconds}s${runs:+ or $runs inputs}"
    "$out/tests/fuzz/spindle_fuzz_$target" -max_total_time="$seconds" ${runs:+-runs="$runs"} -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/findings/$target-" \
        "$out/corpus/$target" "$seeds/$target" 2>"$out/fuzz-$target.log" || status=1
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|ERROR|SUMMARY" \
        "$out/fuzz-$target.log" || true
done
if [ "$status" -ne 0 ]; then
    echo "fuzz: findings in $out/findings/ (logs: $out/fuzz-*.log)" >&2
fi
exit "$status"
