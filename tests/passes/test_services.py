"""Passes and visits through the services: signing, the published keys, revocation, rotation, limits."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from visa.accounts.models import SpaceHost
from visa.extensions import db
from visa.l10n import date_label, days_label
from visa.passes import services, tokens, visits
from visa.passes.models import Pass, PassStatus, RequestStatus, Visit
from visa.passes.presenters import visit_error_text

TODAY = date.today()


def _issue(network, name="Ana Sousa", email="Ana@Example.org", start=TODAY, days=365):
    issued = services.issue_pass(network["home"].id, name, email, start, start + timedelta(days=days - 1),
                                 network["home_user"].id)
    return db.session.get(Pass, issued.pass_id), issued.secret


def test_issued_pass_is_mailed_with_its_link_and_verifies_from_the_published_keys_alone(client, network, mails):
    p, secret = _issue(network)
    assert p.status == PassStatus.ACTIVE and p.member_email == "ana@example.org"
    (mail,) = mails()
    assert mail["To"] == "ana@example.org" and f"/pass/{secret}" in mail.get_body(preferencelist=("plain",)).get_content()
    published = client.get("/.well-known/jwks.json").get_json()
    assert [k["kid"] for k in published["keys"]] == [p.key_id]
    assert "d" not in published["keys"][0]  # never the private half
    checked = tokens.verify(p.token, tokens.keyset_from_jwks(published), TODAY)
    assert (checked.claims.member_name, checked.claims.home_slug, checked.kid) == ("Ana Sousa", network["home"].slug,
                                                                                   p.key_id)


def test_tampered_expired_and_revoked_passes_are_refused_with_their_reason(network):
    p, _ = _issue(network)
    header, payload, signature = p.token.split(".")
    claims = json.loads(_b64decode(payload))
    claims["valid_to"] = "2099-12-31"
    forged = ".".join([header, _b64encode(json.dumps(claims).encode()), signature])
    with pytest.raises(tokens.PassRefused) as refused:
        services.check_token(forged, TODAY)
    assert refused.value.code == "bad_signature"
    with pytest.raises(tokens.PassRefused) as refused:
        services.check_token(p.token, p.valid_to + timedelta(days=1))
    assert refused.value.code == "expired" and refused.value.claims.member_name == "Ana Sousa"
    assert services.check_token(p.token, TODAY).claims.pass_id == p.id
    services.revoke_pass(p.id, "left the space")
    with pytest.raises(tokens.PassRefused) as refused:
        services.check_token(p.token, TODAY)
    assert refused.value.code == "revoked"
    assert services.pass_status(p.id).status == "revoked"


def _b64decode(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_rotation_keeps_old_passes_valid_until_they_expire(client, network):
    old_pass, _ = _issue(network, days=30)
    old_kid = old_pass.key_id
    new_kid = services.key_store().rotate()
    new_pass, _ = _issue(network, name="Bo Lind", email="bo@example.org")
    assert new_pass.key_id == new_kid != old_kid
    published = client.get("/.well-known/jwks.json").get_json()
    assert {k["kid"] for k in published["keys"]} == {old_kid, new_kid}
    keys = tokens.keyset_from_jwks(published)
    assert tokens.verify(old_pass.token, keys, TODAY).kid == old_kid
    assert tokens.verify(new_pass.token, keys, TODAY).kid == new_kid
    # Once every pass the old key signed has expired, the key is no longer published.
    after = old_pass.valid_to + timedelta(days=1)
    assert {k["kid"] for k in services.published_jwks(after)["keys"]} == {new_kid}
    # The retired key's private half is gone from the folder; its public half remains for verifying here.
    folder = services.key_store().folder
    assert not (folder / f"{old_kid}.pem").exists() and (folder / f"{new_kid}.pem").exists()


def test_requested_pass_is_signed_only_when_its_home_host_approves(network, mails):
    issued = services.request_pass(network["home"].id, "Cy Dahl", "cy@example.org", TODAY, TODAY + timedelta(days=90),
                                   "member since 2021")
    p = db.session.get(Pass, issued.pass_id)
    assert p.status == PassStatus.REQUESTED and p.token is None
    assert services.pass_by_secret(issued.secret).id == p.id
    assert {m["To"] for m in mails()} == {"cy@example.org", "home@example.org"}
    services.approve_pass(p.id, network["home_user"].id)
    assert p.status == PassStatus.ACTIVE and services.check_token(p.token, TODAY).claims.member_name == "Cy Dahl"
    with pytest.raises(services.PassError) as err:
        services.approve_pass(p.id, None)
    assert err.value.code == "not_pending"


def _to(mails, address: str) -> str:
    """Every message to *address*, one text (mails written in the same second have no order)."""
    return "\n".join(m.get_body(preferencelist=("plain",)).get_content() for m in mails() if m["To"] == address)


def _ask(network, p, first, last):
    return visits.request_visit(p.id, network["host"].id, first, last, "", TODAY)


def test_request_accept_and_check_in_record_a_visit(network, mails):
    p, _ = _issue(network)
    day = TODAY + timedelta(days=1)
    r = _ask(network, p, day, day + timedelta(days=1))
    assert r.status == RequestStatus.PENDING and r.verdict["honored"] and r.member_country == "PT"
    assert "Ana Sousa, member of Lisbon Hub" in _to(mails, "berlin@example.org")
    visits.accept_request(r.id, network["host_user"].id)
    assert r.status == RequestStatus.ACCEPTED and r.answered_at is not None
    assert "Berlin Loft has accepted your visit" in _to(mails, "ana@example.org")
    with pytest.raises(visits.VisitError) as err:
        visits.check_in(r.id, TODAY, None)
    assert err.value.code == "not_today"
    visit = visits.check_in(r.id, day, network["host_user"].id)
    assert (visit.visit_date, visit.host_space_id, visit.home_space_id, visit.member_country) == (
        day, network["host"].id, network["home"].id, "PT")
    with pytest.raises(visits.VisitError) as err:  # a second scan: the same visit, recorded once
        visits.check_in(r.id, day, None)
    assert err.value.code == "checked_in" and visit_error_text(err.value).startswith("Already checked in")
    assert r.status == RequestStatus.CHECKED_IN


def _month_after_next() -> date:
    first = TODAY.replace(day=1) + timedelta(days=32)
    return (first.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_free_days_limits_are_counted_from_the_visits_on_record(network):
    p, _ = _issue(network)
    start = TODAY + timedelta(days=1)
    with pytest.raises(visits.VisitError) as err:
        _ask(network, p, start, start + timedelta(days=3))  # 4 days, 3 per visit
    assert [b.code for b in err.value.breaches] == ["days_per_visit"]
    # Three days on record in one month at this host, under another pass of the same member.
    month = _month_after_next()
    older, _ = _issue(network, email="ana@example.org", start=TODAY - timedelta(days=30), days=30)
    for day in (1, 2, 3):
        db.session.add(Visit(visit_date=month.replace(day=day), host_space_id=network["host"].id,
                             home_space_id=network["home"].id, member_country="PT", pass_id=older.id))
    db.session.commit()
    r = _ask(network, p, month.replace(day=10), month.replace(day=10))  # 3 + 1 = 4 a month: allowed
    visits.accept_request(r.id, None)
    with pytest.raises(visits.VisitError) as err:
        _ask(network, p, month.replace(day=11), month.replace(day=11))
    assert [(b.code, b.data["used"], b.data["limit"]) for b in err.value.breaches] == [("days_per_month", 4, 4)]
    # Another member is not held to Ana's days.
    other, _ = _issue(network, name="Bo Lind", email="bo@example.org")
    assert _ask(network, other, month.replace(day=11), month.replace(day=11)).status == RequestStatus.PENDING


def test_accepting_checks_the_limits_again(network):
    p, _ = _issue(network)
    day = _month_after_next().replace(day=5)
    first, second = _ask(network, p, day, day + timedelta(days=1)), _ask(network, p, day + timedelta(days=2),
                                                                       day + timedelta(days=2))
    visits.accept_request(first.id, None)
    visits.accept_request(second.id, None)  # 3 days: the month's limit is 4
    # Both requests fit when asked (pending requests hold nothing); the second one accepted fills the month.
    third = _ask(network, p, day + timedelta(days=5), day + timedelta(days=5))
    pending = _ask(network, p, day + timedelta(days=6), day + timedelta(days=6))
    visits.accept_request(third.id, None)
    with pytest.raises(visits.VisitError) as err:
        visits.accept_request(pending.id, None)
    assert err.value.code == "limit" and pending.status == RequestStatus.PENDING


def test_capacity_per_day_counts_accepted_requests_and_checked_in_visits_once(network):
    members = [_issue(network, name=f"M{i}", email=f"m{i}@example.org")[0] for i in range(3)]
    first = _ask(network, members[0], TODAY, TODAY)
    second = _ask(network, members[1], TODAY, TODAY)
    visits.accept_request(first.id, None)
    visits.check_in(first.id, TODAY, None)
    visits.accept_request(second.id, None)
    assert visits.booked_days(network["host"].id, TODAY, TODAY) == {TODAY: 2}
    with pytest.raises(visits.VisitError) as err:
        _ask(network, members[2], TODAY, TODAY)
    assert [(b.code, b.data) for b in err.value.breaches] == [
        ("full", {"date": TODAY.isoformat(), "booked": 2, "capacity": 2})]


def test_a_space_does_not_host_its_own_members(network):
    p, _ = _issue(network)
    with pytest.raises(visits.VisitError) as err:
        visits.request_visit(p.id, network["home"].id, TODAY, TODAY, "", TODAY)
    assert err.value.code == "not_honored" and err.value.reasons[0].code == "same_space"


def test_a_first_day_sooner_than_the_host_s_notice_is_refused_naming_the_notice_and_the_earliest_day(network):
    network["host"].terms.advance_notice_hours = 48
    db.session.commit()
    p, _ = _issue(network)
    nine_at_the_host = datetime.combine(TODAY, time(9), ZoneInfo("Europe/Berlin"))
    # Visits start at 09:00: the day after tomorrow starts exactly 48 hours from now, so it is the earliest.
    tomorrow, in_two_days = TODAY + timedelta(days=1), TODAY + timedelta(days=2)
    with pytest.raises(visits.VisitError) as err:
        visits.request_visit(p.id, network["host"].id, tomorrow, tomorrow, "", TODAY, now=nine_at_the_host)
    assert err.value.code == "notice"
    assert [(b.code, b.data) for b in err.value.breaches] == [
        ("notice", {"hours": 48, "earliest": in_two_days.isoformat()})]
    assert visit_error_text(err.value) == (f"This host asks for 48 hours of notice before the first day: the earliest "
                                           f"you can ask for now is {date_label(in_two_days)}.")
    r = visits.request_visit(p.id, network["host"].id, in_two_days, in_two_days, "", TODAY, now=nine_at_the_host)
    assert r.status == RequestStatus.PENDING


def test_a_member_cancels_a_waiting_or_accepted_request_before_its_first_day_and_its_hosts_are_told(network, mails):
    p, _ = _issue(network)
    other, _ = _issue(network, name="Bo Lind", email="bo@example.org")
    day = TODAY + timedelta(days=2)
    waiting, accepted = _ask(network, p, day, day), _ask(network, p, day + timedelta(days=1), day + timedelta(days=1))
    visits.accept_request(accepted.id, None)
    assert visits.booked_days(network["host"].id, day, day + timedelta(days=1)) == {day + timedelta(days=1): 1}
    with pytest.raises(visits.VisitError) as err:
        visits.cancel_request(accepted.id, other.id, TODAY)  # another member's pass
    assert err.value.code == "not_found" and accepted.status == RequestStatus.ACCEPTED
    with pytest.raises(visits.VisitError) as err:
        visits.cancel_request(accepted.id, p.id, accepted.first_day)  # its first day has come
    assert err.value.code == "not_cancellable"

    for r in (waiting, accepted):
        assert visits.cancel_request(r.id, p.id, TODAY).status == RequestStatus.CANCELLED
    assert visits.booked_days(network["host"].id, day, day + timedelta(days=1)) == {}  # the held day is free
    told = _to(mails, "berlin@example.org")
    assert "Ana Sousa, member of Lisbon Hub, has cancelled their visit to Berlin Loft" in told
    assert "The days are free again." in told
    assert visits.inbox([network["host"].id], TODAY) == []  # the host's list drops them
    with pytest.raises(visits.VisitError) as err:
        visits.cancel_request(waiting.id, p.id, TODAY)  # cancelled already
    assert err.value.code == "not_cancellable"


def test_a_host_with_german_chosen_gets_the_request_in_german_the_space_s_own_address_in_english(network, mails):
    network["host_user"].language = "de"
    db.session.commit()
    assert services.host_emails(network["host"].id) == [("berlin@example.org", "de")]
    p, _ = _issue(network)
    day = TODAY + timedelta(days=4)
    _ask(network, p, day, day)
    [message] = [m for m in mails() if m["To"] == "berlin@example.org"]
    with force_locale("de"):
        when = date_label(day)
    assert message["Subject"] == f"Visa-Besuchsanfrage: Ana Sousa, {when}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Ana Sousa, Mitglied von Lisbon Hub, fragt bei Berlin Loft diese Tage an: {when}." in text
    assert "Mit einem Klick annehmen oder ablehnen:" in text
    # A space with no confirmed host: its own address, in English (no one chose a language for it).
    assert services.host_emails(network["home"].id) == [("home@example.org", None)]
    db.session.execute(sa.delete(SpaceHost).where(SpaceHost.space_id == network["home"].id))
    assert services.host_emails(network["home"].id) == [("hello@lisbonhub.example", None)]


def test_the_days_of_a_visit_are_written_in_the_recipient_s_language_as_a_range(network, mails):
    p, _ = _issue(network)
    p.language = "pt"
    first = _month_after_next().replace(day=10)
    r = _ask(network, p, first, first + timedelta(days=2))
    visits.accept_request(r.id, None)
    with force_locale("pt"):
        days = days_label(first, first + timedelta(days=2))
    assert days.startswith("10") and "12 de " in days and days.count(str(first.year)) == 1  # Babel's range
    assert f"Berlin Loft aceitou a sua visita de {days}." in _to(mails, "ana@example.org")

