"""Keeping the monthly rollups in step with visits and requests, and rebuilding them.

Every ORM write of a :class:`Visit` or :class:`VisitRequest` adds its difference
to the month's rollup row in the same transaction (an upsert that adds, so two
check-ins at once both count). Writes that bypass the ORM (the bench's COPY, a
restore) call :func:`rebuild` afterwards; `visa impact-rebuild` does it by hand.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection

from visa.directory.models import Space
from visa.impact.cache import bump
from visa.impact.models import RequestMonth, VisitMonth
from visa.passes.models import RequestStatus, Visit, VisitRequest
from visa.timeutil import as_utc

#: Requests that count as accepted: a checked-in request was accepted first.
ACCEPTED = (RequestStatus.ACCEPTED, RequestStatus.CHECKED_IN)
#: Statuses with an answer from the host (a cancelled request was withdrawn by the member, not answered).
ANSWERED = (RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.CHECKED_IN)


def first_of_month(day: date | datetime) -> date:
    return date(day.year, day.month, 1)


def _add(connection: Connection, table: sa.Table, keys: dict, amounts: dict) -> None:
    """Add *amounts* to the row at *keys*, creating it when missing (SQLite and PostgreSQL)."""
    if not any(amounts.values()):
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(**keys, **amounts)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in amounts})
    connection.execute(statement)
    bump(connection)


def _visit_keys(connection: Connection, visit: Visit) -> dict:
    host_country = connection.scalar(sa.select(Space.country_code).where(Space.id == visit.host_space_id)) or ""
    return {"month": first_of_month(visit.visit_date), "home_country": visit.member_country or "",
            "host_country": host_country}


@event.listens_for(Visit, "after_insert")
def _visit_added(_mapper, connection: Connection, visit: Visit) -> None:
    _add(connection, VisitMonth.__table__, _visit_keys(connection, visit), {"visits": 1})


@event.listens_for(Visit, "after_delete")
def _visit_removed(_mapper, connection: Connection, visit: Visit) -> None:
    _add(connection, VisitMonth.__table__, _visit_keys(connection, visit), {"visits": -1})


def _request_counts(status: RequestStatus | None, created_at: datetime | None,
                    answered_at: datetime | None) -> dict[str, int]:
    # A request its member cancelled counts for nothing, as in a host's record (figures.space_record).
    if status is None or status == RequestStatus.CANCELLED:
        return {"requests": 0, "answered": 0, "accepted": 0, "answer_seconds": 0}
    is_answered = status in ANSWERED and answered_at is not None and created_at is not None
    return {"requests": 1, "answered": int(is_answered), "accepted": int(status in ACCEPTED),
            "answer_seconds": int((as_utc(answered_at) - as_utc(created_at)).total_seconds()) if is_answered else 0}


def _keep_old_value(_target, value, _old, _initiator):
    return value


# The old status, answer time and creation time are needed to take a request out of its old counts; with
# active history the ORM loads them before a change even when the object was expired by a commit.
for _column in (VisitRequest.status, VisitRequest.answered_at, VisitRequest.created_at):
    event.listen(_column, "set", _keep_old_value, active_history=True, retval=True)


def _before(request: VisitRequest, name: str):
    history = sa.inspect(request).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(request, name)


def _request_diff(connection: Connection, created_at: datetime, old: dict, new: dict) -> None:
    _add(connection, RequestMonth.__table__, {"month": first_of_month(created_at)},
         {name: new[name] - old[name] for name in new})


@event.listens_for(VisitRequest, "after_insert")
def _request_added(_mapper, connection: Connection, request: VisitRequest) -> None:
    _request_diff(connection, request.created_at, _request_counts(None, None, None),
                  _request_counts(request.status, request.created_at, request.answered_at))


@event.listens_for(VisitRequest, "after_update")
def _request_changed(_mapper, connection: Connection, request: VisitRequest) -> None:
    old = _request_counts(_before(request, "status"), _before(request, "created_at"), _before(request, "answered_at"))
    if _before(request, "created_at") != request.created_at:  # moved to another month: out of one, into the other
        _request_diff(connection, _before(request, "created_at"), old, _request_counts(None, None, None))
        old = _request_counts(None, None, None)
    _request_diff(connection, request.created_at, old,
                  _request_counts(request.status, request.created_at, request.answered_at))


@event.listens_for(VisitRequest, "after_delete")
def _request_removed(_mapper, connection: Connection, request: VisitRequest) -> None:
    _request_diff(connection, request.created_at,
                  _request_counts(request.status, request.created_at, request.answered_at),
                  _request_counts(None, None, None))


def _month_of(column, dialect: str):
    """SQL for the first day of *column*'s month."""
    if dialect == "postgresql":
        return sa.cast(sa.func.date_trunc("month", column), sa.Date)
    return sa.func.date(column, "start of month")


def rebuild(connection: Connection) -> None:
    """Recompute both rollups from the visits and requests on record (one GROUP BY each)."""
    dialect = connection.dialect.name
    connection.execute(sa.delete(VisitMonth.__table__))
    connection.execute(sa.delete(RequestMonth.__table__))
    month = _month_of(Visit.visit_date, dialect)
    home = sa.func.coalesce(Visit.member_country, "")
    visits = (sa.select(month, home, Space.country_code, sa.func.count())
              .join(Space, Space.id == Visit.host_space_id)
              .group_by(month, home, Space.country_code))
    connection.execute(sa.insert(VisitMonth.__table__).from_select(
        ["month", "home_country", "host_country", "visits"], visits))
    month = _month_of(VisitRequest.created_at, dialect)
    is_answered = sa.and_(VisitRequest.status.in_(ANSWERED), VisitRequest.answered_at.is_not(None))
    if dialect == "postgresql":
        seconds = sa.func.extract("epoch", VisitRequest.answered_at - VisitRequest.created_at)
    else:
        seconds = (sa.func.julianday(VisitRequest.answered_at) - sa.func.julianday(VisitRequest.created_at)) * 86400
    requests = (sa.select(month, sa.func.count(),
                          sa.func.sum(sa.case((is_answered, 1), else_=0)),
                          sa.func.sum(sa.case((VisitRequest.status.in_(ACCEPTED), 1), else_=0)),
                          sa.cast(sa.func.coalesce(sa.func.sum(sa.case((is_answered, sa.func.round(seconds)), else_=0)), 0),
                                  sa.BigInteger))
                .where(VisitRequest.status != RequestStatus.CANCELLED).group_by(month))
    connection.execute(sa.insert(RequestMonth.__table__).from_select(
        ["month", "requests", "answered", "accepted", "answer_seconds"], requests))
    bump(connection)
