#!/usr/bin/env bash
# Installs what is missing, builds, and runs the default scenario.
# Usage: scripts/run.sh [SCENARIO.lua] [spindle-run options...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target spindle-run
if [ $# -eq 0 ]; then
    set -- scenarios/worker_pool.lua
fi
exec "$build/app/spindle-run" "$@"
