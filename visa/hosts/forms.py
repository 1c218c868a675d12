"""The listing form: address, position (pin), contact; checks shape only, the rest is in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, FloatField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from visa.directory.forms import _country_choices
from visa.directory.presenters import LISTING_FIELD_LABELS, PRECISION_LABELS
from visa.directory.websites import InvalidWebsite, normalize_website
from visa.l10n import say
from visa.web.forms import MailAddress


class SpaceForm(FlaskForm):
    name = StringField(LISTING_FIELD_LABELS["name"], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(LISTING_FIELD_LABELS["description"], validators=[Length(max=2000)])
    address_line1 = StringField(LISTING_FIELD_LABELS["address_line1"], validators=[Length(max=200)])
    address_line2 = StringField(LISTING_FIELD_LABELS["address_line2"], validators=[Length(max=200)])
    postcode = StringField(LISTING_FIELD_LABELS["postcode"], validators=[Length(max=20)])
    city = StringField(LISTING_FIELD_LABELS["city"], validators=[DataRequired(), Length(max=120)])
    region = StringField(LISTING_FIELD_LABELS["region"], validators=[Length(max=120)])
    country_code = StringField(LISTING_FIELD_LABELS["country_code"], validators=[DataRequired(), Length(min=2, max=2)])
    latitude = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-180, 180)])
    geocode_precision = HiddenField(default="city")
    website = StringField(LISTING_FIELD_LABELS["website"], validators=[Length(max=300)])
    email = EmailField(LISTING_FIELD_LABELS["email"], validators=[Optional(), MailAddress(), Length(max=254)])
    phone = StringField(LISTING_FIELD_LABELS["phone"], validators=[Length(max=40)])
    lock_version = HiddenField()
    not_duplicate = BooleanField(_l("This is a different space from the similar listing shown"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country_choices = _country_choices()[1:]

    def validate_website(self, field) -> None:
        try:
            field.data = normalize_website(field.data)
        except InvalidWebsite as err:
            raise ValidationError(say(err.message)) from None

    def validate_country_code(self, field) -> None:
        field.data = (field.data or "").upper()
        if field.data not in {c.value for c in self.country_choices}:
            raise ValidationError(_l("Choose a country from the list."))

    def validate_geocode_precision(self, field) -> None:
        if field.data not in PRECISION_LABELS:
            field.data = "city"

    def space_fields(self) -> dict:
        return {name: getattr(self, name).data or ("" if name not in ("latitude", "longitude") else None)
                for name in ("name", "description", "address_line1", "address_line2", "postcode", "city", "region",
                             "country_code", "latitude", "longitude", "geocode_precision", "website", "email", "phone")}


class ReportForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])
    message = TextAreaField(_l("What happened?"), validators=[DataRequired(), Length(max=2000)])
    reporter_email = EmailField(_l("Your e-mail (optional, for questions)"),
                                validators=[Optional(), MailAddress(), Length(max=254)])

    def validate_kind(self, field) -> None:
        if field.data not in ("not_honored", "wrong_listing"):
            raise ValidationError(_l("Unknown kind of report."))
