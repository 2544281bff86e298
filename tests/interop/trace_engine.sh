#!/usr/bin/env bash
# Interop test: every shipped scenario's Chrome JSON, read by the DevTools trace
# engine (@paulirish/trace_engine from the npm registry, installed once into a cache).
# Exits 77 (CTest: skipped) with a message when neither the package is cached nor the
# registry reachable; any other failure fails the test.
# Usage: tests/interop/trace_engine.sh SPINDLE_RUN SCENARIO_DIR
set -euo pipefail
spindle_run=$1
scenarios=$2
here=$(cd "$(dirname "$0")" && pwd)
version=0.0.65  # pinned: a new engine release is a deliberate upgrade
cache=${SPINDLE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spindle/trace_engine-$version}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIPPED: node and npm are not installed (scripts/deps.sh installs them)"
    exit 77
fi
if [ ! -f "$cache/node_modules/@paulirish/trace_engine/package.json" ]; then
    mkdir -p "$cache"
    if ! (cd "$cache" && timeout 300 npm install --silent --no-audit --no-fund --prefix "$cache" \
            "@paulirish/trace_engine@$version" >"$cache/npm.log" 2>&1); then
        echo "SKIPPED: could not install @paulirish/trace_engine@$version from the npm registry:"
        tail -5 "$cache/npm.log"
        exit 77
    fi
fi
# The check script imports the package by name: run it from the cache's tree.
cp "$here/check_trace_engine.mjs" "$cache/check_trace_engine.mjs"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for s in "$scenarios"/*.lua; do
    n=$(basename "$s" .lua)
    "$spindle_run" -q --chrome-trace "$work/$n.json" --events "$s" >"$work/$n.events" 2>/dev/null || true
    # Wakes followed by a poll of the woken task, or by the end of the blocking call it
    # was blocked in (a flow needs both ends), and log lines.
    read -r wakes delivered logs < <(awk '
        $5 == "task_wake"  { t = $4; pending[t]++; wakes++ }
        $5 == "poll_start" { t = $4; delivered += pending[t]; pending[t] = 0 }
        $5 == "wait_start" && /holds_worker=true/ { blocked[$4] = 1 }
        $5 == "wait_end" && blocked[$4] { t = $4; delivered += pending[t]; pending[t] = 0; blocked[t] = 0 }
        $5 == "log"        { logs++ }
        END { print wakes + 0, delivered + 0, logs + 0 }' "$work/$n.events")
    echo "$n: $wakes wakes, $delivered followed by a poll"
    node "$cache/check_trace_engine.mjs" "$work/$n.json" "$delivered" "$logs" || status=1
done

# A piece of a run (--range FROM:TO, in ms): only the wakes inside it whose poll also
# starts inside it can be flows; logs inside it are instants.
n=worker_pool
"$spindle_run" -q --chrome-trace "$work/$n.range.json" --range 1:3 "$scenarios/$n.lua" 2>/dev/null || true
read -r delivered logs < <(awk '
    { t = $2 + 0 }  # "1.234567ms" -> 1.234567
    t < 1 || t > 3     { next }
    $5 == "task_wake"  { pending[$4]++ }
    $5 == "poll_start" { delivered += pending[$4]; pending[$4] = 0 }
    $5 == "log"        { logs++ }
    END { print delivered + 0, logs + 0 }' "$work/$n.events")
echo "$n, 1-3 ms: $delivered wakes followed by a poll"
node "$cache/check_trace_engine.mjs" "$work/$n.range.json" "$delivered" "$logs" || status=1
exit $status
