#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
# Renders the Larch window (larch-shots: the app's own QML and models, driven to each scene as a person
# would) against a real demo larch-server under Xvfb and saves PNGs of what a person sees, each at clinician
# desktop size (1280x800) and phone size (390x844): sign-in (plain, wrong password, no keychain), the home
# screen with a thread, a new staff device waiting for approval, the approval banner, a thread with a device
# notice and a message that cannot be verified, the safety codes dialog, and the recovery key dialog (before
# and after making a key);
# secure conversation invitations: the '+' menu, the form with validation errors, the "Hasn't Created
# an Account" banner in each delivery state (through a loopback SMS gateway, packaging/invite-scenes.py),
# the invitation text editor, and patient onboarding at phone size; Practice Links: the settings page
# with QR codes (administrator and clinician) and a patient's "Join <practice>" from a link (on and off).
# Standard (SMS/email) conversations: the '+' menu, a text thread (consent, deliveries, a reply,
# "Invite to Secure Conversation"), a new one with its ⋮ menu and the consent dialog, an opted-out
# number, and the form refusing a duplicate. Attachments: a thread with a photo, a video, a PDF and a message
# carrying three files, the compose bar with two chips and a refused file, and the photo, video and PDF viewers.
# The audit log: the administrators' page, filtered, empty, with the server out of reach, and its retention dialog.
# LARCH_SCREENSHOTS_ONLY=invites renders only the invitation scenes (and those after them);
# LARCH_SCREENSHOTS_ONLY=standard only the standard conversation scenes, the '+' menu among them;
# LARCH_SCREENSHOTS_ONLY=attachments only the attachment scenes; LARCH_SCREENSHOTS_ONLY=audit only the audit log;
# LARCH_SCREENSHOTS_ONLY=identity only the practice identity scenes: a patient's thread after the practice's
# identity changed without the old one's signature (the warning, the notice, the compose bar waiting), the
# dialog that checks the new code, the Practice Links carrying the code, and a patient joining from the waiting room
# poster's link (with its code).
#
# Usage: packaging/screenshots.sh BUILD_DIR OUT_DIR
#   BUILD_DIR  a configured and built Larch build directory (holds larch-shots, larch-server, larch-demo-seed)
#   OUT_DIR    where the PNGs go (created if missing)
# Builds nothing itself. Needs xvfb-run (package xvfb), xauth, dbus-run-session and gnome-keyring-daemon.
# Device keys go to private, throwaway GNOME Keyrings; the caller's own keychain is never touched.
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '4,27p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

# The whole run happens on a private session bus, whose Secret Service is a fresh keyring.
if [ -z "${LARCH_SCREENSHOTS_BUS:-}" ]; then
  for tool in xvfb-run dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing; run packaging/install-deps.sh" >&2; exit 1; }
  done
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_CURRENT_DESKTOP DESKTOP_SESSION \
        KDE_FULL_SESSION KDE_SESSION_VERSION GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  LARCH_SCREENSHOTS_BUS=1 exec dbus-run-session -- "$0" "$@"
fi

build_dir="$(cd "$1" && pwd)"
mkdir -p "$2"
out_dir="$(cd "$2" && pwd)"

find_binary() {
  local name="$1" path
  for path in "$build_dir/app/$name/$name" "$build_dir/tools/$name/$name" "$build_dir/$name" \
              "$build_dir/bin/$name"; do
    [ -x "$path" ] && { echo "$path"; return; }
  done
  path="$(find "$build_dir" -type f -name "$name" -perm -u+x 2>/dev/null | head -n 1)"
  [ -n "$path" ] || { echo "screenshots: $name not found in $build_dir; build it first" >&2; exit 1; }
  echo "$path"
}
shots="$(find_binary larch-shots)"
server="$(find_binary larch-server)"
seed="$(find_binary larch-demo-seed)"

work="$(mktemp -d)"
server_pid=""
gateway_pid=""
cleanup() {
  for pid in "$server_pid" "$gateway_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# start_keyring DIR: a GNOME Keyring on the current bus, its files in DIR, unlocked with a random
# password. gnome-keyring needs $HOME/.cache, and its control socket a private runtime dir.
start_keyring() {
  local dir="$1"
  mkdir -p "$dir/home/.cache" "$dir/data" "$dir/runtime"
  chmod 700 "$dir" "$dir/runtime"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' \
    | HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/runtime" \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null
}
start_keyring "$work/keyring"

# A loopback SMS gateway in Twilio's shape, so invitations by SMS reach each delivery state.
scenes="$(cd "$(dirname "$0")" && pwd)/invite-scenes.py"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
gateway_port="$(free_port)"
sms_token="screenshots-gateway-token"
python3 "$scenes" gateway "$gateway_port" "$work/sms-sids" &
gateway_pid=$!

# A demo server on a free loopback port with its own data directory (a fixed port, so the public URL
# that signs the gateway's status callbacks is known).
mkdir -p "$work/data"
server_port="$(free_port)"
"$server" --demo --port "$server_port" --public-url "http://127.0.0.1:$server_port" --data-dir "$work/data" \
  --sms-url "http://127.0.0.1:$gateway_port" --sms-account ACscreenshots --sms-token "$sms_token" \
  --sms-from +12015550100 --log-level warn >"$work/server.out" 2>"$work/server.err" &
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
# Each account's app data, as the seeder lays it out: <clients>/app-ben, app-ana, ...
clients="$work/clients"

# seed [larch-demo-seed flags...]
seed() {
  if ! timeout 120 "$seed" --server "$server_url" --data-dir "$clients" --password-file "$work/demo-password" "$@" \
       >"$work/seed.log" 2>&1; then
    echo "screenshots: larch-demo-seed $* failed:" >&2
    cat "$work/seed.log" >&2
    exit 1
  fi
}

run=0
# shot NAME SIZE CLIENT_DATA_DIR [larch-shots flags...]: one app run with its own home, so no settings
# leak from one picture to the next. CLIENT_DATA_DIR "" gives the run a fresh device of its own.
shot() {
  local name="$1" size="$2" data="$3"
  shift 3
  run=$((run + 1))
  local home="$work/home-$run"
  mkdir -p "$home/.config" "$home/.local/share" "$home/.cache" "$home/runtime"
  chmod 700 "$home/runtime"
  [ -n "$data" ] || data="$home/larch-data"
  if ! HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
       XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/runtime" LARCH_SERVER_URL="$server_url" \
       LARCH_CLIENT_DATA_DIR="$data" QT_QPA_PLATFORM=xcb timeout 90 \
       xvfb-run -a -s "-screen 0 1400x1000x24 -nolisten tcp" \
       "$shots" --server "$server_url" --window-size "$size" --screenshot "$out_dir/$name.png" "$@" \
       >"$work/$name.log" 2>&1; then
    echo "screenshots: $name failed:" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  [ -z "${LARCH_SCREENSHOT_DEBUG:-}" ] || cat "$work/$name.log"
  echo "screenshots: $out_dir/$name.png"
}
export -f shot
sizes=(1280x800 390x844)
form() { case "$1" in 1280x800) echo desktop ;; *) echo phone ;; esac; }
ben=(--email ben@birch.example --password-file "$work/demo-password")

only="${LARCH_SCREENSHOTS_ONLY:-all}"
if [ "$only" = all ]; then
for size in "${sizes[@]}"; do
  shot "signin-$(form "$size")" "$size" ""
  shot "signin-error-$(form "$size")" "$size" "" --email ben@birch.example --password-file "$work/wrong-password"
done
# No session bus at all: the keychain cannot be reached, and sign-in says so.
for size in "${sizes[@]}"; do
  DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus" \
    shot "signin-keychain-$(form "$size")" "$size" "" --email ben@birch.example --password-file "$work/demo-password"
done

fi

# The demo conversations, written over the real protocol by the demo accounts' own devices.
seed

# The audit log (administrators): Ana's page over the practice's records, one clinician's last 30 days, a month
# without records, the server out of reach, and the retention dialog. In a full run it comes last, over the records
# of every scene; LARCH_SCREENSHOTS_ONLY=audit renders only these, after an invitation, two Practice Links and two
# failed sign-ins made for them.
audit_shots() {
  local ana=(--email ana@birch.example --password-file "$work/demo-password")
  for size in "${sizes[@]}"; do
    for scene in audit-log audit-log-filtered audit-log-empty audit-log-error audit-log-retention; do
      shot "$scene-$(form "$size")" "$size" "$clients/app-ana" "${ana[@]}" --show-dialog "$scene"
    done
  done
}
if [ "$only" = audit ]; then
  python3 "$scenes" invite "$server_url" ben@birch.example "$work/demo-password" "Jordan Diaz" "+12015550142" "" \
    >/dev/null
  python3 "$scenes" links "$server_url" ana@birch.example "$work/demo-password" >/dev/null
  for email in ben@birch.example nobody@birch.example; do
    python3 - "$server_url" "$email" <<'PY'
import json, sys, urllib.error, urllib.request
body = json.dumps({"email": sys.argv[2], "password": "not the password"}).encode()
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/v1/sessions", body,
                                                  {"Content-Type": "application/json"}))
except urllib.error.HTTPError:
    pass
PY
  done
  audit_shots
  exit 0
fi
if [ "$only" = all ]; then
for size in "${sizes[@]}"; do
  shot "home-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
done

# Ana signs in on a new computer (its own keychain): that device waits for a colleague's approval.
mkdir -p "$work/ana-elsewhere"
export work server_url shots out_dir
dbus-run-session -- bash -c '
  set -euo pipefail
  '"$(declare -f start_keyring)"'
  start_keyring "$work/keyring-ana"
  run=100
  shot pending-desktop 1280x800 "$work/ana-elsewhere" --email ana@birch.example --password-file "$work/demo-password"
  shot pending-phone 390x844 "$work/ana-elsewhere" --email ana@birch.example --password-file "$work/demo-password"
'
for size in "${sizes[@]}"; do
  shot "approvals-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --wait-for-approvals
done

# Sam adds a phone (its own keychain), Ben approves Ana's computer, and a message arrives whose
# signature does not match: the thread shows the notice and the warning instead of the text.
dbus-run-session -- bash -c '
  set -euo pipefail
  '"$(declare -f start_keyring)"'
  start_keyring "$work/keyring-sam"
  timeout 120 "'"$seed"'" --server "$server_url" --data-dir "$work/sam-elsewhere" \
    --password-file "$work/demo-password" --sign-in sam@patient.example >"$work/seed-sam.log" 2>&1 \
    || { echo "screenshots: signing Sam in on a second device failed:" >&2; cat "$work/seed-sam.log" >&2; exit 1; }
'
seed --security-scenes
for size in "${sizes[@]}"; do
  shot "thread-security-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
  shot "safety-codes-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation --show-dialog safety-codes
done
for size in "${sizes[@]}"; do
  shot "recovery-key-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --show-dialog recovery-key
done
for size in "${sizes[@]}"; do
  shot "recovery-key-created-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --show-dialog recovery-key-created
done
fi

# Attachments, sent through the compose bar by the demo devices (larch-demo-seed --attachment-scenes):
# Sam sends a photo with a caption and a short video, Ben answers with a three-page PDF of lab results,
# and Sam replies with one message carrying a photo, a PDF and a video. Ben's thread (the newest message
# with its three cards), his compose bar holding a photo and a PDF with a refused file's sentence, and
# each viewer once it shows the downloaded and decrypted file (the newest file of its kind).
if [ "$only" = all ] || [ "$only" = attachments ]; then
seed --attachment-scenes
for size in "${sizes[@]}"; do
  shot "thread-attachments-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
  for scene in compose-attachments pdf-viewer image-viewer video-player; do
    shot "$scene-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation \
      --show-dialog "$scene"
  done
done
fi
[ "$only" != attachments ] || exit 0

# sms_sid PHONE [N]: the gateway's id of the Nth SMS to PHONE (else the latest), once it arrived.
sms_sid() {
  local sid=""
  for _ in $(seq 1 100); do
    sid="$(awk -v to="$1" '$1 == to { print $2 }' "$work/sms-sids" 2>/dev/null | sed -n "${2:-\$}p")"
    [ -n "$sid" ] && { echo "$sid"; return; }
    sleep 0.1
  done
  echo "screenshots: the SMS to $1 never reached the gateway" >&2
  exit 1
}

# Standard (SMS and email) conversations, not end-to-end encrypted: the '+' menu, a text thread with
# consent, deliveries, a failure, a reply and "Invite to Secure Conversation"; a new one asking for
# consent with its ⋮ menu open and the consent dialog; a number that replied STOP; the form refusing
# a duplicate. Ben acts through the API as the app would (packaging/invite-scenes.py).
if [ "$only" = all ] || [ "$only" = standard ]; then
# as_ben COMMAND ARGS...: one invite-scenes.py staff command, signed in as Ben.
as_ben() { python3 "$scenes" "$1" "$server_url" ben@birch.example "$work/demo-password" "${@:2}"; }
# texted PHONE BODY SID: the patient at PHONE texts the practice's number.
texted() { python3 "$scenes" inbound "$server_url" "$sms_token" "$1" +12015550100 "$2" "$3"; }
for size in "${sizes[@]}"; do
  shot "plus-menu-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --show-dialog new-conversation-menu
done
as_ben standard email chris.ng@patient.example "Chris Ng" >/dev/null
sam="$(as_ben standard sms "201 555 0151" "Sam Rivera")"
as_ben consent "$sam" verbal "Agreed at check-in; prefers texts after 5 pm." 
as_ben send "$sam" "Hi Sam, your lab results are in and look good. Call us if you'd like to go over them." >/dev/null
python3 "$scenes" status "$server_url" "$sms_token" "$(sms_sid +12015550151 1)" delivered
texted +12015550151 "Great, thank you! Can I get a copy for my records?" SMin00000000000000000000000000001
as_ben send "$sam" "We'll send it through the Larch app, which keeps it private." >/dev/null
python3 "$scenes" status "$server_url" "$sms_token" "$(sms_sid +12015550151 2)" undelivered 30003
as_ben secure-invite "$sam" >/dev/null
sms_sid +12015550151 3 >/dev/null
texted +12015550151 "Got the invite, installing it now." SMin00000000000000000000000000002
for size in "${sizes[@]}"; do
  shot "standard-thread-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
done
as_ben standard sms "201 555 0150" "Dana Whitfield" >/dev/null
for size in "${sizes[@]}"; do
  shot "standard-new-menu-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation \
    --show-dialog thread-menu
  shot "standard-consent-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation \
    --show-dialog consent
done
lee="$(as_ben standard sms "201 555 0152" "Lee Morgan")"
as_ben consent "$lee" written ""
as_ben send "$lee" "Reminder: your flu shot is tomorrow at 9:00." >/dev/null
python3 "$scenes" status "$server_url" "$sms_token" "$(sms_sid +12015550152 1)" delivered
texted +12015550152 "STOP" SMin00000000000000000000000000003
for size in "${sizes[@]}"; do
  shot "standard-opted-out-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
  shot "standard-form-duplicate-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" \
    --show-dialog standard-conversation --invite-form "Dana Whitfield|201 555 0150|"
done
fi
[ "$only" != standard ] || exit 0

# Practice identity pinning (docs/security.md): Sam's app has pinned the practice's identity; Ana's device then
# replaces it without the old one's signature, as a server listing a key of its own would look to Sam. His thread
# shows the warning and the notice with the compose bar waiting, and "Check the code" opens the dialog. Ana's
# Practice Links carry the new identity's code, and a new patient opening the waiting room poster's link (with that
# code) is told it matches.
identity_scenes() {
  seed --identity-scenes
  local sam=(--email sam@patient.example --password-file "$work/demo-password")
  for size in "${sizes[@]}"; do
    shot "identity-changed-$(form "$size")" "$size" "$clients/app-sam" "${sam[@]}" --open-first-conversation \
      --show-dialog identity-warning
    shot "identity-check-$(form "$size")" "$size" "$clients/app-sam" "${sam[@]}" --open-first-conversation \
      --show-dialog identity-check
  done
  # The Practice Links as Ana's device shows them: each link, and its QR code, carries the identity's code.
  for size in "${sizes[@]}"; do
    shot "identity-practice-links-$(form "$size")" "$size" "$clients/app-ana" --email ana@birch.example \
      --password-file "$work/demo-password" --show-dialog practice-links
  done
  local poster
  poster="$(python3 "$scenes" identity-link "$server_url" ana@birch.example "$work/demo-password")"
  read -r poster_code poster_fp <<<"$poster"
  shot identity-join-phone 390x844 "" --onboarding contact "$server_url/p/$poster_code?fp=$poster_fp"
}
if [ "$only" = identity ]; then
  identity_scenes
  exit 0
fi

# Secure conversation invitations.
# The form after "Create and invite" with a number and an email the server refuses.
for size in "${sizes[@]}"; do
  shot "invite-form-errors-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" \
    --show-dialog secure-conversation --invite-form "Riley Park|555 01|riley@"
done

# invite NAME PHONE EMAIL: Ben invites a patient, as the form would.
invite() {
  python3 "$scenes" invite "$server_url" ben@birch.example "$work/demo-password" "$1" "$2" "$3" >/dev/null
}
# banner STATE: the newest conversation (the invitation just made) with its banner.
banner() {
  for size in "${sizes[@]}"; do
    shot "banner-$1-$(form "$size")" "$size" "$clients/app-ben" "${ben[@]}" --open-first-conversation
  done
}
invite "Jordan Diaz" "+12015550142" ""
sms_sid "+12015550142" >/dev/null
banner sent
invite "Priya Shah" "+12015550143" ""
python3 "$scenes" status "$server_url" "$sms_token" "$(sms_sid "+12015550143")" delivered
banner delivered
invite "Tom Becker" "+12015550144" ""
python3 "$scenes" status "$server_url" "$sms_token" "$(sms_sid "+12015550144")" undelivered 30006
banner failed
# The gateway holds this one unanswered: the invitation waits in the queue.
invite "Lena Ortiz" "+12015550199" ""
banner queued

# Administrators edit the words around the link.
shot invitation-text-desktop 1280x800 "$clients/app-ana" --email ana@birch.example \
  --password-file "$work/demo-password" --show-dialog invitation-text
shot invitation-region-error-desktop 1280x800 "$clients/app-ana" --email ana@birch.example \
  --password-file "$work/demo-password" --show-dialog invitation-region-error

# Patient onboarding at phone size: "Join as a patient" on the sign-in page, the invitation link, the code steps.
shot signin-join-phone 390x844 ""
invite "Riley Park" "" "riley@patient.example"
link="$(python3 - "$server_url" <<'PY'
import json, re, sys, urllib.request
deliveries = json.load(urllib.request.urlopen(sys.argv[1] + "/dev/outbox.json"))["deliveries"]
body = next(d["body"] for d in deliveries if d["to"] == "riley@patient.example" and d.get("invitationId"))
print("larch://invite/" + re.search(r"/i/([A-Za-z0-9_-]+)", body).group(1))
PY
)"
# Ben corrects the newest invitation's contact: the "Edit contact" dialog over the banner.
shot edit-contact-desktop 1280x800 "$clients/app-ben" "${ben[@]}" --open-first-conversation --show-dialog edit-contact
# The same link opened while Ben is signed in (as a second start would hand it over): a sentence, no joining.
shot invitation-notice-desktop 1280x800 "$clients/app-ben" "${ben[@]}" "$link"
shot invitation-notice-phone 390x844 "$clients/app-ben" "${ben[@]}" "$link"
shot onboarding-link-phone 390x844 "" --onboarding contact "$link"
shot onboarding-code-phone 390x844 "" --onboarding code --onboarding-contact riley@patient.example
shot onboarding-wrong-code-phone 390x844 "" --onboarding wrong-code --onboarding-contact riley@patient.example
# A new patient without an invitation: the code (read from the outbox by a helper) is typed, and the
# app asks for the patient's name.
python3 "$scenes" code "$server_url" casey@patient.example "$work/casey-code" &
code_reader=$!
shot onboarding-name-phone 390x844 "" --onboarding name --onboarding-contact casey@patient.example \
  --onboarding-code-file "$work/casey-code"
wait "$code_reader"

# Practice Links: Ana adds a flyer link and a poster link she turns off.
link_codes="$(python3 "$scenes" links "$server_url" ana@birch.example "$work/demo-password")"
read -r link_on link_off <<<"$link_codes"
ana=(--email ana@birch.example --password-file "$work/demo-password")
for size in "${sizes[@]}"; do
  shot "practice-links-$(form "$size")" "$size" "$clients/app-ana" "${ana[@]}" --show-dialog practice-links
done
shot practice-links-clinician-desktop 1280x800 "$clients/app-ben" "${ben[@]}" --show-dialog practice-links
# A patient opens the link (larch://practice/<code>, as the link's page hands it over), and a link turned off.
for size in "${sizes[@]}"; do
  shot "practice-join-$(form "$size")" "$size" "" --onboarding contact "larch://practice/$link_on"
done
shot practice-join-off-phone 390x844 "" --onboarding contact "$server_url/p/$link_off"

audit_shots
# Last, so that the practice's replaced identity changes no scene above.
identity_scenes
