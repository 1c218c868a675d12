"""Serve Leaflet, Leaflet.markercluster and the offline basemap from this app.

The files come from registry packages (xstatic-leaflet, xstatic-leaflet-
markercluster) and from geodata's build (Natural Earth outlines and the TopoJSON
decoder), so no page needs another host.
"""

from __future__ import annotations

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster
from flask import Blueprint, current_app, jsonify, request, send_from_directory

from geodata import ADMIN1_TOPOJSON, BASEMAP_TOPOJSON, TOPOJSON_CLIENT_JS
from visa.api import params
from visa.api.errors import error_response
from visa.maps.labels import labels_in_view

bp = Blueprint("assets", __name__)

_ONE_DAY = 86400


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str):
    return send_from_directory(xleaflet.BASE_DIR, filename, max_age=_ONE_DAY)


@bp.get("/vendor/markercluster/<path:filename>")
def markercluster(filename: str):
    return send_from_directory(xcluster.BASE_DIR, filename, max_age=_ONE_DAY)


@bp.get("/vendor/topojson-client.min.js")
def topojson_client():
    return send_from_directory(TOPOJSON_CLIENT_JS.parent, TOPOJSON_CLIENT_JS.name, max_age=_ONE_DAY)


@bp.get("/geodata/basemap.topojson")
def basemap():
    response = send_from_directory(BASEMAP_TOPOJSON.parent, BASEMAP_TOPOJSON.name, max_age=_ONE_DAY)
    response.mimetype = "application/json"
    return response


@bp.get("/geodata/admin1.topojson")
def admin1_borders():
    """First-level borders (geodata.admin1_build): drawn by the basemap from a region's zoom."""
    response = send_from_directory(ADMIN1_TOPOJSON.parent, ADMIN1_TOPOJSON.name, max_age=_ONE_DAY)
    response.mimetype = "application/json"
    return response


@bp.get("/geodata/labels")
def labels():
    """Place names to draw on the offline basemap for ``bbox=W,S,E,N&zoom=Z``."""
    try:
        view = params.bbox(request.args)
        if view is None:
            raise params.ParamError("bbox", "bbox=WEST,SOUTH,EAST,NORTH and zoom are required.", "missing_parameter")
    except params.ParamError as err:
        return error_response(400, err.code, err.message, err.field)
    found = labels_in_view(current_app.config["VISA_LABELS_PATH"], *view)
    response = jsonify(labels=[[name, lat, lon, zoom] for name, lat, lon, zoom in found])
    response.cache_control.public = True
    response.cache_control.max_age = _ONE_DAY
    return response


def leaflet_version() -> str:
    return current_app.extensions.get("visa.leaflet_version", xleaflet.VERSION)
