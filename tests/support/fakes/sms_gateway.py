#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A loopback SMS gateway with the shape of Twilio's Messages API, for the delivery and SMS tests.

POST /2010-04-01/Accounts/{sid}/Messages.json   form To, From, Body, StatusCallback; HTTP Basic sid:token.
Control (JSON, used by the test):
  POST /control   {"mode": "ok" | "fail" | "reject" | "hang", "failures": n}  fail: 500 for the next n sends (all
                  when n < 0); hang: no answer for 30 s
  GET  /messages  every send attempt: {"messages": [{"sid", "status", "auth", "form", "answered"}]}
  POST /callback  {"sid", "status", "errorCode"?, "forge"?, "params"?, "url"?} posts a status callback signed the
                  way Twilio signs it (HMAC-SHA1 over URL + sorted name/value pairs, base64, key = auth token) to the
                  message's StatusCallback and answers {"status": <server's status>, "body": <server's body>}.
Prints "listening on <port>" once ready. Usage: sms_gateway.py ACCOUNT TOKEN
"""
import base64
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT, TOKEN = sys.argv[1], sys.argv[2]
lock = threading.Lock()
state = {"mode": "ok", "failures": 0}
messages = []


def sign(url, params):
    data = url + "".join(name + value for name, value in sorted(params.items()))
    digest = hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_GET(self):
        if self.path == "/messages":
            with lock:
                return self.answer(200, {"messages": messages})
        self.answer(404, {"message": "not found"})

    def do_POST(self):
        raw = self.body()
        if self.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json":
            return self.send_message(raw)
        if self.path == "/control":
            with lock:
                state.update(json.loads(raw))
            return self.answer(200, state)
        if self.path == "/callback":
            return self.callback(json.loads(raw))
        self.answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})

    def send_message(self, raw):
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
        auth_ok = self.headers.get("Authorization") == expected
        form = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
        record = {"auth": auth_ok, "form": form, "sid": "", "status": ""}
        with lock:
            messages.append(record)
            hang = state["mode"] == "hang"
        if hang:  # a gateway that never answers in time
            record["answered"] = 0
            time.sleep(30)
            return
        with lock:
            if not auth_ok:
                record["answered"] = 401
                return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
            if state["mode"] == "fail" and state["failures"] != 0:
                state["failures"] -= 1
                record["answered"] = 500
                return self.answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
            if state["mode"] == "reject":
                record["answered"] = 400
                return self.answer(400, {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                                         "status": 400})
            record["sid"] = "SM" + secrets.token_hex(16)
            record["status"] = "queued"
            record["answered"] = 201
        self.answer(201, {"sid": record["sid"], "status": "queued", "to": form.get("To"), "from": form.get("From"),
                          "body": form.get("Body"), "account_sid": ACCOUNT})

    def callback(self, request):
        with lock:
            sent = [m for m in messages if m["sid"] == request.get("sid")]
        url = request.get("url") or (sent[0]["form"]["StatusCallback"] if sent else "")
        params = request.get("params") or {"MessageSid": request["sid"], "MessageStatus": request["status"],
                                           "AccountSid": ACCOUNT}
        if request.get("errorCode"):
            params["ErrorCode"] = request["errorCode"]
        signature = sign(url, params)
        if request.get("forge"):
            signature = base64.b64encode(b"\0" * 20).decode()
        post = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), method="POST",
                                      headers={"X-Twilio-Signature": signature,
                                               "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(post, timeout=10) as reply:
                status, body = reply.status, reply.read().decode()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read().decode()
        self.answer(200, {"status": status, "body": body})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
