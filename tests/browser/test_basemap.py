"""The offline basemap reads on its own: land that joins at the 180° meridian, place names, the searched place."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# For every path of the basemap: its width and top in pixels, and the world's width and the y of 60°S.
_PATH_BOXES = """() => {
  const map = window[Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map)];
  const worldWidth = 256 * Math.pow(2, map.getZoom());
  const south60 = map.latLngToLayerPoint([-60, 0]).y;
  const boxes = [...document.querySelectorAll(".leaflet-basemap-pane path")].map(p => {
    const b = p.getBBox(); return {width: b.width, top: b.y};
  });
  return {worldWidth, south60, boxes};
}"""


def test_world_view_has_no_bands_and_has_names(app, page, screenshot_dir):
    page.goto(page.base_url + "/")
    page.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    page.locator(".place-label", has_text="London").wait_for()
    # The legend's symbols are drawn on a map with no single marker yet (the map's script loads after the page).
    legend = page.locator(".map-legend svg use").first.evaluate("u => u.getBBox().height")
    assert legend > 0
    found = page.evaluate(_PATH_BOXES)
    assert len(found["boxes"]) > 100
    # A ring joined across the 180° meridian draws a band the whole width of the world; only Antarctica,
    # south of 60°S, may be that wide.
    wide = [b for b in found["boxes"] if b["width"] > found["worldWidth"] / 2]
    assert wide and all(b["top"] >= found["south60"] - 1 for b in wide)
    # Panning past 180° still finds land: Alaska, at 195°E on the eastern copy of the world, is drawn.
    covered = page.evaluate("""() => {
      const map = window[Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map)];
      map.setView([65, 195], 5, {animate: false});
      const at = map.latLngToContainerPoint([65, 195]), box = map.getContainer().getBoundingClientRect();
      const x = box.left + at.x, y = box.top + at.y, world = 256 * Math.pow(2, map.getZoom());
      return [...document.querySelectorAll(".leaflet-basemap-pane path")].filter(p => {
        const r = p.getBoundingClientRect();
        return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom && r.width < world / 2;
      }).length;
    }""")
    assert covered >= 1
    page.screenshot(path=str(screenshot_dir / "basemap-180.png"))


def test_city_view_names_towns_and_marks_the_searched_place(app, page, screenshot_dir):
    page.goto(page.base_url + "/?q=Kyoto")
    page.locator(".searched-place", has_text="Kyoto").wait_for()
    page.locator(".place-label", has_text="Uji").wait_for()  # a town of 180,000 beside Kyoto
    assert page.locator(".place-label").count() >= 15
    page.screenshot(path=str(screenshot_dir / "city-labels-kyoto.png"))


def test_states_are_drawn_from_a_region_s_zoom_not_at_world_view(app, page, screenshot_dir):
    page.goto(page.base_url + "/")
    page.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    assert page.locator(".leaflet-admin1-pane path").count() == 0  # the world view stays light
    assert not any(u.endswith("/geodata/admin1.topojson") for u in page.requested_urls)
    page.evaluate("""() => {
      const map = window[Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map)];
      map.setView([39.5, -98.35], 5, {animate: false});
    }""")
    page.locator(".leaflet-admin1-pane path").first.wait_for(state="attached")
    page.screenshot(path=str(screenshot_dir / "basemap-states.png"))
