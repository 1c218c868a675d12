"""The volunteers' queue: listings that need a person, who holds each one, and everything that happened to it.

A task is open while a listing needs a person, and at most one task per listing is open at a time
(a partial unique index, so two campaign workers opening the same listing's task cannot both win).
Its lock (``locked_by_id`` until ``locked_until``) is a lease: nothing runs when it runs out; every
read treats an expired lock as free, and the next write on the task records the expiry in its history.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow


def _enum(cls: type[enum.Enum], length: int) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class TaskReason(enum.StrEnum):
    """Why a listing needs a person."""

    NO_EMAIL = "no_email"            # no usable e-mail address to ask
    MAIL_REFUSED = "mail_refused"    # the mail server refused the campaign's mail
    NO_ANSWER = "no_answer"          # no answer after the reminders
    WRONG_ADDRESS = "wrong_address"  # the contact answered "this is the wrong address"
    REPORT = "report"                # a traveller reported that the listing is wrong
    STALE = "stale"                  # not confirmed for 12 months


class TaskState(enum.StrEnum):
    OPEN = "open"          # in the queue (possibly locked by a volunteer)
    REVIEW = "review"      # a finding waits for a validator
    DONE = "done"          # a finding was accepted
    CANCELLED = "cancelled"  # the listing no longer needs a person (its contact answered, it was removed)


#: States in which a task still occupies its listing's one place in the queue.
ACTIVE_STATES = (TaskState.OPEN, TaskState.REVIEW)


class TaskEventKind(enum.StrEnum):
    OPENED = "opened"
    REASON_ADDED = "reason_added"
    TAKEN = "taken"
    EXTENDED = "extended"
    RELEASED = "released"
    EXPIRED = "expired"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class VolunteerTask(db.Model):
    """One listing in the volunteers' queue."""

    __tablename__ = "volunteer_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    reason: Mapped[TaskReason] = mapped_column(_enum(TaskReason, 16))
    #: What the opener knew: the mail server's refusal, the report's words, the campaign's name.
    detail: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    state: Mapped[TaskState] = mapped_column(_enum(TaskState, 12), default=TaskState.OPEN)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    locked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    space = relationship("Space", lazy="joined")
    locked_by = relationship("User", lazy="joined")
    events: Mapped[list[TaskEvent]] = relationship(back_populates="task", order_by="TaskEvent.id",
                                                   cascade="all, delete-orphan")

    __table_args__ = (
        # One active task per listing: open_task finds it instead of adding a second.
        sa.Index("uq_volunteer_task_active_space", "space_id", unique=True,
                 sqlite_where=sa.text("state IN ('open', 'review')"),
                 postgresql_where=sa.text("state IN ('open', 'review')")),
    )

    def __repr__(self) -> str:
        return f"<VolunteerTask {self.id} space={self.space_id} {self.state}>"


class TaskEvent(db.Model):
    """One line of a task's history: who did what, when, with a note (a reason, a comment, a source)."""

    __tablename__ = "volunteer_task_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_task.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TaskEventKind] = mapped_column(_enum(TaskEventKind, 16))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: When it happened; for an expiry, the moment the lock ran out (recorded later, when next read).
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    task: Mapped[VolunteerTask] = relationship(back_populates="events")
    user = relationship("User", lazy="joined")


class OpenState(enum.StrEnum):
    """Is the space still open, as the volunteer found it?"""

    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"  # nobody answered, the website says nothing: the listing is not confirmed


class SourceKind(enum.StrEnum):
    """Where the volunteer found it: a page (with its URL), a phone call or a visit (on a date)."""

    WEBSITE = "website"
    PHONE = "phone"
    VISIT = "visit"


class FindingState(enum.StrEnum):
    PENDING = "pending"    # waits for a validator
    ACCEPTED = "accepted"  # live: a revision of the listing, attributed to the volunteer
    REJECTED = "rejected"  # the task went back to the queue with the validator's comment


class Finding(db.Model):
    """What a volunteer found about a listing; it goes live only when another person accepts it.

    ``terms`` holds the terms as the space states them, as JSON values of
    :mod:`visa.directory.terms_schema` (``to_plain``), participation included.
    """

    __tablename__ = "volunteer_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_task.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    open_state: Mapped[OpenState] = mapped_column(_enum(OpenState, 8))
    terms: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    source_kind: Mapped[SourceKind] = mapped_column(_enum(SourceKind, 8))
    source_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The day of the call or visit (or of reading the page).
    checked_on: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The listing's lock_version the volunteer saw: accepting over a listing changed since is an edit conflict.
    space_version: Mapped[int] = mapped_column(sa.Integer)
    state: Mapped[FindingState] = mapped_column(_enum(FindingState, 8), default=FindingState.PENDING)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The listing's revision an accepted finding wrote.
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id", ondelete="SET NULL"))

    task: Mapped[VolunteerTask] = relationship()
    space = relationship("Space", lazy="joined")
    volunteer = relationship("User", foreign_keys=[volunteer_id], lazy="joined")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
