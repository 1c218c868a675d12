"""Cross-site request forgery checked by what the browser says of a request's origin, for token-less forms.

A CSRF token lives in the session, so a page whose form carries one sets a
cookie and can no longer be shared by caches. The home-space form in every
page's header only stores a preference in the visitor's own session; for a
visitor without a session it is sent without a token and checked here instead:
browsers mark every request with ``Sec-Fetch-Site`` (and a POST with ``Origin``),
and a page on another site cannot forge either. A request that proves nothing
(an old browser, a script) falls back to the token: the view then re-renders its
form with one. This follows OWASP's Fetch Metadata and standard-header defences.
"""

from __future__ import annotations

from flask import request


def is_same_origin() -> bool:
    """Whether the browser vouches that this request comes from one of this site's own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")
