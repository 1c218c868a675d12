"""Photos on a listing through the pages: upload, approval, the gallery, the API and the export, reports,
order and removal, the published files' headers, and the revisions every change leaves."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.photos.samples import HTML_AS_JPEG, phone_jpeg, plain, png_bomb
from visa.accounts.models import Role, SpaceHost
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.revision_words import describe
from visa.photos.models import MAX_PHOTOS, Photo, PhotoReport, PhotoStatus


@pytest.fixture
def listing(make_space, make_user):
    space = make_space("Sunny Desk")
    host = make_user("host@example.org")
    make_user("admin@example.org", role=Role.ADMIN)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space


@pytest.fixture
def upload(client, csrf_token):
    def _upload(slug: str, data: bytes, alt: str = "Six people at a long table by a window", filename: str = "a.jpg",
                caption: str = ""):
        return client.post(f"/spaces/{slug}/photos", content_type="multipart/form-data", data={
            "photo": (io.BytesIO(data), filename), "alt": alt, "caption": caption,
            "csrf_token": csrf_token(f"/spaces/{slug}/photos")})

    return _upload


@pytest.fixture
def logout(client, csrf_token):
    """Back to a traveller without an account (one client: the tests' app context keeps who is signed in)."""
    return lambda: client.post("/logout", data={"csrf_token": csrf_token("/host")})


def _photos() -> list[Photo]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Photo).order_by(Photo.position)).unique())


def _files(html: str) -> list[str]:
    return sorted(set(re.findall(r"/photos/([0-9a-f]{64}-[0-9]+\.(?:webp|jpg))", html)))


def test_a_hosts_photo_waits_for_an_admin_then_shows_in_the_gallery_the_list_the_api_and_the_export(
        client, login, logout, listing, upload):
    login("host@example.org")
    r = upload(listing.slug, phone_jpeg(), caption="Friday lunch")
    assert r.status_code == 303, r.get_data(as_text=True)[:300]
    [photo] = _photos()
    assert photo.status == PhotoStatus.PENDING and photo.alt.startswith("Six people") and photo.lang == "en"
    names = [f"{photo.key}-{w}.{e}" for w in photo.widths for e in ("webp", "jpg")]
    assert client.get(f"/photos/{names[0]}").status_code == 200  # its host sees it
    manage = client.get(f"/spaces/{listing.slug}/photos").get_data(as_text=True)
    assert "Waits for a network admin" in manage

    logout()
    other = client  # a traveller
    assert "gallery" not in other.get(f"/spaces/{listing.slug}").get_data(as_text=True)
    assert other.get(f"/photos/{names[0]}").status_code == 404
    assert other.get(f"/api/v1/spaces/{listing.slug}").get_json()["properties"]["photos"] == []
    near = "/api/v1/spaces?near=38.72,-9.14&radius_km=10"
    assert other.get(near).get_json()["features"][0]["properties"]["photo"] is None  # the search's index is built

    login("admin@example.org")
    queue = client.get("/admin/").get_data(as_text=True)
    assert f'id="queue-photo-{photo.id}"' in queue and "Sunny Desk" in queue  # the photo next to its listing
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', queue).group(1)
    assert client.post(f"/admin/photos/{photo.id}/approve", data={"csrf_token": token}).status_code == 303
    assert _photos()[0].status == PhotoStatus.APPROVED
    logout()

    page = other.get(f"/spaces/{listing.slug}").get_data(as_text=True)
    assert 'id="gallery"' in page and 'loading="lazy"' not in page.split('id="gallery"')[1].split("</figure>")[0]
    assert 'srcset="/photos/' in page and 'alt="Six people at a long table by a window"' in page
    assert "Friday lunch" in page and _files(page) == sorted(names)
    served = other.get(f"/photos/{photo.key}-320.webp")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(served.get_data())).size == (320, 640)

    search = other.get("/?q=Lisbon").get_data(as_text=True)
    assert f'class="thumbnail" src="/photos/{photo.key}-320.webp"' in search
    found = other.get(near).get_json()["features"][0]["properties"]  # the approval renewed the index's Features
    assert found["photo"] == {"url": f"/photos/{photo.key}-320.webp", "alt": photo.alt, "lang": "en",
                              "width": 320, "height": 640}
    [full] = other.get(f"/api/v1/spaces/{listing.slug}").get_json()["properties"]["photos"]
    assert full["url"] == f"http://localhost/photos/{photo.key}-600.jpg" and full["alt"] == photo.alt
    assert full["caption"] == "Friday lunch" and len(full["files"]) == 4
    assert "photos" in other.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Feature"][
        "properties"]["properties"]["properties"]

    login("admin@example.org")
    exported = json.loads(client.get("/admin/export.geojson").get_data())["features"][0]["properties"]["photos"]
    assert exported[0]["url"] == full["url"] and exported[0]["alt"] == photo.alt
    [row] = list(csv.DictReader(io.StringIO(client.get("/admin/export.csv").get_data(as_text=True))))
    assert row["photo_urls"] == full["url"] and row["photo_alts"] == photo.alt

    # Every change is a revision of the listing, read in words on its history.
    revisions = list(db.session.scalars(sa.select(Revision).where(Revision.source == "photos")
                                        .order_by(Revision.id)).unique())
    assert [r.changes["photos"][1][0]["status"] for r in revisions] == ["pending", "approved"]
    words = describe(revisions[0])
    assert words.kind_label == "Photos changed" and not words.can_revert
    assert "waiting for approval" in words.changes[0].after


def test_an_admins_photo_is_shown_at_once(client, login, listing, upload):
    login("admin@example.org")
    assert upload(listing.slug, plain("WEBP", (1000, 700))).status_code == 303
    assert _photos()[0].status == PhotoStatus.APPROVED
    assert 'id="gallery"' in client.get(f"/spaces/{listing.slug}").get_data(as_text=True)


def test_the_search_page_s_thumbnails_are_read_once_per_registry_version(client, login, logout, listing, upload,
                                                                         sent_sql):
    login("admin@example.org")
    assert upload(listing.slug, plain("WEBP", (1000, 700)), alt="First").status_code == 303
    logout()
    [photo] = _photos()
    assert f'class="thumbnail" src="/photos/{photo.key}-320.webp"' in client.get("/?q=Lisbon").get_data(as_text=True)
    again, read = sent_sql(lambda: client.get("/?q=Lisbon").get_data(as_text=True))
    assert f'class="thumbnail" src="/photos/{photo.key}-320.webp"' in again
    assert not [s for s in read if "FROM photo" in s]  # the registry version stood: the thumbnails were kept


@pytest.mark.parametrize(("data", "filename", "message"), [
    (HTML_AS_JPEG, "photo.jpg", "This file is not a JPEG, PNG or WebP photo."),
    (png_bomb(), "photo.png", "This picture is too large to open safely (more than 50 megapixels)."),
])
def test_a_file_that_is_not_a_safe_photo_is_refused_on_the_photo_field(client, login, listing, upload, data,
                                                                       filename, message):
    login("host@example.org")
    r = upload(listing.slug, data, alt="Our terrace", filename=filename)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    field = html.split('id="photo-error"')[1].split("</div>")[0]
    assert message in field and 'id="photo-errors"' in html  # on the field, and in the summary
    assert 'value="Our terrace"' in html  # the rest of the form is kept
    assert _photos() == [] and _store_files(client) == []


def _store_files(client) -> list:
    from pathlib import Path

    folder = Path(client.application.config["VISA_PHOTO_DIR"])
    return list(folder.iterdir()) if folder.exists() else []


def test_alt_text_is_required(client, login, listing, upload):
    login("host@example.org")
    r = upload(listing.slug, plain(), alt="  ")
    assert r.status_code == 400 and "Describe the photo" in r.get_data(as_text=True) and _photos() == []


def test_at_most_eight_photos_then_order_and_removal(client, login, listing, upload, csrf_token):
    login("host@example.org")
    for n in range(MAX_PHOTOS):
        assert upload(listing.slug, plain("PNG", (400 + n, 300)), alt=f"Photo {n}").status_code == 303
    r = upload(listing.slug, plain("PNG", (500, 300)), alt="One too many")
    assert r.status_code == 400 and "at most 8 photos" in r.get_data(as_text=True)
    assert upload(listing.slug, plain("PNG", (400, 300)), alt="Again").status_code == 400  # same upload twice

    first, second = _photos()[:2]
    token = csrf_token(f"/spaces/{listing.slug}/photos")
    r = client.post(f"/spaces/{listing.slug}/photos/{first.id}/move", data={"direction": "later", "csrf_token": token})
    assert r.status_code == 303
    assert [p.alt for p in _photos()[:2]] == ["Photo 1", "Photo 0"]

    before = len(_store_files(client))
    r = client.post(f"/spaces/{listing.slug}/photos/{second.id}/remove", data={"csrf_token": token})
    assert r.status_code == 303 and len(_photos()) == MAX_PHOTOS - 1
    assert len(_store_files(client)) == before - 4  # its two widths, WebP and JPEG
    kinds = db.session.scalars(sa.select(sa.func.count()).select_from(Revision).where(Revision.source == "photos"))
    assert kinds.one() == MAX_PHOTOS + 2


def test_a_reported_photo_is_taken_down_from_the_queue(client, login, logout, listing, upload, csrf_token):
    login("admin@example.org")
    upload(listing.slug, plain("JPEG", (900, 600)))
    [photo] = _photos()
    logout()
    traveller = client
    page = traveller.get(f"/spaces/{listing.slug}/photos/{photo.id}/report").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = traveller.post(f"/spaces/{listing.slug}/photos/{photo.id}/report",
                       data={"message": "Nobody asked me before putting my face here", "csrf_token": token})
    assert r.status_code == 303, r.get_data(as_text=True)[-3000:]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhotoReport)) == 1

    login("admin@example.org")
    queue = client.get("/admin/").get_data(as_text=True)
    assert "Nobody asked me" in queue and "Take the photo down" in queue
    r = client.post(f"/admin/photos/{photo.id}/remove", data={"reason": "No consent", "csrf_token": csrf_token("/admin/")})
    assert r.status_code == 303 and _photos() == []
    assert client.get(f"/photos/{photo.key}-320.webp").status_code == 404
    assert _store_files(client) == []
    revision = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc())).first()
    assert revision.source == "photos" and revision.note == "No consent" and revision.changes["photos"][1] == []


def test_reports_are_rate_limited(app, client, login, logout, listing, upload):
    app.config["VISA_REPORT_LIMIT"] = "2 per hour"
    login("admin@example.org")
    upload(listing.slug, plain())
    [photo] = _photos()
    logout()
    traveller = client
    url = f"/spaces/{listing.slug}/photos/{photo.id}/report"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', traveller.get(url).get_data(as_text=True))
    codes = [traveller.post(url, data={"message": "spam", "csrf_token": token.group(1)}).status_code
             for _ in range(3)]
    assert codes == [303, 303, 429]


def test_a_file_name_that_is_no_photo_is_not_found(client):
    for name in ("../secret_key", "a" * 64 + "-320.webp", "a" * 64 + "-320.gif", "x.jpg"):
        assert client.get(f"/photos/{name}").status_code == 404


def test_an_approved_photo_of_a_listing_taken_off_the_map_is_no_longer_public(client, login, logout, listing,
                                                                              upload):
    from visa.directory.models import SpaceStatus
    from visa.directory.services import set_status

    login("admin@example.org")
    upload(listing.slug, plain())
    [photo] = _photos()
    set_status(listing, SpaceStatus.SUSPENDED, None)
    db.session.commit()
    name = f"{photo.key}-320.jpg"
    assert client.get(f"/photos/{name}").headers["Cache-Control"] == "private, no-store"  # its admin still sees it
    logout()
    assert client.get(f"/photos/{name}").status_code == 404
    assert client.get(f"/spaces/{listing.slug}/photos/{photo.id}/report").status_code == 404
