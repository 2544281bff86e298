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
# FUZZ_TARGETS="trace" runs only some targets; FUZZ_TIMEOUT (default 20) is the seconds
# after which one input counts as a hang: raise it where the fuzzer shares its core. On a shared machine keep it to one
# core: FUZZ_RUNS=10000000 taskset -c 1 nice -n 19 scripts/fuzz.sh 86400
#
# FUZZ_JOBS=N runs N fuzzing processes per target on one corpus (libFuzzer's -jobs), each
# with its share of FUZZ_RUNS (and SECONDS each); their logs are
# $out/jobs-TARGET/fuzz-K.log. Each job first loads the whole corpus (those inputs count
# toward its share). One process per core at most.
#
# FUZZ_FAST=1 fuzzes in build-fuzz-fast/, built with UBSan and libFuzzer but without
# AddressSanitizer (its allocator and quarantine are most of an input's cost: the scenario
# target runs about 4x more inputs per second), then replays every input of the corpus it
# grew once under AddressSanitizer + UBSan (build-asan/), so a memory error among them is
# still reported.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
runs=${FUZZ_RUNS:-}
jobs=${FUZZ_JOBS:-1}
targets=${FUZZ_TARGETS:-trace scenario}
asan=build-asan
out=$asan
[ "${FUZZ_FAST:-0}" = 1 ] && out=build-fuzz-fast

scripts/deps.sh
# The same settings as scripts/test.sh's sanitized stage, so the two share one build.
cmake -S . -B "$asan" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSPINDLE_FUZZ=ON -DSPINDLE_BENCHMARKS=OFF >/dev/null
cmake --build "$asan" -j"${JOBS:-2}" --target spindle_fuzz_trace spindle_fuzz_scenario spindle-run
if [ "$out" != "$asan" ]; then
    cmake -S . -B "$out" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSPINDLE_FUZZ=ON -DSPINDLE_SANITIZERS=undefined -DSPINDLE_BENCHMARKS=OFF \
        -DSPINDLE_TESTS=OFF >/dev/null
    cmake --build "$out" -j"${JOBS:-2}" --target spindle_fuzz_trace spindle_fuzz_scenario
fi
[ "$seconds" -gt 0 ] || exit 0

# Seeds: every shipped scenario, and the trace of its run (deadlock included).
seeds=$out/seeds
mkdir -p "$seeds/trace" "$seeds/scenario" "$out/corpus/trace" "$out/corpus/scenario" "$out/findings"
for s in scenarios/*.lua; do
    n=$(basename "$s" .lua)
    cp "$s" "$seeds/scenario/$n.lua"
    "$asan/app/spindle-run" -q --trace "$seeds/trace/$n.spt" "$s" >/dev/null 2>&1 || true
done

# A small quarantine: freed memory is reused sooner, so an input touches fewer fresh pages
# (costly on this VM); use-after-free of a recent allocation is still caught.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=32
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
root=$(pwd)
for target in $targets; do
    per_job=$runs
    parallel=()
    dir=.
    logs=$out/fuzz-$target.log
    if [ "$jobs" -gt 1 ]; then
        [ -n "$runs" ] && per_job=$(((runs + jobs - 1) / jobs))
        parallel=(-jobs="$jobs" -workers="$jobs")
        dir=$out/jobs-$target
        rm -rf "$out/jobs-$target" && mkdir -p "$out/jobs-$target"
        logs="$out/jobs-$target/fuzz-*.log"
    fi
    echo "fuzz: spindle_fuzz_$target for ${seconds}s${runs:+ or $runs inputs}$([ "$jobs" -gt 1 ] && echo " in $jobs jobs")"
    # libFuzzer writes each job's log to fuzz-K.log in the working directory.
    started=$(mktemp)
    (cd "$dir" && exec "$root/$out/tests/fuzz/spindle_fuzz_$target" ${parallel[@]+"${parallel[@]}"} -max_total_time="$seconds" \
        ${per_job:+-runs="$per_job"} -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$root/$out/findings/$target-" \
        "$root/$out/corpus/$target" "$root/$seeds/$target") 2>"$out/fuzz-$target.log" || {
        # 72 is libFuzzer's exit code when interrupted (Ctrl-C ends a long campaign early):
        # no finding; the corpus it grew still gets its replay below.
        rc=$?
        if [ "$rc" -eq 72 ]; then
            echo "fuzz: interrupted"
        elif [ "$jobs" -gt 1 ] && [ -z "$(find "$out/findings" -name "$target-*" \
            ! -name "$target-slow-unit-*" -newer "$started")" ]; then
            # With -jobs the parent says only 0 or 1 (an interrupt included): a finding is
            # a new crash, leak, oom or timeout input.
            echo "fuzz: stopped without a finding"
        else
            status=1
        fi
    }
    rm -f "$started"
    # shellcheck disable=SC2086 # $logs is a glob with jobs
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|ERROR|SUMMARY" \
        $logs || true
    if [ "$out" != "$asan" ]; then
        echo "fuzz: replaying $out/corpus/$target under AddressSanitizer"
        "$asan/tests/fuzz/spindle_fuzz_$target" -runs=0 -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=2048 \
            -artifact_prefix="$out/findings/asan-$target-" "$out/corpus/$target" \
            2>"$out/replay-$target.log" || status=1
        grep -E "^#[0-9]+[[:space:]]+INITED|ERROR|SUMMARY" "$out/replay-$target.log" || true
    fi
done
if [ "$status" -ne 0 ]; then
    echo "fuzz: findings in $out/findings/ (logs: $out/fuzz-*.log, $out/jobs-*/)" >&2
fi
exit "$status"
