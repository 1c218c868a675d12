"""The volunteer's finding form (the terms form plus what they found and where), and the validator's comment.

The terms part is :data:`visa.directory.terms_form.TermsForm` itself, so the terms schema drives this
form as it drives the host's: same field names, same checks, the listing's terms prefilled.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from visa.directory.terms_form import TermsForm
from visa.volunteers.models import OpenState, SourceKind
from visa.volunteers.services import FindingInput


class FindingForm(TermsForm):
    open_state = RadioField(_l("Is the space still open?"), validators=[InputRequired()], choices=[
        SelectChoice(OpenState.OPEN.value, _l("Yes, it is open")),
        SelectChoice(OpenState.CLOSED.value, _l("No, it has closed")),
        SelectChoice(OpenState.UNKNOWN.value, _l("I could not find out")),
    ])
    source_kind = RadioField(_l("Where did you find it?"), validators=[InputRequired()], choices=[
        SelectChoice(SourceKind.WEBSITE.value, _l("On a web page")),
        SelectChoice(SourceKind.PHONE.value, _l("In a phone call")),
        SelectChoice(SourceKind.VISIT.value, _l("On a visit")),
    ])
    source_url = StringField(_l("Address of the page (for a web page)"), validators=[Length(max=500)])
    checked_on = DateField(_l("Day of the call, visit or reading"), validators=[Optional()], default=date.today)
    finding_note = TextAreaField(_l("Note for the validator (who you spoke with, what the page says)"),
                                 validators=[Length(max=2000)])

    def validate_source_url(self, field) -> None:
        if self.source_kind.data == SourceKind.WEBSITE.value:
            url = (field.data or "").strip()
            if not url.startswith(("http://", "https://")):
                raise ValidationError(_l("Give the address of the page, starting with https://."))

    def validate_checked_on(self, field) -> None:
        if self.source_kind.data in (SourceKind.PHONE.value, SourceKind.VISIT.value) and field.data is None:
            raise ValidationError(_l("Give the day of the call or visit."))
        if field.data is not None and field.data > date.today():
            raise ValidationError(_l("The day cannot be in the future."))

    def finding(self) -> FindingInput:
        return FindingInput(open_state=OpenState(self.open_state.data), terms=self.values(),
                            source_kind=SourceKind(self.source_kind.data), source_url=self.source_url.data or "",
                            checked_on=self.checked_on.data, note=self.finding_note.data or "")


class RejectForm(FlaskForm):
    comment = TextAreaField(_l("What is wrong (the next volunteer reads it before they start)"),
                            validators=[DataRequired(), Length(max=2000)])
