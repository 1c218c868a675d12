"""A traveller chooses a home space, sees the map filtered and a verdict, and plans a two-stop trip."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.browser

MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)


def test_home_space_filter_verdict_and_trip(app, page, watch, make_space, screenshot_dir):
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    make_space("Open House", lat=38.7101, lon=-9.1367)
    make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000})
    make_space("Ribeira Hub", lat=41.1496, lon=-8.6110, city="Porto")

    page.goto(page.base_url + "/?q=Lisbon")
    page.locator("#results li").first.wait_for()
    assert page.locator("#results li").count() == 2

    home = page.locator("#home-input")
    home.fill("Spree")
    page.locator("#home-options option").first.wait_for(state="attached")
    assert page.locator("#home-options option").first.get_attribute("value") == "spree-works-berlin"
    home.fill("spree-works-berlin")
    page.get_by_role("button", name="Set").click()
    page.wait_for_url("**/?q=Lisbon*")

    assert page.locator("#current-home").inner_text() == "Spree Works"
    names = page.locator("#results li > a").all_inner_texts()
    assert names == ["Open House"]  # Picky Loft wants members from more than 5000 km
    assert "Honors your membership" in page.locator("#results .verdict").first.inner_text()
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    assert page.locator(".leaflet-marker-icon").count() == 1

    page.locator("#show-all").click()
    page.locator("#results li").nth(1).wait_for()
    page.get_by_role("link", name="Picky Loft").click()
    verdict = page.locator("#verdict")
    assert verdict.inner_text().startswith("Does not honor your membership")
    assert "3,107 mi" in verdict.inner_text()  # en-GB reads miles, as the radius does

    page.get_by_role("link", name="Plan a trip").click()
    page.locator("#stops-0-place").fill("Lisbon")
    page.locator("#stops-0-start").fill(MONDAY.isoformat())
    page.locator("#stops-0-end").fill((MONDAY + timedelta(days=2)).isoformat())
    page.locator("#stops-1-place").fill("Porto")
    page.locator("#stops-1-start").fill((MONDAY + timedelta(days=3)).isoformat())
    page.locator("#stops-1-end").fill((MONDAY + timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Plan").click()
    page.locator("#plan-heading").wait_for()
    plan = page.locator(".plan").inner_text()
    assert "Open House" in plan and "Ribeira Hub" in plan and "Picky Loft" not in plan
    with page.expect_download() as download:
        page.locator("#ics-link").click()  # the ticked spaces (by default the nearest of each stop)
    events = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Coworking Visa: Open House"] * 3 + ["Coworking Visa: Ribeira Hub"] * 2
    assert [bool(e.walk("VALARM")) for e in events] == [True, False, False, True, False]  # first day of each visit
    share = page.locator("#share-link").get_attribute("href")
    shared = watch.new_context().new_page()  # another browser: no cookie, only the link
    shared.goto(share)
    assert "Open House" in shared.locator(".plan").inner_text()
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshot_dir / "trip-print.png"), full_page=True)


def test_home_autocomplete_suggests_a_space_whatever_its_terms_named_with_its_place(app, page, make_space):
    """A member's home space may not have stated its terms (most imported listings): it is still a home space."""
    make_space("Betahaus", lat=52.5, lon=13.42, country="DE", city="Berlin",
               terms={"is_participating": None, "free_days_per_visit": None})
    page.goto(page.base_url + "/")
    label = page.locator("label[for=home-input]")
    assert label.count() == 1  # the header's label names its input
    page.locator("#home-input").fill("Betah")
    option = page.locator("#home-options option").first
    option.wait_for(state="attached")
    assert option.get_attribute("value") == "betahaus-berlin"
    assert option.get_attribute("label") == "\u2068Betahaus\u2069 — Berlin, Germany"  # the name isolated
