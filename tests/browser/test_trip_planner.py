"""The trip planner without a home space: the participating spaces per stop, and a stop it cannot place."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser


def test_a_plan_without_home_and_with_an_unknown_stop(demo_network, page, screenshot_dir):
    day = date.today() + timedelta(days=14)
    query = (f"stops-0-place=Lisbon&stops-0-start={day}&stops-0-end={day + timedelta(days=2)}"
             f"&stops-1-place=Xyzzyqqq&stops-1-start={day + timedelta(days=3)}&stops-1-end={day + timedelta(days=4)}")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(page.base_url + "/trip?" + query)
        assert page.locator(".stop-plan .participating li").count() > 0
        assert page.locator("#home-adds").is_visible()
        assert page.locator("#error-summary").is_visible()  # the stop it cannot place, with its suggestions
        page.screenshot(path=str(screenshot_dir / f"trip-without-home-{width}.png"), full_page=True)
