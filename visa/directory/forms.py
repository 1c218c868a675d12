"""The traveller's search form (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

import pycountry
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from visa.geocoding.results import MAX_QUERY_LENGTH

RADIUS_KM = (5, 10, 25, 50, 100, 250, 500)
RADIUS_CHOICES = [SelectChoice(km, f"{km} km") for km in RADIUS_KM]


def _country_choices() -> list[SelectChoice]:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    return [SelectChoice("", _l("Any country"))] + [
        SelectChoice(c.alpha_2, getattr(c, "common_name", c.name)) for c in countries]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Place or address"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)],
                    render_kw={"placeholder": _l("Lisbon, or Rua Augusta 12, Lisboa"), "autocomplete": "off"})
    radius_km = SelectField(_l("Radius"), choices=RADIUS_CHOICES, coerce=int, default=25)
    country = SelectField(_l("Country"), choices=[], default="")
    min_days = IntegerField(_l("Free days at least"), validators=[Optional(), NumberRange(min=0, max=366)])
    near = HiddenField(validators=[Optional(), Regexp(r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$")])
    date_from = DateField(_l("Visit from"), validators=[Optional()])
    date_to = DateField(_l("to"), validators=[Optional()])
    #: The name of the place at *near* when a link (not the browser) chose the point.
    place = HiddenField(validators=[Optional(), Length(max=MAX_QUERY_LENGTH)])
    all = HiddenField()  # "1": show every space, not only those honoring the home space

    #: The query parameters this form reads (links that change one keep the others).
    PARAMETERS = ("q", "radius_km", "country", "min_days", "near", "date_from", "date_to", "place", "all")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices()
