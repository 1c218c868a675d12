"""On a 390 px phone the results come first, the filters fold, and one button swaps the list and the map."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(watch, live_server):
    page = watch.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True,
                             has_touch=True).new_page()
    page.base_url = live_server
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    return page


MAP_FILES = ("leaflet.js", "leaflet.markercluster.js", "topojson", "visa-map.js", "/geodata/basemap")


def _map_files(page) -> list[str]:
    return [url for url in page.requested_urls if any(name in url for name in MAP_FILES)]


def test_phone_search_puts_results_above_the_fold(demo_network, phone, screenshot_dir):
    phone.goto(phone.base_url + "/?q=Lisbon")
    first = phone.locator("#results li").first
    first.wait_for()
    assert first.bounding_box()["y"] + 60 < 844  # the first result is readable without scrolling
    assert not phone.locator("#filters").evaluate("d => d.open")
    assert not phone.locator(".map-pane").is_visible()
    phone.screenshot(path=str(screenshot_dir / "phone-search.png"))
    phone.wait_for_load_state("networkidle")
    assert _map_files(phone) == []  # the list alone: no map scripts, no basemap, until the map is asked for

    phone.get_by_role("button", name="Show the map").click()  # one tap: the map comes, with its markers
    phone.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    assert len(_map_files(phone)) >= 4
    assert not phone.locator(".results-pane").is_visible()
    phone.get_by_role("button", name="Show the list").click()
    assert phone.locator("#results li").first.is_visible()

    phone.locator("#filters summary").click()
    assert phone.get_by_label("Radius").is_visible()


def test_the_header_takes_at_most_a_quarter_of_a_phones_first_screen(demo_network, phone):
    """The site's name, its navigation, one language control and the home bar: the page's own content starts above
    the first quarter of an 844 px screen."""
    phone.goto(phone.base_url + "/about")
    bottom = phone.locator(".home-bar").bounding_box()
    assert bottom["y"] + bottom["height"] <= 844 / 4
    phone.locator("nav.languages summary").click()
    phone.locator("nav.languages").get_by_role("link", name="Deutsch").click()
    phone.wait_for_url("**lang=de*")
    assert phone.locator("html").get_attribute("lang") == "de"


def test_the_sites_map_rules_win_over_leaflets_own(demo_network, phone):
    """Leaflet's stylesheets arrive after the page has drawn, but in front of the site's: its sea stays blue."""
    phone.goto(phone.base_url + "/?q=Lisbon")
    phone.get_by_role("button", name="Show the map").click()
    phone.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    sea = phone.locator(".leaflet-container").evaluate("e => getComputedStyle(e).backgroundColor")
    assert sea == "rgb(207, 225, 236)"  # site.css's #cfe1ec, not leaflet.css's #ddd
