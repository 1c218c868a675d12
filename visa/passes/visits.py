"""Visit requests and check-ins: a member with a pass asks a host for days; the host answers; a check-in
records the visit. Plain functions over ids and values, raising :class:`VisitError`.

Every request is checked against the reciprocity rules (``decide()`` for each
asked day) and against the host's limits (:mod:`visa.passes.limits`) counted from
the visits on record; accepting checks the limits again, since other requests may
have been accepted meanwhile. A write that adds held days checks and writes under
:func:`lock_host`, so two of them at one host never both take its last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from visa import emails
from visa.directory.models import Space
from visa.extensions import db
from visa.mailer import absolute_url
from visa.passes.limits import Breach, Limits, check, days_between, host_zone, notice_breach
from visa.passes.models import Pass, PassStatus, RequestStatus, Visit, VisitRequest
from visa.passes.services import tell_hosts, tell_member
from visa.reciprocity.rules import Finding, Verdict, decide
from visa.reciprocity.service import rules_for
from visa.timeutil import utcnow

#: Requests whose days hold a place: counted against capacity and the member's limits until checked in.
HOLDING = (RequestStatus.ACCEPTED, RequestStatus.CHECKED_IN)
#: The longest request, whatever the terms say (a guard against a typo'd year).
MAX_REQUEST_DAYS = 31
#: Requests a member may still cancel, before their first day: waiting for an answer, or accepted.
CANCELLABLE = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class VisitError(Exception):
    """A visit request or answer refused: ``code``; ``breaches`` and ``reasons`` say which limit or rule."""

    def __init__(self, code: str, breaches: list[Breach] | None = None, reasons: list[Finding] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.breaches = breaches or []
        self.reasons = reasons or []


def limits_of(space: Space) -> Limits:
    t = space.terms
    if t is None:
        return Limits()
    return Limits(t.free_days_per_visit, t.free_days_per_month, t.free_days_per_year, t.capacity_per_day)


def booked_days(host_space_id: int, first: date, last: date, exclude_request: int | None = None) -> dict[date, int]:
    """Visitors per day at a host: visits on record plus accepted requests' days not yet checked in."""
    counts: dict[date, int] = {}
    visits = db.session.execute(sa.select(Visit.visit_date, Visit.request_id).where(
        Visit.host_space_id == host_space_id, Visit.visit_date.between(first, last))).all()
    visited = {(request_id, day) for day, request_id in visits}
    for day, _request in visits:
        counts[day] = counts.get(day, 0) + 1
    held = db.session.scalars(sa.select(VisitRequest).where(
        VisitRequest.host_space_id == host_space_id, VisitRequest.status.in_(HOLDING),
        VisitRequest.first_day <= last, VisitRequest.last_day >= first)).all()
    for r in held:
        if r.id == exclude_request:
            continue
        for day in days_between(max(r.first_day, first), min(r.last_day, last)):
            if (r.id, day) not in visited:
                counts[day] = counts.get(day, 0) + 1
    return counts


def member_days(member_email: str, host_space_id: int, years: set[int], exclude_request: int | None = None) -> set[date]:
    """A member's days at a host in *years*: visits on record and accepted requests' days (any of their passes)."""
    start, end = date(min(years), 1, 1), date(max(years), 12, 31)
    passes = sa.select(Pass.id).where(Pass.member_email == emails.normalise(member_email))
    days = set(db.session.scalars(sa.select(Visit.visit_date).where(
        Visit.host_space_id == host_space_id, Visit.pass_id.in_(passes), Visit.visit_date.between(start, end))))
    held = db.session.scalars(sa.select(VisitRequest).where(
        VisitRequest.host_space_id == host_space_id, VisitRequest.pass_id.in_(passes),
        VisitRequest.status.in_(HOLDING), VisitRequest.first_day <= end, VisitRequest.last_day >= start)).all()
    for r in held:
        if r.id != exclude_request:
            days.update(days_between(max(r.first_day, start), min(r.last_day, end)))
    return days


def _breaches(p: Pass, host: Space, first: date, last: date, exclude_request: int | None = None) -> list[Breach]:
    asked = days_between(first, last)
    held = member_days(p.member_email, host.id, {d.year for d in asked}, exclude_request)
    return check(limits_of(host), asked, held, booked_days(host.id, first, last, exclude_request))


def lock_host(host_space_id: int) -> None:
    """Hold the host's days for this transaction: another caller of this function for the same host waits here
    until this transaction ends, so its checks then count what this one wrote.

    Every write that adds held days calls it before counting them. Reads made earlier in the transaction may
    be stale: the caller refreshes what it holds.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # pysqlite begins a transaction (a deferred BEGIN) only before a write, so the counting reads would
        # take no lock and both acceptances would count the last place as free. BEGIN IMMEDIATE takes the
        # database's write lock first (SQLite has no row locks; the second writer waits, up to the busy
        # timeout) and writes nothing: no registry version, no revision. A transaction already open has
        # written, so it holds that lock already.
        if not connection.connection.driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    # The space row's lock (FOR NO KEY UPDATE: new requests may still reference the space meanwhile). Under
    # READ COMMITTED each later statement sees what the previous holder committed.
    db.session.execute(sa.select(Space.id).where(Space.id == host_space_id).with_for_update(key_share=True))


def day_verdicts(p: Pass, host: Space, first: date, last: date) -> list[tuple[date, Verdict]]:
    home, host_rules = rules_for(p.home_space), rules_for(host)
    return [(day, decide(home, host_rules, day)) for day in days_between(first, last)]


def request_visit(pass_id: str, host_space_id: int, first: date, last: date, message: str, today: date,
                  now: datetime | None = None) -> VisitRequest:
    """A member asks for days; the host's hosts get a mail. Refused when the pass, the host's notice (counted
    from *now*), the rules or a limit says no."""
    p = db.session.get(Pass, pass_id)
    host = db.session.get(Space, host_space_id)
    if p is None or host is None or p.status != PassStatus.ACTIVE:
        raise VisitError("no_pass")
    if last < first or first < today or (last - first).days >= MAX_REQUEST_DAYS:
        raise VisitError("bad_dates")
    if first < p.valid_from or last > p.valid_to:
        raise VisitError("outside_pass")
    refusals = [f for _day, v in day_verdicts(p, host, first, last) if not v.honored for f in v.reasons]
    if refusals:
        raise VisitError("not_honored", reasons=refusals)
    notice = notice_breach(first, host.terms.advance_notice_hours if host.terms else None, now or utcnow(),
                           host_zone(host.timezone, host.longitude))
    if notice is not None:
        raise VisitError("notice", breaches=[notice])
    breaches = _breaches(p, host, first, last)
    if breaches:
        raise VisitError("limit", breaches=breaches)
    verdict = decide(rules_for(p.home_space), rules_for(host), first)
    r = VisitRequest(pass_id=p.id, host_space_id=host.id, home_space_id=p.home_space_id,
                     member_country=p.home_space.country_code, first_day=first, last_day=last,
                     message=message.strip()[:2000], verdict=verdict.as_dict())
    db.session.add(r)
    db.session.flush()
    tell_hosts(host.id, "visit_requested", p=p, r=r, link=absolute_url("passes.host_visits"))
    return r


def _request(request_id: int, host_space_id: int | None = None) -> VisitRequest:
    r = db.session.get(VisitRequest, request_id)
    if r is None or (host_space_id is not None and r.host_space_id != host_space_id):
        raise VisitError("not_found")
    return r


def _locked(r: VisitRequest) -> VisitRequest:
    """*r* under its host's lock, as it is now: another host (or the member) may have answered or cancelled it
    while this one waited for the lock."""
    lock_host(r.host_space_id)
    db.session.refresh(r)
    return r


def accept_request(request_id: int, user_id: int | None) -> VisitRequest:
    """Accept a pending request, if the limits still allow it; the member is told."""
    r = _locked(_request(request_id))
    if r.status != RequestStatus.PENDING:
        raise VisitError("answered")
    if r.visa_pass is None:
        raise VisitError("no_pass")
    breaches = _breaches(r.visa_pass, r.host_space, r.first_day, r.last_day, exclude_request=r.id)
    if breaches:
        raise VisitError("limit", breaches=breaches)
    r.status, r.answered_at, r.answered_by_id = RequestStatus.ACCEPTED, utcnow(), user_id
    db.session.flush()
    _tell_member(r, "visit_accepted", link=absolute_url("directory.space_page", slug=r.host_space.slug))
    return r


def decline_request(request_id: int, reason: str, user_id: int | None) -> VisitRequest:
    r = _locked(_request(request_id))
    if r.status != RequestStatus.PENDING:
        raise VisitError("answered")
    r.status, r.answered_at, r.answered_by_id = RequestStatus.DECLINED, utcnow(), user_id
    r.decline_reason = reason.strip()[:500]
    db.session.flush()
    _tell_member(r, "visit_declined")
    return r


def can_cancel(r: VisitRequest, today: date) -> bool:
    """Whether the member may still cancel *r*: waiting or accepted, and its first day not come."""
    return r.status in CANCELLABLE and today < r.first_day


def cancel_request(request_id: int, pass_id: str, today: date) -> VisitRequest:
    """The member cancels a request of their pass (*pass_id*: only its own requests): the days it held are free
    again and the host's hosts are told."""
    r = db.session.get(VisitRequest, request_id)
    if r is None or r.pass_id != pass_id:
        raise VisitError("not_found")
    _locked(r)  # a host accepting it at this moment: cancelled after, never revived by that acceptance
    if not can_cancel(r, today):
        raise VisitError("not_cancellable")
    r.status = RequestStatus.CANCELLED
    db.session.flush()
    tell_hosts(r.host_space_id, "visit_cancelled", p=r.visa_pass, r=r, link=absolute_url("passes.host_visits"))
    return r


def _tell_member(r: VisitRequest, message: str, **context) -> None:
    if r.visa_pass is not None:  # a forgotten member has no address
        tell_member(r.visa_pass, message, r=r, **context)


def check_in(request_id: int, day: date, user_id: int | None) -> Visit:
    """Record the member's visit on *day* (one of the accepted days).

    Under :func:`lock_host`, though a check-in holds no new day: two scans of one pass at the same moment (two
    hosts at the door, a double tap) then record one visit, and the second is told ``checked_in``, never a
    unique violation.
    """
    r = _locked(_request(request_id))
    if r.status not in HOLDING:
        raise VisitError("not_accepted")
    if not r.first_day <= day <= r.last_day:
        raise VisitError("not_today")
    if db.session.scalar(sa.select(Visit.id).where(Visit.pass_id == r.pass_id, Visit.host_space_id == r.host_space_id,
                                                   Visit.visit_date == day)) is not None:
        raise VisitError("checked_in")
    visit = Visit(visit_date=day, host_space_id=r.host_space_id, home_space_id=r.home_space_id,
                  member_country=r.member_country, pass_id=r.pass_id, request_id=r.id, checked_in_by_id=user_id)
    db.session.add(visit)
    r.status = RequestStatus.CHECKED_IN
    db.session.flush()
    return visit


def accepted_for(pass_id: str, host_space_id: int, day: date) -> VisitRequest | None:
    """The accepted request of this pass at this host covering *day*: what a door scan checks in."""
    return db.session.scalars(sa.select(VisitRequest).where(
        VisitRequest.pass_id == pass_id, VisitRequest.host_space_id == host_space_id,
        VisitRequest.status.in_(HOLDING), VisitRequest.first_day <= day, VisitRequest.last_day >= day)).first()


@dataclass(frozen=True)
class InboxItem:
    request: VisitRequest
    booked: dict[date, int]
    capacity: int | None
    breaches: list[Breach]

    @property
    def day_counts(self) -> list[tuple[date, int]]:
        """Each asked day with the visitors already booked on it."""
        return [(d, self.booked.get(d, 0)) for d in days_between(self.request.first_day, self.request.last_day)]


def inbox(space_ids: list[int], today: date) -> list[InboxItem]:
    """Pending and accepted requests to these spaces (upcoming), each with its days' bookings and what a yes would break."""
    if not space_ids:
        return []
    rows = db.session.scalars(sa.select(VisitRequest).where(
        VisitRequest.host_space_id.in_(space_ids), VisitRequest.last_day >= today,
        VisitRequest.status.in_((RequestStatus.PENDING, *HOLDING))).order_by(
        VisitRequest.first_day, VisitRequest.id)).all()
    items = []
    for r in rows:
        booked = booked_days(r.host_space_id, r.first_day, r.last_day, exclude_request=r.id)
        breaches = (_breaches(r.visa_pass, r.host_space, r.first_day, r.last_day, exclude_request=r.id)
                    if r.status == RequestStatus.PENDING and r.visa_pass is not None else [])
        items.append(InboxItem(r, booked, limits_of(r.host_space).capacity_per_day, breaches))
    return items
