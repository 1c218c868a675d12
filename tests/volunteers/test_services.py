"""The volunteers' queue services, called with an app context and no request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.extensions import db
from visa.volunteers.models import (
    FindingState,
    OpenState,
    SourceKind,
    TaskEventKind,
    TaskReason,
    TaskState,
    VolunteerTask,
)
from visa.volunteers.services import (
    LOCK_FOR,
    MAX_HELD,
    FindingInput,
    VolunteerError,
    accept_finding,
    active_task,
    apply_as_volunteer,
    approve_volunteer,
    cancel_task,
    extend_task,
    findings_to_review,
    history_of,
    lock_holder,
    open_task,
    queue,
    record_finding,
    refresh_queue,
    reject_finding,
    set_validator,
    settle_expired,
    take_task,
    time_left,
    volunteers,
)


def test_open_task_is_idempotent_while_the_task_is_open(make_space):
    space = make_space()
    first = open_task(space.id, "no_email")
    again = open_task(space.id, "no_email", "campaign spring")
    other_reason = open_task(space.id, "mail_refused", "550 no such user")
    db.session.commit()

    assert first.id == again.id == other_reason.id
    assert db.session.query(VolunteerTask).count() == 1
    assert first.reason == TaskReason.NO_EMAIL and first.state == TaskState.OPEN
    assert [(e.kind, e.note) for e in first.events] == [
        (TaskEventKind.OPENED, "no_email"), (TaskEventKind.REASON_ADDED, "mail_refused: 550 no such user")]


def test_a_closed_task_lets_a_new_one_open(make_space):
    space = make_space()
    first = open_task(space.id, "stale")
    first.state = TaskState.DONE
    db.session.flush()
    second = open_task(space.id, "report", "the address moved")
    db.session.commit()
    assert second.id != first.id and second.detail == "the address moved"


def test_the_database_refuses_a_second_active_task(make_space):
    """The partial unique index holds even for a writer that does not go through open_task."""
    space = make_space()
    open_task(space.id, "stale")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.add(VolunteerTask(space_id=space.id, reason=TaskReason.REPORT))
        db.session.flush()
    db.session.rollback()


def test_cancel_task_takes_an_open_task_out_of_the_queue_but_leaves_a_finding_to_its_validator(make_space, volunteer):
    ana = volunteer("ana@example.org")
    answered, in_review = make_space("Answered"), make_space("In review")
    task = open_task(answered.id, "no_answer")
    take_task(task.id, ana.id, NOON)
    reviewed = open_task(in_review.id, "stale")
    take_task(reviewed.id, ana.id, NOON)
    record_finding(reviewed.id, ana.id, FindingInput(OpenState.UNKNOWN, {}, SourceKind.PHONE), NOON)
    assert cancel_task(answered.id, "the contact answered", NOON) is task
    assert cancel_task(in_review.id, now=NOON) is None
    db.session.commit()
    assert task.state == TaskState.CANCELLED and lock_holder(task, NOON) is None
    assert task.events[-1].kind == TaskEventKind.CANCELLED and queue(NOON) == []
    assert reviewed.state == TaskState.REVIEW
    assert open_task(answered.id, "stale").id != task.id  # the listing may come back later


def test_open_task_refuses_an_unknown_reason(make_space):
    with pytest.raises(ValueError):
        open_task(make_space().id, "bored")


# --- The lock, its expiry and its extension ---------------------------------------------------------------------

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def task(make_space):
    space = make_space("Casa Coworking", website="https://casa.example")
    made = open_task(space.id, "no_email")
    db.session.commit()
    return made


def test_taking_a_task_locks_it_for_two_hours_and_others_see_it_taken(task, volunteer):
    ana, bruno = volunteer("ana@example.org"), volunteer("bruno@example.org")
    take_task(task.id, ana.id, NOON)
    db.session.commit()
    assert lock_holder(task, NOON + timedelta(minutes=119)) == ana.id
    assert time_left(task, NOON + timedelta(minutes=30)) == timedelta(minutes=90)
    with pytest.raises(VolunteerError) as refused:
        take_task(task.id, bruno.id, NOON + timedelta(minutes=119))
    assert refused.value.code == "volunteer.task_taken"
    assert [item.holder_id for item in queue(NOON + timedelta(hours=1))] == [ana.id]


def test_an_expired_lock_frees_the_task_and_the_history_says_when_it_ran_out(task, volunteer):
    ana, bruno = volunteer("ana@example.org"), volunteer("bruno@example.org")
    take_task(task.id, ana.id, NOON)
    db.session.commit()
    later = NOON + timedelta(hours=2, minutes=1)
    assert lock_holder(task, later) is None and time_left(task, later) == timedelta(0)
    assert queue(later)[0].holder_id is None  # free to every reader before anything is written

    assert settle_expired(later) == 1  # what the queue page does before it reads
    db.session.commit()
    expired = [e for e in task.events if e.kind == TaskEventKind.EXPIRED]
    assert len(expired) == 1 and expired[0].user_id == ana.id
    assert expired[0].at.replace(tzinfo=UTC) == NOON + LOCK_FOR  # dated when the lock ran out, not when seen
    take_task(task.id, bruno.id, later)
    assert lock_holder(task, later) == bruno.id


def test_taking_a_task_whose_lock_ran_out_writes_the_expiry_first(task, volunteer):
    ana, bruno = volunteer("ana@example.org"), volunteer("bruno@example.org")
    take_task(task.id, ana.id, NOON)
    take_task(task.id, bruno.id, NOON + timedelta(hours=3))
    db.session.commit()
    assert [e.kind for e in task.events] == [TaskEventKind.OPENED, TaskEventKind.TAKEN, TaskEventKind.EXPIRED,
                                             TaskEventKind.TAKEN]


def test_extending_renews_two_hours_from_now_and_only_before_it_runs_out(task, volunteer):
    ana, bruno = volunteer("ana@example.org"), volunteer("bruno@example.org")
    take_task(task.id, ana.id, NOON)
    with pytest.raises(VolunteerError) as not_holder:
        extend_task(task.id, bruno.id, NOON + timedelta(minutes=90))
    assert not_holder.value.code == "volunteer.not_holder"
    extend_task(task.id, ana.id, NOON + timedelta(minutes=90))
    db.session.commit()
    assert lock_holder(task, NOON + timedelta(minutes=209)) == ana.id
    assert lock_holder(task, NOON + timedelta(minutes=211)) is None
    with pytest.raises(VolunteerError) as ran_out:
        extend_task(task.id, ana.id, NOON + timedelta(minutes=211))
    assert ran_out.value.code == "volunteer.lock_expired"
    assert task.events[-1].kind == TaskEventKind.EXPIRED


def test_a_volunteer_holds_a_few_tasks_at_most(make_space, volunteer):
    ana = volunteer("ana@example.org")
    tasks = [open_task(make_space().id, "stale") for _ in range(MAX_HELD + 1)]
    for held in tasks[:MAX_HELD]:
        take_task(held.id, ana.id, NOON)
    with pytest.raises(VolunteerError) as refused:
        take_task(tasks[-1].id, ana.id, NOON)
    assert refused.value.code == "volunteer.too_many"


# --- Findings and their validation ------------------------------------------------------------------------------


def _found(**terms) -> FindingInput:
    return FindingInput(open_state=OpenState.OPEN, terms={"is_participating": True, "free_days_per_visit": 5, **terms},
                        source_kind=SourceKind.PHONE, checked_on=date(2026, 12, 7), note="Spoke with Rita")


def test_a_finding_validated_by_the_volunteer_who_recorded_it_is_refused(task, volunteer):
    ana = volunteer("ana@example.org", validator=True)
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, _found(), NOON)
    db.session.commit()
    for decide in (lambda: accept_finding(finding.id, ana.id), lambda: reject_finding(finding.id, ana.id, "no")):
        with pytest.raises(VolunteerError) as refused:
            decide()
        assert refused.value.code == "volunteer.own_finding"
    assert finding.state == FindingState.PENDING and task.space.terms.free_days_per_visit == 3
    assert findings_to_review(ana.id) == []


def test_a_validated_finding_goes_live_as_the_volunteers_revision(task, volunteer):
    ana, vera = volunteer("ana@example.org"), volunteer("vera@example.org", validator=True)
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, _found(), NOON)
    db.session.commit()
    assert task.state == TaskState.REVIEW and lock_holder(task, NOON) is None
    assert findings_to_review(vera.id) == [finding]

    revision = accept_finding(finding.id, vera.id, NOON + timedelta(hours=1))
    db.session.commit()
    space = db.session.get(Space, task.space_id)
    assert space.terms.free_days_per_visit == 5 and space.terms_confirmed_at is not None
    # The listing's provenance: verified by a volunteer, from the finding's source (visa.directory.presenters).
    assert (space.terms_confirmed_by, space.terms_confirmed_via) == ("volunteer", "phone call on 2026-12-07")
    assert revision.user_id == ana.id and revision.source == "volunteer"
    assert revision.note == "Verified by a volunteer: phone call on 2026-12-07\nSpoke with Rita"
    assert revision.changes["terms.free_days_per_visit"] == [3, 5]
    assert finding.state == FindingState.ACCEPTED and finding.reviewed_by_id == vera.id
    assert finding.revision_id == revision.id
    assert task.state == TaskState.DONE and active_task(space.id) is None
    assert history_of(ana.id) == [finding]


def test_a_rejected_finding_goes_back_to_the_queue_with_the_comment(task, volunteer):
    ana, vera = volunteer("ana@example.org"), volunteer("vera@example.org", validator=True)
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, _found(), NOON)
    with pytest.raises(VolunteerError):
        reject_finding(finding.id, vera.id, "  ")
    reject_finding(finding.id, vera.id, "The website is a parked domain: call them.")
    db.session.commit()
    (item,) = queue(NOON)
    assert item.task.id == task.id and item.task.state == TaskState.OPEN
    assert item.rejection.review_comment == "The website is a parked domain: call them."
    assert task.space.terms.free_days_per_visit == 3  # nothing went live


def test_a_finding_over_a_listing_changed_since_is_refused(task, volunteer):
    from visa.directory.services import update_space

    ana, vera = volunteer("ana@example.org"), volunteer("vera@example.org", validator=True)
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, _found(), NOON)
    update_space(task.space, {"phone": "+351 21 000 0000"}, None, task.space.lock_version)
    db.session.commit()
    with pytest.raises(VolunteerError) as refused:
        accept_finding(finding.id, vera.id)
    assert refused.value.code == "volunteer.listing_changed"


def test_a_closed_space_found_by_a_volunteer_leaves_the_listings(task, volunteer):
    ana, vera = volunteer("ana@example.org"), volunteer("vera@example.org", validator=True)
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, FindingInput(OpenState.CLOSED, {}, SourceKind.WEBSITE,
                                                           "https://casa.example/closing"), NOON)
    revision = accept_finding(finding.id, vera.id)
    db.session.commit()
    assert task.space.status == SpaceStatus.CLOSED and revision.changes["status"] == ["approved", "closed"]
    assert revision.note == "Verified by a volunteer: https://casa.example/closing"


def test_only_the_holder_records_a_finding(task, volunteer):
    ana, bruno = volunteer("ana@example.org"), volunteer("bruno@example.org")
    take_task(task.id, ana.id, NOON)
    with pytest.raises(VolunteerError):
        record_finding(task.id, bruno.id, _found(), NOON)
    with pytest.raises(VolunteerError) as late:
        record_finding(task.id, ana.id, _found(), NOON + LOCK_FOR)
    assert late.value.code == "volunteer.lock_expired"


# --- The queue --------------------------------------------------------------------------------------------------


def test_the_queue_puts_participating_listings_first_then_the_towns_travellers_ask_most(make_space):
    from visa.passes.models import VisitRequest

    quiet = make_space("Quiet", city="Porto", lat=41.15, lon=-8.61, terms={"is_participating": None})
    busy_town = make_space("Busy town", city="Lisbon", terms={"is_participating": None})
    participating = make_space("Participating", city="Faro", lat=37.02, lon=-7.93)
    for space in (quiet, busy_town, participating):
        open_task(space.id, "stale")
    other_in_lisbon = make_space("Asked a lot", city="lisbon")
    for _ in range(3):
        db.session.add(VisitRequest(host_space_id=other_in_lisbon.id, first_day=date(2026, 12, 1),
                                    last_day=date(2026, 12, 2), created_at=NOON - timedelta(days=10)))
    db.session.add(VisitRequest(host_space_id=quiet.id, first_day=date(2026, 12, 1), last_day=date(2026, 12, 2),
                                created_at=NOON - timedelta(days=400)))  # too long ago to count
    db.session.commit()
    items = queue(NOON)
    assert [i.task.space.name for i in items] == ["Participating", "Busy town", "Quiet"]
    assert [i.demand for i in items] == [0, 3, 0]


def test_refresh_queue_opens_reports_and_stale_listings_once(make_space):
    from visa.moderation.models import Report, ReportKind

    reported = make_space("Reported")
    stale = make_space("Stale", terms_confirmed_at=NOON - timedelta(days=400))
    fresh_import = make_space("Never confirmed, listed last week", created_at=NOON - timedelta(days=7))
    old_import = make_space("Never confirmed, listed long ago", created_at=NOON - timedelta(days=500))
    make_space("Confirmed", terms_confirmed_at=NOON - timedelta(days=30))
    db.session.add(Report(space_id=reported.id, kind=ReportKind.WRONG_LISTING, message="They moved", created_at=NOON))
    db.session.add(Report(space_id=stale.id, kind=ReportKind.NOT_HONORED, message="Refused me"))
    db.session.commit()
    assert refresh_queue(NOON) == 3
    assert refresh_queue(NOON) == 0
    db.session.commit()
    opened = {t.space.name: (t.reason, t.detail) for t in db.session.query(VolunteerTask)}
    assert opened == {"Reported": (TaskReason.REPORT, "They moved"), "Stale": (TaskReason.STALE, ""),
                      old_import.name: (TaskReason.STALE, "")}
    assert fresh_import.name not in opened


def test_volunteers_are_approved_and_made_validators_by_role_name(make_user):
    host = make_user("helper@example.org")
    apply_as_volunteer(host.id)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(sa.text("SELECT role FROM user_account WHERE id = :id"), {"id": host.id})
    assert stored == "volunteer"  # the name itself, on PostgreSQL as on SQLite
    assert host.is_volunteer_applicant and not host.is_volunteer
    with pytest.raises(LookupError):
        set_validator(host.id, True)  # not before an admin approved them
    approve_volunteer(host.id)
    set_validator(host.id, True)
    db.session.commit()
    assert host.is_volunteer and host.is_validator and volunteers() == [host]


def test_the_volunteer_queue_command_writes_expiries_and_opens_stale_listings(runner, make_space, volunteer):
    ana = volunteer("ana@example.org")
    make_space("Long unconfirmed", terms_confirmed_at=datetime.now(UTC) - timedelta(days=400))
    held = open_task(make_space("Held").id, "no_email")
    take_task(held.id, ana.id, datetime.now(UTC) - timedelta(hours=3))
    db.session.commit()
    result = runner.invoke(args=["visa", "volunteer-queue"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 task(s) opened, 1 lock(s) expired, 2 task(s) open."
    result = runner.invoke(args=["visa", "volunteer-queue"])
    assert result.output.strip() == "0 task(s) opened, 0 lock(s) expired, 2 task(s) open."


def test_an_accepted_finding_resolves_the_listings_wrong_listing_reports(make_space, volunteer):
    from visa.moderation.models import Report, ReportKind

    ana, vera = volunteer("ana@example.org"), volunteer("vera@example.org", validator=True)
    space = make_space("Reported")
    wrong = Report(space_id=space.id, kind=ReportKind.WRONG_LISTING, message="They moved")
    refused = Report(space_id=space.id, kind=ReportKind.NOT_HONORED, message="Turned away")
    db.session.add_all([wrong, refused])
    db.session.commit()
    refresh_queue(NOON)
    (task,) = db.session.query(VolunteerTask).all()
    take_task(task.id, ana.id, NOON)
    finding = record_finding(task.id, ana.id, _found(), NOON)
    accept_finding(finding.id, vera.id, NOON)
    db.session.commit()
    assert wrong.resolved_at is not None and wrong.resolved_by_id == vera.id
    assert wrong.resolution.startswith("Verified by a volunteer: phone call on 2026-12-07")
    assert refused.resolved_at is None  # a refusal at the door is the admins' to judge
