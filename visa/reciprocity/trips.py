"""The trip planner: for each stop, the nearby spaces that honor the traveller's membership on those dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from visa.directory import search
from visa.directory.models import Space
from visa.reciprocity.rules import Verdict, decide, possible_days
from visa.reciprocity.service import date_range, rules_for

#: Spaces shown per stop; the nearest come first.
OPTIONS_PER_STOP = 8


@dataclass
class Option:
    space: Space
    distance_km: float
    possible_days: list[date]
    verdict: Verdict  # without a date: the allowance and the conditions

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


def plan_stop(home: Space, place: str, lat: float, lon: float, start: date, end: date, radius_km: float) -> StopPlan:
    plan = StopPlan(place, lat, lon, start, end)
    home_rules = rules_for(home)
    days = date_range(start, end)
    # Candidates come from the honors filter (date-independent); each is then
    # asked day by day, since weekdays, seasons and blackouts depend on the date.
    page = search.near(lat, lon, radius_km, search.Filters(honors=home), limit=200)
    for hit in page.hits:
        host_rules = rules_for(hit.space)
        possible = possible_days(home_rules, host_rules, days)
        if possible:
            plan.options.append(Option(hit.space, hit.distance_km or 0.0, possible, decide(home_rules, host_rules)))
        if len(plan.options) >= OPTIONS_PER_STOP:
            break
    return plan


def planned_visits(plans: list[StopPlan]) -> list[tuple[Space, date, date]]:
    """(space, first day, last day) per visit: the nearest option of each stop, one run of consecutive days each."""
    visits = []
    for plan in plans:
        if not plan.options:
            continue
        option = plan.options[0]
        run: list[date] = []
        for day in option.planned_days:
            if run and (day - run[-1]).days != 1:
                visits.append((option.space, run[0], run[-1]))
                run = []
            run.append(day)
        if run:
            visits.append((option.space, run[0], run[-1]))
    return visits
