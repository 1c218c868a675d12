"""A keyboard reaches the results past the map, follows a group to its spaces, and lands on a form's errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser

MAP = "Object.values(window).find(v => v instanceof L.Map)"
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


def test_skip_to_results_right_after_the_search_form(demo_network, page, screenshot_dir):
    page.goto(page.base_url + "/?q=Lisbon")
    page.locator("#results li").first.wait_for()
    page.locator("#near-me").focus()
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to results" and skip.is_visible()
    page.screenshot(path=str(screenshot_dir / "skip-to-results-1280.png"))
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED_ID) == "results-pane"
    page.keyboard.press("Tab")  # the next stop is in the results, not one of the map's markers
    assert page.evaluate("() => document.getElementById('results-pane').contains(document.activeElement)")


def test_enter_on_a_group_moves_the_focus_to_its_spaces(demo_network, page):
    page.goto(page.base_url + "/?q=Lisbon")
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    page.evaluate("() => { document.getElementById('results-heading').textContent = ''; }")
    page.evaluate(f"() => {MAP}.setZoom(5, {{animate: false}})")
    page.wait_for_function("() => /in view/.test(document.getElementById('results-heading').textContent)")
    group = page.locator(".leaflet-marker-pane .marker-cluster").first
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({FOCUSED_ID})() === 'results-pane'")
    assert page.locator("#results li").count() > 0  # the list of what the group held, now in view


def test_a_form_with_errors_puts_the_focus_on_its_summary(app, page, make_space, screenshot_dir):
    from visa.extensions import db

    make_space("Home Desk", lat=52.52, lon=13.405, country="DE", city="Berlin")
    db.session.commit()
    day = date.today() + timedelta(days=14)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(page.base_url + f"/trip?home=home-desk-berlin&stops-0-place=Xyzzyqqq&stops-0-start={day}"
                  f"&stops-0-end={day}")
        assert page.evaluate(FOCUSED_ID) == "error-summary"
        page.screenshot(path=str(screenshot_dir / f"error-summary-{width}.png"))
    page.get_by_role("link", name="Place: No place called “Xyzzyqqq”.").click()
    assert page.evaluate(FOCUSED_ID) == "stops-0-place"
