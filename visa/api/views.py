"""Routes of /api/v1; each validates, calls a service and serialises."""

from __future__ import annotations

from datetime import date

import orjson
from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _

from visa.api.openapi import SPEC
from visa.directory import search
from visa.directory.fragments import fragments
from visa.directory.presenters import cluster_feature, feature, nearby_feature
from visa.extensions import db
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.photos.presenters import encoded_thumbnails, first_thumbnails, photo_json, shown_photos
from visa.rate_limits import limit_geocoding
from visa.reciprocity.forms import MAX_SPAN
from visa.reciprocity.presenters import possible_days_text, summary, verdict_json
from visa.reciprocity.service import date_range, honor_mask, search_filter, verdict
from visa.reciprocity.verdicts import HostVerdict, host_verdicts
from visa.web import params
from visa.web.errors import error_response
from visa.web.params import ParamError

#: What the API says of each alternative (the OpenAPI document's GeocodeAlternative); the keys pages use to name
#: a place in the reader's language (geonameid, admin1_code) stay out of its fixed shape.
ALTERNATIVE_KEYS = ("label", "lat", "lon", "country", "admin1")

bp = Blueprint("api", __name__, url_prefix="/api/v1")

KNOWN_SPACE_PARAMS = {"near", "radius_km", "bbox", "zoom", "q", "country", "min_days", "participating", "honors",
                      "hide_declined", "home", "limit", "cursor", "date_from", "date_to", "lang"}


class UnknownSpace(LookupError):
    def __init__(self, field: str, slug: str) -> None:
        super().__init__(slug)
        self.field, self.slug = field, slug


@bp.errorhandler(UnknownSpace)
def _unknown_space(err: UnknownSpace):
    # Translators: %(slug)s is the slug that was asked for, in quotes as the
    # API received it (“'lisbon-hub'”).
    return error_response(404, "space_not_found", _("No approved space with slug %(slug)s.", slug=repr(err.slug)), err.field)


def _listed_space(args, field: str, required: bool = False):
    slug = params.slug(args, field, required)
    if slug is None:
        return None
    space = search.get_visible(slug)
    if space is None:
        raise UnknownSpace(field, slug)
    return space


@bp.errorhandler(ParamError)
def _bad_param(err: ParamError):
    return error_response(400, err.code, err.message, err.field)


def _geojson(body: dict) -> Response:
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


@bp.get("/spaces")
def spaces():
    # A plain dict (each parameter's first value): a MultiDict raises and catches an exception for every
    # parameter a search leaves out, and a search reads about fifteen.
    args = request.args.to_dict()
    params.refuse_unknown(args, KNOWN_SPACE_PARAMS)
    params.refuse_empty(args, allowed={"q", "cursor"})
    near, box = params.near(args), params.bbox(args)
    if near and box:
        raise ParamError("bbox", _("Use either near or bbox, not both."))
    hide_declined = params.flag(args, "hide_declined")
    honors = search_filter(_listed_space(args, "honors")) or (search.not_declining if hide_declined else None)
    filters = search.Filters(params.country(args), params.min_days(args), params.text(args), honors,
                             params.participating(args))
    # home=SLUG adds each space's verdict for a member of that space (the map's tooltips show it).
    home = _listed_space(args, "home")
    days = _visit_days(args)
    limit, offset = params.limit(args), params.cursor(args)
    # The hot path: index rows, then pre-encoded Features joined as bytes (visa.directory.fragments).
    if box:
        west, south, east, north, zoom = box
        view = search.view_rows(west, south, east, north, zoom, filters, limit)
        features = [orjson.dumps(cluster_feature(c)) for c in view.clusters]
        features += _encoded(view.index, view.rows, None, home, days)
        return _collection(features, view.total, None)
    page = search.near_rows(*near, filters, limit, offset) if near else search.listing_rows(filters, limit, offset)
    extra = None
    if near and page.total == 0:
        # No dead end: an empty radius says where the nearest spaces are (same filters). A few, so the slow path.
        lat, lon, radius_km = near
        nearby = search.nearest(lat, lon, radius_km, filters)
        bodies = [nearby_feature(n) for n in nearby]
        firsts = first_thumbnails(page.index)
        for body, found in zip(bodies, nearby, strict=True):
            body["properties"]["photo"] = firsts.get(found.space.id)
        if home is not None:
            for body, found in zip(bodies, host_verdicts(home, [n.space for n in nearby], days), strict=True):
                body["properties"]["verdict"] = _verdict_body(found, days)
        extra = b',"nearest":' + orjson.dumps(bodies)
    cursor = params.encode_cursor(page.next_offset) if page.next_offset is not None else None
    return _collection(_encoded(page.index, page.rows, page.distances, home, days), page.total, cursor, extra)


def _visit_days(args) -> list[date] | None:
    """The days of a planned visit (date_from and date_to, both or neither), for each verdict's possible days."""
    start, end = params.day(args, "date_from"), params.day(args, "date_to")
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = "date_from" if start is None else "date_to"
        raise ParamError(missing, _("date_from and date_to go together."), "missing_parameter")
    if end < start or end - start > MAX_SPAN:
        raise ParamError("date_to", _("date_to is on or after date_from, and at most a year after it."))
    return date_range(start, end)


def _verdict_body(found: HostVerdict, days: list[date] | None) -> dict:
    body = {"honored": found.honored, "summary": summary(found.verdict)}
    if days is not None:
        # The same words as the server-drawn list, so a pan keeps the "Possible:" lines.
        possible = (found.possible_days or []) if found.honored else []
        body |= {"possible_days": [d.isoformat() for d in possible], "days_text": possible_days_text(possible)}
    return body


def _collection(features: list[bytes], total: int, cursor: str | None, extra: bytes | None = None) -> Response:
    body = b"".join((b'{"type":"FeatureCollection","features":[', b",".join(features), b'],"total":',
                     orjson.dumps(total), b',"next_cursor":', orjson.dumps(cursor), extra or b"", b"}"))
    return Response(body, mimetype="application/geo+json")


def _encoded(index, rows, distances, home, days: list[date] | None = None) -> list[bytes]:
    extras = encoded_thumbnails(index)(index.ids[rows].tolist())
    if home is not None:
        extras = [photo + verdict for photo, verdict in
                  zip(extras, _verdict_fragments(index, rows, home, days), strict=True)]
    return fragments(index).features(db.session, rows, distances, extras)


def _verdict_fragments(index, rows, home, days: list[date] | None = None) -> list[bytes]:
    """Each row's verdict for members of *home*, pre-encoded.

    Who honors is one vectorised mask. The summary of a host that honors depends on the host
    alone, so it is encoded once per version and locale and reused; the others (a reason
    names the pair), and every verdict with visit days (the days depend on the pair), go
    through the one verdict loop.
    """
    cached = fragments(index).honored_verdicts() if days is None else {}
    honored = honor_mask(index, home)[rows]
    out: list[bytes | None] = [cached.get(row) if honored[i] else None for i, row in enumerate(rows.tolist())]
    todo = [i for i, found in enumerate(out) if found is None]
    if todo:
        ids = index.ids[rows[todo]]
        spaces = search.spaces_by_id(ids)
        todo = [i for i, space_id in zip(todo, ids.tolist(), strict=True) if space_id in spaces]
        hosts = [spaces[int(index.ids[rows[i]])] for i in todo]  # one deleted meanwhile drops out of the list
        for i, found in zip(todo, host_verdicts(home, hosts, days), strict=True):
            out[i] = b',"verdict":' + orjson.dumps(_verdict_body(found, days))
            if found.honored and days is None:
                cached[int(rows[i])] = out[i]
    return [found or b"" for found in out]


@bp.get("/spaces/<slug>")
def space(slug: str):
    found = search.get_visible(slug)
    if found is None:
        return error_response(404, "not_found", _("No approved space with slug %(slug)s.", slug=repr(slug)), "slug")
    body = feature(found, full=True)
    body["properties"]["photos"] = [photo_json(p, _absolute) for p in shown_photos([found.id]).get(found.id, [])]
    return _geojson(body)


def _absolute(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


@bp.get("/reciprocity")
def reciprocity():
    """Does host honor a member of home (on date)? Every reason, in order."""
    params.refuse_empty(request.args, allowed=set())
    home = _listed_space(request.args, "home", required=True)
    host = _listed_space(request.args, "host", required=True)
    on_date = params.day(request.args)
    body = verdict_json(verdict(home, host, on_date))
    return jsonify({"home": home.slug, "host": host.slug, "date": on_date.isoformat() if on_date else None, **body})


@bp.get("/geocode")
@limit_geocoding()
def geocode_place():
    query = params.text(request.args, "q", max_length=params.MAX_GEOCODE_LENGTH)
    if not query:
        raise ParamError("q", _("q is required: a place or an address."), "missing_parameter")
    try:
        result = geocode(query)
    except PlaceNotFound as missing:
        # Translators: %(query)s is the text searched for, in quotes as the API
        # received it. An API error message.
        return error_response(404, "place_not_found", _("No place called %(query)s.", query=repr(missing.query)), "q",
                              suggestions=missing.suggestions)
    return jsonify({"lat": result.lat, "lon": result.lon, "precision": result.precision, "label": result.label,
                    "country": result.country, "alternatives": [{k: alt[k] for k in ALTERNATIVE_KEYS}
                                                                for alt in result.alternatives]})


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
