"""A search past the geocoding limit: the 429 page keeps the search form and its query and says when to retry."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.expect_status(429)
@pytest.mark.expect_console("429")
def test_the_limited_search_keeps_its_form(app, watch, live_server, screenshot_dir):
    app.config["VISA_GEOCODE_LIMIT"] = "1 per minute"
    for width in (1280, 390):
        page = watch.new_context(viewport={"width": width, "height": 844}, locale="en-GB").new_page()
        statuses = [page.goto(live_server + "/?q=Porto&radius_km=50") for _ in range(3)]  # the last is over
        response = statuses[-1]
        assert response.status == 429 and int(response.headers["retry-after"]) >= 1
        assert page.get_by_label("Place or address").input_value() == "Porto"
        assert "Try again in" in page.locator("main").inner_text()
        page.screenshot(path=str(screenshot_dir / f"rate-limited-search-{width}.png"))
