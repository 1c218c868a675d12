"""Limits in words: the month a member has used up is named as the reader's language names months."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from visa.passes.limits import Breach
from visa.passes.presenters import breach_text


@pytest.mark.parametrize(("locale", "month"), [("en", "December 2026"), ("de", "Dezember 2026"),
                                               ("pt", "dezembro de 2026")])
def test_the_month_limit_names_the_month_in_words(app, locale, month):
    breach = Breach("days_per_month", {"month": "2026-12", "used": 4, "limit": 4})
    with app.test_request_context(), force_locale(locale):
        text = breach_text(breach)
    assert month in text
    assert "2026-12" not in text
