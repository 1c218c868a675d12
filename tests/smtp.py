"""A real SMTP server on 127.0.0.1 for the mail tests: just enough of RFC 5321 (and RFC 6531's SMTPUTF8) for
smtplib, with the refusals a test needs: the whole connection (a 554 greeting) or some recipients (550 on RCPT).

Each message it takes is kept in ``received`` as {"mail": the MAIL line, "rcpt": [addresses], "data": bytes}.
"""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: LocalSMTPServer = self.server  # type: ignore[assignment]
        server.connections += 1
        if server.refusing:
            self._say("554 5.3.2 no service here")
            return
        self._say("220 127.0.0.1 ESMTP test")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                if server.smtputf8 and verb == "EHLO":
                    self._say("250-127.0.0.1")
                    self._say("250 SMTPUTF8")
                else:
                    self._say("250 127.0.0.1")
            elif verb == "MAIL":
                envelope = {"mail": command, "rcpt": []}
                self._say("250 OK")
            elif verb == "RCPT":
                address = command[len("RCPT TO:"):].split()[0].strip("<>")
                if address in server.refused:
                    self._say("550 5.1.1 mailbox unavailable")
                else:
                    envelope["rcpt"].append(address)
                    self._say("250 OK")
            elif verb == "DATA":
                self._say("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                server.received.append({**envelope, "data": data})
                self._say("250 2.0.0 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:  # RSET, NOOP
                self._say("250 OK")


class LocalSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self, smtputf8: bool = False, refused: frozenset[str] = frozenset(), refusing: bool = False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.smtputf8, self.refused, self.refusing = smtputf8, refused, refusing
        self.connections, self.received = 0, []

    @property
    def port(self) -> int:
        return self.server_address[1]

    def config(self) -> dict:
        """The app settings that send to this server for real (MAIL_SUPPRESS_SEND is on under TESTING)."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False, "MAIL_SUPPRESS_SEND": False}


@contextmanager
def smtp_server(**options) -> Iterator[LocalSMTPServer]:
    server = LocalSMTPServer(**options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def outbox_mails(app) -> list[dict]:
    """The mails waiting in *app*'s outbox (those a server did not take), oldest first."""
    folder = Path(app.config["VISA_MAIL_OUTBOX"])
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] if folder.exists() else []
