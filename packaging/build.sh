#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs missing packages, then configures and builds Larch into ./build (ccache keeps rebuilds cheap).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
cmake --preset default -S "$root" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
