"""Every public page, every host page and every admin page, at 1280 px and at 390 px, as a person sees it.

Each page goes through the shared ``watch`` fixture (no 4xx or 5xx but the one asked for, no undrawn
image, no console error), passes axe-core, and leaves a screenshot in artifacts/screenshots/ named
after the page and the width (search-lisbon-1280.png, search-lisbon-map-390.png...).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import current_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import axe_violations
from visa.accounts.models import Role, SpaceHost
from visa.directory.models import SpaceStatus
from visa.directory.services import update_space
from visa.extensions import db
from visa.moderation.models import Report, ReportKind
from visa.passes import services as passes
from visa.photos.images import process
from visa.photos.services import add_photo
from visa.surveys import services as surveys
from visa.surveys.demo import made_up_answers
from visa.timeutil import utcnow

pytestmark = pytest.mark.browser

MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)
FRIDAY = MONDAY + timedelta(days=4)


@pytest.fixture
def app_config(app_config, tmp_path) -> dict:
    return {**app_config, "VISA_PASS_KEYS_DIR": str(tmp_path / "pass_keys")}


@pytest.fixture
def site(make_space, make_user):
    """A home space with a host and a pass, a listed space in each marker state, a pending one, a report."""
    now = utcnow()
    home = make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    space = make_space("Open House", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48},
                       address_line1="Rua Augusta 1", postcode="1100-048", email="hello@example.org")
    old = make_space("Old Terms Loft", lat=38.76, lon=-9.10)
    unknown = make_space("Quiet Corner", lat=38.69, lon=-9.20, terms={"is_participating": None})
    make_space("Closed Club", lat=38.74, lon=-9.22, terms={"is_participating": False})
    waiting = make_space("Waiting Desk", lat=38.70, lon=-9.15, status=SpaceStatus.PENDING)
    space.terms_confirmed_at = home.terms_confirmed_at = now - timedelta(days=20)
    old.terms_confirmed_at = now - timedelta(days=800)
    host = make_user("host@example.org")
    admin = make_user("admin@example.org", role=Role.ADMIN)
    db.session.add_all([SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True),
                        SpaceHost(space_id=home.id, user_id=host.id, is_confirmed=True),
                        SpaceHost(space_id=waiting.id, user_id=host.id, is_confirmed=True),
                        Report(space_id=unknown.id, kind=ReportKind.WRONG_LISTING, message="Closed on Mondays.")])
    update_space(space, {"phone": "+351 21 000 0000"}, admin.id, space.lock_version)
    db.session.commit()
    issued = passes.issue_pass(home.id, "Ana Sousa", "ana@example.org", date.today(),
                               date.today() + timedelta(days=180), host.id)
    # A photo shown on the space, and one of its host's waiting for an admin.
    store = current_app.extensions["visa.photo_store"]
    shown = add_photo(space, process(_picture((1600, 1000), (60, 130, 170))), "Desks by a tall window", "Mornings",
                      "en", admin.id, True, store)
    add_photo(space, process(_picture((1200, 1200), (190, 120, 60))), "The kitchen table at lunch", "", "en",
              host.id, False, store)
    wave, survey_link = surveys.open_wave(space.id, date.today())
    for answer in made_up_answers(6):
        surveys.answer(wave, answer, "", date.today())
    db.session.commit()  # services flush; the live server's requests read committed rows (and SQLite's lock is free)
    return {"home": home, "space": space, "waiting": waiting, "pass_secret": issued.secret, "photo": shown,
            "survey_link": survey_link, "wave_id": wave.id}


def _picture(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 3, size[0] * 3 // 4, size[1] * 2 // 3), fill=(240, 235, 220))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def traveller_pages(site) -> list[tuple[str, str]]:
    slug = site["space"].slug
    return [
        ("home", "/"),
        ("search-lisbon", "/?q=Lisbon&radius_km=10"),
        ("search-lisbon-dates", f"/?q=Lisbon&radius_km=50&date_from={MONDAY}&date_to={FRIDAY}"),
        ("search-nothing-near", "/?q=Reykjavik"),
        ("space", f"/spaces/{slug}"),
        ("photo-report", f"/spaces/{slug}/photos/{site['photo'].id}/report"),
        ("reach", f"/spaces/{slug}/reach"),
        ("space-impact", f"/spaces/{slug}/impact"),
        ("space-impact-print", f"/spaces/{slug}/impact/print"),
        ("trip", f"/trip?stops-0-place=Lisbon&stops-0-start={MONDAY}&stops-0-end={FRIDAY}"),
        ("impact", "/impact"),
        ("about", "/about"),
        ("home-space", "/home?q=open"),
        ("pass-card", f"/pass/{site['pass_secret']}"),
        ("login", "/login"),
        ("signup", "/signup"),
        ("reset", "/reset"),
        ("volunteer-join", "/volunteer"),
        ("embed-builder", "/embed?country=PT&participating=y"),
        ("embed-map", "/embed/map?near=38.7101,-9.1367&radius_km=10"),
        ("survey-answer", f"/survey/open/{site['survey_link']}"),
        ("not-found", "/no/such/page"),
    ]


def host_pages(site) -> list[tuple[str, str]]:
    slug = site["space"].slug
    return [
        ("host-dashboard", "/host"),
        ("host-passes", "/host/passes"),
        ("host-visits", "/host/visits"),
        ("host-new-space", "/host/spaces/new"),
        ("host-edit-space", f"/spaces/{slug}/edit"),
        ("host-edit-terms", f"/spaces/{slug}/terms"),
        ("host-photos", f"/spaces/{slug}/photos"),
        ("host-preview", f"/host/spaces/{site['waiting'].slug}/preview"),
        ("host-badge", f"/host/spaces/{slug}/badge"),
        ("host-survey", f"/spaces/{slug}/survey"),
        ("host-survey-report", f"/spaces/{slug}/survey/{site['wave_id']}"),
        ("host-survey-print", f"/spaces/{slug}/survey/{site['wave_id']}/print"),
        ("door", "/door"),  # last: a page with the header's sign-out button
    ]


def admin_pages(site) -> list[tuple[str, str]]:
    return [
        ("admin-queue", "/admin/"),
        ("admin-overview", "/admin/overview"),
        ("admin-revisions", "/admin/revisions"),
        ("admin-timeline", f"/admin/spaces/{site['space'].id}"),
        ("admin-stale", "/admin/stale"),
        ("admin-import", "/admin/import"),
        ("admin-merge", "/admin/merge"),
        ("admin-host-flags", "/admin/host-flags"),
        ("admin-volunteers", "/admin/volunteers"),
        ("volunteer-queue", "/volunteer"),
        ("volunteer-review", "/volunteer/review"),
        ("volunteer-history", "/volunteer/history"),
    ]


#: Pages whose map has markers to wait for (the new listing's map has no pin until an address is typed).
WITH_MARKERS = {"search-lisbon", "search-lisbon-dates", "search-lisbon-all", "space", "reach", "host-edit-space",
                "host-preview", "admin-queue", "embed-map"}


def _sign_in(page, email: str) -> None:
    page.goto(page.base_url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/host")


@pytest.mark.expect_status(404)  # /no/such/page
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_passes_axe_and_draws_everything(watch, live_server, site, axe_source, screenshot_dir, width):
    page = watch.new_context(viewport={"width": width, "height": 860}, locale="en-GB",
                             is_mobile=width < 500, has_touch=width < 500).new_page()
    page.base_url = live_server
    found: dict[str, list] = {}

    def visit(name: str, path: str) -> None:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        if name in WITH_MARKERS and page.locator(".leaflet-container:visible").count():
            _markers_drawn(page, name)
        look(name)

    def look(name: str) -> None:
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations
        watch.check_images(page)
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)

    # With the home space set, so the verdicts are on the pages.
    page.goto(live_server + "/")
    page.locator("#home-input").fill(site["home"].slug)
    page.locator(".home-form button[type=submit]").click()
    page.wait_for_load_state()
    for name, path in traveller_pages(site):
        visit(name, path)
        if width < 500 and name == "search-lisbon":  # the phone's map, one button away
            page.get_by_role("button", name="Show the map").click()
            _markers_drawn(page, name)
            look("search-lisbon-map")
    visit("search-lisbon-all", "/?q=Lisbon&radius_km=50&all=1")

    _sign_in(page, "host@example.org")
    for name, path in host_pages(site):
        visit(name, path)
    page.locator("header form button").click()  # sign out
    page.wait_for_load_state()

    _sign_in(page, "admin@example.org")
    for name, path in admin_pages(site):
        visit(name, path)
    page.goto(live_server + "/admin/revisions")
    page.get_by_role("link", name="Revert this change…").first.click()
    page.wait_for_load_state("networkidle")
    look("admin-revert")
    assert found == {}, "\n".join(f"{name}: {v}" for name, v in found.items())


def _markers_drawn(page, name: str) -> None:
    """The map's markers are in view and drawn (each space's symbol has a size), a cluster counts as drawn."""
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    # Waited for, not read once: the first markers are regrouped when the marker groups' script arrives, and a
    # marker being moved has no size for a moment; a broken symbol never gets one.
    try:
        page.wait_for_function("""() => Array.from(document.querySelectorAll('.space-marker svg use'))
            .every(u => u.getBBox().width > 0)""", timeout=10_000)
    except PlaywrightTimeout:
        raise AssertionError(f"{name}: a marker's symbol has no size") from None
