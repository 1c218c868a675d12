"""A member with a pass asks a space for a day, its host accepts on the dashboard and checks the member in at
the door by the pass; screenshots of the pass card and the door check."""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from tests.browser.conftest import axe_violations, sign_in
from visa.accounts.models import SpaceHost
from visa.extensions import db
from visa.passes import services, visits
from visa.passes.models import Pass, RequestStatus, Visit, VisitRequest

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, tmp_path) -> dict:
    return {**app_config, "VISA_PASS_KEYS_DIR": str(tmp_path / "pass_keys")}


@pytest.fixture
def host_page(watch):
    """A second browser, the host's, watched like ``page``."""
    return watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB").new_page()


@pytest.fixture
def spaces(make_space, make_user):
    """Lisbon Hub (home, its host home@) and Berlin Loft (host, its host berlin@), each with a confirmed host."""
    home = make_space("Lisbon Hub")
    host_space = make_space("Berlin Loft", lat=52.52, lon=13.405, country="DE", city="Berlin",
                            terms={"capacity_per_day": 4, "weekdays": 127, "advance_notice_hours": 0})
    home_user, host_user = make_user("home@example.org"), make_user("berlin@example.org")
    db.session.add_all([SpaceHost(space_id=home.id, user_id=home_user.id, is_confirmed=True),
                        SpaceHost(space_id=host_space.id, user_id=host_user.id, is_confirmed=True)])
    db.session.commit()
    return home, host_space, home_user


def _issue(spaces) -> Pass:
    home, _host, home_user = spaces
    issued = services.issue_pass(home.id, "Ana Sousa", "ana@example.org", date.today(),
                                 date.today() + timedelta(days=180), home_user.id)
    db.session.commit()  # services flush: the live server's sessions see what is committed
    return db.session.get(Pass, issued.pass_id)


def _sign_in_host(host_page, base: str) -> None:
    sign_in(host_page, "berlin@example.org", "correct horse battery", base)


def test_request_accept_and_check_in(app, page, host_page, spaces, mails, screenshot_dir, axe_source):
    today = date.today()
    home, host_space, _ = spaces
    token = _issue(spaces).token
    base = page.base_url

    # The member opens the link of the mail: the card, with its QR code.
    [message] = [m for m in mails() if m["To"] == "ana@example.org"]
    link = re.search(r"https?://\S+/pass/\S+", message.get_body(preferencelist=("plain",)).get_content()).group(0)
    page.goto(base + urlparse(link).path)
    page.locator("#pass-card").wait_for()
    assert page.locator("#pass-name").inner_text() == "Ana Sousa"
    assert page.locator(".pass-card-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    page.locator("#pass-card").screenshot(path=str(screenshot_dir / "pass-card.png"))
    assert axe_violations(page, axe_source) == []

    # ... and asks Berlin Loft for today.
    page.goto(f"{base}/spaces/{host_space.slug}")
    assert axe_violations(page, axe_source) == []
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill(today.isoformat())
    page.get_by_label("Message to the host").fill("Two calls and a coffee")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone, where the form is far down the page
    page.get_by_role("button", name="Ask for these days").click()
    sent = page.locator("#visit-sent")
    sent.get_by_text("Your request is sent to \u2068Berlin Loft\u2069").wait_for()  # names isolated (FSI ... PDI)
    # In view where the page opens, in place of the form.
    assert sent.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert page.locator("#visit-form").count() == 0
    page.screenshot(path=str(screenshot_dir / "visit-request-sent-390.png"))
    page.set_viewport_size({"width": 1280, "height": 860})

    # The host signs in: the request is on the dashboard with the verdict and the day's bookings.
    _sign_in_host(host_page, base)
    item = host_page.locator(".visit-requests li", has_text="Ana Sousa")
    assert axe_violations(host_page, axe_source) == []
    assert "Your terms honor this member." in item.inner_text() and "0 / 4" in item.inner_text()
    item.get_by_role("button", name="Accept").click()
    host_page.get_by_text("Accepted: \u2068Ana Sousa\u2069 is told.").wait_for()

    # At the door: the pass pasted (as a camera would read it) is checked, and the visitor checked in.
    host_page.goto(base + "/door")
    host_page.get_by_label("Or paste the pass").fill(token)
    host_page.get_by_role("button", name="Check", exact=True).click()
    line = host_page.locator("#door-line.ok")
    line.wait_for()
    host_page.locator("#door-checkin button").wait_for()
    assert line.inner_text().startswith("Valid pass: \u2068Ana Sousa\u2069, member of \u2068Lisbon Hub\u2069")
    assert host_page.locator("#door-verdict").inner_text().startswith("Honors your membership")
    host_page.screenshot(path=str(screenshot_dir / "door-check.png"), full_page=True)
    assert axe_violations(host_page, axe_source) == []
    host_page.get_by_role("button", name="Check in this visitor").click()
    host_page.get_by_text("Checked in: the visit is recorded.").wait_for()

    db.session.expire_all()
    request = db.session.scalars(sa.select(VisitRequest)).one()
    visit = db.session.scalars(sa.select(Visit)).one()
    assert request.status == RequestStatus.CHECKED_IN
    assert (visit.visit_date, visit.host_space_id, visit.home_space_id) == (today, host_space.id, home.id)

    # The member sees it on the card.
    page.goto(base + urlparse(link).path)
    assert page.locator("#my-requests .request-status").inner_text() == "checked in"
    assert not [u for u in page.requested_urls if not u.startswith(base) and not u.startswith("data:")]


@pytest.mark.expect_status(400)  # the visit request refused: the form again, with its reason
def test_member_cancels_a_request_and_sees_a_refusal_next_to_the_dates(page, host_page, spaces, mails, axe_source):
    _home, host_space, _ = spaces
    p = _issue(spaces)
    day = date.today() + timedelta(days=2)
    visits.request_visit(p.id, host_space.id, day, day, "", date.today())
    db.session.commit()
    base = page.base_url
    [message] = [m for m in mails() if m["To"] == "ana@example.org"]
    link = re.search(r"https?://\S+/pass/\S+", message.get_body(preferencelist=("plain",)).get_content()).group(0)

    page.goto(base + urlparse(link).path)
    row = page.locator("#my-requests tbody tr", has_text="Berlin Loft")
    assert row.locator(".request-status").inner_text() == "waiting for an answer"
    row.get_by_role("button", name="Cancel this request").click()
    page.get_by_text("Your request to \u2068Berlin Loft\u2069 is cancelled, and its hosts are told.").wait_for()
    assert row.locator(".request-status").inner_text() == "cancelled"
    assert page.locator("#my-requests button").count() == 0
    assert axe_violations(page, axe_source) == []

    # The host is told by mail, and the dashboard no longer lists the request.
    told = [m for m in mails() if m["To"] == "berlin@example.org" and m["Subject"].startswith("Visit cancelled")]
    assert len(told) == 1
    _sign_in_host(host_page, base)
    host_page.locator("#visit-requests").wait_for()
    assert host_page.locator(".visit-requests li", has_text="Ana Sousa").count() == 0

    # Days the pass does not cover: the form again, the reason next to the first day, what was typed kept.
    page.goto(f"{base}/spaces/{host_space.slug}")
    late = (p.valid_to + timedelta(days=1)).isoformat()
    page.get_by_label("First day").fill(late)
    page.get_by_label("Last day").fill(late)
    page.get_by_label("Message to the host").fill("Back in spring")
    page.get_by_role("button", name="Ask for these days").click()
    page.locator("#first_day-error", has_text="Your pass does not cover these days.").wait_for()
    assert page.get_by_label("Message to the host").input_value() == "Back in spring"
    assert axe_violations(page, axe_source) == []


@pytest.mark.expect_console(r"net::ERR_FAILED \(\S+/door/check\)")  # the app made unreachable on purpose
def test_door_check_verifies_in_the_browser_when_the_app_is_unreachable(page, host_page, spaces, mails):
    p = _issue(spaces)
    base = page.base_url
    # The QR code of the member's card, decoded by the jsQR the app serves (the camera path without BarcodeDetector).
    [message] = [m for m in mails() if m["To"] == "ana@example.org"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    page.goto(base + urlparse(re.search(r"https?://\S+/pass/\S+", text).group(0)).path)
    qr = page.locator(".pass-card-qr").get_attribute("src")
    _sign_in_host(host_page, base)
    host_page.goto(base + "/door")
    decoded = host_page.evaluate("""async (src) => {
        const img = new Image(); img.src = src; await img.decode();
        const canvas = document.createElement("canvas"); canvas.width = 480; canvas.height = 480;
        const ctx = canvas.getContext("2d"); ctx.imageSmoothingEnabled = false; ctx.drawImage(img, 0, 0, 480, 480);
        const data = ctx.getImageData(0, 0, 480, 480);
        const code = window.jsQR(data.data, 480, 480); return code && code.data; }""", qr)
    assert decoded == p.token
    # The app cannot be reached: the page still checks the signature and the dates with WebCrypto Ed25519.
    host_page.route("**/door/check", lambda route: route.abort())
    host_page.get_by_label("Or paste the pass").fill(p.token)
    host_page.get_by_role("button", name="Check", exact=True).click()
    host_page.locator("#door-note", has_text="The app cannot be reached").wait_for()
    assert host_page.locator("#door-line.ok").inner_text().startswith(
        "Valid pass: \u2068Ana Sousa\u2069, member of \u2068Lisbon Hub\u2069")
    header, payload, signature = p.token.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).replace(b"Ana Sousa", b"Eve Sousa")
    forged = ".".join([header, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])
    host_page.get_by_label("Or paste the pass").fill(forged)
    host_page.get_by_role("button", name="Check", exact=True).click()
    host_page.locator("#door-line.refused", has_text="signature does not match").wait_for()


def _qr_video(text: str, path) -> None:
    """A still video (YUV4MPEG2, which Chromium's fake camera plays) of *text*'s QR code, black on white."""
    import numpy as np
    import segno

    qr = segno.make(text, error="m")
    size = 640
    modules = np.array([[0 if dark else 255 for dark in row] for row in qr.matrix], dtype=np.uint8)
    modules = np.pad(modules, 4, constant_values=255)
    scale = size // modules.shape[0]
    luma = np.full((size, size), 255, dtype=np.uint8)
    block = np.kron(modules, np.ones((scale, scale), dtype=np.uint8))
    offset = (size - block.shape[0]) // 2
    luma[offset:offset + block.shape[0], offset:offset + block.shape[1]] = block
    chroma = np.full((size // 2, size // 2), 128, dtype=np.uint8).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma.tobytes() + chroma + chroma)


def test_door_check_reads_the_pass_from_the_camera(live_server, spaces, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, Watcher, _require_chromium

    _require_chromium()
    p = _issue(spaces)
    video = tmp_path / "qr.y4m"
    _qr_video(p.token, video)
    flags = [*CHROMIUM_FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
             f"--use-file-for-fake-video-capture={video}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        try:
            # A browser of its own (the camera's flags are set at launch), watched as the shared fixture watches.
            watch = Watcher(live_server)
            context = watch.watch_context(browser.new_context(locale="en-GB"))
            context.grant_permissions(["camera"], origin=live_server)
            host = context.new_page()
            _sign_in_host(host, live_server)
            host.goto(live_server + "/door")
            host.get_by_role("button", name="Scan with the camera").click()
            host.locator("#door-line.ok").wait_for(timeout=20_000)
            assert host.locator("#door-token").input_value() == p.token
            assert host.locator("#door-line").inner_text().startswith("Valid pass: \u2068Ana Sousa\u2069")
            assert watch.finish() == []
        finally:
            browser.close()


def test_the_pass_and_its_qr_code_fit_a_360_px_phone(watch, live_server, spaces, screenshot_dir):
    """The QR code is what the door reads: on a small phone it must be whole on the screen, finder squares included."""
    home, _host, home_user = spaces
    issued = services.issue_pass(home.id, "Ana Sousa", "ana@example.org", date.today(),
                                 date.today() + timedelta(days=180), home_user.id)
    db.session.commit()
    phone = watch.new_context(viewport={"width": 360, "height": 740}, locale="en-GB").new_page()
    phone.goto(f"{live_server}/pass/{issued.secret}")
    qr = phone.locator(".pass-card-qr").bounding_box()
    card = phone.locator(".pass-card").bounding_box()
    assert qr["x"] >= 0 and qr["x"] + qr["width"] <= 360 and qr["width"] >= 200
    assert card["x"] >= 0 and card["x"] + card["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screenshot_dir / "pass-card-360.png"), full_page=True)
