"""Conflicting terms a host could enter are rejected, each on its field."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from visa.directory.models import VisaTerms
from visa.directory.terms_form import TermsForm

GOOD = {"is_participating": "yes", "free_days_per_visit": "3", "free_days_per_month": "5", "free_days_per_year": "12",
        "advance_notice_hours": "48", "request_method": "email", "request_contact": "visa@example.org",
        "requires_membership_proof": "yes", "weekdays": ["mon", "tue", "wed"], "season_start": "09-01",
        "season_end": "06-30", "blackout_dates": "2026-12-24 to 2027-01-02\n", "min_distance_km": "50"}


def _form(app, **changes):
    data = MultiDict()
    for key, value in {**GOOD, **changes}.items():
        for v in value if isinstance(value, list) else [value]:
            if v is not None:
                data.add(key, v)
    with app.test_request_context(method="POST"):
        form = TermsForm(formdata=data, meta={"csrf": False})
        form.validate()
        return form


def test_good_terms_are_written_structured(app):
    form = _form(app)
    assert not form.errors
    terms = VisaTerms(**form.values())
    assert terms.weekdays == 1 | 2 | 4 and terms.season_start == date(2000, 9, 1)
    assert terms.blackout_dates == [{"start": "2026-12-24", "end": "2027-01-02"}]
    assert terms.min_distance_km == 50 and terms.request_method.value == "email"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"free_days_per_visit": "0"}, "free_days_per_visit"),
        ({"free_days_per_visit": "4", "free_days_per_month": "2"}, "free_days_per_month"),
        ({"free_days_per_month": "20", "free_days_per_year": "10"}, "free_days_per_year"),
        ({"season_end": ""}, "season_end"),
        ({"season_start": "13-01"}, "season_start"),
        ({"blackout_dates": "2027-01-02 to 2026-12-24"}, "blackout_dates"),
        ({"blackout_dates": "christmas"}, "blackout_dates"),
        ({"free_days_per_visit": "-1"}, "free_days_per_visit"),
        ({"min_distance_km": "0"}, "min_distance_km"),
    ],
)
def test_conflicts_are_named_on_their_field(app, changes, field):
    form = _form(app, **changes)
    assert list(form.errors) == [field], form.errors


def test_a_resting_space_may_offer_zero_days(app):
    assert not _form(app, is_participating="no", free_days_per_visit="0").errors


def test_every_term_can_be_left_not_stated(app):
    blank = {key: ("" if isinstance(value, str) else []) for key, value in GOOD.items()}
    form = _form(app, **blank)
    assert not form.errors, form.errors
    terms = VisaTerms(**form.values())
    from visa.directory.terms_schema import FIELD_NAMES
    assert {name: getattr(terms, name) for name in FIELD_NAMES} == dict.fromkeys(FIELD_NAMES)


def test_the_form_shows_stored_terms_and_not_stated_ones(app):
    terms = VisaTerms(is_participating=False, weekdays=1 | 16, season_start=date(2000, 9, 1),
                      blackout_dates=[{"start": "2026-12-24", "end": "2027-01-02"}])
    with app.test_request_context():
        form = TermsForm.from_terms(terms)
        assert form.is_participating.data == "no" and form.requires_membership_proof.data == ""
        assert form.weekdays.data == ["mon", "fri"] and form.season_start.data == "09-01"
        assert form.blackout_dates.data == "2026-12-24 to 2027-01-02" and form.free_days_per_visit.data is None
