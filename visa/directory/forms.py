"""The traveller's search form (GET, so no CSRF token: it changes nothing).

Its country select offers the countries that have a listed space. Rendering
its options (a couple of hundred, each through WTForms' ``html_params``) was
half of the home page's time, so they are rendered once per locale and
registry version, kept beside the spatial index (:meth:`SpatialIndex.derived`:
the next approval anywhere gives a new index and new options), and each page
only marks the chosen one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pycountry
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from unidecode import unidecode
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, ValidationError
from wtforms.fields.choices import Choice
from wtforms.validators import Length, NumberRange, Optional, Regexp
from wtforms.widgets import Select, html_params

from visa.directory.spatial_index import get_index
from visa.extensions import db
from visa.geocoding.results import MAX_QUERY_LENGTH
from visa.l10n import country_name, distance_label

RADIUS_KM = (5, 10, 25, 50, 100, 250, 500)
#: Labelled as the reader measures: "25 km", or "16 mi" in the United States and the United Kingdom.
RADIUS_CHOICES = [SelectChoice(km, LazyString(distance_label, km)) for km in RADIUS_KM]


#: What the country parameter may name: any ISO 3166-1 country, listed or not (a link may name one with no listing yet).
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


def _country_choices(codes) -> list[SelectChoice]:
    """The countries of *codes* named and sorted in the reader's language ("Alemanha" near the top in Portuguese)."""
    named = [(country_name(code), code) for code in codes]
    # Sorted without accents, so "Égypte" is among the E's: no collation library needed for these names.
    named.sort(key=lambda pair: unidecode(pair[0]).casefold())
    return [SelectChoice("", _l("Any country"))] + [SelectChoice(code, name) for name, code in named]


@dataclass(frozen=True)
class CountryOptions:
    """The country select's choices and their rendered options in one locale, as WTForms renders them."""

    choices: list[SelectChoice]
    codes: frozenset[str]
    html: str  # every option, none selected
    options: dict[str, tuple[str, str]]  # code -> the option as rendered, and rendered selected

    @classmethod
    def render(cls, codes) -> CountryOptions:
        choices = _country_choices(codes)
        options = {}
        for choice in choices:
            option = Choice(choice.value, choice.label, False, choice.render_kw)
            options[choice.value] = (Select.render_option(option), Select.render_option(option._replace(selected=True)))
        return cls(choices, frozenset(codes), "".join(plain for plain, _selected in options.values()), options)

    def select(self, field, **kwargs) -> Markup:
        """The whole select, *field*'s choice marked (Select's widget, without rendering every option again)."""
        kwargs.setdefault("id", field.id)
        html = self.html
        if field.data in self.options:
            plain, selected = self.options[field.data]
            html = html.replace(plain, selected, 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{html}</select>")


def listed_country_options() -> CountryOptions:
    """The options of the countries with a listed space, in the reader's locale, rendered once per registry version."""
    index = get_index(db.session)
    per_locale = index.derived("directory.country_options", lambda _index: {})
    locale = str(get_locale() or "en")
    found = per_locale.get(locale)
    if found is None:
        codes = sorted(code.decode() for code in np.unique(index.column("country")))
        found = per_locale[locale] = CountryOptions.render(codes)
    return found


def _known_country(_form, field) -> None:
    if field.data and field.data not in COUNTRY_CODES:
        raise ValidationError(field.gettext("Not a valid choice."))


class _CountrySelect(Select):
    """Renders the country field from its :class:`CountryOptions`."""

    def __call__(self, field, **kwargs) -> Markup:
        return field.country_options.select(field, **kwargs)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Place or address"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)],
                    render_kw={"placeholder": _l("Lisbon, or Rua Augusta 12, Lisboa"), "autocomplete": "off"})
    radius_km = SelectField(_l("Radius"), choices=RADIUS_CHOICES, coerce=int, default=25)
    country = SelectField(_l("Country"), choices=[], default="", validate_choice=False, validators=[_known_country],
                          widget=_CountrySelect())
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
        options = listed_country_options()
        chosen = self.country.data
        if chosen in COUNTRY_CODES and chosen not in options.codes:
            # A link names a country with no listing yet: offered too, so the form shows what was searched.
            options = CountryOptions.render(sorted(options.codes | {chosen}))
        self.country.choices = options.choices
        self.country.country_options = options
