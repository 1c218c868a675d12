"""Serve Leaflet, Leaflet.markercluster and the offline basemap from this app.

The files come from registry packages (xstatic-leaflet, xstatic-leaflet-
markercluster) and from geodata's build (Natural Earth outlines and the TopoJSON
decoder), so no page needs another host.
"""

from __future__ import annotations

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster
from flask import Blueprint, current_app, send_from_directory

from geodata import BASEMAP_TOPOJSON, TOPOJSON_CLIENT_JS

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


def leaflet_version() -> str:
    return current_app.extensions.get("visa.leaflet_version", xleaflet.VERSION)
