"""Words for people: country names, labels that do not repeat, month-days and distances."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from babel.dates import format_interval, format_skeleton

from visa import l10n


@pytest.mark.parametrize(("code", "name"), [("DE", "Germany"), ("pt", "Portugal"), ("XK", "Kosovo"),
                                            ("ZZ", "Unknown Region"), ("QQ", "QQ"), ("", "")])
def test_country_name(code, name):
    assert l10n.country_name(code) == name


@pytest.mark.parametrize(
    ("parts", "label"),
    [(("Berlin", "Berlin", "DE"), "Berlin, Germany"),
     (("Porto", "Porto District", "PT"), "Porto, Porto District, Portugal"),
     (("Singapore", "", "SG"), "Singapore"),  # the city is the country
     (("", "Bavaria", "DE"), "Bavaria, Germany"),
     (("berlin", "BERLIN", ""), "berlin")],
)
def test_place_label_never_repeats_a_part(parts, label):
    assert l10n.place_label(*parts) == label


def test_month_day_reads_as_a_date():
    # The words and their order are CLDR's (Babel's); ours is the skeleton, and a leap year for 29 February.
    assert l10n.month_day(9, 1) == format_skeleton("MMMMd", date(2000, 9, 1), locale="en")
    assert l10n.month_day(2, 29) == format_skeleton("MMMMd", date(2000, 2, 29), locale="en")


def test_dates_and_deadlines():
    # Which words CLDR picks for a skeleton changes between Babel releases (2.19 spells out
    # "November" for MMMM); the tests check our choice of skeleton and how the parts are joined.
    day = date(2026, 11, 10)
    assert l10n.day_label(day) == format_skeleton("yMMMEd", day, locale="en")
    moment = datetime(2026, 11, 10, 9, 0)
    assert l10n.deadline_label(moment) == format_skeleton("MMMMEEEEd", moment, locale="en") + ", 9:00\u202fAM"


def test_days_of_a_visit_say_the_month_and_year_once():
    first, third, other_month = date(2026, 11, 10), date(2026, 11, 12), date(2026, 12, 2)
    assert l10n.days_label(first, first) == format_skeleton("yMMMd", first, locale="en")
    span = l10n.days_label(first, third)
    assert span == format_interval(first, third, "yMMMd", locale="en")
    assert span.count("2026") == 1 and span.count("Nov") == 1  # what we ask of the range: month and year once
    assert l10n.days_label(first, other_month).count("2026") == 1


@pytest.mark.parametrize(("km", "text"), [(0.25, "250 m"), (3.21, "3.2 km"), (158.4, "158 km"), (1234.0, "1,234 km")])
def test_distance_label(km, text):
    assert l10n.distance_label(km) == text


def test_distance_label_kept_per_locale_speaks_each_reader_s(app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        assert l10n.distance_label(3.21) == "3.2 km"
        with force_locale("de"):
            assert l10n.distance_label(3.21) == "3,2 km"
        with force_locale("en_US"):
            assert l10n.distance_label(3.21) == "2.0 mi"
        assert l10n.distance_label(1234.0) == "1,234 km"


def test_address_label_leaves_out_a_region_that_is_the_city():
    space = SimpleNamespace(address_line1="Friedrichstr. 1", address_line2="", postcode="10117", city="Berlin",
                            region="Berlin", country_code="DE")
    assert l10n.address_label(space) == "Friedrichstr. 1, 10117 Berlin, Germany"


def test_coordinate_problems_are_said_in_the_readers_language(app):
    from flask_babel import force_locale

    from visa.geo.boundaries import CoordinateError

    sea = CoordinateError("in_sea", "The point 38.0, -12.0 is in the sea, 250 km from Portugal: correct the point.",
                          None, {"lat": 38.0, "lon": -12.0, "km": 250.4, "country": "PT"})
    assert l10n.coordinate_problem(sea) == sea.message  # English: the same words as the domain's message
    with force_locale("de"):
        assert l10n.coordinate_problem(sea) == ("Der Punkt 38.0, -12.0 liegt im Meer, 250 km vom Land Portugal entfernt: "
                                                "Korrigieren Sie den Punkt.")
    flipped = CoordinateError("sign_flipped", "…", (38.7, -9.1),
                              {"which": "the longitude", "lat": 38.7, "lon": -9.1, "country": "PT"})
    with force_locale("pt"):
        assert "mude o sinal da longitude: 38.7, -9.1 ficaria em Portugal" in l10n.coordinate_problem(flipped)
    assert l10n.coordinate_problem(CoordinateError("new_code", "As it was.")) == "As it was."
