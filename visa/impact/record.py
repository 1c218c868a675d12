"""A host's record, the figures travellers can check, and when it calls for an admin (pure: no Flask).

The record covers the last 12 months: requests received (less those the member
withdrew), answered (and the median time to answer), accepted, and distinct
visitors hosted. A request left without an answer for 7 days is overdue, even if
answered later: its host is reminded once, while it waits. A host with
:data:`FLAG_UNANSWERED` overdue requests, or :data:`FLAG_UPHELD` upheld "did not
honor" reports, in the period is flagged to the admins.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

PERIOD = timedelta(days=365)
#: A request without an answer this long is overdue.
ANSWER_WITHIN = timedelta(days=7)
#: Overdue requests in the period that flag a host (one can be a holiday; three is a habit).
FLAG_UNANSWERED = 3
#: Upheld "did not honor" reports in the period that flag a host.
FLAG_UPHELD = 2


@dataclass(frozen=True)
class RequestFacts:
    created_at: datetime
    answered_at: datetime | None
    is_accepted: bool


class AnswerRates:
    """The two rates of a count of requests, answered and accepted (a host's record, the network's figures)."""

    requests: int
    answered: int
    accepted: int

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.requests if self.requests else None

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted out of answered: a request not yet answered is neither."""
        return self.accepted / self.answered if self.answered else None


@dataclass(frozen=True)
class Record(AnswerRates):
    requests: int
    answered: int
    accepted: int
    overdue: int
    median_answer: timedelta | None
    visitors: int


def summarize(requests: Iterable[RequestFacts], visitors: int, now: datetime) -> Record:
    """The record from the period's requests and its count of distinct visitors, as of *now*."""
    answered, accepted, overdue, waits = 0, 0, 0, []
    total = 0
    for r in requests:
        total += 1
        # Overdue: no answer within 7 days, whether it came later or not at all.
        if (r.answered_at or now) - r.created_at >= ANSWER_WITHIN:
            overdue += 1
        if r.answered_at is not None:
            answered += 1
            waits.append((r.answered_at - r.created_at).total_seconds())
            accepted += r.is_accepted
    median = timedelta(seconds=statistics.median(waits)) if waits else None
    return Record(total, answered, accepted, overdue, median, visitors)


def flag_reasons(overdue: int, upheld_reports: int) -> list[str]:
    """Why a host with this record is flagged (codes; empty when it is not)."""
    reasons = []
    if overdue >= FLAG_UNANSWERED:
        reasons.append("unanswered")
    if upheld_reports >= FLAG_UPHELD:
        reasons.append("upheld_reports")
    return reasons
