"""A host from sign-up to an approved listing, and an admin through the queue, a report and a revert:
every page they see speaks in words (no column name, ``None``, enum code or microsecond timestamp)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in, sign_up
from visa.accounts.models import Role
from visa.directory import terms_schema
from visa.directory.models import SpaceStatus
from visa.directory.revisions import SPACE_FIELDS
from visa.moderation.models import ReportKind

pytestmark = pytest.mark.browser

#: Texts a page must never show as a whole element: column names and enum codes.
CODES = ({*SPACE_FIELDS, *terms_schema.FIELD_NAMES, *(s.value for s in SpaceStatus), *(k.value for k in ReportKind),
          "web", "confirm", "moderation", "revert", "None"})
RAW = [
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\bterms\.[a-z_]+"), "a revision key"),
    (re.compile(r"\b[a-z]+_[a-z0-9_]+\b"), "a column name or enum code"),
    (re.compile(r"\d{2}:\d{2}:\d{2}"), "a timestamp with seconds"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d"), "an ISO timestamp"),
    (re.compile(r"\{'|': "), "Python dict text"),
]


def assert_human(page) -> None:
    """The page's main content has only words for people."""
    text = page.locator("main").inner_text()
    for pattern, what in RAW:
        found = pattern.search(text)
        assert found is None, f"{what} on {page.url}: {found.group(0)!r}"
    shown = page.locator("main").evaluate(
        "main => [...main.querySelectorAll('*')].filter(e => !e.children.length).map(e => e.textContent.trim())")
    codes = sorted(CODES & set(shown))
    assert codes == [], f"codes shown on {page.url}: {codes}"



def test_host_and_admin_see_only_words(app, page, make_user, make_space, mails, screenshot_dir):
    from visa.extensions import db
    from visa.moderation.models import Report

    make_user("admin@example.org", role=Role.ADMIN, password="admin password 1")
    reported = make_space("Cedar Commons", lat=38.7167, lon=-9.1333)
    db.session.add(Report(space_id=reported.id, kind=ReportKind.WRONG_LISTING, message="Closed since March."))
    db.session.add(Report(space_id=reported.id, kind=ReportKind.NOT_HONORED, message="Turned me away at the door."))
    db.session.commit()
    base = page.base_url

    # The host: the password rule is there before typing.
    page.goto(base + "/signup")
    assert page.get_by_text("At least 10 characters").is_visible()
    assert page.get_by_label("Password", exact=True).get_attribute("aria-describedby") == "password-rule"
    message = sign_up(page, mails, "ana@example.org", "a long enough pw")
    assert message.get_body(preferencelist=("html",)) is not None

    page.locator("#new-space").click()
    page.get_by_label("Name of the space").fill("Tagus Riverside Desk")
    page.get_by_label("Street and number").fill("Rua Augusta 12")
    page.locator("#country_code").select_option("PT")
    page.get_by_label("City").fill("Lisboa")
    page.get_by_label("E-mail for visitors").fill("desk@tagus.example")
    page.get_by_text("Found: Lisbon, Portugal").wait_for()
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url("**/terms")
    # The request contact starts as the listing's own e-mail.
    assert page.get_by_label("Contact for requests").input_value() == "desk@tagus.example"
    page.get_by_role("button", name="Save and confirm these terms").click()
    page.wait_for_url("**/host")
    row = page.locator("#listing-tagus-riverside-desk-lisboa")
    assert "Waiting for a network admin" in row.inner_text() and "usually within a week" in row.inner_text()
    assert_human(page)
    page.screenshot(path=str(screenshot_dir / "host-dashboard.png"), full_page=True)
    row.get_by_role("link", name="Preview as travellers will see it").click()
    assert page.locator("h1").inner_text() == "Tagus Riverside Desk"
    assert page.locator("#preview-note").is_visible()
    assert page.get_by_role("button", name="I run this space: claim the listing").count() == 0
    page.get_by_role("button", name="Sign out").click()

    # The admin: the overview, then the queue with reports first.
    sign_in(page, "admin@example.org", "admin password 1")
    page.goto(base + "/admin/overview")
    assert_human(page)
    page.screenshot(path=str(screenshot_dir / "admin-overview.png"), full_page=True)
    page.goto(base + "/admin/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("Open reports") and headings[1].startswith("Listings waiting")
    first = page.locator(".report-item").first
    assert "The listing is wrong" in first.inner_text() and "Closed since March." in first.inner_text()
    assert "1 other report about this listing" in first.inner_text()
    item = page.locator(".pending-item", has_text="Tagus Riverside Desk")
    assert "ana@example.org" in item.inner_text() and "3 free days" not in item.inner_text()
    assert item.locator(".leaflet-marker-icon").count() == 1
    assert re.search(r"The pin is [\d.,]+ (k?m|mi) from Lisbon", item.inner_text())  # the gazetteer's word, not the typed one
    assert_human(page)
    page.screenshot(path=str(screenshot_dir / "admin-queue.png"), full_page=True)
    item.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved “\u2068Tagus Riverside Desk\u2069”").wait_for()
    approval = mails()[-1]
    assert approval["To"] == "ana@example.org" and approval.get_body(preferencelist=("html",)) is not None
    report = page.locator(".report-item").first
    report.get_by_label("How it was resolved").fill("Host confirmed the new address.")
    report.get_by_role("button", name="Resolve").click()
    page.wait_for_url("**/admin/")
    assert page.locator(".report-item").count() == 1
    page.get_by_role("button", name="Sign out").click()

    # The host again: the listing is listed; confirm the terms, then edit the name.
    sign_in(page, "ana@example.org", "a long enough pw")
    row = page.locator("#listing-tagus-riverside-desk-lisboa")
    assert "Listed on the map" in row.inner_text()
    row.get_by_role("button", name="Terms still accurate").click()
    page.get_by_text("are confirmed as of today").wait_for()
    page.locator("#listing-tagus-riverside-desk-lisboa").get_by_role("link", name="Edit details").click()
    page.get_by_label("Name of the space").fill("Tagus Riverside Desks")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/host")
    page.goto(base + "/spaces/tagus-riverside-desk-lisboa")
    assert page.get_by_role("button", name="I run this space: claim the listing").count() == 0
    assert page.get_by_role("link", name="Edit your listing").is_visible()
    page.get_by_role("button", name="Sign out").click()

    # The admin: the revision feed in words, then a revert that asks first.
    sign_in(page, "admin@example.org", "admin password 1")
    page.goto(base + "/admin/revisions?person=ana@example.org")
    feed = page.locator("main").inner_text()
    assert "Terms confirmed as still accurate" in feed and "Name of the space" in feed
    assert "Approved" in page.goto(base + "/admin/revisions?kind=moderated").text()
    page.goto(base + "/admin/revisions?person=ana@example.org")
    assert_human(page)
    page.screenshot(path=str(screenshot_dir / "admin-revisions.png"), full_page=True)
    edit = page.locator("article.revision", has_text="Tagus Riverside Desks").first
    edit.get_by_role("link", name="Revert this change…").click()
    assert "Tagus Riverside Desks" in page.locator("table").inner_text()
    assert_human(page)
    page.get_by_role("button", name="Revert").click()
    page.get_by_text("is back as it was before that change").wait_for()
    assert_human(page)  # the listing's timeline
    page.screenshot(path=str(screenshot_dir / "admin-timeline.png"), full_page=True)
    assert "Terms confirmed as still accurate" in page.locator("main").inner_text()
    db.session.expire_all()
    from visa.directory.models import Space
    assert db.session.query(Space).filter_by(slug="tagus-riverside-desk-lisboa").one().name == "Tagus Riverside Desk"
