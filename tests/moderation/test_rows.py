"""Reading sheets (pure): columns by their words, Excel's quoting, one bad value at a time."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from visa.moderation.rows import _PHRASES, FileRejected, RawRow, _words, clean, map_headers, read_sheet, score


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Coworking Visa Accepted? (y/n)", "is_participating"),
        ("Coworking Visa?", "is_participating"),
        ("State/Province", "region"),
        ("ZIP/Post Code", "postcode"),
        ("Phone number", "phone"),
        ("Email Address", "email"),
        ("Bio (150-word or less)", "description"),
        ("Free drop-in? (y/n)", "drop_in_free"),
        ("Drop-in day rate ($)", "price"),
        ("Address Line 1", "address_line1"),
        ("Latitude", "latitude"),
        ("Longitude", "longitude"),
        ("Name", "name"),
        ("City", "city"),
        ("Country", "country"),
        ("Web site", "website"),
        ("Day pass", "price"),
        ("Lat", "latitude"),
        ("Y", "latitude"),
        ("Terms last confirmed", "terms_confirmed_at"),
        ("Free days per month", "free_days_per_month"),
        ("Advance notice (hours)", "advance_notice_hours"),
    ],
)
def test_a_header_is_mapped_by_its_words(header, field):
    assert map_headers([header]) == {header: field}


def test_the_2012_headers_all_map_and_each_field_once():
    headers = ["Name", "Address Line 1", "City", "State/Province", "ZIP/Post Code", "Country", "Latitude", "Longitude",
               "Phone number", "Email Address", "Bio (150-word or less)", "Free drop-in? (y/n)", "Drop-in day rate ($)",
               "Coworking Visa Accepted? (y/n)", "Twitter", "Submitted"]
    mapped = map_headers(headers)
    assert "Submitted" not in mapped and len(mapped) == len(headers) - 1 and mapped["Twitter"] == "twitter"
    assert len(set(mapped.values())) == len(mapped)


def test_doubled_quotes_and_line_breaks_in_quoted_fields():
    data = (b'Name,City,Country,Bio\r\n"The ""Hive""",Lisbon,PT,"Line one\r\nsaid ""hi""\r\nline three"\r\n'
            b'Plain,Porto,PT,\r\n')
    sheet = read_sheet(data, "x.csv")
    assert [r.values["name"] for r in sheet.rows] == ['The "Hive"', "Plain"]
    assert sheet.rows[0].values["description"] == 'Line one\r\nsaid "hi"\r\nline three'
    assert [r.line for r in sheet.rows] == [2, 5]


def test_semicolons_and_a_byte_order_mark():
    sheet = read_sheet("\ufeffSpace;Lat;Lng\nA;38,7;-9,1\n".encode(), "x.csv")
    assert sheet.columns == {"Space": "name", "Lat": "latitude", "Lng": "longitude"}


def test_one_unreadable_value_is_left_out_with_a_warning():
    row = clean(RawRow(7, {"name": "Hub", "website": "not a site", "price": "ask us", "is_participating": "maybe",
                           "free_days_per_visit": "3", "latitude": "12a", "longitude": "5"}))
    assert row.fields["website"] == "" and "price_amount" not in row.fields and row.fields["latitude"] is None
    assert row.terms == {"free_days_per_visit": 3}  # only what the row states, and could be read
    assert len(row.warnings) == 4 and all("left out" in w for w in row.warnings)


def test_a_header_of_900000_columns_is_refused_at_once():
    """Mapping is linear in the headers and stops at 1,000 columns: this header took 107 s to refuse."""
    data = ",".join(f"column {i}" for i in range(900_000)).encode() + b"\nA\n"
    started = time.perf_counter()
    with pytest.raises(FileRejected) as refused:
        read_sheet(data, "wide.csv")
    assert refused.value.reason.code == "too_many_columns" and refused.value.reason.params["count"] == 900_000
    assert time.perf_counter() - started < 5


def _score_by_every_phrase(header: str, fieldname: str) -> float:
    """The score as it was first written: every phrase of the field searched in the header's words."""
    words, _hints = _words(header)
    best = 0.0
    for phrase in _PHRASES[fieldname]:
        n = len(phrase)
        if phrase and any(words[i:i + n] == phrase for i in range(len(words) - n + 1)):
            best = max(best, n + (1 if n == len(words) else 0))
    return best


_PHRASE_WORDS = sorted({word for phrases in _PHRASES.values() for phrase in phrases for word in phrase})


@given(st.lists(st.sampled_from(_PHRASE_WORDS) | st.sampled_from(["(y/n)", "($)", "of", "2012"]), max_size=8))
def test_scores_looked_up_by_runs_of_words_are_the_scores_of_every_phrase(words):
    header = " ".join(words)
    for fieldname in _PHRASES:
        assert score(header, fieldname) == _score_by_every_phrase(header, fieldname), (header, fieldname)


def test_a_thousand_long_headers_map_as_one_would():
    headers = ["Name", "City"] + [f"notes about the coworking visa and the price, number {i}" for i in range(998)]
    mapped = map_headers(headers)
    assert mapped["Name"] == "name" and mapped["City"] == "city" and len(set(mapped.values())) == len(mapped)
