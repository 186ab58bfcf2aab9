#!/usr/bin/env bash
# Renders the real Larch app against a real demo larch-server under Xvfb and saves PNGs of what a
# person sees: the sign-in screen (plain and with an error) and the home screen with a thread open,
# each at clinician desktop size (1280x800) and phone size (390x844).
#
# Usage: packaging/screenshots.sh BUILD_DIR OUT_DIR
#   BUILD_DIR  a configured and built Larch build directory (holds larch and larch-server)
#   OUT_DIR    where the PNGs go (created if missing)
# Builds nothing itself. Needs xvfb-run (package xvfb) and xauth.
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
build_dir="$(cd "$1" && pwd)"
mkdir -p "$2"
out_dir="$(cd "$2" && pwd)"

find_binary() {
  local name="$1" path
  for path in "$build_dir/app/$name/$name" "$build_dir/$name" "$build_dir/bin/$name"; do
    [ -x "$path" ] && { echo "$path"; return; }
  done
  path="$(find "$build_dir" -type f -name "$name" -perm -u+x 2>/dev/null | head -n 1)"
  [ -n "$path" ] || { echo "screenshots: $name not found in $build_dir; build it first" >&2; exit 1; }
  echo "$path"
}
larch="$(find_binary larch)"
server="$(find_binary larch-server)"
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (Debian package xvfb)" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A demo server on an ephemeral loopback port with its own data directory.
mkdir -p "$work/data"
"$server" --demo --port 0 --data-dir "$work/data" --log-level warn >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
address=""
for _ in $(seq 1 100); do
  address="$(sed -n 's/^larch-server listening on \(.*\)$/\1/p' "$work/server.out" | head -n 1)"
  [ -n "$address" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "screenshots: larch-server exited:" >&2; cat "$work/server.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "screenshots: larch-server did not start listening" >&2; exit 1; }
server_url="http://$address"
echo "screenshots: demo server at $server_url"

# Passwords go through files only, never the command line.
umask 077
printf '%s\n' 'larch-demo-password' >"$work/demo-password"
printf '%s\n' 'not-the-demo-password' >"$work/wrong-password"

run=0
# shot NAME SIZE [larch flags...]: one app run in a fresh home, so no earlier session or draft leaks in.
shot() {
  local name="$1" size="$2"
  shift 2
  run=$((run + 1))
  local home="$work/home-$run"
  mkdir -p "$home/.config" "$home/.local/share" "$home/.cache" "$home/runtime"
  chmod 700 "$home/runtime"
  if ! HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
       XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/runtime" LARCH_SERVER_URL="$server_url" LARCH_CLIENT_DATA_DIR="$home/larch-data" \
       QT_QPA_PLATFORM=xcb timeout 90 \
       xvfb-run -a -s "-screen 0 1400x1000x24 -nolisten tcp" \
       "$larch" --server "$server_url" --window-size "$size" --screenshot "$out_dir/$name.png" "$@" \
       >"$work/$name.log" 2>&1; then
    echo "screenshots: $name failed:" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  [ -z "${LARCH_SCREENSHOT_DEBUG:-}" ] || cat "$work/$name.log"
  echo "screenshots: $out_dir/$name.png"
}

for size in 1280x800 390x844; do
  case "$size" in 1280x800) form=desktop ;; *) form=phone ;; esac
  shot "signin-$form" "$size"
  shot "signin-error-$form" "$size" --email ben@birch.example --password-file "$work/wrong-password"
  shot "home-$form" "$size" --email ben@birch.example --password-file "$work/demo-password" --open-first-conversation
done
