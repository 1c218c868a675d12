"""A traveller whose browser speaks Portuguese searches, sets a home space and plans a trip, all in Portuguese;
another switches to German and back. Names aside, no English is left on those pages.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel import Locale

from tests.browser.untranslated import english_left

pytestmark = pytest.mark.browser

MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)


@pytest.fixture
def spaces(make_space):
    return [make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin"),
            make_space("Open House", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48}),
            make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000}),
            make_space("Ribeira Hub", lat=41.1496, lon=-8.6110, city="Porto")]


def _names(spaces) -> list[str]:
    """What the pages may show untranslated: the spaces' names and places (data), the searched places and the
    licence the data sources are under."""
    return [s.name for s in spaces] + [s.city for s in spaces] + ["Lisbon", "Lisboa", "Porto", "Portugal", "CC BY"]


def _assert_in(page, language: str, spaces) -> None:
    # The map's place labels are GeoNames names ("New York"): data, like the spaces' names. Both texts are
    # read in one go: the labels are redrawn as tiles and names load, and must be the ones the text holds.
    text, labels = page.evaluate("""() => [document.body.innerText,
        Array.from(document.querySelectorAll(".leaflet-container"), e => e.innerText)]""")
    map_labels = [t for t in labels if t.strip()]
    countries = list(Locale.parse(language).territories.values())  # CLDR's names ("Isle of Man" in German too)
    assert english_left(text, language, _names(spaces) + map_labels + countries) == [], page.url
    assert page.locator("html").get_attribute("lang") in (language, language.replace("_", "-"))


@pytest.fixture
def portuguese_page(watch, live_server):
    """A browser whose only hint is its language: Accept-Language pt-BR."""
    page = watch.new_context(viewport={"width": 1280, "height": 860}, locale="pt-BR").new_page()
    page.base_url = live_server
    return page


def test_search_home_space_and_trip_in_portuguese(portuguese_page, spaces, screenshot_dir):
    page = portuguese_page
    page.goto(page.base_url + "/")
    _assert_in(page, "pt_BR", spaces)

    page.get_by_label("Lugar ou endereço").fill("Lisboa")
    page.get_by_role("button", name="Procurar").click()
    page.wait_for_url("**q=Lisboa*")
    page.locator("#results li").first.wait_for()
    _assert_in(page, "pt_BR", spaces)

    page.locator("#home-input").fill("spree-works-berlin")
    page.get_by_role("button", name="Definir").click()
    page.wait_for_url("**q=Lisboa*")
    assert page.locator("#current-home").inner_text() == "Spree Works"
    assert "Aceita membros do seu espaço" in page.locator("#results .verdict").first.inner_text()
    page.locator("#results li").first.wait_for()
    _assert_in(page, "pt_BR", spaces)
    page.screenshot(path=str(screenshot_dir / "search-pt.png"), full_page=True)

    page.get_by_role("link", name="Open House").click()
    page.locator("#verdict").wait_for()
    _assert_in(page, "pt_BR", spaces)

    page.get_by_role("link", name="Planejar uma viagem").click()
    page.locator("#stops-0-place").fill("Lisboa")
    page.locator("#stops-0-start").fill(MONDAY.isoformat())
    page.locator("#stops-0-end").fill((MONDAY + timedelta(days=2)).isoformat())
    page.locator("#stops-1-place").fill("Porto")
    page.locator("#stops-1-start").fill((MONDAY + timedelta(days=3)).isoformat())
    page.locator("#stops-1-end").fill((MONDAY + timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Planejar", exact=True).click()
    page.locator("#plan-heading").wait_for()
    plan = page.locator(".plan").inner_text()
    assert "Open House" in plan and "Ribeira Hub" in plan
    _assert_in(page, "pt_BR", spaces)


def test_switch_to_german_and_back(page, spaces, screenshot_dir):
    page.goto(page.base_url + "/?q=Lisbon&radius_km=50")
    page.locator("#results li").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en-GB"

    page.locator("nav.languages summary").click()  # one control: the other languages are behind it
    page.locator("nav.languages").get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**lang=de*")
    assert "q=Lisbon" in page.url and "radius_km=50" in page.url  # the same page and search
    page.locator("#results li").first.wait_for()
    _assert_in(page, "de", spaces)
    page.screenshot(path=str(screenshot_dir / "search-de.png"), full_page=True)

    page.get_by_role("link", name="Reise planen").click()  # the choice holds on the next page, with no parameter
    assert page.locator("h1").inner_text() == "Reise planen"
    _assert_in(page, "de", spaces)

    page.locator("nav.languages summary").click()
    page.locator("nav.languages").get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Plan a trip"
    page.get_by_role("link", name="Find a space").click()
    assert page.locator("html").get_attribute("lang") == "en"
