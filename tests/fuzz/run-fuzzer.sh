#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fuzzes with libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer (clang), starting from a target's seeds
# and the regression inputs kept in tests/fuzz/<target>/. An input that crashes is written into that folder, where
# every ctest run replays it from then on: fix the parser, keep the input.
# Usage: tests/fuzz/run-fuzzer.sh [TARGET] [SECONDS] [LIBFUZZER_FLAG...]   (defaults: photo_metadata, 120; SECONDS 0
#                                                                          runs until a flag such as -runs=N stops it)
#        tests/fuzz/run-fuzzer.sh --all [SECONDS]    every target for SECONDS each (default 30), one after another,
#                                                    quietly: a line per target; exits 1 when any of them crashed.
#                                                    SECONDS 0 only builds them and replays their seeds and inputs.
# Builds every target at once into ./build-fuzz; installs clang and its sanitizer runtimes when missing (only fuzzing
# needs them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
all=0
if [ "${1:-}" = --all ]; then
  all=1
  shift
  seconds="${1:-30}"
  targets=()
  for f in "$root"/tests/fuzz/fuzz_*.cpp; do
    t="$(basename "$f" .cpp)"
    targets+=("${t#fuzz_}")
  done
  extra=()
else
  targets=("${1:-photo_metadata}")
  seconds="${2:-120}"
  extra=("${@:3}")
  [ -f "$root/tests/fuzz/fuzz_${targets[0]}.cpp" ] || { echo "run-fuzzer: no target ${targets[0]} in tests/fuzz" >&2; exit 2; }
fi

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
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ $all = 1 ]; then
  # One build of every target; its output only when it fails.
  cmake --build "$build" -j"$(nproc)" --target fuzzers >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
else
  cmake --build "$build" -j"$(nproc)" --target "fuzz_${targets[0]}" "replay_${targets[0]}"
fi
failed=()
for t in "${targets[@]}"; do
  corpus="$work/$t"
  # The seeds, written for the fuzzer, and every kept input replayed under the sanitizers first: an input kept for a
  # bug only a sanitizer sees (undefined behaviour) fails here until the bug is fixed.
  if ! "$build/tests/fuzz/replay_$t" --write-seeds "$corpus" "$root/tests/fuzz/$t" >"$work/$t.replay" 2>&1; then
    failed+=("$t")
    echo "fuzz $t: FAILED replaying its seeds and the inputs kept in tests/fuzz/$t/:" >&2
    tail -20 "$work/$t.replay" >&2
    continue
  fi
  [ $all = 1 ] && [ "$seconds" = 0 ] && continue
  run=("$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1
       -artifact_prefix="$root/tests/fuzz/$t/" "${extra[@]}" "$corpus" "$root/tests/fuzz/$t")
  if [ $all = 0 ]; then
    "${run[@]}"
    continue
  fi
  status=0
  "${run[@]}" >"$work/$t.log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")"
  if [ $status = 0 ]; then
    echo "fuzz $t: ${runs:-?} runs in ${seconds} s, no crash"
  else
    failed+=("$t")
    echo "fuzz $t: FAILED (exit $status); the input is written to tests/fuzz/$t/ (crash-*, leak-*, timeout-*):" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_|.*runtime error|artifact_prefix|Test unit written)' "$work/$t.log" >&2 || tail -20 "$work/$t.log" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzer: ${#failed[@]} target(s) crashed: ${failed[*]}" >&2
  exit 1
fi
