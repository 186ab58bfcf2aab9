#!/usr/bin/env bash
# The run command: installs what is missing, builds, starts larch-server with the demo practice
# (SQLite in ./larch-data) and opens the desktop app signed in as the demo clinician.
# Environment: LARCH_PORT (default 8080), LARCH_DATA_DIR (default ./larch-data).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/build.sh"

port="${LARCH_PORT:-8080}"
data_dir="${LARCH_DATA_DIR:-$root/larch-data}"
server="$root/build/app/larch-server/larch-server"
app="$root/build/app/larch/larch"
mkdir -p "$data_dir"
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
url="http://127.0.0.1:$port"
echo "run-demo: larch-server is running at $url (data in $data_dir, log in $data_dir/server.log)"
echo "run-demo: demo accounts use the password larch-demo-password (see README.md)"

umask 077
printf '%s\n' 'larch-demo-password' >"$work/password"
export LARCH_CLIENT_DATA_DIR="$data_dir/app-ben"
app_args=(--server "$url" --email ben@birch.example --password-file "$work/password" --open-first-conversation)

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  "$app" "${app_args[@]}"
else
  shot="$root/larch-demo.png"
  echo "run-demo: no display here, so the app runs under Xvfb once and saves what it shows to $shot"
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$app" "${app_args[@]}" --window-size 1280x800 --screenshot "$shot"
  echo "run-demo: saved $shot. Run this from a desktop session to use the app; the server keeps running until Ctrl-C."
  wait "$server_pid"
fi
