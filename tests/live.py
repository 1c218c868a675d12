"""The app on a real threaded HTTP server on 127.0.0.1, and browsers signed in to it: for races that must run
in requests of their own, each with its own app context and database session."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The server's base URL while the block runs."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()


def csrf(session: requests.Session, url: str) -> str:
    """The CSRF token of the form at *url*, as this browser loaded it."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', session.get(url).text).group(1)


def signed_in(server: str, email: str, password: str = "correct horse battery") -> requests.Session:
    """A browser of its own, signed in as *email*."""
    browser = requests.Session()
    r = browser.post(f"{server}/login", data={"email": email, "password": password,
                                              "csrf_token": csrf(browser, f"{server}/login")},
                     allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return browser
