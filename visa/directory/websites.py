"""A space's website: an http(s) address on a real host name, or nothing.

Pure (no Flask), so the listing forms and the importer refuse the same
addresses. ``https://javascript:alert(1).x`` passed the old check (a dot in
the network location was enough) and would have been stored and linked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna

MAX_LENGTH = 300

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Characters no website address needs, and that a link must never carry.
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\\<>\"'`{}|^]")


class InvalidWebsite(ValueError):
    """The text is not a website address; the message says what is wrong."""


def normalize_website(value: str | None) -> str:
    """"example.org" → "https://example.org"; blank stays blank.

    :raise InvalidWebsite: not http(s), no real host name (labels of letters,
        digits and hyphens, or an internationalised name; at least two labels;
        a top-level domain that is not a number), user and password in the
        address, a bad port, spaces or characters a link must not carry.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise InvalidWebsite(f"a website address has at most {MAX_LENGTH} characters")
    if _FORBIDDEN.search(text):
        raise InvalidWebsite(f"expected a website address, found {value!r}")
    if not _SCHEME.match(text):
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidWebsite(f"a website address starts with http:// or https://, not {parts.scheme}://")
    if "@" in parts.netloc:
        raise InvalidWebsite("a website address carries no user name or password")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise InvalidWebsite(f"{parts.netloc!r} is not a host name with an optional port") from None
    host = (parts.hostname or "").rstrip(".")
    if not is_host_name(host):
        raise InvalidWebsite(f"{host or parts.netloc!r} is not a host name such as example.org")
    return text


def is_host_name(host: str) -> bool:
    """A public DNS name: two labels or more, each valid under IDNA 2008, the last not a number."""
    labels = host.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return False
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return False
    if len(ascii_host) > 253:
        return False
    top = ascii_host.rsplit(".", 1)[1]
    return not top.isdigit() and all(re.fullmatch(r"[a-z0-9-]{1,63}", label) for label in ascii_host.split("."))
