"""Every map marker draws, shaped and coloured by what a traveler needs to know, and says it in words.

Four Lisbon spaces, one per state: takes part with terms confirmed this year, takes part with terms
last confirmed two years ago, participation not stated, does not take part. The markers are inline
SVG (no image file to miss: the watch fixture fails on any 404 or undrawn image), each state has its
own symbol, and its title, tooltip, list entry and the legend give the state in words.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from visa.extensions import db
from visa.timeutil import utcnow

pytestmark = pytest.mark.browser

STATES = {"yes": "Fresh Desk", "stale": "Old Terms Loft", "unknown": "Quiet Corner", "no": "Closed Club"}
LEGEND = {"yes": "Takes part, terms confirmed in the last 12 months",
          "stale": "Takes part, terms not confirmed in the last 12 months",
          "unknown": "Participation not stated", "no": "Does not take part"}


@pytest.fixture
def four_states(make_space):
    now = utcnow()
    spaces = {
        "yes": make_space(STATES["yes"], lat=38.72, lon=-9.14),
        "stale": make_space(STATES["stale"], lat=38.72, lon=-9.06),
        "unknown": make_space(STATES["unknown"], lat=38.77, lon=-9.14, terms={"is_participating": None}),
        "no": make_space(STATES["no"], lat=38.67, lon=-9.14, terms={"is_participating": False}),
    }
    spaces["yes"].terms_confirmed_at = now - timedelta(days=30)
    spaces["stale"].terms_confirmed_at = now - timedelta(days=730)
    spaces["no"].terms_confirmed_at = now - timedelta(days=30)
    db.session.commit()
    return spaces


def _drawn(page, selector: str) -> dict:
    """The size of what a marker's or legend's <use> draws: zero when its symbol is missing."""
    return page.locator(selector).first.evaluate("svg => { const b = svg.querySelector('use').getBBox();"
                                                 " return {width: b.width, height: b.height}; }")


def test_each_state_has_its_marker_words_and_legend(four_states, page, screenshot_dir):
    # By default a space that does not take part is hidden, from the list and the map alike ("Show all" shows it).
    page.goto(page.base_url + "/?q=Lisbon&radius_km=10")
    page.locator(".space-marker-unknown").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert page.locator(".space-marker-no").count() == 0
    assert page.locator("#results li", has_text=STATES["no"]).count() == 0
    page.goto(page.base_url + "/?q=Lisbon&radius_km=10&all=1")
    for state, name in STATES.items():
        marker = page.locator(f".space-marker-{state}")
        marker.wait_for(state="visible")
        assert marker.count() == 1, state
        assert marker.get_attribute("title").startswith(name + ": "), state
        assert _drawn(page, f".space-marker-{state} svg")["width"] > 0, state
    assert page.locator("img.leaflet-marker-icon").count() == 0  # no image file left to miss

    stale = page.locator(".space-marker-stale").get_attribute("title")
    confirmed = four_states["stale"].terms_confirmed_at
    assert stale.startswith(f"{STATES['stale']}: Takes part. Terms not confirmed since ")
    assert str(confirmed.year) in stale
    assert page.locator(".space-marker-yes").get_attribute("title") == f"{STATES['yes']}: {LEGEND['yes']}"
    assert page.locator(".space-marker-unknown").get_attribute("title") == f"{STATES['unknown']}: {LEGEND['unknown']}"

    legend = page.locator(".map-pane .map-legend")
    assert legend.is_visible()
    for state, words in LEGEND.items():
        item = legend.locator(f"[data-state={state}]")
        assert item.inner_text().strip() == words
        assert _drawn(page, f".map-legend [data-state={state}] svg")["height"] > 0, state

    # The list says the same in words, from the server and after a move from the API.
    item = page.locator("#results li", has_text=STATES["unknown"])
    assert item.locator(".state").inner_text() == LEGEND["unknown"]
    page.locator(".space-marker-stale").hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert "Takes part. Terms not confirmed since" in tooltip.inner_text()
    page.screenshot(path=str(screenshot_dir / "markers-four-states-1280.png"))

    page.mouse.move(5, 5)
    page.locator(".leaflet-control-zoom-out").click()  # the list follows the map: built from the API's Features
    page.wait_for_function("() => !document.getElementById('nearest-block') && "
                           "document.querySelectorAll('#results li .state').length >= 4")
    words = page.locator("#results li", has_text=STATES["no"]).locator(".state").inner_text()
    assert words == LEGEND["no"]


def test_space_page_and_reach_map_draw_their_markers(four_states, page):
    fresh = four_states["yes"]
    page.goto(page.base_url + f"/spaces/{fresh.slug}")
    marker = page.locator(".space-marker-yes")
    marker.wait_for(state="visible")
    assert marker.get_attribute("title") == f"{STATES['yes']}: {LEGEND['yes']}"
    assert page.locator(".space-map .map-legend li").count() == 4

    # The reach map: its clusters and pins draw (it threw a TypeError in clusterIcon before).
    page.goto(page.base_url + f"/spaces/{fresh.slug}/reach")
    page.locator(".space-marker").first.wait_for(state="visible")
    assert page.locator(".map-pane .map-legend").is_visible()
