#!/usr/bin/env bash
# Installs the Debian packages Spindle needs, only when some are missing.
# Usage: scripts/deps.sh   (needs root, or passwordless sudo)
set -euo pipefail

packages=(cmake g++ ninja-build pkg-config catch2 nlohmann-json3-dev liblua5.4-dev libbenchmark-dev
          libcxxopts-dev clang-format qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
          fonts-dejavu-core clang libclang-rt-14-dev
          # Packaging and its tests: man pages from --help, the desktop files'
          # validators, the .deb and lintian (packaging/, tests/install/,
          # scripts/package.sh, scripts/check-package.sh).
          help2man desktop-file-utils appstream libxml2-utils shared-mime-info libglib2.0-bin
          man-db lintian dpkg-dev file gzip)

# Node and npm run the interop test against the DevTools trace engine. A node from
# elsewhere (e.g. NodeSource, which bundles npm) is kept.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
