#!/usr/bin/env bash
# The package test: builds the .deb (scripts/package.sh, which runs lintian), unpacks
# it with dpkg-deb -x into a temporary root, checks its control fields and Depends,
# and runs both programs from there (cwd and PATH elsewhere, offscreen).
# scripts/test.sh runs it after the test suite (about a minute).
# Usage: scripts/check-package.sh [DEB]   (a DEB given is checked without rebuilding)
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(scripts/package.sh | tail -n 1)}
deb=$(realpath "$deb")
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

version=$(sed -n 's/^project(Spindle VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ "$(basename "$deb")" = "spindle_${version}_amd64.deb" ] || fail "name: $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Package)" = spindle ] || fail "Package"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version: $(dpkg-deb -f "$deb" Version)"
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "Architecture"
# dpkg-shlibdeps' Depends: the Qt and C++ libraries the programs link, with versions.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
names=$(tr ',' '\n' <<<"$depends" | awk '{print $1}')
for lib in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libqt6charts6; do
    grep -qxF "$lib" <<<"$names" || fail "Depends lacks $lib"
done

dpkg-deb -x "$deb" "$root"
mkdir "$root/cwd"
cd "$root/cwd"
export PATH="$root/usr/bin:/usr/bin:/bin" QT_QPA_PLATFORM=offscreen
[ "$(spindle-run --version)" = "spindle-run $version" ] || fail "spindle-run --version"
spindle-run --quiet "$root/usr/share/spindle/scenarios/worker_pool.lua" || fail "spindle-run"
spindle --export pool.png >/dev/null || fail "spindle --export (the default scenario)"
file -b pool.png | grep -q "^PNG image data" || fail "pool.png: $(file -b pool.png)"
echo "check-package: $(basename "$deb") is fine"
