"""A page's map filled in from a map rendered once is the map folium renders for that page."""

from __future__ import annotations

import re

import pytest

from visa.maps.builder import MapTemplate, base_map, render


def _named_alike(text: str) -> str:
    return re.sub(r"[0-9a-f]{32}", "ID", text)


@pytest.mark.parametrize(("tiles", "attribution"), [("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OSM"),
                                                      ("", "")])
@pytest.mark.parametrize(("center", "zoom"), [((38.7223, -9.1393), 14), ((-33.8688, 151.2093), 3), ((25.0, 10.0), 2)])
def test_a_filled_map_is_the_map_folium_renders(tiles, attribution, center, zoom):
    filled = MapTemplate(tiles, attribution).fill(center, zoom)
    rendered = render(base_map(center, zoom, tiles, attribution))
    assert _named_alike(filled.script) == _named_alike(rendered.script)
    assert _named_alike(filled.html) == _named_alike(rendered.html)
    assert filled.name in filled.script and filled.name in filled.html


def test_two_maps_on_a_page_have_their_own_names():
    template = MapTemplate("", "")
    first, second = template.fill((1.0, 2.0), 5), template.fill((1.0, 2.0), 5)
    assert first.name != second.name and second.name not in first.script
