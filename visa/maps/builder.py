"""Build folium maps whose scripts and styles are the app's own.

folium writes links to public CDNs into a page header; we render only the map's
element and script, and the base template loads the locally served Leaflet.
Markers with names are added by visa-map.js from JSON, as text nodes: folium's
Tooltip pastes text into a JavaScript template literal and its Popup needs
jQuery, so neither may carry what hosts write.

Building and rendering a folium map cost about 5 ms, a third of a page, and
every page's map is the same but for its centre, its zoom and its names: a
:class:`MapTemplate` renders one map once and fills those in per page.
"""

from __future__ import annotations

import json
import uuid
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


#: Values no real map has, rendered in the template's map and replaced per page.
_ID = "5e471ae15e471ae15e471ae15e471ae1"  # folium's element ids are 32 hex digits
_CENTER = (12.3456789, 98.7654321)
_ZOOM = 77


class MapTemplate:
    """:func:`render` of :func:`base_map` for given tiles, rendered once; :meth:`fill` makes each page's map."""

    def __init__(self, tile_url: str, tile_attribution: str) -> None:
        fmap = base_map(_CENTER, _ZOOM, tile_url, tile_attribution)
        for element in (fmap, *fmap._children.values()):
            element._id = _ID  # the map and its tile layer: both get the page's own id
        rendered = render(fmap)
        self._html, self._script = str(rendered.html), str(rendered.script)
        self._center, self._zoom = json.dumps(list(_CENTER)), f'"zoom": {_ZOOM},'
        if self._script.count(self._center) != 1 or self._script.count(self._zoom) != 1 or _ID not in self._html:
            raise RuntimeError("folium renders maps differently: the map template cannot place centre and zoom")

    def fill(self, center: tuple[float, float], zoom: int) -> RenderedMap:
        """The page's map: what :func:`render` gives for ``base_map(center, zoom, ...)``, names and all."""
        page_id = uuid.uuid4().hex  # folium's own kind of id: two maps on a page never share a name
        script = (self._script.replace(self._center, json.dumps([float(center[0]), float(center[1])]))
                  .replace(self._zoom, f'"zoom": {int(zoom)},').replace(_ID, page_id))
        return RenderedMap(f"map_{page_id}", Markup(self._html.replace(_ID, page_id)), Markup(script))
