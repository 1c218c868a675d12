"""Where a campaign stands: each listing in one of five outcomes, per country and in total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from visa.campaigns.models import Answer, Campaign, CampaignEntry, EntryState
from visa.directory.models import ConfirmedBy, Space, SpaceStatus
from visa.extensions import db

#: The outcomes, in the order of the bar and the table.
OUTCOMES = ("confirmed", "verified", "closed", "unreachable", "waiting")


def outcome(entry: CampaignEntry, space: Space) -> str:
    """confirmed by the contact, verified by a volunteer, closed, unreachable (the volunteers' until verified), or
    still waiting for an answer."""
    if entry.answer == Answer.CLOSED or space.status == SpaceStatus.CLOSED:
        return "closed"
    if entry.answer == Answer.CONFIRMED:
        return "confirmed"
    confirmed = space.terms_confirmed_at
    if (space.terms_confirmed_by == ConfirmedBy.VOLUNTEER and confirmed is not None
            and _naive(confirmed) >= _naive(entry.created_at)):
        return "verified"
    if entry.to_volunteers_at is not None or entry.answer == Answer.OPTED_OUT or entry.state in (
            EntryState.NO_ADDRESS, EntryState.REFUSED, EntryState.UNANSWERED):
        return "unreachable"
    return "waiting"


def _naive(moment):
    return moment.replace(tzinfo=None)  # SQLite gives naive UTC datetimes, PostgreSQL aware ones


@dataclass
class Progress:
    total: Counter = field(default_factory=Counter)
    by_country: dict[str, Counter] = field(default_factory=dict)
    states: Counter = field(default_factory=Counter)  # queued, sent, refused, no_address, answered, unanswered
    answers: Counter = field(default_factory=Counter)
    reminded: int = 0  # entries that got at least one reminder
    entries: int = 0

    def as_json(self) -> dict:
        return {"entries": self.entries, "states": dict(sorted(self.states.items())),
                "answers": dict(sorted(self.answers.items())), "reminded": self.reminded,
                "outcomes": {o: self.total[o] for o in OUTCOMES},
                "by_country": {cc: {o: counts[o] for o in OUTCOMES} for cc, counts in sorted(self.by_country.items())}}


def progress(campaign: Campaign) -> Progress:
    out = Progress()
    rows = db.session.execute(sa.select(CampaignEntry, Space).join(Space, Space.id == CampaignEntry.space_id)
                              .where(CampaignEntry.campaign_id == campaign.id)).unique().all()
    for entry, space in rows:
        result = outcome(entry, space)
        out.entries += 1
        out.total[result] += 1
        out.by_country.setdefault(space.country_code, Counter())[result] += 1
        out.states[entry.state.value] += 1
        if entry.answer is not None:
            out.answers[entry.answer.value] += 1
        out.reminded += entry.reminders_sent > 0
    return out
