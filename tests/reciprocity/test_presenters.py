"""Verdicts and headlines in words: one voice for the allowance, a closed day said once."""

from __future__ import annotations

from datetime import date

import pytest

from visa.directory.presenters import allowance_text
from visa.reciprocity.presenters import closed_day_text, is_closed_day, summary, weekday_span_text
from visa.reciprocity.rules import SpaceRules, Terms, decide


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _space(i: int, lat: float, **terms) -> SpaceRules:
    return SpaceRules(i, f"s{i}", f"Space {i}", lat, 0.0, f"XX:c{i}", terms=Terms(**terms))


def test_the_headline_and_the_verdict_give_the_same_allowance():
    home, host = _space(1, 10.0), _space(2, 20.0, free_days_per_visit=1, free_days_per_month=3)
    allowance = allowance_text(1, 3)
    assert allowance == "1 free day per visit, 3 a month"
    assert summary(decide(home, host)).startswith(f"Honors your membership: {allowance}, ")


def test_a_sunday_is_not_a_refusal_of_the_membership():
    home, host = _space(1, 10.0), _space(2, 20.0, weekdays=0b0011111)
    sunday = date(2026, 12, 6)
    verdict = decide(home, host, sunday)
    assert not verdict.honored and is_closed_day(verdict)
    assert summary(verdict) == closed_day_text(verdict) == "Not on Sundays: this host hosts Mon–Fri"
    refused = decide(home, _space(3, 10.01, weekdays=0b0011111, min_distance_km=500), sunday)
    assert not is_closed_day(refused) and summary(refused).startswith("Does not honor your membership")


@pytest.mark.parametrize(("days", "text"), [
    (["mon", "tue", "wed", "thu", "fri"], "Mon–Fri"),
    (["mon", "wed", "fri"], "Mon, Wed, Fri"),
    (["mon", "tue", "thu", "fri", "sat"], "Mon, Tue, Thu–Sat"),
])
def test_open_days_read_as_spans(days, text):
    assert weekday_span_text(days) == text


def test_a_participating_space_with_no_stated_terms_says_it_takes_part_and_gives_the_tradition_as_such():
    from visa.directory.models import RequestMethod, VisaTerms
    from visa.directory.presenters import headline

    silent = VisaTerms(is_participating=True)
    assert headline(silent) == ("Takes part in the Coworking Visa; terms not stated, ask the host "
                                "(by tradition, 3 free days)")
    asked_by_mail = VisaTerms(is_participating=True, request_method=RequestMethod.EMAIL, advance_notice_hours=48)
    assert headline(asked_by_mail).startswith("Takes part in the Coworking Visa; free days not stated (by tradition, 3)")
    stated = VisaTerms(is_participating=True, free_days_per_visit=2)
    assert headline(stated).startswith("2 free days per visit")
