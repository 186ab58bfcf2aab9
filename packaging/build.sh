#!/usr/bin/env bash
# Installs missing packages, then configures and builds Larch into ./build (ccache keeps rebuilds cheap).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
cmake --preset default -S "$root" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
