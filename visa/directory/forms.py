"""The traveller's search form (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

import pycountry
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from unidecode import unidecode
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from visa.geocoding.results import MAX_QUERY_LENGTH
from visa.l10n import country_name, distance_label

RADIUS_KM = (5, 10, 25, 50, 100, 250, 500)
#: Labelled as the reader measures: "25 km", or "16 mi" in the United States and the United Kingdom.
RADIUS_CHOICES = [SelectChoice(km, LazyString(distance_label, km)) for km in RADIUS_KM]


def _country_choices() -> list[SelectChoice]:
    """Every country named and sorted in the reader's language ("Alemanha" near the top in Portuguese)."""
    named = [(country_name(c.alpha_2), c.alpha_2) for c in pycountry.countries]
    # Sorted without accents, so "Égypte" is among the E's: no collation library needed for these names.
    named.sort(key=lambda pair: unidecode(pair[0]).casefold())
    return [SelectChoice("", _l("Any country"))] + [SelectChoice(code, name) for name, code in named]


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
