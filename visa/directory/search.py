"""Search the approved registry: near a point, in a viewport, or as a list.

Shared by the web pages and the API; the spatial work is done by the
per-process index. Each search has two forms: one answering index rows (what
the API's hot path and the search page join pre-encoded Features for, see
:mod:`visa.directory.fragments`), and one reading those rows' spaces from the
database for the pages that need the spaces themselves (a trip's plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from visa.directory.clusters import cluster_grid
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
    participating: bool = False  # only spaces that take part in the visa (any number of days, stated or not)


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
class RowPage:
    """A page of index rows (and their distances when searched near a point)."""

    index: SpatialIndex
    rows: np.ndarray
    distances: np.ndarray | None
    total: int
    next_offset: int | None


@dataclass
class RowViewport:
    index: SpatialIndex
    clusters: list[Cluster]
    rows: np.ndarray
    total: int


def _next(offset: int, limit: int, total: int) -> int | None:
    return offset + limit if offset + limit < total else None


def _text_clause(q: str):
    """Text in the name or the city, case-insensitive; % and _ are literal characters, not wildcards."""
    text = q.lower()
    return sa.or_(sa.func.lower(Space.name).contains(text, autoescape=True),
                  sa.func.lower(Space.city).contains(text, autoescape=True))


def _text_matches(q: str) -> np.ndarray:
    ids = db.session.scalars(sa.select(Space.id).where(Space.is_visible, _text_clause(q))).all()
    return np.array(ids, dtype=np.int64)


def not_declining(index: SpatialIndex) -> np.ndarray:
    """The rows of the spaces that take part or have not said (``honors`` filter): those that said they do
    not take part are hidden unless the traveller asks for every space. Once per registry version."""
    return index.derived("directory.not_declining", lambda built: _not_declining(db.session, built))


def _not_declining(session, index: SpatialIndex) -> np.ndarray:
    declined = session.scalars(sa.select(VisaTerms.space_id).where(VisaTerms.is_participating.is_(False))).all()
    rows = index.rows_of(np.array(declined, dtype=np.int64))
    keep = np.ones(len(index), dtype=bool)
    keep[rows[rows >= 0]] = False
    return keep


def _mask(index, filters: Filters):
    allowed = _text_matches(filters.q) if filters.q else None
    honors = filters.honors(index) if filters.honors is not None else None
    return index.mask(filters.country, filters.min_days, allowed, honors, filters.participating)


def _hits(index: SpatialIndex, rows: np.ndarray, distances: np.ndarray | None = None) -> list[Hit]:
    """The spaces of *rows*, read from the database, in the rows' order."""
    ids = index.ids[rows]
    spaces = spaces_by_id(ids)
    if distances is None:
        return [Hit(spaces[int(i)]) for i in ids if int(i) in spaces]
    return [Hit(spaces[int(i)], float(d)) for i, d in zip(ids, distances, strict=True) if int(i) in spaces]


def spaces_by_id(ids) -> dict[int, Space]:
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    spaces = db.session.scalars(sa.select(Space).where(Space.id.in_(ids))).unique().all()
    return {s.id: s for s in spaces}


def near_rows(lat: float, lon: float, radius_km: float, filters: Filters, limit: int, offset: int = 0) -> RowPage:
    """Index rows within *radius_km* of the point (WGS84), nearest first."""
    index = get_index(db.session)
    rows, distances, total = index.first_within_radius(lat, lon, radius_km, offset + limit, _mask(index, filters))
    window = slice(offset, offset + limit)
    return RowPage(index, rows[window], distances[window], total, _next(offset, limit, total))


def near(lat: float, lon: float, radius_km: float, filters: Filters, limit: int, offset: int = 0) -> Page:
    """Spaces within *radius_km* of the point, nearest first."""
    found = near_rows(lat, lon, radius_km, filters, limit, offset)
    return Page(_hits(found.index, found.rows, found.distances), found.total, found.next_offset)


#: How many nearest spaces an empty radius search names.
NEAREST_COUNT = 5


def nearest(lat: float, lon: float, beyond_km: float, filters: Filters, count: int = NEAREST_COUNT) -> list[Nearby]:
    """The *count* participating spaces nearest to the point beyond *beyond_km*, nearest first.

    What an empty radius search offers instead of nothing; the same filters apply.
    """
    index = get_index(db.session)
    mask = _mask(index, filters)
    participates = index.column("participates")
    mask = participates if mask is None else mask & participates
    ids, distances = index.nearest(lat, lon, count, beyond_km, mask)
    spaces = spaces_by_id(ids)
    found = []
    for space_id, distance in zip(ids, distances, strict=True):
        space = spaces.get(int(space_id))
        if space is not None:
            bearing = bearing_deg(lat, lon, space.latitude, space.longitude)
            found.append(Nearby(space, float(distance), bearing, compass_point(bearing)))
    return found


def view_rows(west: float, south: float, east: float, north: float, zoom: int, filters: Filters,
              limit: int) -> RowViewport:
    """What the map shows, as index rows: clusters at low zoom or when crowded, else the spaces."""
    index = get_index(db.session)
    mask = _mask(index, filters)
    # A view of the whole registry (the world view) reads the grid precomputed for the index,
    # without listing a million rows first.
    everything = (mask is None and zoom < CLUSTER_BELOW_ZOOM and len(index) > 0 and west <= -180 <= 180 <= east
                  and south <= index.lat[0] and index.lat[-1] <= north)
    rows = np.arange(0) if everything else index.in_bbox(west, south, east, north, mask)
    total = len(index) if everything else len(rows)
    if zoom < CLUSTER_BELOW_ZOOM or total > limit:
        everything = everything or (mask is None and total == len(index) and zoom < CLUSTER_BELOW_ZOOM)

        def cluster(at: int) -> tuple[list[Cluster], np.ndarray]:
            return cluster_grid(index, CLUSTER_BELOW_ZOOM).clusters(at) if everything else index.cluster(rows, at)

        clusters, lone = cluster(zoom)
        # Zooming in far enough always ends in points; until then cap the lone ones too.
        if len(lone) > limit:
            clusters, lone = cluster(max(zoom - 2, 0))
        return RowViewport(index, clusters, index.rows_of(lone[:limit]), total)
    return RowViewport(index, [], rows, total)


def listing_rows(filters: Filters, limit: int, offset: int = 0) -> RowPage:
    """Index rows of the approved spaces matching the filters, by name (the order from SQL, ids only)."""
    index = get_index(db.session)
    query = sa.select(Space.id).join(VisaTerms).where(Space.is_visible)
    if filters.country:
        query = query.where(Space.country_code == filters.country)
    if filters.min_days:
        query = query.where(VisaTerms.is_participating, VisaTerms.free_days_per_visit >= filters.min_days)
    if filters.participating:
        query = query.where(VisaTerms.is_participating)
    if filters.q:
        query = query.where(_text_clause(filters.q))
    if filters.honors is not None:
        # Name order comes from SQL, the reciprocity filter from the index.
        ordered = index.rows_of(np.array(db.session.scalars(query.order_by(Space.name, Space.id)).all(),
                                         dtype=np.int64))
        ordered = ordered[ordered >= 0]
        ordered = ordered[filters.honors(index)[ordered]]
        return RowPage(index, ordered[offset:offset + limit], None, len(ordered), _next(offset, limit, len(ordered)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    ids = db.session.scalars(query.order_by(Space.name, Space.id).offset(offset).limit(limit)).all()
    rows = index.rows_of(np.array(ids, dtype=np.int64))
    return RowPage(index, rows[rows >= 0], None, total, _next(offset, limit, total))


#: Built once: a space page, and every page of a reader with a home space, reads a space by its slug, and making
#: the statement and its cache key again cost as much as running it.
_VISIBLE_BY_SLUG = Space.visible().where(Space.slug == sa.bindparam("slug"))


def get_visible(slug: str) -> Space | None:
    return db.session.scalars(_VISIBLE_BY_SLUG, {"slug": slug}).unique().one_or_none()
