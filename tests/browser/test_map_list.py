"""The list follows the map: its count is what the map shows, and the visit's dates survive a pan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser

MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)
#: The page's Leaflet map (folium names its variable; the page has one map).
MAP = "Object.values(window).find(v => v instanceof L.Map)"


def _move(page, script: str) -> None:
    """Move the map with *script* (``map`` is the Leaflet map) and wait until the list answers the new view."""
    page.evaluate("() => { document.getElementById('results-heading').textContent = ''; }")
    page.evaluate(f"() => {{ const map = {MAP}; {script}; }}")
    page.wait_for_function("() => /in view/.test(document.getElementById('results-heading').textContent)")


def _shown_on_map(page) -> int:
    """Spaces the map shows: every marker, and every group by its count."""
    return page.evaluate("""() => {
        const groups = [...document.querySelectorAll('.leaflet-marker-pane .marker-cluster [data-count]')]
            .reduce((sum, g) => sum + Number(g.dataset.count), 0);
        const markers = document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)');
        return groups + markers.length;
    }""")


def _heading_count(page) -> int:
    return int(page.locator("#results-heading").inner_text().split()[0])


def test_the_list_count_equals_the_features_on_the_map(demo_network, page, screenshot_dir):
    page.goto(page.base_url + "/?q=Lisbon")
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")

    # A region (zoom 7): some spaces are grouped; the count takes them in, the list names the rest.
    _move(page, "map.setZoom(7, {animate: false})")
    shown = _shown_on_map(page)
    assert shown == _heading_count(page) and shown > 0
    assert 0 < page.locator("#results li").count() <= shown
    page.screenshot(path=str(screenshot_dir / "list-follows-map.png"))
    assert page.locator(".marker-cluster[role=button][tabindex='0']").count() > 0  # groups take the keyboard

    # A city (zoom 11): every space is a line of the list; on the map only markers that would cover
    # each other are grouped.
    _move(page, "map.setView([38.7223, -9.1393], 11, {animate: false})")
    shown = _shown_on_map(page)
    assert shown == _heading_count(page) == page.locator("#results li").count() >= 3
    assert page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)").count() >= 2
    # Countries by name, as the server writes them.
    assert page.locator("#results li .where").first.inner_text().endswith(", Portugal")

    # A group is announced by its count and opens with Enter.
    _move(page, "map.setZoom(5, {animate: false})")
    group = page.locator(".leaflet-marker-pane .marker-cluster").first
    assert "spaces here" in group.inner_text() or "spaces here" in group.text_content()
    zoom = page.evaluate(f"() => {MAP}.getZoom()")
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"z => {MAP}.getZoom() > z", arg=zoom)


def test_visit_dates_survive_a_pan(app, page, make_space):
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    make_space("Open House", lat=38.7101, lon=-9.1367)
    make_space("Alfama Desk", lat=38.7130, lon=-9.1300)
    make_space("Cascais Loft", lat=38.6970, lon=-9.4215, city="Cascais")

    page.goto(page.base_url + "/?q=Lisbon")
    page.locator("#home-input").fill("spree-works-berlin")
    page.get_by_role("button", name="Set").click()
    page.wait_for_url("**/?q=Lisbon*")
    end = MONDAY + timedelta(days=6)
    page.goto(page.base_url + f"/?q=Lisbon&date_from={MONDAY}&date_to={end}")
    days = page.locator("#results li .days")
    assert days.count() == 3 and days.first.inner_text().startswith("Possible: ")
    before = days.first.inner_text()

    _move(page, "map.panBy([120, 60], {animate: false})")
    days = page.locator("#results li .days")
    assert days.count() == page.locator("#results li").count() >= 1
    assert all(text.startswith("Possible: ") for text in days.all_inner_texts())
    assert before in days.all_inner_texts()  # the same words as the server's list
    assert page.locator("#date_from").input_value() == MONDAY.isoformat()
