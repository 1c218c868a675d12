"""The Coworking Visa rules, in one place and with no Flask.

:func:`decide` answers for one home space and one host, optionally on a date,
with every reason (a code plus the data for a sentence) and the conditions of
the visit. :func:`honoring_mask` evaluates the same date-independent rules for
one home against many hosts at once (numpy), for the map filter; a property
test holds the two to the same answers.

Every term may be None: "not stated". The verdict is three-valued: honored is
True, False, or None (unknown). A space whose participation is not stated gives
an unknown verdict, never a refusal: the reasons say the terms are unknown and
whom to ask. A definite refusal (a term that excludes, a space that does not take
part) outweighs an unknown. Other unstated terms restrict nothing and are listed
as a condition to ask the host about.

Rules, in the order they are reported:
1. both spaces must be listed (approved) and participating;
2. a space never hosts its own members;
3. the host may exclude listed spaces;
4. the host may require the home space to be at least N km away (geodesic);
5. the host may exclude members from its own city;
6. a reciprocal-only host honors a home space only if that space, by rules 1-5,
   would honor the host's members;
7. on a given date: the host's days of the week, season and blackout dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from geopy.distance import geodesic

from visa.geo.distance import haversine_km_many

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: haversine and geodesic differ by up to about 0.5 %; nearer than this to a
#: distance limit, the vectorised path asks geodesic, as decide() does.
_DISTANCE_MARGIN = 0.006


@dataclass(frozen=True)
class Terms:
    """A host's terms for the rules; None is "not stated" (the defaults are the visa's tradition, for tests)."""

    participates: bool | None = True
    free_days_per_visit: int | None = 3
    free_days_per_month: int | None = None
    free_days_per_year: int | None = None
    advance_notice_hours: int | None = 24
    request_method: str | None = "email"
    request_contact: str | None = ""
    membership_proof: bool | None = True
    weekdays: int | None = 31  # bit 0 = Monday
    season: tuple[tuple[int, int], tuple[int, int]] | None = None  # ((month, day), (month, day)), may wrap
    blackouts: tuple[tuple[date, date], ...] = ()
    capacity_per_day: int | None = None
    min_distance_km: float | None = None
    excludes_same_city: bool | None = False
    excluded_ids: frozenset[int] = frozenset()
    reciprocal_only: bool | None = False


#: Terms the conditions of a visit need; each one not stated is named in a "not_stated" condition.
_ASK_ABOUT = ("free_days_per_visit", "advance_notice_hours", "request_method", "membership_proof", "weekdays")


@dataclass(frozen=True)
class SpaceRules:
    id: int
    slug: str
    name: str
    lat: float
    lon: float
    city_key: str
    is_listed: bool = True
    terms: Terms = field(default_factory=Terms)
    contact: str = ""  # whom to ask when the terms are not stated (e-mail, phone or website)


@dataclass(frozen=True)
class Finding:
    code: str
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, **self.data}


#: Reasons that leave the verdict unknown rather than refused: a participation nobody stated.
UNKNOWN_CODES = frozenset({"host_terms_unknown", "home_terms_unknown"})


@dataclass(frozen=True)
class Verdict:
    honored: bool | None  # None: unknown (a participation not stated), never to be shown as a refusal
    allowance: dict
    reasons: tuple[Finding, ...]
    conditions: tuple[Finding, ...]

    def as_dict(self) -> dict:
        return {"honored": self.honored, "allowance": self.allowance,
                "reasons": [r.as_dict() for r in self.reasons], "conditions": [c.as_dict() for c in self.conditions]}


def distance_km(a: SpaceRules, b: SpaceRules) -> float:
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).km


def _admission(home: SpaceRules, host: SpaceRules) -> tuple[list[Finding], list[Finding]]:
    """Rules 1-5 of the module docstring: (failures, passed checks)."""
    failures: list[Finding] = []
    passed: list[Finding] = []
    terms = host.terms
    if not home.is_listed:
        failures.append(Finding("home_not_listed", {"home": home.slug}))
    if not host.is_listed:
        failures.append(Finding("host_not_listed", {"host": host.slug}))
    if home.terms.participates is None:
        failures.append(Finding("home_terms_unknown", {"home": home.name, "contact": home.contact}))
    elif not home.terms.participates:
        failures.append(Finding("home_not_participating", {"home": home.name}))
    if terms.participates is None:
        failures.append(Finding("host_terms_unknown", {"host": host.name, "contact": host.contact}))
    elif not terms.participates:
        failures.append(Finding("host_not_participating", {"host": host.name}))
    if home.id == host.id:
        failures.append(Finding("same_space", {}))
        return failures, passed
    if home.id in terms.excluded_ids:
        failures.append(Finding("excluded_space", {"home": home.name}))
    if terms.min_distance_km:
        km = distance_km(home, host)
        data = {"distance_km": round(km, 1), "min_distance_km": terms.min_distance_km}
        if km < terms.min_distance_km:
            failures.append(Finding("too_close", data))
        else:
            passed.append(Finding("far_enough", data))
    if terms.excludes_same_city and home.city_key == host.city_key:
        failures.append(Finding("same_city", {"city": host.city_key.split(":", 1)[-1]}))
    return failures, passed


def _on_date(terms: Terms, on: date) -> list[Finding]:
    failures = []
    if terms.weekdays is not None and not terms.weekdays & (1 << on.weekday()):
        failures.append(Finding("closed_weekday", {"date": on.isoformat(), "weekday": WEEKDAY_NAMES[on.weekday()],
                                                    "open_days": weekday_names(terms.weekdays)}))
    if terms.season and not in_season(terms.season, on):
        (sm, sd), (em, ed) = terms.season
        failures.append(Finding("out_of_season", {"date": on.isoformat(), "season_start": f"{sm:02d}-{sd:02d}",
                                                   "season_end": f"{em:02d}-{ed:02d}"}))
    for start, end in terms.blackouts:
        if start <= on <= end:
            failures.append(Finding("blackout", {"date": on.isoformat(), "start": start.isoformat(),
                                                 "end": end.isoformat()}))
            break
    return failures


def weekday_names(mask: int) -> list[str]:
    return [name for i, name in enumerate(WEEKDAY_NAMES) if mask & (1 << i)]


def in_season(season: tuple[tuple[int, int], tuple[int, int]], on: date) -> bool:
    start, end = season
    today = (on.month, on.day)
    return start <= today <= end if start <= end else (today >= start or today <= end)


def _conditions(terms: Terms, on: date | None, contact: str = "") -> list[Finding]:
    found = [Finding("free_days", {"per_visit": terms.free_days_per_visit, "per_month": terms.free_days_per_month,
                                   "per_year": terms.free_days_per_year})]
    found.append(Finding("request", {"method": terms.request_method, "contact": terms.request_contact,
                                     "notice_hours": terms.advance_notice_hours}))
    if terms.membership_proof:
        found.append(Finding("membership_proof", {}))
    if terms.capacity_per_day:
        found.append(Finding("capacity", {"per_day": terms.capacity_per_day}))
    if on is None and terms.weekdays is not None:
        found.append(Finding("weekdays", {"open_days": weekday_names(terms.weekdays)}))
        if terms.season:
            (sm, sd), (em, ed) = terms.season
            found.append(Finding("season", {"start": f"{sm:02d}-{sd:02d}", "end": f"{em:02d}-{ed:02d}"}))
        if terms.blackouts:
            found.append(Finding("blackouts", {"periods": [[s.isoformat(), e.isoformat()] for s, e in terms.blackouts]}))
    unknown = [name for name in _ASK_ABOUT if getattr(terms, name) is None]
    if unknown:
        found.append(Finding("not_stated", {"terms": unknown, "contact": terms.request_contact or contact}))
    return found


def decide(home: SpaceRules, host: SpaceRules, on_date: date | None = None) -> Verdict:
    """Does *host* honor a member of *home* (on *on_date*, if given)?"""
    failures, passed = _admission(home, host)
    if host.terms.reciprocal_only and _honored(failures) is not False:
        # Even when a participation is unknown, a home that would surely not host the host's members is refused.
        back, _ = _admission(host, home)
        if _honored(back) is False:
            failures.append(Finding("not_reciprocal", {"home": home.name, "because": [f.code for f in back]}))
        elif not back:
            passed.append(Finding("reciprocal", {"home": home.name}))
    if on_date is not None:
        dated = _on_date(host.terms, on_date)
        failures += dated
        if not dated:
            passed.append(Finding("open_on_date", {"date": on_date.isoformat()}))
    honored = _honored(failures)
    terms = host.terms
    if honored:
        allowance = {"free_days_per_visit": terms.free_days_per_visit, "free_days_per_month": terms.free_days_per_month,
                     "free_days_per_year": terms.free_days_per_year}
    else:  # refused: no free day; unknown: nobody has said
        allowance = dict.fromkeys(("free_days_per_visit", "free_days_per_month", "free_days_per_year"),
                                  None if honored is None else 0)
    reasons = tuple(failures) if failures else tuple([Finding("honored", {"host": host.name}), *passed])
    return Verdict(honored, allowance, reasons, tuple(_conditions(terms, on_date, host.contact)) if honored else ())


def _honored(failures: list[Finding]) -> bool | None:
    if not failures:
        return True
    return None if all(f.code in UNKNOWN_CODES for f in failures) else False


def possible_days(home: SpaceRules, host: SpaceRules, days: Iterable[date]) -> list[date]:
    """The days among *days* on which *host* honors *home*.

    The same answer as ``decide(home, host, d).honored`` for each day, with the date-independent
    rules (distances included) checked once rather than once a day.
    """
    if not decide(home, host).honored:
        return []
    return [d for d in days if not _on_date(host.terms, d)]


@dataclass
class HostArrays:
    """The hosts' date-independent rules as columns (one row per host), for :func:`honoring_mask`."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    participates: np.ndarray
    min_distance_km: np.ndarray  # NaN: no limit
    excludes_same_city: np.ndarray
    reciprocal_only: np.ndarray
    city_keys: np.ndarray  # one value per city: the key itself, or an integer code for it


def _geodesic_near_limit(home: SpaceRules, hosts: HostArrays, km: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Distances with geodesic where haversine is too close to the limit to decide."""
    km = km.copy()
    near = np.flatnonzero(np.abs(km - limit) <= limit * _DISTANCE_MARGIN + 0.01)
    for i in near:
        km[i] = geodesic((home.lat, home.lon), (hosts.lat[i], hosts.lon[i])).km
    return km


def honoring_mask(home: SpaceRules, hosts: HostArrays, hosts_excluding_home: np.ndarray,
                  home_city: object = None) -> np.ndarray:
    """For each host row: would :func:`decide(home, host)` (no date) say honored?

    *hosts_excluding_home* holds the ids of hosts that list *home* as excluded.
    *home_city* is the home's value in ``hosts.city_keys`` when those are codes.
    All hosts are taken as listed: callers pass approved spaces only.
    """
    n = len(hosts.ids)
    if not home.is_listed or not home.terms.participates:
        return np.zeros(n, dtype=bool)
    mask = hosts.participates & (hosts.ids != home.id) & ~np.isin(hosts.ids, hosts_excluding_home)
    km = haversine_km_many(home.lat, home.lon, hosts.lat, hosts.lon)
    limit = np.nan_to_num(hosts.min_distance_km, nan=0.0)
    checked = limit > 0
    exact = _geodesic_near_limit(home, hosts, km, limit)
    mask &= ~(checked & (exact < limit))
    same_city = hosts.city_keys == (home.city_key if home_city is None else home_city)
    mask &= ~(hosts.excludes_same_city & same_city)
    # Reciprocal-only hosts: would home, by its own rules, honor the host's members?
    terms = home.terms
    back = np.ones(n, dtype=bool)
    if terms.excluded_ids:
        back &= ~np.isin(hosts.ids, np.fromiter(terms.excluded_ids, dtype=np.int64))
    if terms.min_distance_km:
        home_limit = np.full(n, float(terms.min_distance_km))
        back &= ~(_geodesic_near_limit(home, hosts, km, home_limit) < home_limit)
    if terms.excludes_same_city:
        back &= ~same_city
    mask &= ~hosts.reciprocal_only | back
    return mask
