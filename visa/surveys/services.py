"""Survey waves: open, invite, answer, close, publish, forget (they flush; the view or command commits).

Tokens are random (``secrets.token_urlsafe``) and kept only as their SHA-256: the link in the mail or on the host's
screen is the only copy. Addresses are never stored: an invitation keeps an HMAC of the normalised address under the
site's secret key, enough to refuse a second invitation to it in the wave and for ``visa forget`` to find it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from visa import emails
from visa.extensions import db
from visa.impact.cache import bump
from visa.messages import N_, MessageError, define
from visa.surveys.models import Channel, SurveyInvitation, SurveyResponse, SurveyWave
from visa.surveys.questionnaire import VERSION
from visa.surveys.stats import answer_counts
from visa.timeutil import utcnow

#: A wave's length when its end is not given.
DEFAULT_LENGTH = timedelta(days=28)
#: Addresses one invitation form takes.
MAX_ADDRESSES = 500

define({
    "survey_wave_open": N_("This space already has an open survey; close it before opening another."),
    "survey_dates": N_("The survey must end on or after the day it starts, and not in the past."),
    "survey_closed": N_("This survey is closed."),
})


class SurveyError(MessageError):
    """A wave cannot be opened, or a closed one changed."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def address_hash(address: str, key: str) -> str:
    """The keyed hash of an address, as addresses are compared (:func:`visa.emails.key`)."""
    return hmac.new(key.encode(), emails.key(address).encode(), hashlib.sha256).hexdigest()


def open_wave(space_id: int, starts_on: date, ends_on: date | None = None) -> tuple[SurveyWave, str]:
    """A new open wave and its shared link's token. :raise SurveyError: one is open already, or bad dates."""
    ends_on = ends_on or starts_on + DEFAULT_LENGTH
    if ends_on < starts_on or ends_on < utcnow().date():
        raise SurveyError("survey_dates")
    if open_wave_of(space_id) is not None:
        raise SurveyError("survey_wave_open")
    token = secrets.token_urlsafe(24)
    wave = SurveyWave(space_id=space_id, version=VERSION, starts_on=starts_on, ends_on=ends_on,
                      shared_token_hash=token_hash(token))
    db.session.add(wave)
    db.session.flush()
    return wave, token


def open_wave_of(space_id: int) -> SurveyWave | None:
    return db.session.scalars(sa.select(SurveyWave).where(SurveyWave.space_id == space_id,
                                                          SurveyWave.closed_at.is_(None))).first()


def waves_of(space_id: int) -> list[SurveyWave]:
    """The space's waves, newest first."""
    return list(db.session.scalars(sa.select(SurveyWave).where(SurveyWave.space_id == space_id)
                                   .order_by(SurveyWave.starts_on.desc(), SurveyWave.id.desc())).unique())


def new_shared_link(wave: SurveyWave) -> str:
    """A new shared link for an open wave (the old one stops working: its token was never kept)."""
    _must_be_open(wave)
    token = secrets.token_urlsafe(24)
    wave.shared_token_hash = token_hash(token)
    db.session.flush()
    return token


def _must_be_open(wave: SurveyWave) -> None:
    if not wave.is_open:
        raise SurveyError("survey_closed")


@dataclass(frozen=True)
class Invitations:
    links: list[tuple[str, str]]  # (address, token): to be mailed, then forgotten
    already: int  # addresses this wave had invited before


def invite(wave: SurveyWave, addresses: list[str], key: str) -> Invitations:
    """Single-use links for the addresses not invited yet in *wave*; the caller mails them and keeps no address."""
    _must_be_open(wave)
    known = set(db.session.scalars(sa.select(SurveyInvitation.address_hash)
                                   .where(SurveyInvitation.wave_id == wave.id)))
    links, already = [], 0
    for address in addresses:
        hashed = address_hash(address, key)
        if hashed in known:
            already += 1
            continue
        known.add(hashed)
        token = secrets.token_urlsafe(24)
        db.session.add(SurveyInvitation(wave_id=wave.id, token_hash=token_hash(token), address_hash=hashed))
        links.append((address, token))
    wave.invited += len(links)
    db.session.flush()
    return Invitations(links, already)


def invitation_for(token: str) -> SurveyInvitation | None:
    """The invitation of a single-use link, while its wave is open (closing deletes it)."""
    return db.session.scalars(sa.select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
                              ).first()


def wave_for_shared_link(token: str) -> SurveyWave | None:
    return db.session.scalars(sa.select(SurveyWave).where(SurveyWave.shared_token_hash == token_hash(token))
                              ).unique().first()


def answer(wave: SurveyWave, answers: dict[str, str], comment: str, today: date,
           invitation: SurveyInvitation | None = None) -> SurveyResponse:
    """Record an answer: a single-use link's first, or its correction; the shared link's, always a new one."""
    if not wave.takes_answers(today):
        raise SurveyError("survey_closed")
    response = db.session.get(SurveyResponse, invitation.response_id) if invitation and invitation.response_id else None
    if response is None:
        response = SurveyResponse(wave_id=wave.id,
                                  channel=Channel.INVITATION if invitation else Channel.OPEN_LINK)
        db.session.add(response)
    response.answers, response.comment, response.answered_on = dict(answers), comment, today
    db.session.flush()
    if invitation is not None:
        invitation.response_id = response.id
        db.session.flush()
    return response


def close_wave(wave: SurveyWave, *, recompute: bool = True) -> None:
    """Close *wave*: no more answers; its links' hashes and invitations go (their count stays); its answers are
    counted for the network's figures, which *recompute* says to recompute now (a batch does it once)."""
    _must_be_open(wave)
    wave.closed_at = utcnow()
    wave.shared_token_hash = None
    db.session.flush()
    wave.counts = answer_counts(db.session.scalars(sa.select(SurveyResponse.answers)
                                                   .where(SurveyResponse.wave_id == wave.id)))
    db.session.execute(sa.delete(SurveyInvitation).where(SurveyInvitation.wave_id == wave.id))
    db.session.flush()
    if recompute:
        bump(db.session.connection())  # the network's figures count closed waves: recompute them


def close_ended(today: date) -> int:
    """Close the open waves whose last day is past; how many."""
    waves = db.session.scalars(sa.select(SurveyWave).where(SurveyWave.closed_at.is_(None),
                                                           SurveyWave.ends_on < today)).unique().all()
    for wave in waves:
        close_wave(wave, recompute=False)
    if waves:
        bump(db.session.connection())
    return len(waves)


def set_published(wave: SurveyWave, published: bool) -> None:
    wave.is_published = published
    db.session.flush()


def forget_address(address: str, key: str) -> int:
    """Delete the invitations mailed to *address*; their links stop working. How many."""
    deleted = db.session.execute(sa.delete(SurveyInvitation).where(
        SurveyInvitation.address_hash == address_hash(address, key))
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return deleted


def seed_demo_survey(space_id: int, count: int, today: date) -> SurveyWave:
    """A closed, published wave of the four weeks to *today* with *count* made-up answers (a demo space's)."""
    from visa.surveys.demo import made_up_answers

    answers_made = made_up_answers(count)
    wave = SurveyWave(space_id=space_id, version=VERSION, starts_on=today - DEFAULT_LENGTH, ends_on=today,
                      invited=round(count * 1.6), is_published=True, closed_at=utcnow(),
                      counts=answer_counts(answers_made))
    db.session.add(wave)
    db.session.flush()
    for i, answers in enumerate(answers_made):
        # A few through the shared link, the rest through mailed links; the days spread over the wave.
        db.session.add(SurveyResponse(wave_id=wave.id, channel=Channel.OPEN_LINK if i % 8 == 0 else Channel.INVITATION,
                                      answers=answers, answered_on=wave.starts_on + timedelta(days=i % 28)))
    db.session.flush()
    bump(db.session.connection())
    return wave
