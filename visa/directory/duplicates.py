"""Are two listings the same space? (pure: no Flask, no database)

Name likeness alone is not enough: chains list branches a few hundred metres
apart ("Impact Hub Berlin" and "Impact Hub Berlin Kreuzberg", "Spaces
Oosterdokseiland" and "Spaces Zuidas"), and legacy lists put distinct spaces on
one placeholder point. Two nearby listings with like names are:

- the same space (:attr:`Likeness.SAME`) when nothing tells them apart;
- a *possible* duplicate, kept (:attr:`Likeness.POSSIBLE`), when a different
  website, a different street address or a distinguishing word in one name
  only (a number, a district, a street) tells them apart: an admin can merge;
- on a *shared point* (:attr:`Likeness.SHARED_POINT`) when their names are
  unlike but the point is the same: both are kept and the point is flagged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from visa.geo.distance import haversine_km
from visa.geocoding.normalize import has_digits, name_key
from visa.messages import N_, Message, define

#: Listings further apart than this are different spaces whatever their names.
DUPLICATE_RADIUS_KM = 0.3
#: token_set_ratio of two names' own words from which the names are alike ("Harbor Desk", "Harbour Desk").
DUPLICATE_NAME_SIMILARITY = 85
#: Two words this alike are one word misspelt, not two words.
SAME_WORD_SIMILARITY = 80
#: Closer than this (about 2 m) the two points are one point.
SAME_POINT_KM = 0.002
#: Words that say what a place is, not which one: they never tell two listings apart.
GENERIC_WORDS = frozenset({
    "a", "an", "and", "at", "by", "de", "del", "della", "der", "des", "di", "do", "du", "el", "en", "et", "il",
    "la", "le", "les", "los", "of", "the", "y", "co", "coworking", "cowork", "working", "work", "works", "space",
    "spaces", "hub", "office", "offices", "centre", "center", "studio", "studios", "desk", "desks", "lab", "labs",
    "place", "club", "house", "loft", "collective", "community", "shared", "business",
})


define({
    "different_website": N_("a different website"),
    "different_address": N_("a different street address"),
    # Translators: %(words)s is a word or words, each in quotes, found in only
    # one of two space names (“Hub”).
    "words_in_one_name": N_("%(words)s in one name only"),
})


class Likeness(enum.Enum):
    SAME = "same"
    POSSIBLE = "possible"
    SHARED_POINT = "shared_point"


@dataclass(frozen=True)
class Listing:
    name: str
    lat: float
    lon: float
    website: str = ""
    address: str = ""
    city: str = ""
    slug: str = ""  # for the report, when the listing is stored


@dataclass(frozen=True)
class Match:
    likeness: Likeness
    reasons: tuple[Message, ...] = ()  # what tells them apart, for "possible duplicate, kept"


def site_key(url: str) -> str:
    """"https://www.Example.org/berlin/" -> "example.org/berlin"."""
    if not url:
        return ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    return parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/").lower()


def _words(name: str, city: str) -> set[str]:
    city_words = set(name_key(city).split())
    return {w for w in name_key(name).split() if w not in GENERIC_WORDS and w not in city_words}


def distinguishing_words(name: str, other: str, city: str = "") -> list[str]:
    """Words of either name with no like word in the other: a number, a district, a street.

    Words with digits must match exactly ("099607" is not "096606"); others may
    be misspelt ("Harbor", "Harbour").
    """
    mine, theirs = _words(name, city), _words(other, city)
    alone = []
    for words, others in ((mine, theirs), (theirs, mine)):
        for word in sorted(words - others):
            if has_digits(word) or not any(
                    not has_digits(o) and fuzz.ratio(word, o) >= SAME_WORD_SIMILARITY for o in others):
                alone.append(word)
    return alone


def names_alike(name: str, other: str, city: str = "") -> bool:
    """Like names, judged on the words that say which place it is ("The Hive" and "Hive Coworking").

    Numbers are left to :func:`distinguishing_words`: "Desk 12" and "Desk 14" are alike names of two places.
    """
    mine = " ".join(sorted(w for w in _words(name, city) if not has_digits(w)))
    theirs = " ".join(sorted(w for w in _words(other, city) if not has_digits(w)))
    if not (mine and theirs):
        mine, theirs = name_key(name), name_key(other)
    return fuzz.token_set_ratio(mine, theirs) >= DUPLICATE_NAME_SIMILARITY


def compare(a: Listing, b: Listing) -> Match | None:
    """How alike two listings are; None when they are plainly different spaces."""
    km = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if km > DUPLICATE_RADIUS_KM:
        return None
    cities = f"{a.city} {b.city}"  # both, so that comparing a with b is comparing b with a
    alike = names_alike(a.name, b.name, cities)
    reasons = []
    if alike:
        if site_key(a.website) and site_key(b.website) and site_key(a.website) != site_key(b.website):
            reasons.append(Message("different_website"))
        if name_key(a.address) and name_key(b.address) and name_key(a.address) != name_key(b.address):
            reasons.append(Message("different_address"))
        words = distinguishing_words(a.name, b.name, cities)
        if words:
            reasons.append(Message("words_in_one_name", words="“" + "”, “".join(words) + "”"))
        return Match(Likeness.POSSIBLE if reasons else Likeness.SAME, tuple(reasons))
    if km < SAME_POINT_KM:
        return Match(Likeness.SHARED_POINT)
    return None
