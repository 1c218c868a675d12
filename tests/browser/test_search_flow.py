"""A traveller searches "Lisbon", sees markers and the list, opens a space page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import search_place

pytestmark = pytest.mark.browser


def test_search_lisbon_then_open_a_space(demo_network, page, screenshot_dir):

    page.goto(page.base_url + "/")
    search_place(page, "Lisbon")

    results = page.locator("#results li")
    assert results.count() >= 3
    assert " mi" in results.first.inner_text()  # the browser reads British English: distances in miles
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    page.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")  # the offline basemap
    page.screenshot(path=str(screenshot_dir / "search-lisbon.png"), full_page=True)

    name = results.first.locator("a").inner_text()
    results.first.locator("a").click()
    page.wait_for_url("**/spaces/**")
    assert page.locator("h1").inner_text() == name
    assert page.get_by_text("Visa terms").is_visible()
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")

    own = urlparse(page.base_url).netloc
    foreign = [u for u in page.requested_urls if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != own]
    assert page.requested_urls and foreign == []


def test_marker_tooltip_escapes_html_and_click_opens_the_space(app, page, make_space):
    make_space('<img src=x onerror="window.pwned=1">Evil', lat=38.7101, lon=-9.1367)
    page.goto(page.base_url + "/?q=Lisbon")
    # The first markers are drawn from the page's own Features, then regrouped once the marker groups' script
    # has come: the marker hovered is the one that stays.
    page.wait_for_load_state("networkidle")
    marker = page.locator(".leaflet-marker-icon").first
    marker.wait_for(state="visible")
    marker.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert '<img src=x onerror="window.pwned=1">Evil' in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert "3 free days" in tooltip.inner_text()
    marker.click()
    page.wait_for_url("**/spaces/**")
    assert page.locator("h1").inner_text() == '<img src=x onerror="window.pwned=1">Evil'
    assert page.evaluate("() => window.pwned") is None


def test_space_page_marker_keeps_names_as_text(app, page, make_space):
    space = make_space("`${window.pwned=1}`<b>Bold</b>", lat=38.7101, lon=-9.1367)
    page.goto(page.base_url + f"/spaces/{space.slug}")
    marker = page.locator(".leaflet-marker-icon").first
    marker.wait_for(state="visible")
    marker.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.locator(".name").inner_text() == "`${window.pwned=1}`<b>Bold</b>"
    assert tooltip.locator(".state").inner_text() == "Takes part. Terms never confirmed by the host"
    assert page.locator(".leaflet-tooltip b").count() == 0
    assert page.evaluate("() => window.pwned") is None
