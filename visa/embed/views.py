"""/embed/map, a page made to stand in another site's <iframe>, and /embed, the page that writes that <iframe>.

The map is the directory's own (visa.maps.builder and visa-map.js' initSearch) without the site around it:
no header, no form, no cookie read or set; every link opens this site in a new tab. It alone may be framed
by any site (its Content-Security-Policy, set in :mod:`visa.embed.feature`); every other page refuses.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from visa.directory.locations import boundaries
from visa.embed.area import Area, parse_area, query
from visa.embed.forms import EmbedForm
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.i18n import cookieless
from visa.maps.builder import WORLD_CENTER, WORLD_ZOOM, base_map, render, zoom_for_radius
from visa.rate_limits import limit_geocoding
from visa.web import params
from visa.web.errors import error_response
from visa.web.params import ParamError

bp = Blueprint("embed", __name__)

Bounds = list[list[float]]  # [[south, west], [north, east]] as Leaflet reads them


def _view(area: Area) -> tuple[tuple[float, float], int, Bounds | None]:
    """(centre, zoom, bounds to fit) of the map that shows *area*."""
    if area.near:
        lat, lon, radius = area.near
        return (lat, lon), zoom_for_radius(radius), None
    box = area.box or (boundaries().main_bounds(area.country) if area.country else None)
    if box is None:
        return WORLD_CENTER, WORLD_ZOOM, None
    west, south, east, north = box
    if west > east:  # across the 180° meridian: Leaflet draws the east edge one world further
        east += 360
    return ((south + north) / 2, (west + east) / 2), WORLD_ZOOM, [[south, west], [north, east]]


@bp.get("/embed/map")
@cookieless
def embed_map():
    """``country``, ``near`` with ``radius_km``, or ``bbox`` (``near`` and ``bbox`` exclude each other);
    ``participating=1``; ``lang``."""
    try:
        area = parse_area(request.args)
    except ParamError as err:
        return error_response(400, err.code, err.message, err.field)
    center, zoom, bounds = _view(area)
    config = current_app.config
    rendered = render(base_map(center, zoom, config["VISA_TILE_URL"], config["VISA_TILE_ATTRIBUTION"]))
    directory = url_for("directory.search_page", _external=True, **({"country": area.country} if area.country else {}))
    return render_template("embed/map.html", map=rendered, area=area, bounds=bounds, directory=directory)


def _area_from(form: EmbedForm) -> Area | None:
    """The area the form chose, or None with the reason on the form's field."""
    if form.place.data and form.bbox.data:
        form.bbox.errors.append(_("Choose a place or a box, not both."))
        return None
    near = box = None
    if form.place.data:
        try:
            found = geocode(form.place.data)
        except PlaceNotFound as missing:
            form.place.errors.append(_("No place called “%(query)s”.", query=missing.query))
            return None
        near = (found.lat, found.lon, float(form.radius_km.data))
    if form.bbox.data:
        try:
            box = params.box({"bbox": form.bbox.data.replace(" ", "")})
        except ParamError as err:
            form.bbox.errors.append(err.message)
            return None
    return Area(form.country.data or None, near, box, bool(form.participating.data))


@bp.get("/embed")
@limit_geocoding(exempt_when=lambda: not request.args.get("place"))
def builder():
    """The Embed page: choose the area and the size, and copy the <iframe> it writes (no script needed)."""
    form = EmbedForm(request.args)
    area = _area_from(form) if form.validate() else None
    src = code = None
    if area is not None:
        src = url_for("embed.embed_map", _external=True, **query(area, form.lang.data))
        width, height = form.width.data or 600, form.height.data or 450
        code = str(Markup('<iframe src="{src}" width="{width}" height="{height}" title="{title}" loading="lazy" '
                          'style="border:0"></iframe>').format(src=src, width=width, height=height,
                                                                title=_("Map of Coworking Visa spaces")))
    return render_template("embed/builder.html", form=form, src=src, code=code), 200 if area else 400
