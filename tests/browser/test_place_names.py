"""A German reader sees places in German everywhere on a search page: the heading, the list and the map's
tooltip name Köln where the host wrote "Cologne" (GeoNames' names, visa.geocoding.local_names)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_german_search_names_the_city_in_german_on_the_page_and_the_map(make_space, watch, live_server,
                                                                          screenshot_dir):
    make_space("Dom Desk", lat=50.9375, lon=6.9603, country="DE", city="Cologne")
    page = watch.new_context(viewport={"width": 1280, "height": 860}, locale="de-DE").new_page()
    page.goto(f"{live_server}/?q=K%C3%B6ln")
    assert "Köln" in page.locator("h1").inner_text()
    entry = page.locator("#results li", has_text="Dom Desk")
    entry.wait_for()
    assert "Köln, Deutschland" in entry.inner_text() and "Cologne" not in entry.inner_text()
    marker = page.locator(".leaflet-marker-icon.space-marker").first
    marker.wait_for()
    marker.hover()
    tooltip = page.locator(".leaflet-tooltip", has_text="Dom Desk")
    tooltip.wait_for()
    assert "Köln, Deutschland" in tooltip.inner_text() and "Cologne" not in tooltip.inner_text()
    page.screenshot(path=str(screenshot_dir / "place-names-de-1280.png"))
