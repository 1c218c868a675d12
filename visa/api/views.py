"""Routes of /api/v1; each validates, calls a service and serialises."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from visa.api import params
from visa.api.errors import error_response
from visa.api.openapi import SPEC
from visa.api.params import ParamError
from visa.directory import search
from visa.directory.presenters import cluster_feature, feature, nearby_feature
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.rate_limits import limit_geocoding
from visa.reciprocity.presenters import summary, verdict_json
from visa.reciprocity.service import verdict

bp = Blueprint("api", __name__, url_prefix="/api/v1")

KNOWN_SPACE_PARAMS = {"near", "radius_km", "bbox", "zoom", "q", "country", "min_days", "honors", "home", "limit",
                      "cursor"}


class UnknownSpace(LookupError):
    def __init__(self, field: str, slug: str) -> None:
        super().__init__(slug)
        self.field, self.slug = field, slug


@bp.errorhandler(UnknownSpace)
def _unknown_space(err: UnknownSpace):
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
    args = request.args
    unknown = sorted(set(args) - KNOWN_SPACE_PARAMS)
    if unknown:
        raise ParamError(unknown[0], _("Unknown parameter %(name)s.", name=repr(unknown[0])), "unknown_parameter")
    params.refuse_empty(args, allowed={"q", "cursor"})
    near, box = params.near(args), params.bbox(args)
    if near and box:
        raise ParamError("bbox", _("Use either near or bbox, not both."))
    filters = search.Filters(params.country(args), params.min_days(args), params.text(args),
                             _listed_space(args, "honors"))
    # home=SLUG adds each space's verdict for a member of that space (the map's tooltips show it).
    home = _listed_space(args, "home")
    limit, offset = params.limit(args), params.cursor(args)
    if box:
        west, south, east, north, zoom = box
        view = search.in_view(west, south, east, north, zoom, filters, limit)
        features = [cluster_feature(c) for c in view.clusters] + [_with_verdict(feature(h.space), h.space, home)
                                                                   for h in view.hits]
        return _geojson({"type": "FeatureCollection", "features": features, "total": view.total, "next_cursor": None})
    page = search.near(*near, filters, limit, offset) if near else search.listing(filters, limit, offset)
    body = {
        "type": "FeatureCollection",
        "features": [_with_verdict(feature(h.space, h.distance_km), h.space, home) for h in page.hits],
        "total": page.total,
        "next_cursor": params.encode_cursor(page.next_offset) if page.next_offset is not None else None,
    }
    if near and page.total == 0:
        # No dead end: an empty radius says where the nearest spaces are (same filters).
        lat, lon, radius_km = near
        body["nearest"] = [_with_verdict(nearby_feature(n), n.space, home)
                           for n in search.nearest(lat, lon, radius_km, filters)]
    return _geojson(body)


def _with_verdict(body: dict, space, home) -> dict:
    if home is not None:
        found = verdict(home, space)
        body["properties"]["verdict"] = {"honored": found.honored, "summary": summary(found)}
    return body


@bp.get("/spaces/<slug>")
def space(slug: str):
    found = search.get_visible(slug)
    if found is None:
        return error_response(404, "not_found", _("No approved space with slug %(slug)s.", slug=repr(slug)), "slug")
    return _geojson(feature(found, full=True))


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
        return error_response(404, "place_not_found", _("No place called %(query)s.", query=repr(missing.query)), "q",
                              suggestions=missing.suggestions)
    return jsonify({"lat": result.lat, "lon": result.lon, "precision": result.precision, "label": result.label,
                    "country": result.country, "alternatives": list(result.alternatives)})


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
