"""Coordinates as sheets write them: decimals, or degrees, minutes and seconds with a hemisphere letter
in English, Portuguese or Spanish (pure: visa.moderation.cleaning.coordinate)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from visa.moderation.cleaning import CleaningError, coordinate


@pytest.mark.parametrize("cell,axis,value", [
    ("25° 26’ 11.79”S", "latitude", -(25 + 26 / 60 + 11.79 / 3600)),  # Curitiba, as the 2012 sheet has it
    ("49° 16’ 49.66”O", "longitude", -(49 + 16 / 60 + 49.66 / 3600)),  # O: oeste, west in Portuguese and Spanish
    ("47°36'N", "latitude", 47.6),
    ("122°20'W", "longitude", -(122 + 20 / 60)),
    ("40° 25′ 0″ N", "latitude", 40 + 25 / 60),
    ("3° 42' 13'' O", "longitude", -(3 + 42 / 60 + 13 / 3600)),
    ("S 25°26,5'", "latitude", -(25 + 26.5 / 60)),
    ("E 2° 10'", "longitude", 2 + 10 / 60),
    ("25 26 11.79 S", "latitude", -(25 + 26 / 60 + 11.79 / 3600)),
    ("-49°16'", "longitude", -(49 + 16 / 60)),
    ("38,7101", "latitude", 38.7101),
    ("-9.1367", "longitude", -9.1367),
])
def test_a_coordinate_is_read_in_every_way_sheets_write_it(cell, axis, value):
    assert coordinate(cell, axis) == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("cell,axis,code", [
    ("25° 26’ 11.79”E", "latitude", "latitude_east_west"),
    ("49° 16’ 49.66”N", "longitude", "longitude_north_south"),
    ("-25° 26’ S", "latitude", "sign_and_hemisphere"),
    ("25° 70’ S", "latitude", "not_a_coordinate"),  # minutes run to 59
    ("25.5° 3’ S", "latitude", "not_a_coordinate"),  # only the last part may have decimals
    ("N", "latitude", "not_a_coordinate"),
    ("47°36'N", "longitude", "longitude_north_south"),
])
def test_a_coordinate_that_cannot_be_read_surely_is_refused(cell, axis, code):
    with pytest.raises(CleaningError) as refused:
        coordinate(cell, axis)
    assert refused.value.code == code


def test_blank_is_no_coordinate():
    assert coordinate("", "latitude") is None and coordinate(None, "longitude") is None


_MARKS = st.sampled_from([("°", "'", '"'), ("°", "’", "”"), ("º", "′", "″"), (" ", " ", " "), ("°", "'", "''")])
_GAPS = st.sampled_from(["", " "])


@given(degrees=st.integers(0, 89), minutes=st.integers(0, 59), seconds=st.decimals(0, "59.99", places=2),
       letter=st.sampled_from("NS"), marks=_MARKS, gap=_GAPS, letter_first=st.booleans())
def test_any_latitude_in_degrees_minutes_and_seconds_reads_back(degrees, minutes, seconds, letter, marks, gap,
                                                                 letter_first):
    body = f"{degrees}{marks[0]}{gap}{minutes}{marks[1]}{gap}{seconds}{marks[2]}".strip()
    cell = f"{letter} {body}" if letter_first else f"{body}{gap}{letter}"
    expected = (degrees + minutes / 60 + float(seconds) / 3600) * (-1 if letter == "S" else 1)
    assert math.isclose(coordinate(cell, "latitude"), expected, abs_tol=1e-9)


@given(value=st.floats(-180, 180, allow_nan=False), west=st.sampled_from("WO"))
def test_any_longitude_written_as_degrees_and_decimal_minutes_reads_back(value, west):
    whole, minutes = divmod(round(abs(value) * 60, 4), 60)
    cell = f"{int(whole)}° {minutes:.4f}’ {'E' if value >= 0 else west}"
    assert math.isclose(coordinate(cell, "longitude"), math.copysign(whole + minutes / 60, value), abs_tol=1e-9)


@given(st.text(max_size=40))
def test_no_text_makes_the_reader_fail_other_than_with_a_reason(text):
    try:
        value = coordinate(text, "latitude")
    except CleaningError:
        return
    assert value is None or isinstance(value, float)
