#!/bin/sh
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs a command against a private, freshly unlocked GNOME Keyring on a private D-Bus session bus,
# so keychain tests never see the developer's own keychain and leave nothing behind.
# Usage: tests/support/run-with-keyring.sh COMMAND [ARG...]
# The command sees LARCH_TEST_KEYRING_PASSWORD, the login keyring's password, so a test can unlock
# the keyring again after locking it. The exit status is the command's.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-with-keyring: $tool is missing; run packaging/install-deps.sh" >&2
        exit 2
    fi
done

root=$(mktemp -d "${TMPDIR:-/tmp}/larch-keyring.XXXXXX")
cleanup() { rm -rf "$root"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# gnome-keyring needs $HOME/.cache: without it D-Bus activation of the Secret Service hangs for
# 25 s and then fails. The runtime dir holds the keyring's control socket and must be private.
mkdir -p "$root/home/.cache" "$root/home/.local/share" "$root/home/.config" "$root/runtime"
chmod 700 "$root/runtime"
export HOME="$root/home"
export XDG_RUNTIME_DIR="$root/runtime"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
# Without a display no unlock prompt can appear, and without a desktop name QtKeychain picks the
# Secret Service (libsecret) rather than KWallet.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_CURRENT_DESKTOP DESKTOP_SESSION \
      KDE_FULL_SESSION KDE_SESSION_VERSION GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
LARCH_TEST_KEYRING_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export LARCH_TEST_KEYRING_PASSWORD

# Not exec: the traps above must run once the session has ended, to remove the private home.
status=0
dbus-run-session -- sh -c '
    printf %s "$LARCH_TEST_KEYRING_PASSWORD" \
        | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 2
    exec "$@"
' run-with-keyring "$@" || status=$?
exit "$status"
