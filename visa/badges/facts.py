"""What a listing's badge may claim today, from its current record: one kind and the facts behind it.

A badge stands on a host's own site for months, so it never says more than the record does now: a
suspended or archived listing says so instead of its terms, and terms past the staleness rule of the
maps' markers (:func:`visa.directory.presenters.is_stale`) say since when they are not confirmed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from visa.directory.models import Space, SpaceStatus
from visa.directory.presenters import is_stale


class BadgeKind(enum.StrEnum):
    HOST = "host"  # takes part, terms confirmed within the staleness rule
    STALE = "stale"  # takes part, terms not confirmed since
    NOT_TAKING_PART = "no"
    UNSTATED = "unknown"  # participation not stated
    SUSPENDED = "suspended"
    ARCHIVED = "archived"  # SpaceStatus.CLOSED


@dataclass(frozen=True)
class BadgeFacts:
    kind: BadgeKind
    free_days: int | None = None
    confirmed_on: date | None = None


#: Listings with a public badge; a pending or rejected listing has none (it has no public page either).
_STATUS_KINDS = {SpaceStatus.SUSPENDED: BadgeKind.SUSPENDED, SpaceStatus.CLOSED: BadgeKind.ARCHIVED}


def badge_facts(space: Space, now: datetime | None = None) -> BadgeFacts | None:
    """The badge of *space* as its record stands, or None when the listing has no public badge."""
    if space.status in _STATUS_KINDS:
        return BadgeFacts(_STATUS_KINDS[space.status])
    if space.status != SpaceStatus.APPROVED:
        return None
    terms = space.terms
    participates = terms.is_participating if terms is not None else None
    if participates is None:
        return BadgeFacts(BadgeKind.UNSTATED)
    if not participates:
        return BadgeFacts(BadgeKind.NOT_TAKING_PART)
    confirmed = space.terms_confirmed_at.date() if space.terms_confirmed_at is not None else None
    kind = BadgeKind.STALE if is_stale(space, now) else BadgeKind.HOST
    return BadgeFacts(kind, terms.free_days_per_visit, confirmed)
