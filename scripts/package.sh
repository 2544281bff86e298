#!/usr/bin/env bash
# Builds the Debian package build/spindle_<version>_amd64.deb with CPack
# (packaging/deb.cmake: installs under /usr, Depends from dpkg-shlibdeps, stripped
# binaries) and checks it with lintian: an error fails, warnings are shown.
# Prints the package's path last. Install it with `apt install ./build/spindle_*.deb`.
# Usage: scripts/package.sh          (BUILD_DIR: the build folder, default build/)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "${JOBS:-2}"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb=$build/spindle_${version}_amd64.deb
rm -f "$deb"
(cd "$build" && cpack -G DEB >/dev/null)
[ -f "$deb" ] || { echo "package.sh: cpack wrote no $deb" >&2; exit 1; }
lintian --fail-on error "$deb" >&2
echo "$deb"
