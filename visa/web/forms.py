"""Forms and validators any page may use."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import FieldList, FormField
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


@dataclass(frozen=True)
class FieldError:
    """One message of the error summary: the field it is about (its id, for the link) and its label."""

    field_id: str | None
    label: str
    message: str


def form_error_list(form: Form | None) -> list[FieldError]:
    """Every message a submitted form carries, in the order of its fields (lists of subforms included), for the
    summary at the top of the page; the form's own messages (not tied to a field) first."""
    if form is None or not hasattr(form, "_fields"):
        return []
    found = [FieldError(None, "", str(message)) for message in getattr(form, "form_errors", [])]
    for field in form:
        if isinstance(field, FormField):
            found += form_error_list(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found += form_error_list(entry.form) if isinstance(entry, FormField) else _messages(entry)
        else:
            found += _messages(field)
    return found


def _messages(field) -> list[FieldError]:
    # A hidden field (the CSRF token, a map's coordinates) has nothing to move to: its message stands alone.
    hidden = getattr(field.widget, "input_type", None) == "hidden"
    return [FieldError(None if hidden else field.id, "" if hidden else field.label.text, str(message))
            for message in field.errors if isinstance(message, str)]
