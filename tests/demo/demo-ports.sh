#!/bin/sh
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# The demo on another port: a data folder's demo devices belong to the server address they were seeded with.
# The real larch-server (--demo) and larch-demo-seed (in a private keyring, tests/support/run-with-keyring.sh) seed a
# folder on one port; on another port the seeder stops at once with a sentence naming both addresses (it used to
# wait a minute and say "the clinician does not see the expected conversation"), and run-demo.sh refuses a folder
# seeded for another port with what to do, before building or starting anything.
# Usage: demo-ports.sh SERVER SEED RUN_DEMO
set -eu
server=$1 seed=$2 run_demo=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/larch-demo-ports.XXXXXX")
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Starts the demo server on an ephemeral port; sets $pid and $url.
start_server() {
    "$server" --demo --port 0 --data-dir "$work/data" >"$work/server.out" 2>>"$work/server.log" &
    pid=$!
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^larch-server listening on .*:\([0-9][0-9]*\).*/\1/p' "$work/server.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || fail "the server did not start: $(tail -n 5 "$work/server.log")"
    url="http://127.0.0.1:$port"
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

mkdir -p "$work/data"
printf 'larch-demo-password\n' >"$work/password"

start_server
first=$url
"$seed" --server "$first" --data-dir "$work/data" --password-file "$work/password" >"$work/seed1.out" 2>&1 \
    || fail "seeding $first failed: $(tail -n 5 "$work/seed1.out")"
stop_server

start_server
second=$url
[ "$second" != "$first" ] || fail "the server came back on the same port"
status=0
"$seed" --server "$second" --data-dir "$work/data" --password-file "$work/password" >"$work/seed2.out" 2>&1 \
    || status=$?
[ "$status" -ne 0 ] || fail "the seeder used a folder seeded for $first with $second"
grep -qF "the demo data of the clinician was made with the server at $first, not $second." "$work/seed2.out" \
    || fail "the seeder did not say which server the data belongs to: $(cat "$work/seed2.out")"
stop_server

# run-demo.sh remembers the address a folder was seeded for, and says what to do before doing anything.
printf '%s\n' "$first" >"$work/data/demo-server-url"
status=0
LARCH_DATA_DIR="$work/data" LARCH_PORT="${second##*:}" "$run_demo" >"$work/run.out" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "run-demo.sh went on with a folder seeded for another port"
grep -qF "was set up for $first" "$work/run.out" && grep -qF "LARCH_PORT=${first##*:}" "$work/run.out" \
    || fail "run-demo.sh did not say what to do: $(cat "$work/run.out")"
! grep -q "install-deps\|larch-server is running" "$work/run.out" || fail "run-demo.sh built or started first"
status=0
LARCH_PORT=80x "$run_demo" >"$work/bad-port.out" 2>&1 || status=$?
[ "$status" -ne 0 ] && grep -qF 'LARCH_PORT must be a port number' "$work/bad-port.out" \
    || fail "a port that is not a number was not refused: $(cat "$work/bad-port.out")"
echo "PASS: a demo folder stays with the address it was seeded for, and says so"
