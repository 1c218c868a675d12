"""The app on a real threaded HTTP server on 127.0.0.1, and browsers signed in to it: for races that must run
in requests of their own, each with its own app context and database session."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

T = TypeVar("T")


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


def flash(html: str) -> str:
    """The text of the page's flash message ("" when it has none)."""
    found = re.search(r'<div class="flash" role="status">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def at_once(count: int, action: Callable[[int], T]) -> list[T | str]:
    """``action(0)`` … ``action(count - 1)``, each in a thread of its own, let go at the same moment; what each
    returned, or the repr of what it raised (for the assertion to show)."""
    start = threading.Barrier(count)
    results: list[T | str] = [""] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = action(i)
        except Exception as err:
            results[i] = repr(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
