#!/usr/bin/env bash
# Installs what is missing, checks the formatting, configures, builds (warnings are
# errors) and runs the whole test suite, then builds the .deb and checks it
# (scripts/check-package.sh).
# Then the same suite again under AddressSanitizer + UBSan (clang, build-asan/), and a
# 60-second run of each libFuzzer target (scripts/fuzz.sh).
# Usage: scripts/test.sh                 (build dirs: build/, build-asan/)
#        SPINDLE_QUICK=1 scripts/test.sh   (the first build and suite only)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/check-format.sh
build=${BUILD_DIR:-build}
# Warnings in our own code fail the build here (and so in CI); a plain cmake build only warns.
cmake -S . -B "$build" -G Ninja -DSPINDLE_WERROR=ON
cmake --build "$build" -j "${JOBS:-2}"
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}"
# The package: the .deb built and checked by lintian, unpacked and run (about a minute).
BUILD_DIR="$build" scripts/check-package.sh
[ "${SPINDLE_QUICK:-0}" = 1 ] && exit 0

# Sanitizers: every test again, with leak checks; any report fails the test.
asan=build-asan
cmake -S . -B "$asan" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSPINDLE_FUZZ=ON -DSPINDLE_BENCHMARKS=OFF
cmake --build "$asan" -j "${JOBS:-2}"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan" --output-on-failure -j "${JOBS:-2}"

# Fuzzing: each target for SPINDLE_FUZZ_SECONDS (default 60), seeded from the scenarios.
scripts/fuzz.sh "${SPINDLE_FUZZ_SECONDS:-60}"
