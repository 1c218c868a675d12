"""A search page's list: its spaces from the search API's pre-encoded Features, each item's parts kept.

The list and the map's first markers say the same words, from the same Feature bytes
(:mod:`visa.directory.fragments`, kept per registry version): no space is loaded from the database for them.
Everything in an item but its distance and the reader's own verdict is the same for every reader of a language
while the listing's terms stay fresh or stale, so it is rendered once (``templates/directory/_results.html``) and
kept beside the spatial index, which any write replaces.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import orjson
from flask import current_app, request
from flask_babel import get_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from visa.directory.fragments import fragments
from visa.directory.fragments import is_stale as rows_stale
from visa.directory.presenters import feature_state, feature_words
from visa.directory.search import RowPage
from visa.extensions import db
from visa.photos.presenters import first_thumbnails
from visa.timeutil import utcnow


@dataclass(frozen=True)
class ListedParts:
    """A listed space's item without its distance and verdict (templates/directory/_results.html)."""

    top: Markup
    place: Markup
    headline: Markup
    state: Markup


@dataclass
class Listed:
    """A space of the page's list, from its map Feature as the search API encodes it (visa.directory.fragments, kept
    per registry version): the list and the map's first markers say the same words, computed once for both, and
    no database object is loaded for them."""

    id: int
    distance_km: float
    encoded: bytes
    parts: ListedParts


@dataclass
class Results:
    hits: list[Listed]
    total: int


#: Listed spaces' parts kept per registry version and process, at most (a page shows 50): a crawl through every
#: city in every language cannot grow them without end; past it they are dropped and rendered again.
KEPT_LISTED = 5000


def listed_results(found: RowPage) -> Results:
    """The spaces of *found* as the search page lists them, from their kept Features."""
    kept = fragments(found.index)
    now = utcnow()  # one instant for the Features and the list: both say whether the terms are stale
    encoded = kept.features(db.session, found.rows, found.distances, now=now)
    listed = kept.encoded(found.rows)
    rows = found.rows[listed]
    stale = rows_stale(found.index, rows, now).tolist()
    ids, distances = found.index.ids[rows].tolist(), found.distances[listed].tolist()
    # An item is the same for every reader of a locale while its terms stay fresh or stale: rendered once for them.
    name, locale = "finder.listed" + request.script_root, str(get_locale() or "en")
    hits = []
    for row, space_id, distance, body, terms_stale in zip(rows.tolist(), ids, distances, encoded, stale, strict=True):
        parts = found.index.kept(name, (locale, row, terms_stale),
                                 functools.partial(_listed_parts, found.index, space_id, body), KEPT_LISTED)
        hits.append(Listed(space_id, distance, body, parts))
    return Results(hits, found.total)


def _listed_parts(index, space_id: int, body: bytes) -> ListedParts:
    props = orjson.loads(body)["properties"]
    items = current_app.jinja_env.get_template("directory/_results.html").module
    state = feature_state(props)
    return ListedParts(Markup(items.top(props, first_thumbnails(index).get(space_id))), Markup(items.place(props)),
                       Markup(items.headline(props)), Markup(items.state(props, state, feature_words(props))))


def script_json(encoded: list[bytes]) -> Markup:
    """Encoded Features as a JSON array to put inside a <script>, escaped by Jinja's own ``tojson`` rule (no
    "</script>" or "<!--" can end it early): the bytes the API encoded, not a dict encoded again."""
    return htmlsafe_json_dumps(encoded, dumps=lambda items, **_kwargs: (b"[" + b",".join(items) + b"]").decode())
