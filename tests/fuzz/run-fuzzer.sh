#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fuzzes one target with libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer (clang), starting from its
# seeds and the regression inputs kept in tests/fuzz/<target>/. An input that crashes is written into that folder,
# where every ctest run replays it from then on: fix the parser, keep the input.
# Usage: tests/fuzz/run-fuzzer.sh [TARGET] [SECONDS]      (defaults: photo_metadata, 120)
# Builds into ./build-fuzz; installs clang and its sanitizer runtimes when missing (only fuzzing needs them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-photo_metadata}"
seconds="${2:-120}"
[ -f "$root/tests/fuzz/fuzz_$target.cpp" ] || { echo "run-fuzzer: no target $target in tests/fuzz" >&2; exit 2; }

"$root/packaging/install-deps.sh"
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build="$root/build-fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLARCH_FUZZ=ON -DLARCH_WERROR=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined" >/dev/null
cmake --build "$build" --target "fuzz_$target" "replay_$target"

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
"$build/tests/fuzz/replay_$target" --write-seeds "$corpus" "$root/tests/fuzz/$target"
"$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$root/tests/fuzz/$target/" "$corpus" "$root/tests/fuzz/$target"
