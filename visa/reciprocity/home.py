"""The traveller's home space, kept in the signed session: read by the pages and the API alike."""

from __future__ import annotations

from flask import g, session
from flask.globals import request_ctx

from visa.directory import search
from visa.directory.models import Space

HOME_KEY = "home_slug"


def current_home() -> Space | None:
    """The traveller's home space from the session, if it is still listed.

    Read once per request: the view and the page's home bar both ask.
    """
    slug = session.get(HOME_KEY)
    cached = g.get("visa_home")
    if cached is None or cached[0] != slug:
        g.visa_home = (slug, search.get_visible(slug) if slug else None)
    return g.visa_home[1]


def read_home_unmarked() -> None:
    """Read the session's home space for this request, without marking the session as read: a page's header
    takes it through :func:`home_as_read` when it shows it (the answer then varies on the cookie), and an
    answer that never shows it (a JSON read, a redirect) must not vary."""
    opened = request_ctx._session  # not flask.session: touching that proxy marks the session as read
    slug = dict.get(opened, HOME_KEY) if opened is not None else None  # dict's own get does not mark it either
    if slug:
        g.visa_home = (slug, search.get_visible(slug))


def home_as_read() -> Space | None:
    """The home space the session names, as it was read in this request (None when it was not), never read
    here: what a page's header shows. It marks the session as read, since the page then depends on it."""
    slug = session.get(HOME_KEY)
    found = g.get("visa_home")
    return found[1] if found is not None and found[0] == slug else None
