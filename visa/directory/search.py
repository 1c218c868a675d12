"""Search the approved registry: near a point, in a viewport, or as a list.

Shared by the web pages and the API; the spatial work is done by the
per-process index, the rows are then read from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from visa.directory.models import Space, VisaTerms
from visa.directory.spatial_index import Cluster, SpatialIndex, get_index
from visa.extensions import db
from visa.geo.distance import bearing_deg, compass_point

#: Below this zoom the map always receives clusters; above it, points unless
#: there are more than the response limit in view. 10 is a city's view (a 25 km
#: search opens there): its spaces are markers the list can name one by one.
CLUSTER_BELOW_ZOOM = 10


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    min_days: int | None = None
    q: str | None = None
    # Only hosts that honor members of a home space: the index rows to keep, computed by the
    # caller (visa.reciprocity.service.search_filter), so the registry does not import reciprocity.
    honors: Callable[[SpatialIndex], np.ndarray] | None = None


@dataclass
class Hit:
    space: Space
    distance_km: float | None = None


@dataclass
class Nearby:
    """A space beyond the searched radius: how far, and which way from the searched point."""

    space: Space
    distance_km: float
    bearing_deg: float
    direction: str  # a compass point, e.g. "south-west"


@dataclass
class Page:
    hits: list[Hit]
    total: int
    next_offset: int | None


@dataclass
class Viewport:
    clusters: list[Cluster]
    hits: list[Hit]
    total: int


def _text_clause(q: str):
    """Text in the name or the city, case-insensitive; % and _ are literal characters, not wildcards."""
    text = q.lower()
    return sa.or_(sa.func.lower(Space.name).contains(text, autoescape=True),
                  sa.func.lower(Space.city).contains(text, autoescape=True))


def _text_matches(q: str) -> np.ndarray:
    ids = db.session.scalars(sa.select(Space.id).where(Space.is_visible, _text_clause(q))).all()
    return np.array(ids, dtype=np.int64)


def _mask(index, filters: Filters):
    allowed = _text_matches(filters.q) if filters.q else None
    honors = filters.honors(index) if filters.honors is not None else None
    return index.mask(filters.country, filters.min_days, allowed, honors)


def _load(ids) -> dict[int, Space]:
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    spaces = db.session.scalars(sa.select(Space).where(Space.id.in_(ids))).unique().all()
    return {s.id: s for s in spaces}


def near(lat: float, lon: float, radius_km: float, filters: Filters, limit: int, offset: int = 0) -> Page:
    """Spaces within *radius_km* of the point, nearest first."""
    index = get_index(db.session)
    ids, distances = index.within_radius(lat, lon, radius_km, _mask(index, filters))
    window = slice(offset, offset + limit)
    spaces = _load(ids[window])
    hits = [Hit(spaces[int(i)], float(d)) for i, d in zip(ids[window], distances[window], strict=True)
            if int(i) in spaces]
    total = len(ids)
    return Page(hits, total, offset + limit if offset + limit < total else None)


#: How many nearest spaces an empty radius search names.
NEAREST_COUNT = 5


def nearest(lat: float, lon: float, beyond_km: float, filters: Filters, count: int = NEAREST_COUNT) -> list[Nearby]:
    """The *count* participating spaces nearest to the point beyond *beyond_km*, nearest first.

    What an empty radius search offers instead of nothing; the same filters apply.
    """
    index = get_index(db.session)
    mask = _mask(index, filters)
    participates = index.rules["participates"]
    mask = participates if mask is None else mask & participates
    ids, distances = index.nearest(lat, lon, count, beyond_km, mask)
    spaces = _load(ids)
    found = []
    for space_id, distance in zip(ids, distances, strict=True):
        space = spaces.get(int(space_id))
        if space is not None:
            bearing = bearing_deg(lat, lon, space.latitude, space.longitude)
            found.append(Nearby(space, float(distance), bearing, compass_point(bearing)))
    return found


def in_view(west: float, south: float, east: float, north: float, zoom: int, filters: Filters,
            limit: int) -> Viewport:
    """What the map shows: clusters at low zoom or when crowded, else the spaces."""
    index = get_index(db.session)
    rows = index.in_bbox(west, south, east, north, _mask(index, filters))
    total = len(rows)
    if zoom < CLUSTER_BELOW_ZOOM or total > limit:
        clusters, lone = index.cluster(rows, zoom)
        # Zooming in far enough always ends in points; until then cap the lone ones too.
        if len(lone) > limit:
            clusters, lone = index.cluster(rows, max(zoom - 2, 0))
        lone = lone[:limit]
        spaces = _load(lone)
        return Viewport(clusters, [Hit(spaces[int(i)]) for i in lone if int(i) in spaces], total)
    spaces = _load(index.ids[rows])
    return Viewport([], [Hit(spaces[int(i)]) for i in index.ids[rows] if int(i) in spaces], total)


def listing(filters: Filters, limit: int, offset: int = 0) -> Page:
    """Approved spaces matching the filters, by name."""
    query = Space.visible().join(VisaTerms)
    if filters.country:
        query = query.where(Space.country_code == filters.country)
    if filters.min_days:
        query = query.where(VisaTerms.is_participating, VisaTerms.free_days_per_visit >= filters.min_days)
    if filters.q:
        query = query.where(_text_clause(filters.q))
    if filters.honors is not None:
        # Name order comes from SQL, the reciprocity filter from the index.
        index = get_index(db.session)
        honoring = index.ids[filters.honors(index)]
        ordered = np.array(db.session.scalars(query.with_only_columns(Space.id).order_by(Space.name, Space.id)).all(),
                           dtype=np.int64)
        ordered = ordered[np.isin(ordered, honoring)]
        spaces = _load(ordered[offset:offset + limit])
        hits = [Hit(spaces[int(i)]) for i in ordered[offset:offset + limit] if int(i) in spaces]
        total = len(ordered)
        return Page(hits, total, offset + limit if offset + limit < total else None)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    spaces = db.session.scalars(query.order_by(Space.name, Space.id).offset(offset).limit(limit)).unique().all()
    return Page([Hit(s) for s in spaces], total, offset + limit if offset + limit < total else None)


def get_visible(slug: str) -> Space | None:
    return db.session.scalars(Space.visible().where(Space.slug == slug)).unique().one_or_none()
