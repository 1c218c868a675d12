"""The traveller's search form (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

import pycountry
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, Length, Regexp

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km"), (100, "100 km"), (250, "250 km"),
                  (500, "500 km")]


def _country_choices() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    return [("", _l("Any country"))] + [(c.alpha_2, getattr(c, "common_name", c.name)) for c in countries]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Place or address"), validators=[Optional(), Length(max=300)],
                    render_kw={"placeholder": _l("Lisbon, or Rua Augusta 12, Lisboa"), "autocomplete": "off"})
    radius_km = SelectField(_l("Radius"), choices=RADIUS_CHOICES, coerce=int, default=25)
    country = SelectField(_l("Country"), choices=[], default="")
    min_days = IntegerField(_l("Free days at least"), validators=[Optional(), NumberRange(min=0, max=366)])
    near = HiddenField(validators=[Optional(), Regexp(r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$")])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices()
