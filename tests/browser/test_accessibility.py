"""axe-core finds no violation of moderate impact or worse on the search, space and trip pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_search_space_and_trip_pages_pass_axe(demo_network, page, axe_source):
    page.goto(page.base_url + "/")
    assert page.locator("h1").first.inner_text().strip()  # the home page says what it is for
    assert axe_violations(page, axe_source) == []

    page.goto(page.base_url + "/?q=Lisbon")
    page.locator("#results li").first.wait_for()
    assert axe_violations(page, axe_source) == []

    page.locator("#results li a").first.click()
    page.wait_for_url("**/spaces/**")
    assert axe_violations(page, axe_source) == []

    page.goto(page.base_url + "/trip")
    assert axe_violations(page, axe_source) == []
