"""The visa terms form: structured fields, with the conflicts a host could enter rejected per field."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, NumberRange, Optional

from visa.directory.models import WEEKDAY_BITS, RequestMethod, VisaTerms

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_BLACKOUT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:to|–|-|→)\s*(\d{4}-\d{2}-\d{2})\s*$")
#: Any year that has a 29 February, to store month-day bounds as dates.
_LEAP_YEAR = 2000


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _month_day(text: str) -> date | None:
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    try:
        return date(_LEAP_YEAR, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


class TermsForm(FlaskForm):
    is_participating = BooleanField(_l("Hosts visa visitors now"), default=True)
    free_days_per_visit = IntegerField(_l("Free days per visit"), default=3, validators=[NumberRange(0, 31)])
    free_days_per_month = IntegerField(_l("Free days per month"), validators=[Optional(), NumberRange(0, 31)])
    free_days_per_year = IntegerField(_l("Free days per year"), validators=[Optional(), NumberRange(0, 366)])
    advance_notice_hours = IntegerField(_l("Advance notice (hours)"), default=24, validators=[NumberRange(0, 720)])
    request_method = SelectField(_l("How to request"), choices=[SelectChoice(m.value, m.value) for m in RequestMethod],
                                 default=RequestMethod.EMAIL.value)
    request_contact = StringField(_l("Contact for requests"), validators=[Length(max=300)])
    requires_membership_proof = BooleanField(_l("Proof of membership asked"), default=True)
    weekdays = CheckboxesField(_l("Days visitors are hosted"),
                               choices=[SelectChoice(k, k.capitalize()) for k in WEEKDAY_BITS],
                               default=["mon", "tue", "wed", "thu", "fri"])
    season_start = StringField(_l("Season starts (MM-DD)"), validators=[Optional(), Length(max=5)])
    season_end = StringField(_l("Season ends (MM-DD)"), validators=[Optional(), Length(max=5)])
    blackout_dates = TextAreaField(_l("Closed to visitors (one period a line: 2026-12-24 to 2027-01-02)"),
                                   validators=[Length(max=4000)])
    capacity_per_day = IntegerField(_l("Visitors per day at most"), validators=[Optional(), NumberRange(1, 1000)])
    min_distance_km = IntegerField(_l("Home space at least this far (km)"), validators=[Optional(), NumberRange(1, 20000)])
    excludes_same_city = BooleanField(_l("No members from this city"))
    is_reciprocal_only = BooleanField(_l("Only members of spaces that host ours"))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self._check_conflicts() and ok

    def _error(self, field, message: str) -> None:
        field.errors = [*field.errors, str(message)]

    def _check_conflicts(self) -> bool:
        before = sum(len(f.errors) for f in self)
        per_visit, per_month, per_year = (self.free_days_per_visit.data, self.free_days_per_month.data,
                                          self.free_days_per_year.data)
        if self.is_participating.data:
            if per_visit == 0:
                self._error(self.free_days_per_visit, _l("A participating space offers at least one free day."))
            if not self.weekdays.data:
                self._error(self.weekdays, _l("A participating space hosts visitors on at least one day."))
        if per_visit and per_month is not None and per_visit > per_month:
            self._error(self.free_days_per_month,
                        _l("Per month must be at least the free days per visit (%(n)d).", n=per_visit))
        if per_year is not None and max(per_visit or 0, per_month or 0) > per_year:
            self._error(self.free_days_per_year,
                        _l("Per year must be at least the free days per visit and per month."))
        start, end = (self.season_start.data or "").strip(), (self.season_end.data or "").strip()
        if bool(start) != bool(end):
            self._error(self.season_end if start else self.season_start, _l("Give both ends of the season."))
        for field, text in ((self.season_start, start), (self.season_end, end)):
            if text and _month_day(text) is None:
                self._error(field, _l("Write the day as MM-DD, for example 09-01."))
        self.blackout_periods = []
        for number, line in enumerate((self.blackout_dates.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _BLACKOUT.match(line)
            try:
                first, last = (date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))) if match else (
                    None, None)
            except ValueError:
                first = last = None
            if first is None or last < first:
                self._error(self.blackout_dates,
                            _l("Line %(n)d: write a period as 2026-12-24 to 2027-01-02, start first.", n=number))
                continue
            self.blackout_periods.append({"start": first.isoformat(), "end": last.isoformat()})
        return sum(len(f.errors) for f in self) == before

    def apply_to(self, terms: VisaTerms) -> None:
        """Write the validated form into *terms*."""
        for name in ("is_participating", "free_days_per_visit", "free_days_per_month", "free_days_per_year",
                     "advance_notice_hours", "request_contact", "requires_membership_proof", "capacity_per_day",
                     "min_distance_km", "excludes_same_city", "is_reciprocal_only", "notes"):
            setattr(terms, name, getattr(self, name).data)
        terms.request_contact, terms.notes = self.request_contact.data or "", self.notes.data or ""
        terms.request_method = RequestMethod(self.request_method.data)
        terms.weekdays = sum(WEEKDAY_BITS[d] for d in self.weekdays.data)
        terms.season_start = _month_day(self.season_start.data or "")
        terms.season_end = _month_day(self.season_end.data or "")
        terms.blackout_dates = self.blackout_periods
