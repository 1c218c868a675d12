"""A space's website: an http(s) address on a real host name, or nothing.

Pure (no Flask), so the listing forms and the importer refuse the same
addresses. ``https://javascript:alert(1).x`` passed the old check (a dot in
the network location was enough) and would have been stored and linked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna

from visa.messages import N_, MessageError, define

MAX_LENGTH = 300

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Characters no website address needs, and that a link must never carry.
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\\<>\"'`{}|^]")
#: Unicode's bidirectional controls (marks, embeddings, overrides, isolates): an address holding one shows its
#: characters in another order than they are followed (``example.org/\u202egpj.exe`` reads as ``exe.jpg``).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


define({
    # Translators: %(max)s is the largest number of characters a web address
    # may have.
    "website_too_long": N_("a website address has at most %(max)s characters"),
    # Translators: %(value)r is the value that was read, in quotes.
    "not_a_website": N_("expected a website address, found %(value)r"),
    # Translators: %(scheme)s is the scheme the web address starts with
    # (“ftp”, “mailto”).
    "website_scheme": N_("a website address starts with http:// or https://, not %(scheme)s://"),
    "website_user": N_("a website address carries no user name or password"),
    # Translators: %(netloc)r is the host part of the web address that was
    # read, in quotes.
    "website_port": N_("%(netloc)r is not a host name with an optional port"),
    # Translators: %(host)r is the host name of the web address that was read,
    # in quotes. Keep example.org.
    "website_host": N_("%(host)r is not a host name such as example.org"),
    # Translators: %(code)s is the code of the character found, such as
    # U+202E.
    "website_bidi": N_("a website address cannot hold %(code)s, a character that changes the order in which the "
                       "address reads"),
})


class InvalidWebsite(MessageError):
    """The text is not a website address; the message says what is wrong."""


def normalize_website(value: str | None) -> str:
    """"example.org" → "https://example.org"; blank stays blank.

    :raise InvalidWebsite: not http(s), no real host name (labels of letters,
        digits and hyphens, or an internationalised name; at least two labels;
        a top-level domain that is not a number), user and password in the
        address, a bad port, spaces or characters a link must not carry, bidirectional controls.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise InvalidWebsite("website_too_long", max=MAX_LENGTH)
    if _FORBIDDEN.search(text):
        raise InvalidWebsite("not_a_website", value=value)
    control = next((c for c in text if c in BIDI_CONTROLS), None)
    if control:
        raise InvalidWebsite("website_bidi", code=f"U+{ord(control):04X}")
    if not _SCHEME.match(text):
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidWebsite("website_scheme", scheme=parts.scheme)
    if "@" in parts.netloc:
        raise InvalidWebsite("website_user")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise InvalidWebsite("website_port", netloc=parts.netloc) from None
    host = (parts.hostname or "").rstrip(".")
    if not is_host_name(host):
        raise InvalidWebsite("website_host", host=host or parts.netloc)
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
