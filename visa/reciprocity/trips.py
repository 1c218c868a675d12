"""The trip planner: for each stop, the nearby spaces that honor the traveller's membership on those dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from visa.directory import search
from visa.directory.models import Space
from visa.reciprocity.rules import SpaceRules, Verdict
from visa.reciprocity.service import date_range, search_filter
from visa.reciprocity.verdicts import host_verdicts

#: Spaces shown per stop; the nearest come first.
OPTIONS_PER_STOP = 8


@dataclass
class Option:
    space: Space
    distance_km: float
    possible_days: list[date]
    verdict: Verdict  # without a date: the allowance and the conditions
    rules: SpaceRules  # the host's: its notice and contact for the visits

    @property
    def planned_days(self) -> list[date]:
        """The first possible days, as many as one visit allows."""
        return self.possible_days[: self.verdict.allowance["free_days_per_visit"]]


@dataclass
class StopPlan:
    place: str
    lat: float
    lon: float
    start: date
    end: date
    options: list[Option] = field(default_factory=list)
    # Without a home space: the participating spaces near the stop, nearest first (no verdict to give).
    participating: list[search.Hit] = field(default_factory=list)


def plan_stop(home: Space, place: str, lat: float, lon: float, start: date, end: date, radius_km: float) -> StopPlan:
    plan = StopPlan(place, lat, lon, start, end)
    # Candidates come from the honors filter (date-independent); each is then
    # asked day by day, since weekdays, seasons and blackouts depend on the date.
    page = search.near(lat, lon, radius_km, search.Filters(honors=search_filter(home)), limit=200)
    distances = {hit.space.id: hit.distance_km or 0.0 for hit in page.hits}
    for found in host_verdicts(home, [hit.space for hit in page.hits], date_range(start, end)):
        if found.possible_days:
            plan.options.append(Option(found.space, distances[found.space.id], found.possible_days, found.verdict,
                                       found.rules))
        if len(plan.options) >= OPTIONS_PER_STOP:
            break
    return plan


def _participates(index) -> np.ndarray:
    return index.column("participates")


def participating_near(place: str, lat: float, lon: float, start: date, end: date, radius_km: float) -> StopPlan:
    """A stop's plan for a traveller without a home space: the spaces that take part, nearest first."""
    plan = StopPlan(place, lat, lon, start, end)
    plan.participating = search.near(lat, lon, radius_km, search.Filters(honors=_participates),
                                     limit=OPTIONS_PER_STOP).hits
    return plan


@dataclass(frozen=True)
class Visit:
    """Consecutive planned days at one space, and how far ahead to write to its host."""

    space: Space
    days: list[date]
    notice_hours: int | None
    contact: str


def chosen_options(plans: list[StopPlan], chosen: set[str] | None = None) -> list[Option]:
    """The options the traveller ticked (by slug); with none ticked, the nearest option of each stop."""
    picked = [o for plan in plans for o in plan.options if chosen and o.space.slug in chosen]
    return picked or [plan.options[0] for plan in plans if plan.options]


def planned_visits(plans: list[StopPlan], chosen: set[str] | None = None) -> list[Visit]:
    """A visit per run of consecutive planned days at each chosen space, in date order."""
    visits = []
    for option in chosen_options(plans, chosen):
        rules = option.rules
        run: list[date] = []
        for day in [*option.planned_days, None]:
            if run and (day is None or (day - run[-1]).days != 1):
                visits.append(Visit(option.space, run, rules.terms.advance_notice_hours, rules.contact))
                run = []
            if day is not None:
                run.append(day)
    return sorted(visits, key=lambda v: (v.days[0], v.space.name))
