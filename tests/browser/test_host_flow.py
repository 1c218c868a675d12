"""A host signs up, confirms by the mailed link, submits a space and drags the pin; an admin approves it;
a traveller finds it on the map."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in, sign_up
from visa.accounts.models import Role

pytestmark = pytest.mark.browser


def test_host_to_admin_to_traveller(app, page, make_user, mails):
    make_user("admin@example.org", role=Role.ADMIN, password="admin password 1")
    base = page.base_url

    sign_up(page, mails, "ana@example.org", "a long enough pw")

    page.locator("#new-space").click()
    page.get_by_label("Name of the space").fill("Tagus Riverside Desk")
    page.get_by_label("Street and number").fill("Rua Augusta 12")
    page.get_by_label("Postcode").fill("1100-053")
    page.locator("#country_code").select_option("PT")
    page.get_by_label("City").fill("Lisboa")
    page.get_by_text("Found: Lisbon, Portugal").wait_for()
    assert page.locator("#precision-label").inner_text() == "city centre"
    found = (page.locator("#latitude").input_value(), page.locator("#longitude").input_value())

    marker = page.locator("#pin-map .leaflet-marker-icon")
    page.wait_for_timeout(600)  # let the map finish flying to the address before grabbing the pin
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] + 25, steps=8)
    page.mouse.up()
    # Tiles are off in tests: a pin dragged on a map without streets is close, not exact.
    page.locator("#precision-label", has_text="without streets").wait_for()
    dragged = (page.locator("#latitude").input_value(), page.locator("#longitude").input_value())
    assert dragged != found
    assert page.locator("#no-streets").is_visible()
    # Coordinates pasted from a map app place the door exactly.
    page.get_by_label("Coordinates from a map app (optional)").fill("38.7101° N, 9.1367° W")
    page.get_by_label("Coordinates from a map app (optional)").press("Tab")
    page.locator("#precision-label", has_text="exact").wait_for()
    assert (page.locator("#latitude").input_value(), page.locator("#longitude").input_value()) == ("38.710100", "-9.136700")

    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url("**/terms")
    page.get_by_role("button", name="Save and confirm these terms").click()
    page.wait_for_url("**/host")
    assert "Waiting for a network admin" in page.locator("table").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "admin@example.org", "admin password 1")
    page.goto(base + "/admin/")
    page.locator(".queue-item", has_text="Tagus Riverside Desk").get_by_role("button", name="Approve").click()
    page.get_by_text("Approved “\u2068Tagus Riverside Desk\u2069”").wait_for()
    page.get_by_role("button", name="Sign out").click()

    page.goto(base + "/?q=Lisbon")
    item = page.locator("#results li", has_text="Tagus Riverside Desk")
    item.wait_for()
    item.get_by_role("link").click()
    assert page.locator("h1").inner_text() == "Tagus Riverside Desk"
    assert page.get_by_text("Location precision:").is_visible()
    assert page.get_by_text("exact", exact=True).is_visible()


@pytest.mark.expect_status(404)  # the geocoder API's answer for an address it does not know
def test_unknown_address_leaves_the_pin_to_the_host(app, page, make_user):
    make_user("host@example.org", password="host password 1")
    sign_in(page, "host@example.org", "host password 1")
    page.goto(page.base_url + "/host/spaces/new")
    assert page.locator("#precision-label").inner_text() == "not placed yet"
    assert page.locator("#pin-map .leaflet-marker-icon").count() == 0
    page.locator("#country_code").select_option("PT")
    page.get_by_label("City").fill("Xyzzyqqville")
    page.get_by_text("We could not find this address: drag the pin to your space.").wait_for()
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#pin-map .leaflet-marker-icon").wait_for()
    assert page.locator("#precision-label").inner_text() == "placed by hand on a map without streets"
    assert page.locator("#latitude").input_value() != ""
