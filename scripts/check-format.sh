#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format (the checked-in
# .clang-format) would write. Fix with: clang-format -i FILE
# Usage: scripts/check-format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/spindle-format.$$; then
    grep -E '^[^ ].*: (warning|error):' /tmp/spindle-format.$$ | cut -d: -f1 | sort -u |
        sed 's/^/not clang-formatted: /'
    rm -f /tmp/spindle-format.$$
    echo "Run clang-format -i on the files above." >&2
    exit 1
fi
rm -f /tmp/spindle-format.$$
echo "format: ${#files[@]} files clang-formatted"
