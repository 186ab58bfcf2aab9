#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# The test command: installs what is missing, builds, runs every test under ctest, fuzzes every fuzz target for a short
# while (LARCH_FUZZ_SECONDS each, default 30; 0 skips), then builds the sanitizer preset (AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs the core, client, models and server tests under it.
# Arguments go to both ctest runs (e.g. -R server_). LARCH_SKIP_SANITIZE=1 skips the sanitizer build and its tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/build.sh"
export QT_QPA_PLATFORM=offscreen
(cd "$root/build" && ctest --output-on-failure --timeout 600 -j"$(nproc)" "$@")

# A short run of every fuzz target (tests/fuzz; clang's libFuzzer under ASan and UBSan, built once into build-fuzz/):
# LARCH_FUZZ_SECONDS each, 30 by default, 0 skips them. A crash fails the test, and its input is left in the target's
# folder for the replay tests to keep.
fuzz_seconds="${LARCH_FUZZ_SECONDS:-30}"
if [ "$fuzz_seconds" != 0 ]; then
  echo "run-tests: ${fuzz_seconds} s of fuzzing per target (build-fuzz/)"
  "$root/tests/fuzz/run-fuzzer.sh" --all "$fuzz_seconds"
fi

[ "${LARCH_SKIP_SANITIZE:-0}" = 1 ] && exit 0
echo "run-tests: the same tests under AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/)"
cmake --preset sanitize -S "$root" >/dev/null
cmake --build "$root/build-sanitize" -j"$(nproc)"
# Any report fails the test: UBSan stops at the first (-fno-sanitize-recover), ASan and LeakSanitizer exit non-zero.
# The suppressions name leaks in system libraries Larch does not own (tests/sanitizers/), never Larch's own code.
# Leaks are traced with the slow unwinder (system libraries have no frame pointers, so a fast trace stops in them and
# could not be matched), and thread-local storage is not scanned: GCC 12's LeakSanitizer crashes walking the dynamic
# TLS of the multimedia plug-ins.
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0:malloc_context_size=30"
export LSAN_OPTIONS="use_tls=0:suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizers/ubsan.supp"
cd "$root/build-sanitize"
ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@"
