"""The answer page's form: the two questions about the listing, and the host's terms form (one schema)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from visa.directory.terms_form import TermsForm
from visa.web.forms import ButtonForm

_YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class CheckForm(TermsForm):
    """``still_open`` and ``right_address``, then every terms field under the host form's own names."""

    still_open = RadioField(_l("Is this space still open?"), choices=_YES_NO,
                            validators=[InputRequired(_l("Tell us whether the space is still open."))])
    right_address = RadioField(_l("Is this the right address for this space?"), choices=_YES_NO,
                               validators=[Optional()])

    def answered_closed(self) -> bool:
        return self.still_open.data == "no"

    def answered_wrong_address(self) -> bool:
        return self.still_open.data == "yes" and self.right_address.data == "no"


class ManageForm(ButtonForm):
    """"Manage this listing yourself": one button; the account goes to the address the mail reached."""


class CampaignForm(ButtonForm):
    """An admin's selection: the same criteria as ``visa campaign create`` (the ticked criteria add up)."""

    name = StringField(_l("Name of the campaign"), validators=[DataRequired(), Length(max=80)])
    countries = StringField(_l("Country codes, separated by spaces (none: every country)"),
                            validators=[Length(max=600)])
    never_confirmed = BooleanField(_l("Never confirmed"))
    stale = BooleanField(_l("Not confirmed for 12 months"))
    not_stated = BooleanField(_l("Participation not stated"))
    import_file = StringField(_l("Created by the import of the file"), validators=[Length(max=200)])

    def country_codes(self) -> tuple[str, ...]:
        return tuple(sorted({c.upper() for c in (self.countries.data or "").replace(",", " ").split() if c}))
