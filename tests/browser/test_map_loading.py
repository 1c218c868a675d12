"""The map's scripts in two rounds: the first markers need Leaflet and visa-map.js alone; the marker groups
(Leaflet.markercluster) and the basemap's TopoJSON decoder come after them (js/map-loader.js)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

LATER = re.compile(r"leaflet\.markercluster\.js|topojson-client")
#: The page's markers are in a Leaflet.markercluster group.
GROUPED = """() => typeof L.MarkerClusterGroup === 'function' && Object.values(window)
  .some(v => v instanceof L.Map && Object.values(v._layers).some(layer => layer instanceof L.MarkerClusterGroup))"""
SPACE_MARKER = ".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)"


def test_the_first_markers_are_drawn_before_the_marker_groups_and_the_basemap_decoder_arrive(demo_network, page):
    held = []
    page.route(LATER, lambda route: held.append(route))  # asked for, and left unanswered until the markers show
    page.goto(page.base_url + "/?q=Lisbon", wait_until="domcontentloaded")  # "load" waits for the held scripts
    page.locator(SPACE_MARKER).first.wait_for(state="visible")
    assert page.evaluate("() => typeof L.markerClusterGroup") == "undefined"
    assert page.locator(".leaflet-basemap-pane path").count() == 0
    for _ in range(100):  # the route handler hears of both requests as the page's events come in
        if len(held) == 2:
            break
        page.wait_for_timeout(50)
    assert len(held) == 2
    for route in held:
        route.continue_()

    # Then the markers go into a group, and the land is drawn: the map the traveller uses, whole.
    page.wait_for_function(GROUPED)
    page.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    assert page.locator(SPACE_MARKER).count() >= 1


def test_the_embedded_map_loads_every_script_at_once_and_groups_its_markers(demo_network, page):
    page.goto(page.base_url + "/embed/map")
    page.locator(".leaflet-marker-pane .leaflet-marker-icon").first.wait_for(state="visible")
    page.wait_for_function(GROUPED)
    page.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")


def test_a_desktop_asks_for_leaflet_as_soon_as_the_page_is_read_and_a_phone_does_not(demo_network, page, watch):
    page.goto(page.base_url + "/?q=Lisbon")
    page.locator(SPACE_MARKER).first.wait_for(state="visible")
    # Leaflet is fetched by the page's own preload link (initiator "link"), not later by the loader's script.
    assert page.evaluate("""() => performance.getEntriesByType('resource')
      .find(e => e.name.includes('/leaflet.js')).initiatorType""") == "link"
    phone = watch.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    asked = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(page.base_url + "/?q=Lisbon")
    phone.wait_for_load_state("networkidle")
    assert not [url for url in asked if "leaflet" in url]  # the phone's list comes without the map
