"""A space's survey waves, their single-use invitations and the answers.

An answer holds the questions answered, the wave, how it came (a single-use link or the shared link) and the day;
never a name, an e-mail or an IP address. A link's token is kept only as its SHA-256 while the wave is open: closing
the wave deletes the invitations (their count stays on the wave) and the shared link's hash, so no answer can be
traced to a link afterwards. An invitation also keeps a keyed hash of the address it was mailed to (never the
address), so a host cannot invite one address twice in a wave and ``visa forget EMAIL`` finds it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow


class Channel(enum.StrEnum):
    INVITATION = "invitation"  # a single-use link mailed to a member
    OPEN_LINK = "open_link"  # the wave's shared link: not verified


class SurveyWave(db.Model):
    __tablename__ = "survey_wave"
    __table_args__ = (
        # At most one open wave per space.
        sa.Index("uq_survey_wave_open", "space_id", unique=True, sqlite_where=sa.text("closed_at IS NULL"),
                 postgresql_where=sa.text("closed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(sa.String(16))  # the questionnaire's
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: SHA-256 of the shared link's token, while the wave is open.
    shared_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    invited: Mapped[int] = mapped_column(default=0, server_default="0")  # single-use links mailed
    is_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: {question: {answer: members}}, counted when the wave closes (its answers no longer change): the network's
    #: figures add these up instead of reading every answer.
    counts: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    space = relationship("Space", lazy="joined")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def takes_answers(self, today: date) -> bool:
        return self.is_open and self.starts_on <= today <= self.ends_on


class SurveyInvitation(db.Model):
    """One single-use link, while its wave is open."""

    __tablename__ = "survey_invitation"
    __table_args__ = (sa.UniqueConstraint("wave_id", "address_hash", name="uq_survey_invitation_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_wave.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    address_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_response.id", ondelete="SET NULL"))


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_wave.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(
        sa.Enum(Channel, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {question key: option value}
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # the open question: hosts only
    answered_on: Mapped[date] = mapped_column(sa.Date)  # a day, not a time: nothing to match with a server log

    wave: Mapped[SurveyWave] = relationship()
