"""Forms and validators any page may use."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from visa import emails
from visa.l10n import say
from visa.mailer import takes_smtputf8


class ButtonForm(FlaskForm):
    """A form that is only a button: the CSRF token guards the action."""


class MailAddress:
    """An address this site can write to (:func:`visa.emails.check`, with what the mail server takes); the field
    then holds the address as it is stored, so that nothing that cannot be mailed is ever saved."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return  # Optional() or DataRequired() decide about an empty field
        try:
            field.data = emails.check(field.data, smtputf8=takes_smtputf8())
        except emails.AddressError as err:
            raise ValidationError(say(err.message)) from None
