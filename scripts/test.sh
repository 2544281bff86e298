#!/usr/bin/env bash
# Installs what is missing, checks the formatting, configures, builds (warnings are
# errors) and runs the whole test suite.
# Usage: scripts/test.sh            (build dir: build/)
#        SPINDLE_SANITIZE=ON BUILD_DIR=build-asan scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/check-format.sh
build=${BUILD_DIR:-build}
# Warnings in our own code fail the build here (and so in CI); a plain cmake build only warns.
cmake -S . -B "$build" -G Ninja -DSPINDLE_SANITIZE="${SPINDLE_SANITIZE:-OFF}" -DSPINDLE_WERROR=ON
cmake --build "$build" -j "${JOBS:-2}"
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}"
