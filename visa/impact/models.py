"""Impact data's own tables: monthly rollups of visits and requests, reminders sent, hosts flagged.

The rollups hold counts by month and country pair (visits) and by month
(requests), never a person: the network page and the open export read them
instead of scanning every visit, and `visa forget` leaves them as they are.
They are kept up to date on every write of a visit or request
(:mod:`visa.impact.rollup`), and can be rebuilt from the records at any time.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from visa.extensions import db
from visa.timeutil import utcnow


class VisitMonth(db.Model):
    """Visits in one month by members of spaces in *home_country* to spaces in *host_country*."""

    __tablename__ = "impact_visit_month"

    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)  # the first day of the month
    home_country: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    host_country: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    visits: Mapped[int] = mapped_column(sa.Integer, default=0)


class RequestMonth(db.Model):
    """Visit requests made in one month, network-wide: how many were answered and accepted, and how fast."""

    __tablename__ = "impact_request_month"

    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    requests: Mapped[int] = mapped_column(sa.Integer, default=0)
    answered: Mapped[int] = mapped_column(sa.Integer, default=0)
    accepted: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Seconds from request to answer, summed over the answered requests (their mean is this / answered).
    answer_seconds: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ImpactVersion(db.Model):
    """One row whose value changes with every change to the rollups.

    Each process keeps the network figures and the open export computed for one
    version (:mod:`visa.impact.cache`) and compares it on each request, so a
    check-in recorded by another worker or machine shows at once. Random rather
    than a counter, as :class:`visa.directory.models.RegistryVersion`: a restored
    backup can never repeat a version a process saw.
    """

    __tablename__ = "impact_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class RequestReminder(db.Model):
    """The host of this request was reminded that it waits for an answer (once per request)."""

    __tablename__ = "impact_request_reminder"

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("visit_request.id", ondelete="CASCADE"), primary_key=True)
    reminded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class HostFlag(db.Model):
    """A space whose record asks for an admin's look: repeated unanswered requests, upheld reports."""

    __tablename__ = "impact_host_flag"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    flagged_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    unanswered: Mapped[int] = mapped_column(sa.Integer, default=0)
    upheld_reports: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Set when an admin has looked; a later, worse record flags the space again.
    cleared_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ReportFinding(db.Model):
    """An admin's finding on a "did not honor" report: upheld (the space turned a member away) or not."""

    __tablename__ = "impact_report_finding"

    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True)
    is_upheld: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
