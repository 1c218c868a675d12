"""Forms of passes and visits: shape only (the rules are in the services)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from visa.web.forms import MailAddress


def _after_start(form, field) -> None:
    start = form.valid_from.data if hasattr(form, "valid_from") else form.first_day.data
    if start and field.data and field.data < start:
        raise ValidationError(_l("The last day cannot be before the first."))


class PassForm(FlaskForm):
    """A host issues a pass, or a member asks for one."""

    member_name = StringField(_l("Member's name"), validators=[DataRequired(), Length(max=200)])
    member_email = EmailField(_l("Member's e-mail"), validators=[DataRequired(), MailAddress(), Length(max=254)])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()], default=date.today)
    valid_to = DateField(_l("Valid until"), validators=[DataRequired(), _after_start],
                         default=lambda: date.today() + timedelta(days=364))


class IssueForm(PassForm):
    home_space_id = SelectField(_l("Home space"), coerce=int)
    language = SelectField(_l("Member's language (for the mails)"))


class AskPassForm(PassForm):
    member_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    member_email = EmailField(_l("Your e-mail"), validators=[DataRequired(), MailAddress(), Length(max=254)])
    message = TextAreaField(_l("A word for the hosts (your membership, for instance)"),
                            validators=[Optional(), Length(max=2000)])


class VisitRequestForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day"), validators=[DataRequired(), _after_start])
    message = TextAreaField(_l("Message to the host"), validators=[Optional(), Length(max=2000)])


class ReasonForm(FlaskForm):
    """One-click answers: accept, decline or revoke, with an optional reason."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class DoorForm(FlaskForm):
    space_id = SelectField(_l("Checking in at"), coerce=int)
    token = HiddenField()
