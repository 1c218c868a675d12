"""A search with nothing near never dead-ends: the nearest spaces, one click to show them; "Portland" offers Maine."""

from __future__ import annotations

import pytest

from tests.browser.conftest import search_place

pytestmark = pytest.mark.browser


def test_nothing_near_shows_the_nearest_and_portland_offers_maine(demo_network, page, screenshot_dir):

    # Azenhas do Mar: a village on the coast, about 30 km from the Lisbon spaces.
    page.goto(page.base_url + "/")
    search_place(page, "Azenhas do Mar")
    assert "0 spaces near Azenhas do Mar" in page.locator("#results-heading").inner_text()
    nearest = page.locator("#nearest li")
    assert 3 <= nearest.count() <= 5
    assert "Lisbon" in nearest.first.inner_text() and " mi south-east" in nearest.first.inner_text()  # en-GB: miles
    # The map was fitted to take them in: their markers (or clusters) are drawn, not an empty box.
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    # ...and drawing them did not swap the list for the view's: the count still means the radius.
    assert "0 spaces near" in page.locator("#results-heading").inner_text() and nearest.count() >= 3
    page.screenshot(path=str(screenshot_dir / "empty-state.png"), full_page=True)

    page.get_by_role("link", name="Show them on the map").click()
    page.wait_for_url("**radius_km=*")
    results = page.locator("#results li")
    results.first.wait_for(state="visible")
    heading = page.locator("#results-heading").inner_text()
    assert heading.startswith(f"{results.count()} spaces near Azenhas do Mar")  # the count is what is listed
    assert results.count() >= 3 and page.locator("#nearest").count() == 0

    search_place(page, "Portland")
    assert "Portland, Oregon" in page.locator("#results-heading").inner_text()
    maine = page.locator("#alternatives").get_by_role("link", name="Portland, Maine, United States")
    maine.wait_for(state="visible")
    page.screenshot(path=str(screenshot_dir / "did-you-mean.png"), full_page=True)
    maine.click()
    page.wait_for_url("**Maine*")
    assert "Portland, Maine, United States" in page.locator("#results-heading").inner_text()


def test_show_them_on_the_map_shows_the_map_on_a_phone(demo_network, watch, live_server, screenshot_dir):
    phone = watch.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True,
                              has_touch=True).new_page()
    phone.goto(live_server + "/?q=Azenhas+do+Mar")
    phone.get_by_role("link", name="Show them on the map").click()
    phone.wait_for_url("**radius_km=*")
    phone.locator(".leaflet-marker-icon").first.wait_for(state="visible")  # the map, with the spaces it names
    assert phone.locator(".map-pane").is_visible() and not phone.locator(".results-pane").is_visible()
    assert phone.get_by_role("button", name="Show the list").is_visible()  # and the list one tap away
    phone.screenshot(path=str(screenshot_dir / "show-them-on-the-map-390.png"))
