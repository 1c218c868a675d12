"""The figures: a space's record and impact report, the network's impact, the open data export.

Plain functions over ids and dates, shared by the pages, the CSV and JSON
downloads and the CLI. A space's figures come from its own visits and requests
(indexed by space); the network's from the monthly rollups, so no request scans
every visit on record. Everything public about the network goes through
:mod:`visa.impact.suppression`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from visa.directory.models import Space
from visa.extensions import db
from visa.impact.cache import cached
from visa.impact.models import RequestMonth, VisitMonth
from visa.impact.record import PERIOD, AnswerRates, Record, RequestFacts, summarize
from visa.impact.rollup import ACCEPTED, ANSWERED, first_of_month
from visa.impact.suppression import Cell, month_totals, suppress
from visa.passes.models import RequestStatus, Visit, VisitRequest
from visa.timeutil import as_utc, utcnow

#: Months shown on pages and in a space's report.
MONTHS = 12
#: Corridors drawn on the network map.
TOP_CORRIDORS = 15


def last_months(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the *count* months up to and including *today*'s, oldest first."""
    months, month = [], first_of_month(today)
    for _ in range(count):
        months.append(month)
        month = first_of_month(month - timedelta(days=1))
    return months[::-1]


def _space_record_statement() -> sa.Select:
    # One statement (a space page reads it on every view): the count of visitors, always one row, joined to the
    # period's requests, one row each; without any request, that one row with no request in it.
    space_id = sa.bindparam("space_id")
    visitors = (sa.select(sa.func.count(sa.distinct(Visit.pass_id)).label("visitors"))
                .where(Visit.host_space_id == space_id, Visit.visit_date >= sa.bindparam("since_day")).subquery())
    return (sa.select(visitors.c.visitors, VisitRequest.created_at, VisitRequest.answered_at, VisitRequest.status)
            .select_from(visitors)
            .outerjoin(VisitRequest, sa.and_(VisitRequest.host_space_id == space_id,
                                             VisitRequest.created_at >= sa.bindparam("since"),
                                             VisitRequest.status != RequestStatus.CANCELLED)))


#: Built once, with its values bound per call: building it and its cache key cost as much as running it.
_SPACE_RECORD = _space_record_statement()


def space_record(space_id: int, now: datetime | None = None) -> Record:
    """The space's last 12 months as a host: requests answered and how fast, accepted, visitors."""
    now = now or utcnow()
    since = now - PERIOD
    rows = db.session.execute(_SPACE_RECORD, {"space_id": space_id, "since": since, "since_day": since.date()}).all()
    facts = [RequestFacts(as_utc(created), as_utc(answered) if status in ANSWERED and answered else None, status in ACCEPTED)
             for _visitors, created, answered, status in rows if created is not None]
    return summarize(facts, rows[0].visitors or 0, now)


@dataclass(frozen=True)
class MonthFigures:
    month: date
    visitors_hosted: int
    days_hosted: int
    members_sent: int
    days_of_members_sent: int


@dataclass(frozen=True)
class SpaceImpact:
    space_id: int
    months: list[MonthFigures]
    home_countries: list[tuple[str, int, int]]  # (country, visitors, visit days), most visitors first
    hosts_reached: list[tuple[int, str, str, int]]  # (space id, name, country, days) its members spent there
    countries_reached: list[tuple[str, int]]  # (country, days) its members spent there
    homes_hosted: int  # distinct home spaces whose members it hosted

    @property
    def visitors_total(self) -> int:
        return sum(m.visitors_hosted for m in self.months)

    @property
    def members_sent_total(self) -> int:
        return sum(m.members_sent for m in self.months)


def space_impact(space_id: int, today: date | None = None) -> SpaceImpact:
    """A space's last 12 months: visitors hosted and members sent by month, where they come from and go."""
    months = last_months(today or utcnow().date())
    since = months[0]
    hosted = db.session.execute(
        sa.select(Visit.visit_date, Visit.pass_id, Visit.member_country, Visit.home_space_id)
        .where(Visit.host_space_id == space_id, Visit.visit_date >= since)).all()
    sent = db.session.execute(
        sa.select(Visit.visit_date, Visit.pass_id, Visit.host_space_id, Space.name, Space.country_code)
        .join(Space, Space.id == Visit.host_space_id)
        .where(Visit.home_space_id == space_id, Visit.visit_date >= since)).all()

    visitors, days, members, member_days = (defaultdict(set), Counter(), defaultdict(set), Counter())
    by_country_visitors, by_country_days = defaultdict(set), Counter()
    for day, pass_id, country, _home in hosted:
        month = first_of_month(day)
        visitors[month].add(pass_id)
        days[month] += 1
        by_country_visitors[country or ""].add(pass_id)
        by_country_days[country or ""] += 1
    hosts, host_names, countries = Counter(), {}, Counter()
    for day, pass_id, host_id, name, country in sent:
        month = first_of_month(day)
        members[month].add(pass_id)
        member_days[month] += 1
        hosts[host_id] += 1
        host_names[host_id] = (name, country)
        countries[country] += 1
    figures = [MonthFigures(m, len(visitors[m]), days[m], len(members[m]), member_days[m]) for m in months]
    home_countries = sorted(((c, len(v), by_country_days[c]) for c, v in by_country_visitors.items()),
                            key=lambda row: (-row[1], row[0]))
    reached = [(host_id, *host_names[host_id], n) for host_id, n in hosts.most_common()]
    return SpaceImpact(space_id, figures, home_countries, reached, countries.most_common(),
                       len({home for *_rest, home in hosted if home is not None}))


def _visit_counts(since: date | None = None) -> dict[tuple[str, str, str], int]:
    query = sa.select(VisitMonth.month, VisitMonth.home_country, VisitMonth.host_country, VisitMonth.visits)
    if since is not None:
        query = query.where(VisitMonth.month >= since)
    labels: dict[date, str] = {}  # thousands of cells, a dozen months: format each month once
    return {(labels.get(month) or labels.setdefault(month, f"{month:%Y-%m}"), home, host): visits
            # Core, not the ORM: plain rows, without the ORM's per-row loading work.
            for month, home, host, visits in db.session.connection().execute(query)}


@dataclass(frozen=True)
class NetworkImpact(AnswerRates):
    months: list[tuple[str, int | None]]  # ("YYYY-MM", visits or None when under the threshold)
    corridors: list[tuple[str, str, int]]  # (home country, host country, published visits), largest first
    countries_hosting: list[str]
    countries_sending: list[str]
    requests: int
    answered: int
    accepted: int
    mean_answer: timedelta | None

    @property
    def published_visits(self) -> int:
        """Visits over the months whose total is published (a month under 5 would be given back by the sum)."""
        return sum(v for _m, v in self.months if v)

    @property
    def has_withheld_months(self) -> bool:
        """Some month had visits but fewer than 5: the tile says so, as the month table does ("under 5")."""
        return any(v is None for _m, v in self.months)

    @property
    def countries_reached(self) -> list[str]:
        return sorted(set(self.countries_hosting) | set(self.countries_sending))


def network_impact(today: date | None = None) -> NetworkImpact:
    """The network's last 12 months, from the rollups; every figure a published one (see suppression)."""
    today = today or utcnow().date()
    return cached(("network", today), lambda: _network_impact(today))


def _network_impact(today: date) -> NetworkImpact:
    months = last_months(today)
    counts = _visit_counts(months[0])
    totals = month_totals(counts)
    by_month = [(f"{m:%Y-%m}", totals.get(f"{m:%Y-%m}", 0)) for m in months]
    # Corridors add up published cells only: a total over the year would give back the suppressed months.
    pairs: Counter = Counter()
    for cell in suppress(counts):
        if cell.count is not None and cell.home_country != cell.host_country:
            pairs[(cell.home_country, cell.host_country)] += cell.count
    corridors = [(home, host, n) for (home, host), n in pairs.most_common(TOP_CORRIDORS)]
    hosting = sorted({host for (_m, _home, host), n in counts.items() if n > 0 and host})
    sending = sorted({home for (_m, home, _host), n in counts.items() if n > 0 and home})
    requests, answered, accepted, seconds = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(RequestMonth.requests), 0),
                  sa.func.coalesce(sa.func.sum(RequestMonth.answered), 0),
                  sa.func.coalesce(sa.func.sum(RequestMonth.accepted), 0),
                  sa.func.coalesce(sa.func.sum(RequestMonth.answer_seconds), 0))
        .where(RequestMonth.month >= months[0])).one()
    mean = timedelta(seconds=int(seconds) / answered) if answered else None
    return NetworkImpact(by_month, corridors, hosting, sending, int(requests), int(answered), int(accepted), mean)


def open_export() -> tuple[list[Cell], dict[str, int | None]]:
    """Every month on record by country pair, small counts suppressed; and the months' totals."""
    def compute():
        counts = _visit_counts()
        return suppress(counts), month_totals(counts)

    return cached(("open",), compute)
