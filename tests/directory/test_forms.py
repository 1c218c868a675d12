"""The search form's selects: rendered once per locale and registry version, and as WTForms renders them."""

from __future__ import annotations

import re

import pytest
from wtforms.widgets import Select

from visa.accounts.models import Role
from visa.directory.forms import SearchForm
from visa.directory.models import SpaceStatus
from visa.extensions import db
from visa.moderation.services import approve


def _countries(client, language: str = "en") -> dict[str, str]:
    html = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="country".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option[^>]*value="([A-Z]{2})"[^>]*>([^<]+)</option>', select))


def test_a_country_appears_in_the_select_once_a_space_there_is_approved(client, make_space, make_user):
    make_space("Baixa Desk")
    assert _countries(client) == {"PT": "Portugal"}  # only countries with a listed space
    pending = make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin",
                         status=SpaceStatus.PENDING)
    assert _countries(client) == {"PT": "Portugal"}
    approve(pending, make_user("admin@example.org", role=Role.ADMIN).id)
    db.session.commit()
    assert _countries(client) == {"DE": "Germany", "PT": "Portugal"}  # the kept options were not served again


def test_the_select_is_kept_per_locale(client, make_space):
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    assert _countries(client, "en") == {"DE": "Germany"}
    assert _countries(client, "de") == {"DE": "Deutschland"}
    assert _countries(client, "en") == {"DE": "Germany"}


def test_a_linked_country_without_a_listing_is_offered_and_chosen(client, make_space):
    make_space("Baixa Desk")
    html = client.get("/?country=JP&q=Tokyo").get_data(as_text=True)
    assert '<option selected value="JP">Japan</option>' in html
    assert "JP" not in _countries(client)  # only for that page
    assert client.get("/?country=ZZ").status_code == 200


@pytest.mark.parametrize("query", ["/", "/?radius_km=100&country=PT", "/?radius_km=7&country=DE&lang=de",
                                   "/?lang=en-US&radius_km=5"])
def test_the_selects_are_what_wtforms_renders(app, make_space, query):
    make_space("Baixa Desk")
    make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    with app.test_request_context(query):
        app.preprocess_request()
        from flask import request

        form = SearchForm(request.args)
        for field in (form.radius_km, form.country):
            assert str(field()) == str(Select()(field))
            assert str(field(class_="x")) == str(Select()(field, class_="x"))


def test_the_fields_of_a_page_without_a_search_are_rendered_once_per_locale(app, client, make_space):
    from flask import request

    make_space("Baixa Desk")
    kept = {}
    for query in ("/", "/?lang=de"):
        with app.test_request_context(query):
            app.preprocess_request()
            kept[query] = SearchForm(request.args).blank_fields()
            assert SearchForm(request.args).blank_fields() is kept[query]
    assert 'for="q">Place or address</label>' in kept["/"] and 'for="q">Ort oder Adresse</label>' in kept["/?lang=de"]
    searched = client.get("/?q=Lisboa").get_data(as_text=True)
    assert 'value="Lisboa"' in searched  # a search's own fields, not the kept ones


def test_a_search_that_sets_no_filter_gets_the_filters_rendered_once_per_locale(app, client, make_space):
    from flask import request

    make_space("Baixa Desk")
    with app.test_request_context("/?q=Lisboa"):
        app.preprocess_request()
        kept = SearchForm(request.args).blank_filters()
        assert SearchForm(request.args).blank_filters() is kept
    assert '<option selected value="25">' in kept and 'name="q"' not in kept
    searched = client.get("/?q=Lisboa").get_data(as_text=True)
    assert kept in searched and 'value="Lisboa"' in searched
    filtered = client.get("/?q=Lisboa&radius_km=50").get_data(as_text=True)
    assert '<option selected value="50">' in filtered and kept not in filtered  # a filter set: its own fields
