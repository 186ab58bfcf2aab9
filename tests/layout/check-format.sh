#!/bin/sh
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Every C++ file is formatted as .clang-format says (clang-format 14, Debian 12's). To fix what this reports:
#   clang-format -i <file>...
# Usage: check-format.sh SOURCE_DIR
set -eu
cd "$1"
command -v clang-format >/dev/null || { echo "check-format: clang-format is missing; run packaging/install-deps.sh" >&2; exit 2; }
files=$(find src app tools tests -name '*.cpp' -o -name '*.h' | sort)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files 2>/tmp/larch-format.$$; then
  grep -E '^[^ ].*(warning|error):' /tmp/larch-format.$$ | sed 's/:[0-9]*:[0-9]*: .*//' | sort -u | sed 's/^/not formatted: /'
  rm -f /tmp/larch-format.$$
  echo "check-format: run clang-format -i on the files above" >&2
  exit 1
fi
rm -f /tmp/larch-format.$$
echo "check-format: $(echo "$files" | wc -l) C++ files formatted as .clang-format says"
