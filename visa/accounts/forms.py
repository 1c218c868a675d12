"""Account forms: sign up, sign in, password reset."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from visa.web.forms import MailAddress

MIN_PASSWORD = 10


def _email_validators() -> list:
    """What makes an address acceptable, the same on every form and in create-admin."""
    return [DataRequired(), MailAddress(), Length(max=254)]


class _AddressOnly(Form):
    email = EmailField(validators=_email_validators())


def email_errors(address: str) -> list[str]:
    """The messages the sign-up form would give for *address* (none when it is acceptable)."""
    form = _AddressOnly(data={"email": address})
    form.validate()
    return [str(e) for e in form.email.errors]


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=_email_validators(),
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=_email_validators(), render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=_email_validators(), render_kw={"autocomplete": "email"})


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
