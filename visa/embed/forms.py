"""The Embed page's choices (GET: it changes nothing, so no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from visa.directory.forms import RADIUS_CHOICES, _country_choices
from visa.geocoding.results import MAX_QUERY_LENGTH
from visa.i18n import current_catalog, language_choices


class EmbedForm(FlaskForm):
    class Meta:
        csrf = False

    country = SelectField(_l("Country"), choices=[], default="")
    place = StringField(_l("Around a place"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)],
                        render_kw={"placeholder": _l("Lisbon, or Rua Augusta 12, Lisboa"), "autocomplete": "off"})
    radius_km = SelectField(_l("Radius"), choices=RADIUS_CHOICES, coerce=int, default=25)
    bbox = StringField(_l("Or a box: west, south, east, north"), validators=[Optional(), Length(max=120)],
                       render_kw={"placeholder": "-10,36,-6,42", "autocomplete": "off"})
    participating = BooleanField(_l("Only spaces that take part in the visa"))
    width = IntegerField(_l("Width in pixels"), default=600, validators=[Optional(), NumberRange(min=200, max=2000)])
    height = IntegerField(_l("Height in pixels"), default=450, validators=[Optional(), NumberRange(min=200, max=2000)])
    lang = SelectField(_l("Language"), choices=[], default=current_catalog)  # the page's own, unless chosen

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices()
        self.lang.choices = language_choices()
