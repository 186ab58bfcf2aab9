#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Larch authors
# SPDX-License-Identifier: AGPL-3.0-or-later
"""An SMTP server on loopback that requires AUTH (PLAIN or LOGIN) as USER/PASSWORD, for the delivery tests.

Each accepted message is written to DIR as <n>.eml. Prints "listening on <port>" once ready.
Usage: smtp_auth_sink.py PORT DIR USER PASSWORD
"""
import pathlib
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, directory, user, password = int(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
directory.mkdir(parents=True, exist_ok=True)


class Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        (directory / f"{Sink.count}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


controller = Controller(Sink(), hostname="127.0.0.1", port=port, authenticator=authenticate,
                        auth_required=True, auth_require_tls=False)
controller.start()
print(f"listening on {port}", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
