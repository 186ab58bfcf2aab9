#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# The run command: installs what is missing, builds, starts larch-server with the demo practice
# (SQLite in ./larch-data), has larch-demo-seed fill it with a few end-to-end encrypted messages,
# and opens the desktop app as the demo clinician on the device the seeder set up for him. With no display,
# larch-shots renders that window once under Xvfb and saves it as ./larch-demo.png instead.
# Environment: LARCH_PORT (default 8080), LARCH_DATA_DIR (default ./larch-data, or ./larch-data-<port> for
# another port: the demo devices' keys and sessions belong to the address they were made with, so each port
# gets a demo of its own).
#
# Device keys live in the system keychain (the Secret Service). Without a reachable one (no desktop
# session, e.g. a fresh root shell), the seeder and the app share a private GNOME Keyring kept in
# <data dir>/keyring, unlocked with a random password stored beside it, so a second run finds the
# demo devices' keys again. That keyring only ever holds the demo accounts' keys.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

port="${LARCH_PORT:-8080}"
case "$port" in
  ''|*[!0-9]*) echo "run-demo: LARCH_PORT must be a port number such as 8181, not \"$port\"" >&2; exit 1 ;;
esac
if [ -n "${LARCH_DATA_DIR:-}" ]; then
  data_dir="$LARCH_DATA_DIR"
elif [ "$port" = 8080 ]; then
  data_dir="$root/larch-data"
else
  data_dir="$root/larch-data-$port"
fi
server="$root/build/app/larch-server/larch-server"
app="$root/build/app/larch/larch"
shots="$root/build/tools/larch-shots/larch-shots"
seed="$root/build/app/larch-demo-seed/larch-demo-seed"
mkdir -p "$data_dir"
data_dir="$(cd "$data_dir" && pwd)"
keyring_dir="$data_dir/keyring"
url="http://127.0.0.1:$port"

# The demo apps' sessions and device keys belong to the server address they were made with: a data folder
# seeded for one port cannot be used on another (its devices would keep calling the old address).
url_file="$data_dir/demo-server-url"
if [ -s "$url_file" ] && [ "$(cat "$url_file")" != "$url" ]; then
  echo "run-demo: the demo in $data_dir was set up for $(cat "$url_file"), and its devices belong to that" \
       "address. Run it there again (LARCH_PORT=$(sed 's/.*://' "$url_file")), or start a" \
       "demo for port $port in a folder of its own (LARCH_DATA_DIR=$data_dir-$port)." >&2
  exit 1
fi

"$root/packaging/build.sh"

# Is a Secret Service (org.freedesktop.secrets) running or startable on the current session bus?
secret_service_reachable() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || return 1
  local names
  names="$(timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
             org.freedesktop.DBus.ListNames 2>/dev/null || true)
$(timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
             org.freedesktop.DBus.ListActivatableNames 2>/dev/null || true)"
  grep -q '"org.freedesktop.secrets"' <<<"$names"
}

use_private_keyring=0
if ! secret_service_reachable; then
  use_private_keyring=1
  for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "run-demo: $tool is missing; run packaging/install-deps.sh" >&2; exit 1; }
  done
  # Keys made in an earlier run's private keyring are the only ones that open that run's data: a
  # keyring that is gone means the demo starts afresh rather than on devices nobody can unlock.
  if [ ! -s "$keyring_dir/password" ] && { [ -e "$data_dir/larch.sqlite3" ] || [ -d "$data_dir/app-ben" ]; }; then
    echo "run-demo: the demo keyring in $keyring_dir is missing, so the demo data in $data_dir starts afresh"
    find "$data_dir" -mindepth 1 -maxdepth 1 ! -name keyring -exec rm -rf {} +
  fi
  mkdir -p "$keyring_dir/home/.cache" "$keyring_dir/data" "$keyring_dir/runtime"
  chmod 700 "$keyring_dir" "$keyring_dir/runtime"
  if [ ! -s "$keyring_dir/password" ]; then
    (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$keyring_dir/password")
  fi
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$server" --demo --port "$port" --data-dir "$data_dir" --log-level info >"$work/server.out" 2>"$data_dir/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '^larch-server listening on ' "$work/server.out" 2>/dev/null && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run-demo: larch-server did not start (is port $port in use? set LARCH_PORT):" >&2
    tail -n 20 "$data_dir/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "run-demo: larch-server is running at $url (data in $data_dir, log in $data_dir/server.log)"
echo "run-demo: demo accounts use the password larch-demo-password (see README.md)"
echo "run-demo: invitations and sign-up codes stay on this machine: open $url/dev/outbox to read them"

umask 077
printf '%s\n' 'larch-demo-password' >"$work/password"

# Seeds (once; later runs find the messages and do nothing), then opens the app as Ben. The seeder
# keeps each account's app data in <data dir>/app-<name>, so the app opened here is Ben's device.
seed_then_open() {
  "$seed" --server "$url" --data-dir "$data_dir" --password-file "$work/password"
  printf '%s\n' "$url" >"$url_file"  # the demo's devices now belong to this address
  export LARCH_CLIENT_DATA_DIR="$data_dir/app-ben"
  local app_args=(--server "$url" --email ben@birch.example --password-file "$work/password" --open-first-conversation)
  if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    "$app" "${app_args[@]}"
  else
    local shot="$root/larch-demo.png"
    echo "run-demo: no display here, so the app's window (larch-shots) runs under Xvfb once and is saved to $shot"
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
      "$shots" "${app_args[@]}" --window-size 1280x800 --screenshot "$shot"
    echo "run-demo: saved $shot. Run this from a desktop session to use the app; the server keeps running until Ctrl-C."
  fi
}

# Runs seed_then_open on a private session bus whose Secret Service is the demo keyring, unlocked.
# Only the keyring daemon sees the keyring's home; the seeder and the app keep the caller's.
with_private_keyring() {
  export -f seed_then_open
  export seed url url_file data_dir work app shots root keyring_dir
  dbus-run-session -- bash -c '
    set -euo pipefail
    HOME="$keyring_dir/home" XDG_DATA_HOME="$keyring_dir/data" XDG_RUNTIME_DIR="$keyring_dir/runtime" \
      gnome-keyring-daemon --unlock --components=secrets <"$keyring_dir/password" >/dev/null
    unset XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION
    seed_then_open
  '
}

if [ "$use_private_keyring" = 1 ]; then
  echo "run-demo: no system keychain on this session, so device keys go to the demo keyring in $keyring_dir"
  with_private_keyring
else
  seed_then_open
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  wait "$server_pid"
fi
