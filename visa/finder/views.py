"""Traveller pages: the map search (home page) and a space's page (with its preview for the hosts of a listing
not yet public)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from visa.accounts.permissions import require
from visa.directory import search
from visa.directory.forms import RADIUS_KM, SearchForm
from visa.directory.models import Space
from visa.directory.presenters import (
    PRECISION_LABELS,
    headline,
    is_stale,
    nearby_text,
    provenance,
    stale_text,
)
from visa.directory.spatial_index import SpatialIndex, get_index
from visa.extensions import db
from visa.finder.listed import listed_results, script_json
from visa.finder.space_parts import space_parts
from visa.geocoding.local_names import reader_label, suggested_places
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.impact.figures import space_record
from visa.maps.builder import WORLD_CENTER, WORLD_ZOOM, zoom_for_radius
from visa.maps.feature import page_map
from visa.passes.views import space_box
from visa.rate_limits import limit_geocoding, search_does_not_geocode
from visa.reciprocity.forms import check_range
from visa.reciprocity.home import current_home
from visa.reciprocity.presenters import (
    STATE_ORDER,
    condition_text,
    is_closed_day,
    possible_days_text,
    reason_text,
    summary,
    verdict_state,
    visitor_headline,
)
from visa.reciprocity.rules import decide
from visa.reciprocity.service import date_range, rules_for, search_filter
from visa.reciprocity.verdicts import host_verdicts
from visa.web import params
from visa.web.params import ParamError, check_lat_lon

bp = Blueprint("directory", __name__)

LIST_LIMIT = 50


@bp.get("/")
@limit_geocoding(exempt_when=search_does_not_geocode)
def search_page():
    form = SearchForm(request.args)
    home = current_home()
    show_all = form.all.data == "1"
    center, zoom, place_label, page, verdicts = WORLD_CENTER, WORLD_ZOOM, None, None, {}
    place_point, nearest, alternatives = None, [], []
    searched = bool(request.args.get("q") or request.args.get("near"))
    valid = form.validate() and _dates_ok(form)
    if searched and valid:
        radius = form.radius_km.data or 25
        filters = search.Filters(form.country.data or None, form.min_days.data or None,
                                 honors=None if show_all else search_filter(home) or search.not_declining)
        point = _point_from(form)
        if point is not None:
            center, place_label, alternatives = point
            place_point = center
            zoom = zoom_for_radius(radius)
            page = listed_results(search.near_rows(center[0], center[1], radius, filters, LIST_LIMIT))
            if page.total == 0:
                # No dead end: name the nearest spaces, and let the map take them in around the place.
                # (A zoom chosen here, not fitBounds: its animated move would replace the list on arrival.)
                nearest = search.nearest(center[0], center[1], radius, filters)
                if nearest:
                    zoom = zoom_for_radius(nearest[-1].distance_km)
            if home is not None:
                # A verdict reads both spaces' terms in full: the listed spaces themselves, for this reader only.
                spaces = search.spaces_by_id([h.id for h in page.hits])
                page.hits = [h for h in page.hits if h.id in spaces]  # one deleted meanwhile drops out, as before
                verdicts = _verdicts(home, [spaces[h.id] for h in page.hits], form.date_from.data,
                                     form.date_to.data)
                # Within the page, by distance still: those that honor the home, then the unknown, then refusals.
                page.hits.sort(key=lambda h: STATE_ORDER[verdicts[h.id].honored])
    # A reader with no search (the home page) gets the form's fields as rendered for every such reader, and a
    # search that sets no filter (a place typed, the rest as it comes) the filters as rendered for every such search.
    given = {name for name in SearchForm.PARAMETERS if name in request.args}
    blank_fields = None if given else form.blank_fields()
    blank_filters = None if given - {"q"} else form.blank_filters()
    return render_template("directory/search.html", form=form, blank_fields=blank_fields,
                           blank_filters=blank_filters, map=page_map(center, zoom),
                           page=page, place_label=place_label,
                           searched=searched, headline=headline, home=home, show_all=show_all, verdicts=verdicts,
                           place_point=place_point, nearest=nearest,
                           nearby_text=nearby_text, show_nearest_url=_show_nearest_url(nearest),
                           alternatives=alternatives, search_args=_search_args(),
                           possible_days_text=possible_days_text, verdict_state=verdict_state,
                           initial_features=script_json([h.encoded for h in page.hits] if page else []))


def _search_args() -> dict[str, str]:
    """The search's own parameters, to keep the filters in links that change the place or the radius."""
    return {k: v for k, v in request.args.items() if k in SearchForm.PARAMETERS and k not in ("q", "near", "place")}


def _show_nearest_url(nearest: list[search.Nearby]) -> str | None:
    """The same search with the smallest offered radius that takes in the nearest spaces.

    When even the largest radius misses some, it takes in those it can; when it misses all,
    the search moves to the nearest space's city.
    """
    if not nearest:
        return None
    args = {k: v for k, v in _search_args().items() if k != "radius_km"}
    farthest, closest = nearest[-1].distance_km, nearest[0].distance_km
    radius = next((r for r in RADIUS_KM if r >= farthest), RADIUS_KM[-1])
    if radius >= closest:
        # The place as it was searched: the typed text wins over a point, as in _point_from.
        keys = ("q",) if request.args.get("q") else ("near", "place")
        place = {k: v for k in keys if (v := request.args.get(k))}
        return url_for("directory.search_page", **args, **place, radius_km=radius)
    space = nearest[0].space
    return url_for("directory.search_page", **args, near=f"{space.latitude:.5f},{space.longitude:.5f}",
                   place=space.city, radius_km=RADIUS_KM[-1])


def _dates_ok(form: SearchForm) -> bool:
    start_error, end_error = check_range(form.date_from.data, form.date_to.data, date.today())
    if start_error:
        form.date_from.errors = [*form.date_from.errors, start_error]
    if end_error:
        form.date_to.errors = [*form.date_to.errors, end_error]
    return not (start_error or end_error)


@dataclass
class ListedVerdict:
    summary: str
    honored: bool | None  # None: unknown
    possible_days: list[date] | None  # None when no dates were given


def _verdicts(home, spaces, start: date | None, end: date | None) -> dict[int, ListedVerdict]:
    days = date_range(start, end) if start and end else None
    return {found.space.id: ListedVerdict(summary(found.verdict), found.honored, found.possible_days)
            for found in host_verdicts(home, spaces, days)}


def _point_from(form: SearchForm) -> tuple[tuple[float, float], str, list[dict]] | None:
    """(point, label, alternatives the geocoder also found) for the searched place, or None with the form's errors."""
    if form.near.data and not form.q.data:  # a place typed after "Near me" is the newer wish
        lat, lon = (float(v) for v in form.near.data.split(","))
        try:
            check_lat_lon(lat, lon, "near")
        except ParamError as err:
            form.near.errors = [err.message]
            return None
        return (lat, lon), form.place.data or _("your location"), []
    try:
        result = geocode(form.q.data)
    except PlaceNotFound as missing:
        # Translators: %(query)s is the text the traveller searched for.
        form.q.errors = [_("No place called “%(query)s”.", query=missing.query)]
        form.q.suggestions = suggested_places(missing)
        return None
    # Named as the page names every place: the country in the reader's language.
    alternatives = [{**alt, "query": alt["label"], "label": reader_label(
        alt["label"], alt.get("geonameid", 0), alt.get("country", ""), alt.get("admin1_code", ""))}
        for alt in result.alternatives]
    label = reader_label(result.label, result.geonameid, result.country, result.admin1_code)
    return (result.lat, result.lon), label, alternatives


def json_ld(space) -> dict:
    """schema.org Place with its coordinates and address, for search engines and other tools."""
    return {
        "@context": "https://schema.org", "@type": "Place", "name": space.name,
        "url": url_for("directory.space_page", slug=space.slug, _external=True),
        "geo": {"@type": "GeoCoordinates", "latitude": space.latitude, "longitude": space.longitude},
        "address": {"@type": "PostalAddress", "streetAddress": space.address_line1, "postalCode": space.postcode,
                    "addressLocality": space.city, "addressRegion": space.region, "addressCountry": space.country_code},
        **({"sameAs": space.website} if space.website else {}),
    }


@bp.get("/spaces/<slug>")
def space_page(slug: str):
    index = get_index(db.session)
    space = search.get_visible(slug)
    if space is None:
        abort(404)
    home, on_date, date_error, verdict = current_home(), None, None, None
    try:
        on_date = params.day(request.args)
    except params.ParamError as err:
        date_error = err.message
    if home is not None:
        verdict = decide(rules_for(home), rules_for(space), on_date)
    return _space_page(space, index, json_ld(space), home=home, verdict=verdict, on_date=on_date,
                       date_error=date_error)


@bp.get("/host/spaces/<slug>/preview")
@login_required
def preview_space(slug: str):
    """A listing as travellers will see it once approved (a pending one has no public page yet), for its hosts:
    as a traveller with no home space set reads it."""
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        abort(404)
    require("edit_space", space)
    # No address for search engines: the listing is not public.
    return _space_page(space, get_index(db.session), {"@context": "https://schema.org", "@type": "Place", "name": space.name},
                       preview=True)


def _space_page(space: Space, index: SpatialIndex, json_ld_data: dict, home: Space | None = None, verdict=None,
                on_date: date | None = None, date_error: str | None = None, preview: bool = False):
    return render_template("directory/space.html", space=space, map=page_map((space.latitude, space.longitude), 14),
                           preview=preview, parts=space_parts(space, index, preview),
                           headline=visitor_headline(space.terms, verdict),
                           closed_day=verdict is not None and is_closed_day(verdict),
                           home=home, verdict=verdict, on_date=on_date, date_error=date_error,
                           verdict_summary=summary(verdict) if verdict else None, reason_text=reason_text,
                           condition_text=condition_text, verdict_state=verdict_state, json_ld=json_ld_data,
                           provenance=provenance(space),
                           precision_label=PRECISION_LABELS.get(space.geocode_precision, space.geocode_precision),
                           is_stale=is_stale(space), stale_text=stale_text,
                           record=space_record(space.id), pass_box=space_box(space))
