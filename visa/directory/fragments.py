"""Pre-encoded GeoJSON Features of the listed spaces: the API's search hot path.

A search answer is mostly the same Features again and again, and building each
one (Babel texts, ``url_for``, the staleness check, the JSON encoder) cost more
than the search. So each listed space's public Feature is encoded once, with
:func:`visa.directory.presenters.feature` itself, per locale (its headline and
staleness note hold words) and kept beside the spatial index under the same
registry version (:meth:`SpatialIndex.derived`): any write gives a new index and
new fragments. A search then joins bytes.

What differs from one request to the next is left out of the stored bytes and
added when joining: the distance, the staleness flag (vectorised from the
index's confirmation times, since a listing grows stale without any write) with
its note, and a home space's verdict.

Fragments are filled on first use, a batch of rows per query (no ORM objects),
or all at once by :func:`fill_all` at start-up.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import orjson
import sqlalchemy as sa
from flask import request, url_for
from flask_babel import get_locale

from visa.directory.models import Space, VisaTerms
from visa.directory.presenters import STALE_AFTER, feature, headline, stale_text
from visa.directory.spatial_index import SpatialIndex
from visa.timeutil import utcnow

_FRESH = b',"terms_stale":false,"terms_stale_text":null'
#: Slugs made by the directory's slugify: safe in a URL path as they are, so one url_for serves them all.
_PLAIN_SLUG = re.compile(r"[a-z0-9-]+")
_SLUG_MARK = "__slug__"
#: Rows read from the database per query while filling.
_FILL_BATCH = 5000
_COLUMNS = (Space.id, Space.slug, Space.name, Space.city, Space.country_code, Space.latitude, Space.longitude,
            Space.geocode_precision, Space.is_demo, Space.terms_confirmed_at, VisaTerms.is_participating,
            VisaTerms.free_days_per_visit, VisaTerms.free_days_per_month, VisaTerms.free_days_per_year,
            VisaTerms.request_method, VisaTerms.advance_notice_hours)
#: What :func:`visa.directory.presenters.headline` reads of the terms: spaces alike in these share a headline.
_HEADLINE_TERMS = ("is_participating", "free_days_per_visit", "free_days_per_month", "free_days_per_year",
                   "request_method", "advance_notice_hours")


class _Table:
    """One locale's fragments: the Feature without its closing braces, and its "stale" note, per row."""

    def __init__(self, size: int) -> None:
        self.head: list[bytes | None] = [None] * size
        self.stale: list[bytes | None] = [None] * size
        self.verdict: dict[int, bytes] = {}  # row -> pre-encoded "honored" verdict (home-independent)
        self.lock = threading.Lock()


class Fragments:
    """The pre-encoded Features of one index, per (locale, URL prefix)."""

    def __init__(self, index: SpatialIndex) -> None:
        self.index = index
        self._tables: dict[tuple[str, str], _Table] = {}
        self._lock = threading.Lock()

    def table(self) -> _Table:
        # The URLs inside depend on where the app is mounted (its script root), not on the request's path.
        key = (str(get_locale() or "en"), request.script_root)
        found = self._tables.get(key)
        if found is None:
            with self._lock:
                found = self._tables.setdefault(key, _Table(len(self.index)))
        return found

    def features(self, session, rows: np.ndarray, distances: np.ndarray | None = None,
                 verdicts: list[bytes] | None = None, now: datetime | None = None) -> list[bytes]:
        """The encoded Features of *rows* (in the request's locale), each with its distance and verdict."""
        table = self.table()
        self._fill(session, table, rows)
        stale = is_stale(self.index, rows, now)
        rounded = np.round(distances, 2).tolist() if distances is not None else None
        head, stale_note = table.head, table.stale
        out = []
        for i, row in enumerate(rows.tolist()):
            if head[row] is None:  # deleted since the index was built; the next request has a new index
                continue
            parts = [head[row], stale_note[row] if stale[i] else _FRESH]
            if rounded is not None:
                parts.append(b',"distance_km":' + orjson.dumps(rounded[i]))
            if verdicts is not None:
                parts.append(verdicts[i])
            parts.append(b"}}")
            out.append(b"".join(parts))
        return out

    def honored_verdicts(self) -> dict[int, bytes]:
        """Row -> pre-encoded verdict of a host that honors (its summary depends on the host alone), to fill."""
        return self.table().verdict

    def _fill(self, session, table: _Table, rows: Iterable[int]) -> None:
        missing = [row for row in rows if table.head[row] is None]
        if not missing:
            return
        with table.lock:
            missing = [row for row in missing if table.head[row] is None]
            for start in range(0, len(missing), _FILL_BATCH):
                batch = missing[start:start + _FILL_BATCH]
                self._encode(session, table, np.array(batch, dtype=np.int64))

    def _encode(self, session, table: _Table, rows: np.ndarray) -> None:
        ids = self.index.ids[rows]
        found = session.execute(sa.select(*_COLUMNS).join(VisaTerms, VisaTerms.space_id == Space.id)
                                .where(Space.id.in_(ids.tolist()))).all()
        row_of = dict(zip(ids.tolist(), rows.tolist(), strict=True))
        url_pattern = url_for("directory.space_page", slug=_SLUG_MARK)
        headlines: dict[tuple, str] = {}
        notes: dict[object, bytes] = {}
        for values in found:
            space = _listed(values)
            key = tuple(getattr(space.terms, name) for name in _HEADLINE_TERMS)
            if key not in headlines:  # a few dozen distinct terms: Babel once for each
                headlines[key] = headline(space.terms)
            url = (url_pattern.replace(_SLUG_MARK, space.slug) if _PLAIN_SLUG.fullmatch(space.slug)
                   else url_for("directory.space_page", slug=space.slug))
            body = feature(space, headline_text=headlines[key], url=url)
            props = body["properties"]
            del props["terms_stale"], props["terms_stale_text"]
            encoded = orjson.dumps(body)
            confirmed = space.terms_confirmed_at.date() if space.terms_confirmed_at else None
            if confirmed not in notes:
                notes[confirmed] = (b',"terms_stale":true,"terms_stale_text":' + orjson.dumps(stale_text(space)))
            row = row_of[space.id]
            table.stale[row] = notes[confirmed]
            table.head[row] = encoded[:-2]  # without the closing "}}" of properties and Feature


def _listed(values) -> SimpleNamespace:
    """A listed space as the presenters read it, from one row of plain columns (no ORM object)."""
    (space_id, slug, name, city, country, lat, lon, precision, is_demo, confirmed, *terms_values) = values
    terms = SimpleNamespace(**dict(zip(_HEADLINE_TERMS, terms_values, strict=True)))
    return SimpleNamespace(id=space_id, slug=slug, name=name, city=city, country_code=country, latitude=lat,
                           longitude=lon, geocode_precision=precision, is_demo=is_demo, terms_confirmed_at=confirmed,
                           terms=terms)


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
    """Encode every row of *index* in the current locale now (start-up, before the workers fork)."""
    found = fragments(index)
    found._fill(session, found.table(), range(len(index)))
    return len(index)
