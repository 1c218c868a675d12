"""The traveller's home space, kept in the signed session: read by the pages and the API alike."""

from __future__ import annotations

from flask import g, session

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


def home_as_read() -> Space | None:
    """The home space :func:`current_home` read in this request, without reading it (None if it was not read):
    what the page's header shows, read before the view runs (templates and context processors read no database)."""
    found = g.get("visa_home")
    return found[1] if found else None
