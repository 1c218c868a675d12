"""Pre-encoded GeoJSON Features of the listed spaces: the API's search hot path.

A search answer is mostly the same Features again and again, and building each
one (Babel texts, ``url_for``, the staleness check, the JSON encoder) cost more
than the search. So each listed space's public Feature is encoded once, with
:func:`visa.directory.presenters.feature` itself, and kept beside the spatial
index under the same registry version (:meth:`SpatialIndex.derived`): any
write gives a new index and new fragments. A search then joins bytes.

The stored bytes hold no words, so one copy serves every language: a Feature's
words (its country's name, its headline, its staleness note) come from a few
hundred short texts per locale, the country's name by country code, the
headline by the row's terms (spaces alike in what the headline says share one;
a network has a few dozen), the note by the date the terms were confirmed. So a
reader in a sixth language costs a few kilobytes, not another copy of every
Feature.

What differs from one request to the next is left out of the stored bytes and
added when joining: the distance, the listing's photo, the staleness flag (vectorised from the
index's confirmation times, since a listing grows stale without any write) with
its note, and a home space's verdict.

Fragments are filled on first use, a batch of rows per query (no ORM objects),
or all at once by :func:`fill_all` at start-up.
"""

from __future__ import annotations

import math
import re
import threading
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import orjson
import sqlalchemy as sa
from flask import request, url_for
from flask_babel import get_locale

from visa.directory.models import Space, VisaTerms
from visa.directory.presenters import STALE_AFTER, TAGLINE_CHARS, feature, headline, stale_text
from visa.directory.spatial_index import SpatialIndex
from visa.geocoding.local_names import local_city
from visa.l10n import country_name
from visa.timeutil import utcnow

_FRESH = b',"terms_stale":false,"terms_stale_text":null'
#: Slugs made by the directory's slugify: safe in a URL path as they are, so one url_for serves them all.
_PLAIN_SLUG = re.compile(r"[a-z0-9-]+")
_SLUG_MARK = "__slug__"
#: Rows read from the database per query while filling.
_FILL_BATCH = 5000
_COLUMNS = (Space.id, Space.slug, Space.name, Space.city, Space.country_code, Space.latitude, Space.longitude,
            Space.geocode_precision, Space.is_demo, Space.terms_confirmed_at, Space.terms_confirmed_by,
            Space.terms_confirmed_via, Space.import_file,
            # Enough of a description for its tagline (the first line, at most 160 characters) without reading it all.
            sa.func.substr(Space.description, 1, 4 * TAGLINE_CHARS), VisaTerms.is_participating,
            VisaTerms.free_days_per_visit, VisaTerms.free_days_per_month, VisaTerms.free_days_per_year,
            VisaTerms.request_method, VisaTerms.advance_notice_hours)
#: What :func:`visa.directory.presenters.headline` reads of the terms: spaces alike in these share a headline.
_HEADLINE_TERMS = ("is_participating", "free_days_per_visit", "free_days_per_month", "free_days_per_year",
                   "request_method", "advance_notice_hours")
#: The properties that hold words, taken out of the stored bytes and added per locale.
_WORDED = ("city_name", "country_name", "headline", "terms_stale", "terms_stale_text")


class _Heads:
    """The stored part of each row's Feature: without its words and closing braces; and its headline's code."""

    def __init__(self, size: int) -> None:
        self.head: list[bytes | None] = [None] * size
        self.headline = np.zeros(size, dtype=np.uint32)
        #: Each row's (city as written, country code): the key of its city's name in a locale.
        self.place: list[tuple[str, str] | None] = [None] * size
        #: Rows encoded (or looked for: a row deleted since the index was built keeps no head).
        self.filled = np.zeros(size, dtype=bool)
        self.lock = threading.Lock()


class _Words:
    """One locale's encoded words, filled as rows ask for them."""

    def __init__(self) -> None:
        self.country: dict[str, bytes] = {}  # code -> ',"country_name":"..."'
        self.city: dict[tuple[str, str], bytes] = {}  # (city, country) -> ',"city_name":"..."'
        self.headline: dict[int, bytes] = {}  # headline code -> ',"headline":"..."'
        self.stale: dict[object, bytes] = {}  # confirmation date (None: never) -> the staleness note
        self.verdict: dict[int, bytes] = {}  # row -> pre-encoded "honored" verdict (home-independent)


class Fragments:
    """The pre-encoded Features of one index: heads per URL prefix, words per locale."""

    def __init__(self, index: SpatialIndex) -> None:
        self.index = index
        self._heads: dict[str, _Heads] = {}
        self._words: dict[str, _Words] = {}
        self._headline_terms: list[tuple] = []  # code -> the terms values a headline reads
        self._headline_codes: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def heads(self) -> _Heads:
        # The URLs inside depend on where the app is mounted (its script root), not on the request's path.
        key = request.script_root
        found = self._heads.get(key)
        if found is None:
            with self._lock:
                found = self._heads.setdefault(key, _Heads(len(self.index)))
        return found

    def words(self) -> _Words:
        key = str(get_locale() or "en")
        found = self._words.get(key)
        if found is None:
            with self._lock:
                found = self._words.setdefault(key, _Words())
        return found

    def features(self, session, rows: np.ndarray, distances: np.ndarray | None = None,
                 extras: list[bytes] | None = None, now: datetime | None = None) -> list[bytes]:
        """The encoded Features of *rows* (in the request's locale), each with its distance and its *extras*
        (encoded properties made elsewhere: its photo, a home space's verdict)."""
        heads = self.heads()
        self._fill(session, heads, rows)
        words = self.words()
        stale = is_stale(self.index, rows, now)
        rounded = np.round(distances, 2).tolist() if distances is not None else None
        countries = self.index.column("country")[rows].tolist()
        codes = heads.headline[rows].tolist()
        confirmed = self.index.column("confirmed_at")[rows].tolist()
        head, place = heads.head, heads.place
        out = []
        for i, row in enumerate(rows.tolist()):
            if head[row] is None:  # deleted since the index was built; the next request has a new index
                continue
            parts = [head[row], words.city.get(place[row]) or self._city(words, place[row]),
                     words.country.get(countries[i]) or self._country(words, countries[i]),
                     words.headline.get(codes[i]) or self._headline(words, codes[i]),
                     self._stale_note(words, confirmed[i]) if stale[i] else _FRESH]
            if rounded is not None:
                parts.append(b',"distance_km":' + orjson.dumps(rounded[i]))
            if extras is not None:
                parts.append(extras[i])
            parts.append(b"}}")
            out.append(b"".join(parts))
        return out

    def encoded(self, rows: np.ndarray) -> np.ndarray:
        """Which of *rows* have a Feature, once :meth:`features` has filled them: those it answers, in order
        (a row deleted since the index was built has none)."""
        head = self.heads().head
        return np.array([head[row] is not None for row in rows.tolist()], dtype=bool)

    def honored_verdicts(self) -> dict[int, bytes]:
        """Row -> pre-encoded verdict of a host that honors (its summary depends on the host alone), to fill."""
        return self.words().verdict

    @staticmethod
    def _city(words: _Words, key: tuple[str, str]) -> bytes:
        found = words.city[key] = b',"city_name":' + orjson.dumps(local_city(*key))
        return found

    @staticmethod
    def _country(words: _Words, code: bytes) -> bytes:
        text = code.decode()
        found = words.country[code] = b',"country_name":' + orjson.dumps(country_name(text))
        return found

    def _headline(self, words: _Words, code: int) -> bytes:
        terms = SimpleNamespace(**dict(zip(_HEADLINE_TERMS, self._headline_terms[code], strict=True)))
        found = words.headline[code] = b',"headline":' + orjson.dumps(headline(terms))
        return found

    @staticmethod
    def _stale_note(words: _Words, confirmed_at: float) -> bytes:
        # The date the terms were confirmed (UTC, as stored); NaN when never.
        when = None if math.isnan(confirmed_at) else datetime.fromtimestamp(confirmed_at, UTC)
        key = when.date() if when else None
        found = words.stale.get(key)
        if found is None:
            note = stale_text(SimpleNamespace(terms_confirmed_at=when))
            found = words.stale[key] = b',"terms_stale":true,"terms_stale_text":' + orjson.dumps(note)
        return found

    def _headline_code(self, key: tuple) -> int:
        found = self._headline_codes.get(key)
        if found is None:
            with self._lock:
                found = self._headline_codes.get(key)
                if found is None:
                    found = self._headline_codes[key] = len(self._headline_terms)
                    self._headline_terms.append(key)
        return found

    def _fill(self, session, heads: _Heads, rows: np.ndarray) -> None:
        if heads.filled[rows].all():
            return
        with heads.lock:
            missing = rows[~heads.filled[rows]]
            for start in range(0, len(missing), _FILL_BATCH):
                batch = missing[start:start + _FILL_BATCH]
                self._encode(session, heads, batch)
                heads.filled[batch] = True

    def _encode(self, session, heads: _Heads, rows: np.ndarray) -> None:
        ids = self.index.ids[rows]
        found = session.execute(sa.select(*_COLUMNS).join(VisaTerms, VisaTerms.space_id == Space.id)
                                .where(Space.id.in_(ids.tolist()))).all()
        row_of = dict(zip(ids.tolist(), rows.tolist(), strict=True))
        url_pattern = url_for("directory.space_page", slug=_SLUG_MARK)
        for values in found:
            space = _listed(values)
            url = (url_pattern.replace(_SLUG_MARK, space.slug) if _PLAIN_SLUG.fullmatch(space.slug)
                   else url_for("directory.space_page", slug=space.slug))
            body = feature(space, headline_text="", city_text="", url=url)
            props = body["properties"]
            for name in _WORDED:
                del props[name]
            row = row_of[space.id]
            heads.place[row] = (space.city, space.country_code)
            heads.headline[row] = self._headline_code(tuple(getattr(space.terms, n) for n in _HEADLINE_TERMS))
            heads.head[row] = orjson.dumps(body)[:-2]  # without the closing "}}" of properties and Feature


def _listed(values) -> SimpleNamespace:
    """A listed space as the presenters read it, from one row of plain columns (no ORM object)."""
    (space_id, slug, name, city, country, lat, lon, precision, is_demo, confirmed, confirmed_by, confirmed_via,
     import_file, description, *terms_values) = values
    terms = SimpleNamespace(**dict(zip(_HEADLINE_TERMS, terms_values, strict=True)))
    return SimpleNamespace(id=space_id, slug=slug, name=name, city=city, country_code=country, latitude=lat,
                           longitude=lon, geocode_precision=precision, is_demo=is_demo, terms_confirmed_at=confirmed,
                           terms_confirmed_by=confirmed_by, terms_confirmed_via=confirmed_via, import_file=import_file,
                           description=description, terms=terms)


def is_stale(index: SpatialIndex, rows: np.ndarray, now: datetime | None = None) -> np.ndarray:
    """:func:`visa.directory.presenters.is_stale` for many rows at once (never confirmed counts as stale)."""
    moment = now or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    confirmed = index.column("confirmed_at")[rows]
    # NaN (never confirmed) compares false, so it is stale.
    return ~(confirmed >= (moment - STALE_AFTER).timestamp())


def fragments(index: SpatialIndex) -> Fragments:
    return index.derived("directory.fragments", Fragments)


def fill_all(index: SpatialIndex, session) -> int:
    """Encode every row of *index* now (start-up, before the workers fork); words come per locale on use."""
    found = fragments(index)
    found._fill(session, found.heads(), np.arange(len(index)))
    return len(index)
