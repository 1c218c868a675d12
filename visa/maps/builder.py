"""Build folium maps whose scripts and styles are the app's own.

folium writes links to public CDNs into a page header; we render only the map's
element and script, and the base template loads the locally served Leaflet.
Markers with names are added by visa-map.js from JSON, as text nodes: folium's
Tooltip pastes text into a JavaScript template literal and its Popup needs
jQuery, so neither may carry what hosts write.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from markupsafe import Markup

MAX_ZOOM = 19
WORLD_CENTER, WORLD_ZOOM = (25.0, 10.0), 2


def zoom_for_radius(radius_km: float) -> int:
    """A zoom whose view around a point takes in *radius_km* on a laptop (and most of it on a phone)."""
    for zoom, radius in ((12, 5), (11, 10), (10, 25), (9, 50), (8, 100), (7, 250), (6, 500), (5, 1000),
                         (4, 2500), (3, 5000)):
        if radius_km <= radius:
            return zoom
    return WORLD_ZOOM


@dataclass
class RenderedMap:
    name: str  # the JavaScript variable holding the L.Map
    html: Markup
    script: Markup


def base_map(center: tuple[float, float], zoom: int, tile_url: str, tile_attribution: str,
             height: str = "100%") -> folium.Map:
    # Leaflet options go through **kwargs in camelCase; markercluster needs maxZoom
    # even when no tile layer sets one.
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True, height=height,
                      maxZoom=MAX_ZOOM, minZoom=1, worldCopyJump=True)
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=tile_attribution or "&copy; map tile provider",
                         name="tiles", max_zoom=MAX_ZOOM).add_to(fmap)
    return fmap


def render(fmap: folium.Map) -> RenderedMap:
    root = fmap.get_root()
    root.render()  # populates html and script children
    return RenderedMap(fmap.get_name(), Markup(root.html.render()), Markup(root.script.render()))
