"""Mail through a real SMTP server on 127.0.0.1: an address beyond ASCII before the @ (RFC 6531) goes out with the
SMTPUTF8 option when the server offers it, and is never mangled into a server that does not."""

from __future__ import annotations

import email
import socketserver
import threading
from email import policy
from pathlib import Path

import pytest


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 (and 6531's SMTPUTF8) to take one message at a time."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server
        self.reply("220 test ESMTP")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode("utf-8").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-test" if server.smtputf8 else "250 test")
                if server.smtputf8:
                    self.reply("250 SMTPUTF8")
            elif verb == "MAIL":
                envelope = {"mail": command, "rcpt": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(command[len("RCPT TO:"):].strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                server.received.append({**envelope, "data": data})
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def smtp_server(request):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.smtputf8, server.received = request.param, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(app_config, smtp_server) -> dict:
    # MAIL_SUPPRESS_SEND is on under TESTING: this test sends for real, to its own server.
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.server_address[1],
            "MAIL_USE_TLS": False, "MAIL_SUPPRESS_SEND": False, "VISA_MAIL_SMTPUTF8": True}


def test_an_international_address_goes_out_with_smtputf8_or_not_at_all(app, smtp_server):
    from visa.mailer import send_mail

    if not smtp_server.smtputf8:
        # smtplib refuses (SMTPNotSupportedError): nothing is mangled into the server; the mail waits in the outbox.
        send_mail("müller@member.example", "Ihr Pass", "Grüße")
        assert smtp_server.received == []
        [kept] = list(Path(app.config["VISA_MAIL_OUTBOX"]).glob("*.json"))
        assert "SMTPNotSupportedError" in kept.read_text(encoding="utf-8")
        return
    send_mail("müller@member.example", "Ihr Pass", "Grüße, http://127.0.0.1:5000/pass/x")
    [sent] = smtp_server.received
    assert "SMTPUTF8" in sent["mail"] and sent["rcpt"] == ["müller@member.example"]
    message = email.message_from_bytes(sent["data"], policy=policy.default)
    assert message["To"] == "müller@member.example" and message["Subject"] == "Ihr Pass"
    assert "Grüße" in message.get_body(preferencelist=("plain",)).get_content()


def test_an_ascii_address_goes_out_as_before(app, smtp_server):
    from visa.mailer import send_mail

    send_mail("ana@bücher.example", "Your pass", "Hello")
    [sent] = smtp_server.received
    assert "SMTPUTF8" not in sent["mail"] and sent["rcpt"] == ["ana@xn--bcher-kva.example"]
