"""The one verdict loop: what a member of a home space may expect at each of many listed spaces.

Used by the map page's list, the API's ``home=`` verdicts, the trip planner and
(through the planner's visits) the .ics. The home space's rules are read once;
each host is decided without a date (allowance and conditions) and, when days
are given, day by day. The API's hot path asks it only for the hosts whose
pre-encoded verdict it cannot reuse (see :mod:`visa.directory.fragments`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from visa.directory.models import Space
from visa.reciprocity.rules import SpaceRules, Verdict, decide, possible_days
from visa.reciprocity.service import rules_for


@dataclass
class HostVerdict:
    space: Space
    rules: SpaceRules  # the host's, for callers that need its contact or notice
    verdict: Verdict  # without a date: the allowance and the conditions
    possible_days: list[date] | None  # None when no days were asked

    @property
    def honored(self) -> bool | None:
        return self.verdict.honored


def host_verdicts(home: Space, hosts: Iterable[Space], days: list[date] | None = None) -> Iterator[HostVerdict]:
    """A verdict for each host in order, and the days among *days* on which it honors *home*.

    Lazy, so that a caller that needs only the first few (the trip planner) stops early.
    """
    home_rules = rules_for(home)
    for host in hosts:
        host_rules = rules_for(host)
        possible = possible_days(home_rules, host_rules, days) if days is not None else None
        yield HostVerdict(host, host_rules, decide(home_rules, host_rules), possible)
