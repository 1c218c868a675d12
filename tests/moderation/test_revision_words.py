"""Revisions read as words: labels from the forms, values as travellers read them, kinds, moments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from visa.directory.revisions import Revision
from visa.moderation.revision_words import (
    changes_of,
    field_label,
    kind_of,
    value_words,
    weekdays_words,
)
from visa.moderation.words import moment_label


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("mask", "text"), [(31, "Mon-Fri"), (127, "Mon-Sun"), (0b1010101, "Mon, Wed, Fri, Sun"),
                                            (0b1100011, "Mon, Tue, Sat, Sun"), (0b0001110, "Tue-Thu"), (0, "no day")])
def test_weekdays_read_as_ranges(ctx, mask, text):
    assert weekdays_words(mask) == text


def test_labels_are_the_forms_own(ctx):
    assert field_label("address_line1") == "Street and number"
    assert field_label("terms.free_days_per_month") == "Free days per month"
    assert field_label("terms.weekdays") == "Days visitors are hosted"
    assert field_label("geocode_precision") == "Location precision"


def test_values_as_a_traveller_reads_them(ctx):
    assert value_words("terms.free_days_per_month", 3) == "3 free days a month"
    assert value_words("terms.free_days_per_visit", 1) == "1 free day a visit"
    assert value_words("terms.weekdays", 31) == "Mon-Fri"
    assert value_words("terms.request_method", "email") == "email"
    assert value_words("terms.is_participating", True) == "yes"
    assert value_words("terms.notes", None) == "not stated"
    assert value_words("status", "pending") == "Waiting for a network admin"
    assert value_words("country_code", "PT") == "Portugal"
    assert value_words("website", "") == "empty"
    assert value_words("terms_confirmed_at", None) == "never"
    assert value_words("terms_confirmed_at", "2026-11-24T09:15:42.123456+00:00") == "Nov 24, 2026, 9:15\u202fAM"


def test_moments_are_to_the_minute(ctx):
    assert moment_label(datetime(2026, 3, 1, 14, 5, 59, 999999, tzinfo=UTC)) == "Mar 1, 2026, 2:05\u202fPM"
    assert moment_label(datetime(2026, 3, 1, 14, 5)) == "Mar 1, 2026, 2:05\u202fPM"  # naive, as SQLite hands it back


def test_kinds_and_changes(ctx):
    created = Revision(source="web", changes={"name": [None, "Desk"], "city": [None, "Lisbon"], "phone": [None, ""]})
    first_terms = Revision(source="web", changes={"terms.notes": [None, "Ring twice"]})
    confirmed = Revision(source="confirm", changes={})
    old_confirm = Revision(source="confirm", changes={"terms_confirmed_at": [None, "2026-01-01T00:00:00+00:00"]})
    assert kind_of(created) == "created" and kind_of(first_terms) == "edited"
    assert kind_of(confirmed) == kind_of(old_confirm) == "confirmed"
    assert changes_of(confirmed) == changes_of(old_confirm) == []
    rows = [(c.label, c.before, c.after) for c in changes_of(created)]
    assert rows == [("Name of the space", "", "Desk"), ("City", "", "Lisbon")]  # what it states, in form order
    assert [(c.before, c.after) for c in changes_of(first_terms)] == [("not stated", "Ring twice")]


def test_moments_in_the_readers_time_zone(app):
    moment = datetime(2026, 7, 1, 14, 5, tzinfo=UTC)
    with app.test_request_context(headers={"Cookie": "visa_tz=America%2FNew_York"}):
        assert moment_label(moment) == "Jul 1, 2026, 10:05\u202fAM"
    for bad in ("Not/AZone", "..%2F..%2Fetc%2Fpasswd", ""):
        with app.test_request_context(headers={"Cookie": f"visa_tz={bad}"}):
            assert moment_label(moment) == "Jul 1, 2026, 2:05\u202fPM"  # the site's zone (UTC)
