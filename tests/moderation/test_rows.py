"""Reading sheets (pure): columns by their words, Excel's quoting, one bad value at a time."""

from __future__ import annotations

import pytest

from visa.moderation.rows import RawRow, clean, map_headers, read_sheet


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
