"""The signed-cookie session, sending ``Vary: Cookie`` only on answers that depend on the session.

Flask adds ``Vary: Cookie`` whenever anything read the session, and Flask-Login
reads it after every request (to refresh its remember cookie), so every answer
varied on Cookie, even a script or a JSON search: no shared cache could keep
them. Here three things change:

- What the view and its template read is what counts. A hook that runs before
  Flask-Login's notes on the response whether the session was read by then.
- A JSON read (under /api/) opens no session, whatever cookie it carries.
- A request that carries neither the session nor the remember cookie cannot get
  an answer that depends on them: an anonymous page is the same for every such
  visitor. It is sent without ``Vary: Cookie`` but ``private, no-cache``, so that
  no shared cache hands it to a signed-in member and a browser asks again once it
  holds a cookie.
"""

from __future__ import annotations

from flask import Flask, request
from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response

_READ_BY_VIEW = "visa_wire_session_read"
#: Where the JSON API answers: no answer there depends on a session.
JSON_READS = "/api/"


def _note_session_read(response: Response) -> Response:
    # Not through flask.session: since Flask 3.1 touching that proxy marks the session as read.
    # Kept on the response, not in g: an app context (and its g) may outlive one request.
    opened = request_ctx._session
    setattr(response, _READ_BY_VIEW, bool(opened is not None and opened.accessed))
    return response


def carries_session_cookie(app: Flask) -> bool:
    """Whether this request sent a cookie that the session or Flask-Login reads."""
    names = (app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


class QuietSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; ``Vary: Cookie`` only where the answer depends on it."""

    def open_session(self, app: Flask, request) -> SessionMixin | None:
        if request.path.startswith(JSON_READS) or (app.secret_key and not request.cookies.get(self.get_cookie_name(app))):
            # A JSON read (it needs no session: visa.api.feature), or no cookie (most readers): Flask's empty
            # session, without reading the cookie or building the signing serializer, on every request.
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        session.accessed = getattr(response, _READ_BY_VIEW, session.accessed)
        if not (session.accessed or session.modified or "_permanent" in session):
            # Neither read nor written (every API answer), nor a permanent session to refresh: Flask would
            # write nothing either. ("in" reads the dict without marking the session accessed.)
            return
        had_vary = "cookie" in {v.lower() for v in response.vary}
        super().save_session(app, session, response)
        if had_vary or "Set-Cookie" in response.headers or not session.accessed:
            return
        if not carries_session_cookie(app):
            response.vary.discard("cookie")  # lower case: HeaderSet.discard matches it as given
            response.cache_control.private = True
            response.cache_control.no_cache = True


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()
    # after_request hooks run last-registered first: registered after Flask-Login's, this one runs before it.
    app.after_request(_note_session_read)
