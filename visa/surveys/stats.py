"""Survey figures from answers: distributions, Wilson intervals, the commute saved, the network's suppressed
tables (pure: no Flask, no database).

An answer here is a mapping {question key: option value} holding the questions answered (skipped ones are
absent). A space's figures are shown only from :data:`MIN_RESPONSES` answers; the network's tables hide every
country under :data:`~visa.impact.suppression.THRESHOLD` respondents, and more countries where a published total
could give a hidden one back (:func:`visa.impact.suppression.hidden_groups`, the rule of the visit data).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from visa.impact.suppression import THRESHOLD, gives_back, hidden_groups
from visa.surveys.questionnaire import (
    BY_KEY,
    CAR_SHARE,
    CLOSED_QUESTIONS,
    DAYS_A_WEEK,
    DISTANCE_KM,
    INDICATORS,
    Kind,
    Question,
)

#: Under this many answers a space's report shows the count alone.
MIN_RESPONSES = 5
#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054
#: Working weeks a year a commute is counted for (52 less holidays and public holidays).
WORKING_WEEKS = 46


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of *successes* out of *n* (Wilson 1927; Newcombe 1998, method 3)."""
    if n <= 0:
        raise ValueError("an interval needs at least one answer")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


@dataclass(frozen=True)
class Proportion:
    """Members who gave a positive answer to an indicator, out of those who answered it."""

    key: str
    positive: int
    answered: int

    @property
    def share(self) -> float | None:
        return self.positive / self.answered if self.answered else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.positive, self.answered) if self.answered else None


def distribution(question: Question, answers: Iterable[Mapping[str, str]]) -> list[tuple[str, int]]:
    """(option value, count) for each of *question*'s options, in the questionnaire's order."""
    counts = Counter(answer[question.key] for answer in answers if question.key in answer)
    return [(value, counts[value]) for value in question.values]


def proportion(question: Question, counts: Iterable[tuple[str, int]]) -> Proportion:
    counts = list(counts)
    return Proportion(question.key, sum(n for value, n in counts if value in question.positive),
                      sum(n for _value, n in counts))


@dataclass(frozen=True)
class Commute:
    """The commute the answers say was saved, a year: counted for members who gave both distances and their days."""

    counted: int  # members counted for the distance
    km_saved: float  # km a year, all counted members together (negative: more driving than before)
    counted_co2: int  # members who also gave both modes
    co2_saved_t: float  # t of CO2 a year, at the emission factor given


def commute(answers: Iterable[Mapping[str, str]], kg_co2_per_km: float) -> Commute:
    """Each member's round trip before less now, times the days a week at the space, times
    :data:`WORKING_WEEKS`; CO2 counts the kilometres driven (:data:`~visa.surveys.questionnaire.CAR_SHARE`)."""
    counted = counted_co2 = 0
    km = kg = 0.0
    for answer in answers:
        before, now, days = answer.get("commute_before_km"), answer.get("commute_now_km"), answer.get("days_per_week")
        if before is None or now is None or days is None:
            continue
        trips = 2 * DAYS_A_WEEK[days] * WORKING_WEEKS
        counted += 1
        km += (DISTANCE_KM[before] - DISTANCE_KM[now]) * trips
        mode_before, mode_now = answer.get("commute_before_mode"), answer.get("commute_now_mode")
        if mode_before is None or mode_now is None:
            continue
        counted_co2 += 1
        driven = DISTANCE_KM[before] * CAR_SHARE[mode_before] - DISTANCE_KM[now] * CAR_SHARE[mode_now]
        kg += driven * trips * kg_co2_per_km
    return Commute(counted, km, counted_co2, kg / 1000)


@dataclass(frozen=True)
class SpaceFigures:
    """A wave's report. ``is_shown`` is False under :data:`MIN_RESPONSES` answers: then only the count is shown."""

    responses: int
    verified: int  # through a single-use link
    invited: int  # single-use links mailed
    distributions: dict[str, list[tuple[str, int]]]
    proportions: list[Proportion]
    commute: Commute | None

    @property
    def is_shown(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def open_link(self) -> int:
        return self.responses - self.verified

    @property
    def response_rate(self) -> float | None:
        """Answers through single-use links out of links mailed (open-link answers are not counted)."""
        return self.verified / self.invited if self.invited else None


def space_figures(answers: list[Mapping[str, str]], verified: int, invited: int,
                  kg_co2_per_km: float) -> SpaceFigures:
    if len(answers) < MIN_RESPONSES:
        return SpaceFigures(len(answers), verified, invited, {}, [], None)
    distributions = {question.key: distribution(question, answers) for question in CLOSED_QUESTIONS}
    proportions = [proportion(question, distributions[question.key]) for question in INDICATORS]
    return SpaceFigures(len(answers), verified, invited, distributions, proportions,
                        commute(answers, kg_co2_per_km))


# -- The network's tables -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CountryRow:
    country: str
    answered: int | None  # None: suppressed
    counts: tuple[tuple[str, int], ...] | None  # None: suppressed

    @property
    def is_suppressed(self) -> bool:
        return self.answered is None


@dataclass(frozen=True)
class NetworkTable:
    """One question in one wave year: the network's distribution and each country's, suppressed."""

    wave: str  # the year the waves opened, "2026"
    key: str
    answered: int | None  # None: the whole network under the threshold
    counts: tuple[tuple[str, int], ...] | None
    countries: tuple[CountryRow, ...]

    @property
    def proportion(self) -> Proportion | None:
        question = BY_KEY[self.key]
        if self.counts is None or not question.is_indicator:
            return None
        return proportion(question, self.counts)

    def country_proportion(self, row: CountryRow) -> Proportion | None:
        question = BY_KEY[self.key]
        if row.counts is None or not question.is_indicator:
            return None
        return proportion(question, row.counts)


def answer_counts(answers: Iterable[Mapping[str, str]]) -> dict[str, dict[str, int]]:
    """{question: {answer: members}} of the closed questions: what a wave keeps of its answers once closed."""
    closed = {question.key for question in CLOSED_QUESTIONS}
    flat: Counter = Counter((key, value) for answer in answers for key, value in answer.items() if key in closed)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (key, value), n in flat.items():
        counts[key][value] = n
    return dict(counts)


def network_tables(waves: Iterable[tuple[str, str, Mapping[str, Mapping[str, int]]]],
                   threshold: int = THRESHOLD) -> list[NetworkTable]:
    """Tables for (wave year, country, :func:`answer_counts`) of each wave: one per year and closed question, sorted.

    A country's row is published only with :data:`THRESHOLD` members or more who answered that question, and
    when no published total gives a hidden row back; the network's own figures only from the threshold, and not
    when they alone would give a hidden country back.
    """
    counts: dict[tuple[str, str], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for wave, country, by_question in waves:
        for key, by_answer in by_question.items():
            if key in BY_KEY and BY_KEY[key].kind != Kind.TEXT:
                counts[(wave, key)][country].update(by_answer)
    tables = []
    for (wave, key), by_country in sorted(counts.items()):
        question = BY_KEY[key]
        sizes = {country: sum(c.values()) for country, c in by_country.items()}
        total = sum(sizes.values())
        hidden = hidden_groups(sizes, threshold)
        rows = tuple(CountryRow(country, None, None) if country in hidden else
                     CountryRow(country, sizes[country],
                                tuple((value, by_country[country][value]) for value in question.values))
                     for country in sorted(by_country))
        network = Counter()
        for c in by_country.values():
            network.update(c)
        # Every country hidden and still giving one back (a lone country, or all of them tiny): no network total.
        if total < threshold or gives_back([sizes[country] for country in hidden], threshold):
            tables.append(NetworkTable(wave, key, None, None, tuple(CountryRow(r.country, None, None) for r in rows)))
        else:
            tables.append(NetworkTable(wave, key, total, tuple((v, network[v]) for v in question.values), rows))
    return tables
