"""A listing's links elsewhere on the web: its Facebook page, Twitter account, logo, Yelp and Google Places
pages (pure; no Flask).

Legacy sheets write them as they come: "@handle", "facebook.com/page", a bare page name, a full URL. Each is
stored as a full https address that passed the same website rule as the listing's own website, so a page
can link to it as it is; a value that cannot be made one is left out by the caller with a warning.
"""

from __future__ import annotations

import re

from visa.directory.websites import InvalidWebsite, normalize_website
from visa.messages import N_, MessageError, define

#: The kinds of link a listing keeps, in the order its page shows them.
LINK_KINDS = ("facebook", "twitter", "yelp", "google_places", "logo")
#: Where a bare handle or page name points.
_PROFILE_BASES = {"twitter": "https://twitter.com/", "facebook": "https://www.facebook.com/"}
_HANDLE = re.compile(r"@?([A-Za-z0-9_.-]{1,80})")

define({
    # Translators: %(value)r is the value that was read, in quotes as it was
    # found in the file or form.
    "not_a_link": N_("expected a web address or an @handle, found %(value)r"),
})


class InvalidLink(MessageError):
    """A cell that is neither a web address nor a handle."""


def normalize_link(kind: str, value: str | None) -> str:
    """The stored address of a *kind* link; blank stays blank.

    "@coworkingvisa" (Twitter) -> "https://twitter.com/coworkingvisa"; "facebook.com/page" ->
    "https://facebook.com/page"; a Facebook page name alone -> "https://www.facebook.com/name".

    :raise InvalidLink: when *value* is neither.
    """
    text = (value or "").strip()
    if not text:
        return ""
    handle = _HANDLE.fullmatch(text)
    if kind in _PROFILE_BASES and handle and (text.startswith("@") or "." not in text):
        return _PROFILE_BASES[kind] + handle.group(1)
    try:
        return normalize_website(text)
    except InvalidWebsite:
        raise InvalidLink("not_a_link", value=value) from None


def clean_links(links: dict[str, str] | None) -> dict[str, str]:
    """Only the known kinds with a value, in :data:`LINK_KINDS` order (what the listing stores)."""
    links = links or {}
    return {kind: links[kind] for kind in LINK_KINDS if links.get(kind)}
