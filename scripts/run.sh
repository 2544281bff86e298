#!/usr/bin/env bash
# Installs what is missing, builds, and opens the desktop app on the default
# scenario (worker_pool.lua). With no display it says so and writes the default
# scenario's timeline with `spindle --export` instead, printing the file's path.
# Usage: scripts/run.sh [FILE.lua | TRACE]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target spindle spindle-run

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    out="$PWD/$build/worker_pool.png"
    echo "No display: writing the default scenario's timeline instead of opening the window."
    status=0
    "$build/app/spindle" --export "$out" "${1:-scenarios/worker_pool.lua}" >/dev/null || status=$?
    [ "$status" -eq 2 ] && exit 2   # nothing written (the error is above)
    echo "$out"
    exit 0
fi
exec "$build/app/spindle" "$@"
