"""Pages write countries, places and dates for people: no "DE", no "Berlin, Berlin", no "09-01 (month-day)"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.reciprocity.test_views import NEXT_MONDAY


@pytest.fixture
def berlin(make_space):
    return make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin", region="Berlin",
                      address_line1="Friedrichstr. 1", postcode="10117",
                      terms={"season_start": date(2000, 9, 1), "season_end": date(2000, 6, 30),
                             "blackout_dates": [{"start": "2026-12-24", "end": "2027-01-02"}]})


def test_space_page_names_the_country_once_and_reads_the_season_as_dates(client, berlin):
    html = client.get("/spaces/spree-works-berlin").get_data(as_text=True)
    assert "<bdi>10117</bdi> <bdi>Berlin</bdi><br>Germany" in html and "Berlin, Berlin" not in html
    assert "September 1" in html and "June 30" in html and "month-day" not in html
    assert "Dec 24, 2026 to Jan 2, 2027" in html and "→" not in html
    # The labels of a page that shows the terms, not the form's hints on how to type them.
    assert "<dt>Closed to visitors</dt>" in html and "<dt>Season starts</dt>" in html
    assert "one period a line" not in html and "(MM-DD)" not in html


def test_verdicts_read_the_season_as_dates(client, berlin, make_space, csrf_token):
    home = make_space("Lisbon Home", country="PT", city="Lisbon").slug
    client.post("/home", data={"home": "Lisbon Home", "csrf_token": csrf_token()})
    html = client.get("/spaces/spree-works-berlin").get_data(as_text=True)
    assert "visitors hosted from September 1 to June 30" in html
    july = date(NEXT_MONDAY.year + 1, 7, 6)
    body = client.get(f"/api/v1/reciprocity?home={home}&host=spree-works-berlin&date={july}").get_json()
    reason = next(r for r in body["reasons"] if r["code"] == "out_of_season")
    assert reason["season_start"] == "09-01"  # the API's data stay machine-readable
    assert reason["text"] == (f"{july.strftime('%b')} {july.day}, {july.year} is outside the visa season "
                              "(September 1 to June 30).")


def test_reach_and_trip_pages_name_countries(client, berlin, make_space, csrf_token):
    make_space("Lisbon Home", country="PT", city="Lisbon", region="Lisbon")
    html = client.get("/spaces/spree-works-berlin/reach").get_data(as_text=True)
    assert "Lisbon, Portugal" in html and "Lisbon, PT" not in html
    client.post("/home", data={"home": "Lisbon Home", "csrf_token": csrf_token()})
    query = f"stops-0-place=Berlin&stops-0-start={NEXT_MONDAY}&stops-0-end={NEXT_MONDAY + timedelta(days=1)}"
    html = client.get(f"/trip?{query}").get_data(as_text=True)
    assert "Friedrichstr. 1, 10117 Berlin, Germany" in html
    assert NEXT_MONDAY.strftime("%a, %b ") + str(NEXT_MONDAY.day) in html  # the stop's dates as words


def test_a_searched_place_is_headed_in_the_readers_language(client, make_space):
    make_space("Dom Desk", lat=50.9375, lon=6.9603, country="DE", city="Köln")
    html = client.get("/?q=K%C3%B6ln&lang=de").get_data(as_text=True)
    heading = html.split('id="results-heading"', 1)[1].split("</h2>", 1)[0]
    assert "Deutschland" in heading and "Germany" not in heading  # as the entries under it name the country
    portland = client.get("/?q=Portland&lang=de").get_data(as_text=True)
    also = portland.split('id="alternatives"', 1)[1].split("</p>", 1)[0]
    assert "Maine, Vereinigte Staaten" in also and "United States</a>" not in also
    assert "q=Portland,+Maine,+United+States" in also  # the link asks the geocoder what it answered


def _heading(html: str) -> str:
    return html.split('id="results-heading"', 1)[1].split("</h2>", 1)[0]


def test_a_searched_place_is_named_in_the_readers_language(client, lisbon_space):
    german = _heading(client.get("/?q=Lissabon&lang=de").get_data(as_text=True))
    assert "Lissabon, Portugal" in german and "Lisbon" not in german
    french = _heading(client.get("/?q=Lisbon&lang=fr").get_data(as_text=True))
    assert "Lisbonne, Portugal" in french
    english = _heading(client.get("/?q=Lissabon&lang=en").get_data(as_text=True))
    assert "Lisbon, Portugal" in english  # GeoNames' own name


def test_a_listed_city_and_its_area_are_named_in_the_readers_language(client, make_space):
    make_space("Dom Desk", lat=50.9375, lon=6.9603, country="DE", city="Cologne")
    html = client.get("/?q=Cologne&lang=de").get_data(as_text=True)
    assert "Köln, Nordrhein-Westfalen, Deutschland" in _heading(html)
    where = html.split('class="where">', 1)[1].split("</div>", 1)[0]
    assert where == "<bdi>Köln</bdi>, Deutschland"  # the host typed "Cologne"; stored as typed
    italian = client.get("/?q=Cologne&lang=it").get_data(as_text=True)
    assert "Colonia, Renania Settentrionale-Vestfalia, Germania" in _heading(italian)
    english = client.get("/?q=K%C3%B6ln&lang=en").get_data(as_text=True)
    assert "<bdi>Cologne</bdi>, Germany" in english


@pytest.fixture
def lisbon_space(make_space):
    return make_space("Baixa Desk", lat=38.7101, lon=-9.1367, country="PT", city="Lisbon")


def test_a_misspelt_places_suggestions_are_named_in_the_readers_language(client):
    html = client.get("/?q=Lisbonnnnx&lang=de").get_data(as_text=True)
    error = html.split('id="q-error"', 1)[1].split("</div>", 1)[0]
    assert ">Lissabon, Portugal</a>" in error
    assert "q=Lisbon,+Portugal" in error  # the link searches what the geocoder answered
