"""Forms any page may use."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A form that is only a button: the CSRF token guards the action."""
