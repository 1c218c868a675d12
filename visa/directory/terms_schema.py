"""The visa terms fields, declared once (pure: no Flask).

Every terms field is listed in :data:`TERMS` with its kind, label, form group,
place in the API's terms object, export column and the words an import header
may use. The model's columns, the revision snapshot, the terms form, the
importer, the exporter and the presenters are all derived from this list, so a
new field is added here (plus a migration and a translation).

Every field may be "not stated" (``None``): the registry never shows a term its
source did not give. Participation is yes / no / not stated.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from visa.messages import N_, define
from visa.timeutil import LEAP_YEAR
from visa.values import CleaningError, number, yes_no

define({
    # Translators: %(low)s and %(high)s are the smallest and largest numbers
    # allowed; %(value)r is the value that was read, in quotes.
    "not_a_whole_number": N_("expected a whole number from %(low)s to %(high)s, found %(value)r"),
    # Translators: %(choices)s is the list of accepted values; %(value)r is
    # the value that was read, in quotes.
    "not_a_choice": N_("expected one of %(choices)s, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes. Keep the
    # examples Mon-Fri and 'mon tue wed' as they are: they are what the file
    # must hold.
    "not_weekdays": N_("expected days such as Mon-Fri or 'mon tue wed', found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes. MM-DD is a
    # format: keep it.
    "not_a_month_day": N_("expected a day as MM-DD, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes. Keep the
    # example dates as they are.
    "not_periods": N_("expected periods such as 2026-12-24 to 2027-01-02, found %(value)r"),
})


class RequestMethod(enum.StrEnum):
    EMAIL = "email"
    FORM = "form"
    PHONE = "phone"


#: Days of the week as bits, Monday first, for the weekdays field.
WEEKDAY_BITS = {"mon": 1, "tue": 2, "wed": 4, "thu": 8, "fri": 16, "sat": 32, "sun": 64}
WEEKDAYS_MON_FRI = 31
ALL_WEEKDAYS = 127
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_PERIOD = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:to|–|-|→)\s*(\d{4}-\d{2}-\d{2})\s*$")
_DAY_NAMES = {name: bit for name, bit in WEEKDAY_BITS.items()} | {
    "monday": 1, "tuesday": 2, "wednesday": 4, "thursday": 8, "friday": 16, "saturday": 32, "sunday": 64}


class Kind:
    """How one kind of value is stored, read from an import cell and written to an export cell.

    ``None`` is "not stated" in every method.
    """

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        raise NotImplementedError

    def parse(self, field: TermField, text: str) -> Any:
        """An import cell; blank is not stated. :raise CleaningError:."""
        raise NotImplementedError

    def to_cell(self, value: Any) -> Any:
        return "" if value is None else value

    def to_plain(self, value: Any) -> Any:
        """A JSON value for revisions and the API."""
        return value

    def from_plain(self, value: Any) -> Any:
        return value


class YesNo(Kind):
    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.Boolean()

    def parse(self, field: TermField, text: str) -> bool | None:
        return yes_no(text, default=None)

    def to_cell(self, value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")


class Count(Kind):
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.Integer()

    def parse(self, field: TermField, text: str) -> int | None:
        value = number(text)
        if value is None:
            return None
        if value != int(value) or not self.low <= value <= self.high:
            raise CleaningError("not_a_whole_number", low=self.low, high=self.high, value=text)
        return int(value)


class Choice(Kind):
    def __init__(self, choices: type[enum.StrEnum]) -> None:
        self.choices = choices

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.Enum(self.choices, native_enum=False, length=max(8, *(len(c.value) for c in self.choices)),
                       values_callable=lambda e: [m.value for m in e])

    def parse(self, field: TermField, text: str) -> enum.StrEnum | None:
        words = set(re.findall(r"[a-z]+", text.lower()))
        if not words:
            return None
        found = [c for c in self.choices if c.value in words or (c.value == "email" and "mail" in words)]
        if len(found) != 1:
            raise CleaningError("not_a_choice", choices=", ".join(c.value for c in self.choices), value=text)
        return found[0]

    def to_cell(self, value: enum.StrEnum | None) -> str:
        return "" if value is None else value.value

    def to_plain(self, value: Any) -> str | None:
        return None if value is None else getattr(value, "value", value)

    def from_plain(self, value: str | None) -> enum.StrEnum | None:
        return None if value is None else self.choices(value)


class Text(Kind):
    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.String(self.max_length) if self.max_length else sa.Text()

    def parse(self, field: TermField, text: str) -> str | None:
        text = text.strip()
        return text[: self.max_length] if text and self.max_length else (text or None)


class Weekdays(Kind):
    """Days of the week as bits (Monday = 1); read from "Mon-Fri", "mon tue wed", "weekdays", "every day"."""

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.Integer()

    def parse(self, field: TermField, text: str) -> int | None:
        words = text.strip().lower()
        if not words:
            return None
        if words in ("weekdays", "week days", "mon-fri", "monday-friday", "monday to friday", "mon to fri"):
            return WEEKDAYS_MON_FRI
        if words in ("all", "every day", "everyday", "daily", "7 days", "mon-sun", "monday-sunday"):
            return ALL_WEEKDAYS
        mask = 0
        for word in re.findall(r"[a-z]+", words):
            if word not in _DAY_NAMES:
                raise CleaningError("not_weekdays", value=text)
            mask |= _DAY_NAMES[word]
        return mask or None

    def to_cell(self, value: int | None) -> str:
        return "" if value is None else " ".join(names_of_weekdays(value))

    def to_plain(self, value: int | None) -> int | None:
        return value


class MonthDay(Kind):
    """A day of the year (a season bound), stored as a date in a leap year."""

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.Date()

    def parse(self, field: TermField, text: str) -> date | None:
        if not text.strip():
            return None
        value = month_day(text)
        if value is None:
            raise CleaningError("not_a_month_day", value=text)
        return value

    def to_cell(self, value: date | None) -> str:
        return "" if value is None else value.strftime("%m-%d")

    def to_plain(self, value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    def from_plain(self, value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None


class Periods(Kind):
    """Closed periods: [{"start": ISO date, "end": ISO date}], read from "2026-12-24 to 2027-01-02; ..."."""

    def column_type(self, field: TermField) -> sa.types.TypeEngine:
        return sa.JSON()

    def parse(self, field: TermField, text: str) -> list[dict] | None:
        lines = [p for p in re.split(r"[;\n]", text) if p.strip()]
        if not lines:
            return None
        periods = [period(p) for p in lines]
        if None in periods:
            raise CleaningError("not_periods", value=text)
        return periods

    def to_cell(self, value: list | None) -> str:
        return "; ".join(f"{p['start']} to {p['end']}" for p in value or [])


@dataclass(frozen=True)
class TermField:
    name: str  # model column; "terms.<name>" in revisions
    kind: Kind
    label: str  # English; translated where shown
    group: str  # the form's fieldset and the page's section
    api: tuple[str, ...]  # where the value sits in the API's terms object
    export: str  # column of the CSV and GeoJSON export
    import_words: tuple[str, ...] = ()  # phrases an import header may hold ("coworking visa", "free days")
    rule: str = ""  # the attribute of visa.reciprocity.rules.Terms it feeds; "" when the rules do not read it
    shown: str = ""  # English, for pages that show the value (not a form): the label without the form's hint

    @property
    def shown_label(self) -> str:
        """The label where the value is shown: "Closed to visitors", not the form's "(one period a line: ...)"."""
        return self.shown or self.label

    def parse(self, text: str | None) -> Any:
        return self.kind.parse(self, text or "")

    def to_cell(self, value: Any) -> Any:
        return self.kind.to_cell(value)

    def to_plain(self, value: Any) -> Any:
        return self.kind.to_plain(value)

    def from_plain(self, value: Any) -> Any:
        return self.kind.from_plain(value)


GROUPS = {"participation": N_("Participation"), "days": N_("Free days"), "request": N_("Asking for a visit"),
          "when": N_("When"), "who": N_("Who"), "notes": N_("Notes")}

TERMS: tuple[TermField, ...] = (
    TermField("is_participating", YesNo(), N_("Takes part in the Coworking Visa"), "participation",
              ("participates",), "participates",
              ("coworking visa", "visa", "participates", "participating", "honors visa", "accepts visa"), rule="participates"),
    TermField("free_days_per_visit", Count(0, 31), N_("Free days per visit"), "days", ("free_days_per_visit",),
              "free_days_per_visit", ("free days", "days per visit", "visa days", "max days", "days"),
              rule="free_days_per_visit"),
    TermField("free_days_per_month", Count(0, 31), N_("Free days per month"), "days", ("free_days_per_month",),
              "free_days_per_month", ("days per month", "days a month", "per month"), rule="free_days_per_month"),
    TermField("free_days_per_year", Count(0, 366), N_("Free days per year"), "days", ("free_days_per_year",),
              "free_days_per_year", ("days per year", "days a year", "per year"), rule="free_days_per_year"),
    TermField("advance_notice_hours", Count(0, 720), N_("Advance notice (hours)"), "request",
              ("advance_notice_hours",), "advance_notice_hours", ("notice", "advance notice", "notice hours"),
              rule="advance_notice_hours"),
    TermField("request_method", Choice(RequestMethod), N_("How to request"), "request", ("request_method",),
              "request_method", ("how to request", "request method", "booking method"), rule="request_method"),
    TermField("request_contact", Text(300), N_("Contact for requests"), "request", ("request_contact",),
              "request_contact", ("visa contact", "request contact", "booking contact"), rule="request_contact"),
    TermField("requires_membership_proof", YesNo(), N_("Proof of membership asked"), "request",
              ("membership_proof_required",), "membership_proof_required",
              ("proof", "membership proof", "proof of membership", "card required"), rule="membership_proof"),
    TermField("weekdays", Weekdays(), N_("Days visitors are hosted"), "when", ("weekdays",), "weekdays",
              ("weekdays", "days of the week", "open days", "visa days of week"), rule="weekdays"),
    TermField("season_start", MonthDay(), N_("Season starts (MM-DD)"), "when", ("season", "start"), "season_start",
              ("season start", "season starts"), shown=N_("Season starts")),
    TermField("season_end", MonthDay(), N_("Season ends (MM-DD)"), "when", ("season", "end"), "season_end",
              ("season end", "season ends"), shown=N_("Season ends")),
    TermField("blackout_dates", Periods(),
              N_("Closed to visitors (one period a line: 2026-12-24 to 2027-01-02)"), "when",
              ("blackout_dates",), "blackout_dates", ("blackout", "blackout dates", "closed dates", "closed periods"),
              shown=N_("Closed to visitors")),
    TermField("capacity_per_day", Count(1, 1000), N_("Visitors per day at most"), "when", ("capacity_per_day",),
              "capacity_per_day", ("capacity", "visitors per day", "capacity per day"), rule="capacity_per_day"),
    TermField("min_distance_km", Count(1, 20000), N_("Home space at least this far (km)"), "who",
              ("exclusions", "min_distance_km"), "min_distance_km", ("min distance", "minimum distance"), rule="min_distance_km"),
    TermField("excludes_same_city", YesNo(), N_("No members from this city"), "who", ("exclusions", "same_city"),
              "same_city_excluded", ("same city", "excludes same city", "no local members"), rule="excludes_same_city"),
    TermField("is_reciprocal_only", YesNo(), N_("Only members of spaces that host ours"), "who",
              ("reciprocal_only",), "reciprocal_only", ("reciprocal only", "reciprocal"), rule="reciprocal_only"),
    TermField("notes", Text(), N_("Notes"), "notes", ("notes",), "notes",
              ("notes", "visa notes", "visa terms", "terms", "conditions", "remarks", "comments")),
)
BY_NAME = {f.name: f for f in TERMS}
BY_RULE = {f.rule: f for f in TERMS if f.rule}
FIELD_NAMES = tuple(f.name for f in TERMS)


def month_day(text: str) -> date | None:
    """"09-01" → 1 September (in a leap year); None when unreadable."""
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    try:
        return date(LEAP_YEAR, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def period(text: str) -> dict | None:
    """"2026-12-24 to 2027-01-02" → {"start", "end"}; None when unreadable or backwards."""
    match = _PERIOD.match(text)
    if not match:
        return None
    try:
        first, last = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
    except ValueError:
        return None
    return {"start": first.isoformat(), "end": last.isoformat()} if first <= last else None


def names_of_weekdays(mask: int) -> list[str]:
    return [name for name, bit in WEEKDAY_BITS.items() if mask & bit]


def to_plain(values: dict) -> dict:
    """Terms values (by field name) as JSON values."""
    return {f.name: f.to_plain(values.get(f.name)) for f in TERMS}


def to_api(values: dict) -> dict:
    """The API's terms object: each field at its ``api`` path."""
    out: dict = {}
    for f in TERMS:
        *parents, leaf = f.api
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        value = values.get(f.name)
        node[leaf] = names_of_weekdays(value) if f.name == "weekdays" and value is not None else f.to_plain(value)
    return out


def to_cells(values: dict) -> dict:
    """Export cells by export column."""
    return {f.export: f.to_cell(values.get(f.name)) for f in TERMS}
