"""Forms of the traveller: the home space, dates, and the trip planner."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from visa.directory.forms import RADIUS_CHOICES
from visa.geocoding.results import MAX_QUERY_LENGTH

#: A trip or a date range may last at most this long.
MAX_SPAN = timedelta(days=365)
MAX_STOPS = 8


class HomeForm(FlaskForm):
    """Choose the home space (stored in the signed session cookie)."""

    home = StringField(_l("Your home space"), validators=[DataRequired(), Length(max=200)],
                       render_kw={"list": "home-options", "autocomplete": "off",
                                  "placeholder": _l("Start typing its name")})


class ForgetHomeForm(FlaskForm):
    """No fields: the CSRF token is the whole form."""


def check_range(start: date | None, end: date | None, today: date) -> tuple[str | None, str | None]:
    """Errors for (start, end), or None: a missing half, past dates, end before start, longer than a year."""
    start_error = end_error = None
    if start is None and end is not None:
        start_error = str(_l("Give a start date."))
    if end is None and start is not None:
        end_error = str(_l("Give an end date."))
    if start and start < today:
        start_error = str(_l("This date is in the past."))
    if end and end < today:
        end_error = str(_l("This date is in the past."))
    if start and end and end < start:
        end_error = str(_l("The end is before the start."))
    elif start and end and end - start > MAX_SPAN:
        end_error = str(_l("At most a year between start and end."))
    return start_error, end_error


class StopForm(Form):
    place = StringField(_l("Place"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)])
    # "From"/"To" are also the corridor table's country columns: the context keeps the two apart.
    start = DateField(lazy_pgettext("first day of a stay", "From"), validators=[Optional()])
    end = DateField(lazy_pgettext("last day of a stay", "To"), validators=[Optional()])


class TripForm(FlaskForm):
    """The trip planner: a GET form, so a plan is a link that can be shared."""

    class Meta:
        csrf = False

    stops = FieldList(FormField(StopForm), min_entries=2, max_entries=MAX_STOPS)
    radius_km = SelectField(_l("Search around each stop"), choices=RADIUS_CHOICES, coerce=int, default=25)

    def filled_stops(self) -> list[StopForm]:
        return [s.form for s in self.stops if s.form.place.data or s.form.start.data or s.form.end.data]

    def check(self, today: date) -> bool:
        ok = self.validate()
        stops = self.filled_stops()
        if not stops:
            self.stops[0].form.place.errors = [str(_l("Give at least one stop: a place and dates."))]
            return False
        for stop in stops:
            if not stop.place.data:
                stop.place.errors = [*stop.place.errors, str(_l("Give a place for this stop."))]
                ok = False
            if stop.start.data is None and not stop.start.errors:
                stop.start.errors = [str(_l("Give a start date."))]
            if stop.end.data is None and not stop.end.errors:
                stop.end.errors = [str(_l("Give an end date."))]
            start_error, end_error = check_range(stop.start.data, stop.end.data, today)
            if start_error:
                stop.start.errors = [*stop.start.errors, start_error]
            if end_error:
                stop.end.errors = [*stop.end.errors, end_error]
            ok = ok and not (stop.start.errors or stop.end.errors or stop.place.errors)
        starts = [s.start.data for s in stops if s.start.data]
        ends = [s.end.data for s in stops if s.end.data]
        if ok and starts and ends and max(ends) - min(starts) > MAX_SPAN:
            stops[-1].end.errors = [str(_l("A trip may last at most a year."))]
            ok = False
        return ok


def trip_places() -> int:
    """How many stops of the trip planner the request asks to geocode (the form reads MAX_STOPS at most)."""
    named = sum(1 for key, value in request.args.items(multi=True)
                if key.startswith("stops-") and key.endswith("-place") and value.strip())
    return min(named, MAX_STOPS)
