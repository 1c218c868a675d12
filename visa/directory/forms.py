"""The traveller's search form (GET, so no CSRF token: it changes nothing).

Its country select offers the countries that have a listed space. Rendering
the selects' options (each through WTForms' ``html_params``, each radius
through Babel) was most of the home page's time, so they are rendered once per
locale and registry version, kept beside the spatial index
(:meth:`SpatialIndex.derived`: the next approval anywhere gives a new index and
new options), and each page only marks the chosen one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pycountry
from flask import current_app
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


#: What the country parameter may name: any ISO 3166-1 country.
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


def _country_choices(codes: Iterable[str] = COUNTRY_CODES) -> list[SelectChoice]:
    """The countries of *codes* (all of them by default) named and sorted in the reader's language ("Alemanha" near
    the top in Portuguese)."""
    named = [(country_name(code), code) for code in codes]
    # Sorted without accents, so "Égypte" is among the E's: no collation library needed for these names.
    named.sort(key=lambda pair: unidecode(pair[0]).casefold())
    return [SelectChoice("", _l("Any country"))] + [SelectChoice(code, name) for name, code in named]


@dataclass(frozen=True)
class RenderedOptions:
    """A select's options rendered once, as WTForms renders them; a page only marks the chosen one."""

    choices: list[SelectChoice]
    html: str  # every option, none selected
    options: dict[str, tuple[str, str]]  # value -> the option as rendered, and rendered selected

    @classmethod
    def render(cls, choices: list[SelectChoice]) -> RenderedOptions:
        options = {}
        for choice in choices:
            option = Choice(choice.value, choice.label, False, choice.render_kw)
            options[str(choice.value)] = (Select.render_option(option),
                                          Select.render_option(option._replace(selected=True)))
        return cls(choices, "".join(plain for plain, _selected in options.values()), options)

    def select(self, field, **kwargs) -> Markup:
        """The whole select, *field*'s choice marked: what WTForms' Select gives, without rendering every option."""
        kwargs.setdefault("id", field.id)
        html = self.html
        found = self.options.get(str(field.data))
        if found is not None:
            html = html.replace(*found, 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{html}</select>")


class _RenderedSelect(Select):
    """Renders a select field from the :class:`RenderedOptions` the form gave it."""

    def __call__(self, field, **kwargs) -> Markup:
        return field.rendered_options.select(field, **kwargs)


@dataclass
class _Options:
    """The search form's selects in one locale: the countries listed at one registry version, and the radii;
    and, once a reader without a search asked for them, the fields as such a reader sees them (and the filters
    as a search that sets none of them shows them)."""

    countries: RenderedOptions
    country_codes: frozenset[str]
    radii: RenderedOptions
    blank: Markup | None = None
    blank_filters: Markup | None = None


def _options() -> _Options:
    """The selects' options in the reader's locale, rendered once per registry version (the next approval may
    list a new country)."""
    index = get_index(db.session)
    per_locale = index.derived("directory.search_form_options", lambda _index: {})
    locale = str(get_locale() or "en")
    found = per_locale.get(locale)
    if found is None:
        codes = [code.decode() for code in np.unique(index.column("country"))]
        found = per_locale[locale] = _Options(RenderedOptions.render(_country_choices(codes)), frozenset(codes),
                                              RenderedOptions.render(RADIUS_CHOICES))
    return found


def _known_country(_form, field) -> None:
    if field.data and field.data not in COUNTRY_CODES:
        raise ValidationError(field.gettext("Not a valid choice."))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Place or address"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)],
                    render_kw={"placeholder": _l("Lisbon, or Rua Augusta 12, Lisboa"), "autocomplete": "off"})
    radius_km = SelectField(_l("Radius"), choices=RADIUS_CHOICES, coerce=int, default=25, widget=_RenderedSelect())
    # Any ISO country validates (a link may name one with no listing yet); the select offers the listed ones.
    country = SelectField(_l("Country"), choices=[], default="", validate_choice=False, validators=[_known_country],
                          widget=_RenderedSelect())
    min_days = IntegerField(_l("Free days at least"), validators=[Optional(), NumberRange(min=0, max=366)])
    # The hidden fields' labels are never shown: given as "", WTForms does not translate a label made from the
    # name, which loaded its catalogue from disk on every request.
    near = HiddenField("", validators=[Optional(), Regexp(r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$")])
    date_from = DateField(_l("Visit from"), validators=[Optional()])
    date_to = DateField(_l("to"), validators=[Optional()])
    #: The name of the place at *near* when a link (not the browser) chose the point.
    place = HiddenField("", validators=[Optional(), Length(max=MAX_QUERY_LENGTH)])
    all = HiddenField("")  # "1": show every space, not only those honoring the home space

    #: The query parameters this form reads (links that change one keep the others).
    PARAMETERS = ("q", "radius_km", "country", "min_days", "near", "date_from", "date_to", "place", "all")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = _options()
        countries, chosen = options.countries, self.country.data
        if chosen in COUNTRY_CODES and chosen not in options.country_codes:
            # A link names a country with no listing yet: offered too, so the form shows what was searched.
            countries = RenderedOptions.render(_country_choices([*options.country_codes, chosen]))
        self.country.choices, self.country.rendered_options = countries.choices, countries
        self.radius_km.rendered_options = options.radii
        self._options = options

    def blank_fields(self) -> Markup:
        """The fields of a form given no search parameter: the same for every reader of a locale, so rendered
        once per locale and registry version (templates/directory/_search_fields.html)."""
        if self._options.blank is None:
            fields = current_app.jinja_env.get_template("directory/_search_fields.html").module
            self._options.blank = Markup(fields.search_fields(self))
        return self._options.blank

    def blank_filters(self) -> Markup:
        """The filters of a form whose search sets none of them (a place typed, the radius and the rest left as they
        come): the same for every reader of a locale, so rendered once per locale and registry version."""
        if self._options.blank_filters is None:
            fields = current_app.jinja_env.get_template("directory/_search_fields.html").module
            self._options.blank_filters = Markup(fields.filter_fields(self))
        return self._options.blank_filters
