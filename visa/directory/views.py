"""Traveller pages: the map search (home page) and a space's page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from visa.api.params import ParamError, check_lat_lon
from visa.directory import search
from visa.directory.forms import SearchForm
from visa.directory.presenters import PRECISION_LABELS, headline, is_stale, terms_dict, weekdays_text
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.maps.builder import add_space_marker, base_map, render

bp = Blueprint("directory", __name__)

WORLD_CENTER, WORLD_ZOOM = (25.0, 10.0), 2
LIST_LIMIT = 50


def _zoom_for_radius(radius_km: float) -> int:
    for zoom, radius in ((12, 5), (11, 10), (10, 25), (9, 50), (8, 100), (7, 250)):
        if radius_km <= radius:
            return zoom
    return 6


@bp.get("/")
def search_page():
    form = SearchForm(request.args)
    center, zoom, place_label, page = WORLD_CENTER, WORLD_ZOOM, None, None
    searched = bool(request.args.get("q") or request.args.get("near"))
    if searched and form.validate():
        radius = form.radius_km.data or 25
        filters = search.Filters(form.country.data or None, form.min_days.data or None)
        point = _point_from(form)
        if point is not None:
            center, place_label = point
            zoom = _zoom_for_radius(radius)
            page = search.near(center[0], center[1], radius, filters, LIST_LIMIT)
    config = current_app.config
    rendered = render(base_map(center, zoom, config["VISA_TILE_URL"], config["VISA_TILE_ATTRIBUTION"]))
    return render_template("directory/search.html", form=form, map=rendered, page=page, place_label=place_label,
                           searched=searched, headline=headline)


def _point_from(form: SearchForm) -> tuple[tuple[float, float], str] | None:
    if form.near.data:
        lat, lon = (float(v) for v in form.near.data.split(","))
        try:
            check_lat_lon(lat, lon, "near")
        except ParamError as err:
            form.near.errors = [err.message]
            return None
        return (lat, lon), "your location"
    try:
        result = geocode(form.q.data)
    except PlaceNotFound as missing:
        form.q.errors = [f"No place called “{missing.query}”."]
        form.q.suggestions = missing.suggestions
        return None
    return (result.lat, result.lon), result.label


@bp.get("/spaces/<slug>")
def space_page(slug: str):
    space = search.get_visible(slug)
    if space is None:
        abort(404)
    config = current_app.config
    fmap = base_map((space.latitude, space.longitude), 14, config["VISA_TILE_URL"], config["VISA_TILE_ATTRIBUTION"])
    add_space_marker(fmap, space.latitude, space.longitude, space.name)
    return render_template("directory/space.html", space=space, map=render(fmap), headline=headline(space.terms),
                           terms=terms_dict(space.terms) if space.terms else None,
                           weekdays=weekdays_text(space.terms.weekdays) if space.terms else "",
                           precision_label=PRECISION_LABELS.get(space.geocode_precision, space.geocode_precision),
                           is_stale=is_stale(space))
