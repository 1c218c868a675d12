"""A host adds a photo from a phone; an admin approves it in the queue; travellers see the gallery on a phone and
on a laptop, and the thumbnail in the list and on the map."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from tests.photos.samples import GPS
from visa.accounts.models import Role, SpaceHost
from visa.extensions import db

pytestmark = pytest.mark.browser

PASSWORD = "a long enough pw"


def _community_photo(path) -> None:
    """A phone's photo, stored on its side with a rotation tag and a GPS position: a room with a window, people
    at a table (shapes: the test has no real photo to upload)."""
    image = Image.new("RGB", (1600, 1200), (236, 226, 206))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 820, 1600, 1200), fill=(150, 110, 80))  # floor
    draw.rectangle((980, 120, 1460, 620), fill=(140, 190, 230))  # window
    draw.rectangle((300, 640, 1300, 720), fill=(110, 70, 40))  # table
    for x, colour in ((380, (200, 60, 60)), (620, (60, 120, 200)), (860, (70, 160, 90)), (1100, (220, 160, 40))):
        draw.ellipse((x, 420, x + 110, 530), fill=(224, 180, 150))  # a head
        draw.rectangle((x - 20, 530, x + 130, 660), fill=colour)  # a shirt
    exif = Image.Exif()
    exif[0x0112] = 8  # stored turned a quarter clockwise: the viewer turns it back
    exif[0x8825] = GPS
    image.rotate(-90, expand=True).save(path, "JPEG", exif=exif, quality=88)


@pytest.fixture
def people(app, make_space, make_user):
    space = make_space("Alfama Commons", description="A community of forty freelancers above the river.")
    host = make_user("host@example.org", password=PASSWORD)
    make_user("admin@example.org", role=Role.ADMIN, password=PASSWORD)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/host")


def _drawn(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_a_photo_from_a_phone_to_the_gallery(people, watch, live_server, screenshot_dir, tmp_path):
    photo_file = tmp_path / "IMG_0042.jpg"
    _community_photo(photo_file)
    phone = watch.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True,
                              has_touch=True).new_page()

    _sign_in(phone, live_server, "host@example.org")
    phone.locator(f"#listing-{people.slug}").get_by_role("link", name="Photos").click()
    phone.wait_for_url("**/photos")
    assert phone.locator("#no-photos").is_visible()
    phone.get_by_label("Photo (JPEG, PNG or WebP, at most 10 MB)").set_input_files(str(photo_file))
    phone.get_by_label("What the photo shows, for people who cannot see it").fill(
        "Four people at a long table by a big window")
    phone.get_by_label("Caption (optional)").fill("Tuesday lunch, on the house")
    phone.get_by_role("button", name="Add the photo").click()
    phone.get_by_text("Travellers will see it once a network admin approves it.").wait_for()
    row = phone.locator(".photo-row").first
    assert "Waits for a network admin's approval" in row.inner_text()
    assert _drawn(row.locator("img"))
    phone.screenshot(path=str(screenshot_dir / "photos-manage-390.png"), full_page=True)
    phone.get_by_role("button", name="Sign out").click()

    laptop = watch.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(laptop, live_server, "admin@example.org")
    laptop.goto(live_server + "/admin/")
    item = laptop.locator(".queue-photo", has_text="Alfama Commons")
    item.scroll_into_view_if_needed()
    assert _drawn(item.locator("img"))
    item.screenshot(path=str(screenshot_dir / "photos-queue-1280.png"))
    item.get_by_role("button", name="Approve the photo").click()
    laptop.get_by_text("Photo of “\u2068Alfama Commons\u2069” approved.").wait_for()
    laptop.get_by_role("button", name="Sign out").click()

    # A traveller on the phone: the gallery, upright, with its alt text and caption.
    phone.goto(f"{live_server}/spaces/{people.slug}")
    gallery = phone.locator("#gallery img")
    gallery.first.scroll_into_view_if_needed()
    gallery.first.wait_for()
    assert gallery.count() == 1 and _drawn(gallery.first)
    assert gallery.first.get_attribute("alt") == "Four people at a long table by a big window"
    width, height = gallery.first.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width > height  # turned upright by its EXIF tag: landscape, as it was taken
    shown = gallery.first.bounding_box()
    assert shown["width"] <= 390 and shown["width"] > 300  # the width of the phone, less the margins
    assert gallery.first.evaluate("img => img.currentSrc").endswith(".webp")
    assert "Tuesday lunch, on the house" in phone.locator("#gallery figcaption").inner_text()
    phone.screenshot(path=str(screenshot_dir / "photos-space-390.png"), full_page=True)

    laptop.goto(f"{live_server}/spaces/{people.slug}")
    laptop.locator("#gallery img").first.wait_for()
    laptop.screenshot(path=str(screenshot_dir / "photos-space-1280.png"), full_page=True)

    # The list and the map's popup show it as a thumbnail.
    laptop.goto(f"{live_server}/?q=Lisbon")
    thumb = laptop.locator("#results li", has_text="Alfama Commons").locator("img.thumbnail")
    thumb.wait_for()
    assert _drawn(thumb) and thumb.get_attribute("alt") == "Four people at a long table by a big window"
    marker = laptop.locator(".leaflet-marker-icon.space-marker").first
    marker.wait_for()
    marker.hover()
    popup = laptop.locator(".leaflet-tooltip img.thumbnail")
    popup.wait_for()
    assert _drawn(popup)
    laptop.screenshot(path=str(screenshot_dir / "photos-search-1280.png"))


@pytest.mark.expect_status(400)
def test_an_html_file_named_jpg_is_refused_on_the_form(people, watch, live_server, tmp_path):
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    page = watch.new_context(viewport={"width": 390, "height": 844}, locale="en-GB").new_page()
    _sign_in(page, live_server, "host@example.org")
    page.goto(f"{live_server}/spaces/{people.slug}/photos")
    page.get_by_label("Photo (JPEG, PNG or WebP, at most 10 MB)").set_input_files(str(fake))
    page.get_by_label("What the photo shows, for people who cannot see it").fill("Our terrace")
    page.get_by_role("button", name="Add the photo").click()
    page.locator("#photo-error").wait_for()
    assert "This file is not a JPEG, PNG or WebP photo." in page.locator("#photo-error").inner_text()
    assert page.locator("#photo").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("What the photo shows, for people who cannot see it").input_value() == "Our terrace"
