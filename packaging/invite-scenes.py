#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers for packaging/screenshots.sh's invitation scenes, standard library only, loopback only.

  invite-scenes.py gateway PORT SIDFILE
      A Twilio-shaped SMS gateway: accepts POST .../Messages.json, answers {"sid": ...} and appends
      "<To> <sid>" to SIDFILE. A message to a number ending in 0199 is held unanswered (stays queued).
  invite-scenes.py invite SERVER EMAIL PASSWORD_FILE NAME PHONE EMAIL_TO
      Signs in as a staff member and invites a patient; prints the new conversation id.
  invite-scenes.py status SERVER TOKEN SID STATUS [ERROR_CODE]
      Posts a signed status callback for SID to SERVER/v1/webhooks/sms/status.
  invite-scenes.py code SERVER CONTACT FILE
      Waits (up to 90 s) for a one-time code to CONTACT in SERVER's development outbox and writes
      its six digits to FILE, for `larch-shots --onboarding name --onboarding-code-file FILE`.

Standard (SMS/email) conversations, each as a staff member signed in with EMAIL and PASSWORD_FILE:
  invite-scenes.py standard SERVER EMAIL PASSWORD_FILE CHANNEL CONTACT NAME
      Starts a standard conversation ("sms" with a phone number, "email" with an address); prints its id.
  invite-scenes.py consent SERVER EMAIL PASSWORD_FILE CONVERSATION METHOD NOTE
      Records the patient's consent ("verbal", "written" or "patient_initiated"; NOTE may be "").
  invite-scenes.py send SERVER EMAIL PASSWORD_FILE CONVERSATION BODY
      Sends a message in a standard conversation.
  invite-scenes.py secure-invite SERVER EMAIL PASSWORD_FILE CONVERSATION
      "Invite to Secure Conversation" on a standard conversation; prints the new secure conversation's id.
  invite-scenes.py inbound SERVER TOKEN FROM TO BODY SID
      Posts a signed incoming text from FROM to the server's number TO (the gateway's incoming-message shape).

Practice Links:
  invite-scenes.py links SERVER EMAIL PASSWORD_FILE
      Signs in as an administrator and adds two Practice Links beside the practice's own: "Front desk
      flyer" (tag new-patient) and "Waiting room poster" (tag walk-in, turned off). Prints the codes of
      the first (on) and the second (off), separated by a space.
  invite-scenes.py identity-link SERVER EMAIL PASSWORD_FILE
      Prints the code of the practice's first Practice Link and the fingerprint of the practice identity the
      server lists (docs/security.md, "Practice identity pinning"), separated by a space: what the waiting
      room poster's link carries as ?fp=.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request
import uuid


def gateway(port, sid_file):
    counter = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            to = form.get("To", [""])[0]
            if to.endswith("0199"):
                time.sleep(600)
                return
            counter[0] += 1
            sid = "SM%032d" % counter[0]
            with open(sid_file, "a") as f:
                f.write("%s %s\n" % (to, sid))
            body = json.dumps({"sid": sid, "status": "queued"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler).serve_forever()


def request(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as reply:
            return json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as refused:
        sys.exit("invite-scenes.py: %s %s answered %d: %s" % (method, url, refused.code, refused.read().decode()))


def sign_in(server, email, password_file):
    with open(password_file) as f:
        password = f.readline().rstrip("\n")
    return request("POST", server + "/v1/sessions", {"email": email, "password": password, "deviceName": "screenshots"})


def invite(server, email, password_file, name, phone, email_to):
    session = sign_in(server, email, password_file)
    practice = session["user"]["practiceId"]
    body = {"patientName": name}
    if phone:
        body["phone"] = phone
    if email_to:
        body["email"] = email_to
    created = request("POST", server + "/v1/practices/%s/invitations" % practice, body, session["token"])
    print(created["conversation"]["id"])


def standard(server, email, password_file, channel, contact, name):
    session = sign_in(server, email, password_file)
    body = {"channel": channel, ("phone" if channel == "sms" else "email"): contact}
    if name:
        body["name"] = name
    created = request("POST", server + "/v1/practices/%s/standard-conversations" % session["user"]["practiceId"],
                      body, session["token"])
    print(created["id"])


def consent(server, email, password_file, conversation, method, note):
    session = sign_in(server, email, password_file)
    body = {"method": method}
    if note:
        body["note"] = note
    request("POST", server + "/v1/conversations/%s/consent" % conversation, body, session["token"])


def send(server, email, password_file, conversation, text):
    session = sign_in(server, email, password_file)
    body = {"clientId": str(uuid.uuid4()), "body": text}
    sent = request("POST", server + "/v1/conversations/%s/messages" % conversation, body, session["token"])
    print(sent.get("id", ""))


def secure_invite(server, email, password_file, conversation):
    session = sign_in(server, email, password_file)
    made = request("POST", server + "/v1/conversations/%s/secure-invitation" % conversation, None, session["token"])
    print(made["conversation"]["id"])


def signed_form_post(url, token, fields):
    """Posts FIELDS form-encoded to URL, signed the way Twilio signs its webhooks."""
    data = url + "".join(k + v for k, v in sorted(fields.items()))
    signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    req.add_header("X-Twilio-Signature", signature)
    with urllib.request.urlopen(req, timeout=30) as reply:
        reply.read()


def inbound(server, token, sender, to, text, sid):
    signed_form_post(server + "/v1/webhooks/sms/inbound", token,
                     {"From": sender, "To": to, "Body": text, "MessageSid": sid, "NumMedia": "0"})


def status(server, token, sid, state, error_code=""):
    fields = {"MessageSid": sid, "MessageStatus": state}
    if error_code:
        fields["ErrorCode"] = error_code
    signed_form_post(server + "/v1/webhooks/sms/status", token, fields)


def code(server, contact, path):
    for _ in range(900):
        with urllib.request.urlopen(server + "/dev/outbox.json", timeout=30) as reply:
            deliveries = json.loads(reply.read())["deliveries"]
        for d in deliveries:
            found = re.search(r"\b(\d{6})\b", d.get("body", ""))
            if d.get("to") == contact and not d.get("invitationId") and found:
                with open(path + ".part", "w") as f:
                    f.write(found.group(1))
                os.replace(path + ".part", path)
                return
        time.sleep(0.1)
    sys.exit("invite-scenes.py: no code to %s arrived in the development outbox" % contact)


def links(server, email, password_file):
    session = sign_in(server, email, password_file)
    base = server + "/v1/practices/%s/practice-links" % session["user"]["practiceId"]
    token = session["token"]
    flyer = request("POST", base, {"label": "Front desk flyer", "tag": "new-patient"}, token)
    poster = request("POST", base, {"label": "Waiting room poster", "tag": "walk-in"}, token)
    request("PATCH", base + "/" + poster["id"], {"enabled": False}, token)
    print(flyer["code"], poster["code"])


def identity_fingerprint(public_key):
    def framed(part):
        return len(part).to_bytes(4, "big") + part
    digest = hashlib.sha256(framed(b"larch-practice-identity-fingerprint-v1") + framed(public_key)).digest()[:20]
    number = int.from_bytes(digest, "big")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(alphabet[(number >> (155 - 5 * i)) & 31] for i in range(32))


def identity_link(server, email, password_file):
    session = sign_in(server, email, password_file)
    base = server + "/v1/practices/%s/practice-links" % session["user"]["practiceId"]
    code = request("GET", base, None, session["token"])["links"][0]["code"]
    listed = request("GET", server + "/v1/practice-links/" + code)["identityKey"]
    if not listed:
        sys.exit("invite-scenes.py: the practice has no identity yet")
    print(code, identity_fingerprint(base64.b64decode(listed)))


if __name__ == "__main__":
    commands = {"gateway": gateway, "invite": invite, "status": status, "code": code, "standard": standard,
                "consent": consent, "send": send, "secure-invite": secure_invite, "inbound": inbound,
                "links": links, "identity-link": identity_link}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
