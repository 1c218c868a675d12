"""Serve Leaflet, Leaflet.markercluster and the offline basemap from this app.

The files come from registry packages (xstatic-leaflet, xstatic-leaflet-
markercluster) and from geodata's build (Natural Earth outlines and the TopoJSON
decoder), so no page needs another host.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster
from flask import Blueprint, Flask, current_app, jsonify, request
from flask_babel import gettext as _

from geodata import GeodataPaths
from visa.geocoding.local_names import names_language
from visa.maps.labels import labels_in_view
from visa.web import params
from visa.web.errors import error_response
from visa.wire.files import FileRoute, file_endpoint, send, send_from

bp = Blueprint("assets", __name__)

_ONE_DAY = 86400
LEAFLET = FileRoute(directory=Path(xleaflet.BASE_DIR))
MARKERCLUSTER = FileRoute(directory=Path(xcluster.BASE_DIR))
# URLs of these files carry a hash of their content and are cached for a year (visa/wire/files.py).
file_endpoint(bp, "leaflet", LEAFLET)
file_endpoint(bp, "markercluster", MARKERCLUSTER)


def geodata_files(app: Flask | None = None) -> GeodataPaths:
    """The built geodata folder this app reads (``VISA_GEODATA_DIR``)."""
    return GeodataPaths.at((app or current_app).config["VISA_GEODATA_DIR"])


file_endpoint(bp, "topojson_client", lambda app: FileRoute(single=geodata_files(app).topojson_client))
file_endpoint(bp, "basemap", lambda app: FileRoute(single=geodata_files(app).basemap))
file_endpoint(bp, "admin1_borders", lambda app: FileRoute(single=geodata_files(app).admin1))


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str):
    return send_from(LEAFLET.directory, filename)


@bp.get("/vendor/markercluster/<path:filename>")
def markercluster(filename: str):
    return send_from(MARKERCLUSTER.directory, filename)


@bp.get("/vendor/topojson-client.min.js")
def topojson_client():
    return send(geodata_files().topojson_client)


@bp.get("/geodata/basemap.topojson")
def basemap():
    return send(geodata_files().basemap)


@bp.get("/geodata/admin1.topojson")
def admin1_borders():
    """First-level borders (geodata.admin1_build): drawn by the basemap from a region's zoom."""
    return send(geodata_files().admin1)


@bp.get("/geodata/labels")
def labels():
    """Place names to draw on the offline basemap for ``bbox=W,S,E,N&zoom=Z``."""
    try:
        view = params.bbox(request.args)
        if view is None:
            raise params.ParamError("bbox", _("bbox=WEST,SOUTH,EAST,NORTH and zoom are required."), "missing_parameter")
    except params.ParamError as err:
        return error_response(400, err.code, err.message, err.field)
    # The page's language (its <html lang>, "pt-BR"): in the URL, so each language is cached apart. A regional
    # tag the names file lacks ("de-AT") takes its base language, as the page's own place names do.
    lang = names_language(request.args.get("lang", "")[:8])
    found = labels_in_view(current_app.config["VISA_LABELS_PATH"], *view,
                           names=current_app.config["VISA_PLACE_NAMES_PATH"], lang=lang)
    response = jsonify(labels=[[name, lat, lon, zoom] for name, lat, lon, zoom in found])
    response.cache_control.public = True
    response.cache_control.max_age = _ONE_DAY
    return response


def leaflet_version() -> str:
    return current_app.extensions.get("visa.leaflet_version", xleaflet.VERSION)
