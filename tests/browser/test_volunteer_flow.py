"""A volunteer on a 390 px phone takes a task, records what they found and hands it over; a validator accepts it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations, sign_in
from visa.accounts.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def phone(watch, live_server):
    """A 390 px phone, watched as the shared page fixture is (tests/browser/conftest.py, ``watch``)."""
    page = watch.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True,
                             has_touch=True).new_page()
    page.base_url = live_server
    return page


def _fits(page) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_a_volunteer_takes_records_and_hands_over_and_a_validator_accepts(app, phone, page, make_user, make_space,
                                                                          screenshot_dir, axe_source):
    from visa.extensions import db
    from visa.volunteers.models import Finding, FindingState, OpenState, SourceKind, TaskState, VolunteerTask
    from visa.volunteers.services import (
        FindingInput,
        approve_volunteer,
        open_task,
        record_finding,
        reject_finding,
        set_validator,
        take_task,
    )

    space = make_space("Casa do Largo", website="https://casa-do-largo.example", phone="+351 21 555 0101",
                       terms={"free_days_per_visit": 3})
    task = open_task(space.id, "no_email")
    ana = make_user("ana@example.org", role=Role.VOLUNTEER)
    vera = make_user("vera@example.org", role=Role.VOLUNTEER)
    for user in (ana, vera):
        approve_volunteer(user.id)
    set_validator(vera.id, True)
    db.session.commit()
    # An earlier finding was rejected: the next volunteer reads the comment before starting.
    earlier = make_user("earlier@example.org", role=Role.VOLUNTEER)
    approve_volunteer(earlier.id)
    take_task(task.id, earlier.id)
    first = record_finding(task.id, earlier.id, FindingInput(OpenState.UNKNOWN, {}, SourceKind.WEBSITE,
                                                             "https://casa-do-largo.example"))
    reject_finding(first.id, vera.id, "The website is parked: please phone them.")
    db.session.commit()

    # The volunteer, on a phone (whose clock the test moves, to see the time left count down).
    phone.clock.install()
    sign_in(phone, "ana@example.org", PASSWORD)
    phone.goto(phone.base_url + "/volunteer")
    item = phone.locator(f"#task-{task.id}")
    assert "The website is parked" in item.inner_text() and "No usable e-mail address" in item.inner_text()
    _fits(phone)
    item.get_by_role("link", name="Casa do Largo").click()
    assert phone.locator("#rejection").is_visible()  # before the Take button
    assert "The website is parked: please phone them." in phone.locator("#rejection").inner_text()
    assert "+351 21 555 0101" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Take this task").click()
    phone.get_by_text("This task is yours.").wait_for()
    assert re.search(r"(1 h 59|2 h 0) min left", phone.locator("#time-left").inner_text())
    phone.clock.run_for("31:00")
    assert re.search(r"1 h 2[89] min left", phone.locator("#time-left").inner_text())
    phone.get_by_role("button", name="Two more hours").click()
    phone.get_by_text("You have two more hours.").wait_for()
    _fits(phone)
    assert axe_violations(phone, axe_source) == []
    phone.screenshot(path=str(screenshot_dir / "volunteer-task-phone.png"), full_page=True)

    phone.get_by_label("Yes, it is open").check()
    phone.get_by_label("In a phone call").check()
    phone.get_by_label("Day of the call, visit or reading").fill("2026-12-01")
    phone.get_by_label("Note for the validator (who you spoke with, what the page says)").fill("Spoke with Rita.")
    phone.get_by_label("Takes part in the Coworking Visa").select_option("yes")
    phone.get_by_label("Free days per visit").fill("5")
    phone.get_by_role("button", name="Hand over to a validator").click()
    phone.get_by_text("Thank you: your finding waits for a validator.").wait_for()
    assert "Waiting for a validator" in phone.locator("#findings").inner_text()
    _fits(phone)

    # The validator, on a desktop.
    sign_in(page, "vera@example.org", PASSWORD)
    page.goto(page.base_url + "/volunteer/review")
    article = page.locator("article", has_text="Casa do Largo")
    assert "A phone call on" in article.inner_text() and "Spoke with Rita." in article.inner_text()
    assert "5" in article.locator("table").inner_text()
    assert axe_violations(page, axe_source) == []
    article.get_by_role("button", name="Accept: it goes live").click()
    page.get_by_text("Accepted: the finding about “Casa do Largo” is live.").wait_for()

    db.session.expire_all()
    done = db.session.get(VolunteerTask, task.id)
    assert done.state == TaskState.DONE and done.space.terms.free_days_per_visit == 5
    assert [f.state for f in db.session.query(Finding).order_by(Finding.id)] == [FindingState.REJECTED,
                                                                               FindingState.ACCEPTED]
    page.goto(page.base_url + f"/spaces/{space.slug}")
    assert "5" in page.locator("main").inner_text()


def test_the_volunteer_pages_pass_axe(page, make_user, make_space, axe_source):
    from visa.extensions import db
    from visa.volunteers.services import apply_as_volunteer, approve_volunteer, open_task, set_validator

    make_user("admin@example.org", role=Role.ADMIN)
    applicant = make_user("new@example.org")
    apply_as_volunteer(applicant.id)
    for email, validator in (("ana@example.org", False), ("vera@example.org", True)):
        user = make_user(email, role=Role.VOLUNTEER)
        approve_volunteer(user.id)
        set_validator(user.id, validator)
    task = open_task(make_space("Casa do Largo").id, "report", "They moved to the harbour.")
    db.session.commit()
    page.goto(page.base_url + "/volunteer")
    assert axe_violations(page, axe_source) == [], "/volunteer (a visitor)"
    sign_in(page, "admin@example.org", PASSWORD)
    for path in ("/admin/volunteers", "/volunteer", f"/volunteer/tasks/{task.id}", "/volunteer/review",
                 "/volunteer/history"):
        page.goto(page.base_url + path)
        assert axe_violations(page, axe_source) == [], path
