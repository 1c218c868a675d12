"""Input hygiene for every request, in one place, before any view reads the input.

- Control characters (NUL and the rest of Unicode category Cc) in query
  parameters, path values such as slugs, and form fields are refused with a 400
  naming the parameter or field. A NUL byte cannot be stored in PostgreSQL text
  (it raised a 500 there), and no user-typed value needs the others; form fields
  keep tab, line feed and carriage return, which textareas send.
- A query string longer than :data:`MAX_QUERY_BYTES` gets a 414. Gunicorn's own
  request-line limit (``gunicorn.conf.py``) is set well above it, so the app, not
  gunicorn's HTML page, answers every over-long query (JSON under /api).

The error handlers (``visa.pages.render_error``) turn the exceptions into JSON
under /api and into the HTML error page elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestURITooLarge

#: Longest query string the app reads (bytes, percent-encoded as sent).
MAX_QUERY_BYTES = 4096

#: Highest page number of a paged HTML list; with 50 rows a page, far beyond any registry.
MAX_PAGE = 100_000

#: What a textarea may send; refused in query parameters and path values.
_FORM_WHITESPACE = frozenset("\t\n\r")


class ControlCharacterError(BadRequest):
    """A 400 that names the parameter or field holding a control character."""

    error_code = "control_character"

    def __init__(self, field: str, where: str) -> None:
        self.field = field
        if where == "form":
            # Translators: %(field)s is the name of the form field.
            message = _("The field “%(field)s” contains a control character (such as a NUL byte). "
                        "Remove it and send the form again.", field=field)
        elif where == "path":
            # Translators: %(field)s is the part of the web address with the
            # character.
            message = _("The address contains a control character (such as a NUL byte) in “%(field)s”.",
                        field=field)
        else:
            # Translators: %(field)s is the name of the query parameter.
            message = _("The parameter “%(field)s” contains a control character (such as a NUL byte).",
                        field=field)
        super().__init__(message)


#: Unicode category Cc, all of it: C0 controls, DEL and C1 controls. One regular expression search per value
#: instead of a category lookup per character, on every request.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x1f\x7f]")


def has_control_character(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """True when *text* holds a character of Unicode category Cc that is not in *allowed*."""
    if not allowed:
        return _CONTROL.search(text) is not None
    return any(ch not in allowed for ch in _CONTROL.findall(text))


def _printable_name(name: str) -> str:
    # A name that is itself bad is shown escaped, so the message never carries the character.
    return name.encode("unicode_escape").decode("ascii") if has_control_character(name) else name


def _first_bad(pairs: Iterable[tuple[str, object]], allowed: frozenset[str] = frozenset()) -> str | None:
    for name, value in pairs:
        if has_control_character(name, allowed):
            return _printable_name(name)
        if isinstance(value, str) and has_control_character(value, allowed):
            return name
    return None


def check_request() -> None:
    """:raise RequestURITooLarge: query string over MAX_QUERY_BYTES.
    :raise ControlCharacterError: a control character in a parameter, path value or form field."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        # Translators: %(limit)s is the largest number of bytes allowed.
        raise RequestURITooLarge(_("The query string is longer than %(limit)s bytes.", limit=MAX_QUERY_BYTES))
    query = request.query_string
    # A query of printable ASCII with no escape holds no control character, and most do (a search's
    # coordinates and numbers): its parameters are not each looked through. C1 controls come escaped or as
    # non-ASCII bytes.
    if b"%" in query or not query.isascii() or _CONTROL_BYTES.search(query):
        bad = _first_bad(request.args.items(multi=True))
        if bad is not None:
            raise ControlCharacterError(bad, "query")
    bad = _first_bad((request.view_args or {}).items())
    if bad is not None:
        raise ControlCharacterError(bad, "path")
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        bad = _first_bad(request.form.items(multi=True), _FORM_WHITESPACE)
        if bad is not None:
            raise ControlCharacterError(bad, "form")


def page_number(name: str = "page") -> int:
    """The page asked for, between 1 and MAX_PAGE: an absurd page must not become an SQL offset out of range."""
    raw = request.args.get(name, "")
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1
    return min(max(1, page), MAX_PAGE)


def init_app(app: Flask) -> None:
    # First of the before-request functions: nothing else reads input that has not been checked.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
