"""A campaign, each listing's state in it, and the addresses that asked never to be mailed again.

A listing's entry moves ``queued`` -> ``sent`` -> ``answered``; a mail server's refusal makes it ``refused``
(with the reason), no usable address ``no_address``, and two reminders without an answer ``unanswered``.
Those three go to the volunteers' queue. The only signal of a mail read is an answer: no pixels, no
rewritten links.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow


def _enum(cls: type[enum.Enum], length: int) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class EntryState(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    REFUSED = "refused"  # the mail server refused the address; the reason is kept
    NO_ADDRESS = "no_address"  # nothing usable to write to
    ANSWERED = "answered"
    UNANSWERED = "unanswered"  # no answer after the reminders


class Answer(enum.StrEnum):
    CONFIRMED = "confirmed"  # open; participation and terms confirmed (or corrected)
    CLOSED = "closed"  # the space closed: the listing is archived
    WRONG_ADDRESS = "wrong_address"  # not this space's contact
    OPTED_OUT = "opted_out"  # "do not write to us again"


#: Entries a volunteer must take over: mail cannot reach the space, or nobody answered it.
FOR_VOLUNTEERS = (EntryState.REFUSED, EntryState.NO_ADDRESS, EntryState.UNANSWERED)
#: Still waiting for an answer (reminders go to these).
WAITING = (EntryState.QUEUED, EntryState.SENT)


class Campaign(db.Model):
    """One mailing to a selection of listings; ``selection`` keeps the admin's criteria, so it can be re-run."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # {"countries": [...], "never_confirmed": bool, "stale": bool, "not_stated": bool, "import_file": str | None}
    selection: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<Campaign {self.name}>"


class CampaignEntry(db.Model):
    """One listing in one campaign: where its mail stands and what its contact answered."""

    __tablename__ = "campaign_entry"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "space_id", name="uq_campaign_entry_space"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    state: Mapped[EntryState] = mapped_column(_enum(EntryState, 12), default=EntryState.QUEUED, index=True)
    #: The address written to and the mail's language, fixed when the entry is queued.
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    language: Mapped[str] = mapped_column(sa.String(16), default="en")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    refused_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reminders_sent: Mapped[int] = mapped_column(default=0, server_default="0")
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    answer: Mapped[Answer | None] = mapped_column(_enum(Answer, 16))
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: When the listing was handed to the volunteers' queue (no address, refused, unanswered, wrong address).
    to_volunteers_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    space = relationship("Space", lazy="joined")


class MailOptOut(db.Model):
    """A contact's "do not write to us again": no campaign mails this address, nor this listing, again."""

    __tablename__ = "mail_opt_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)  # its key (visa.emails.key), compared by it
    space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("space.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
