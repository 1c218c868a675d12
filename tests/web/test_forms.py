"""The error summary at the top of a page whose form came back with errors (templates/_error_summary.html)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from visa.reciprocity.forms import TripForm
from visa.web.forms import FieldError, form_error_list


def test_every_message_is_listed_in_field_order_with_its_field(app):
    with app.test_request_context("/trip?stops-0-place=&stops-0-start=2020-01-01&stops-0-end=2020-01-02"):
        from flask import request

        form = TripForm(request.args)
        form.check(date.today())
        found = form_error_list(form)
    assert found[0] == FieldError("stops-0-place", "Place", "Give a place for this stop.")
    assert any(e.field_id == "stops-0-start" for e in found)


def test_a_form_without_errors_has_no_summary(app):
    with app.test_request_context("/trip"):
        assert form_error_list(TripForm(formdata=None)) == []
    assert form_error_list(None) == []


def test_the_summary_is_at_the_top_of_the_page_and_links_each_field(client, make_space):
    make_space("Home Desk", lat=52.52, lon=13.405, country="DE", city="Berlin")
    day = date.today() + timedelta(days=14)
    html = client.get(f"/trip?stops-0-place=Xyzzyqqq&stops-0-start={day}&stops-0-end={day}&home=home-desk-berlin"
                      ).get_data(as_text=True)
    summary = html.split('<main id="main">', 1)[1].split("</div>", 1)[0]
    assert 'id="error-summary"' in summary and 'tabindex="-1"' in summary
    assert '<a href="#stops-0-place">Place: No place called “Xyzzyqqq”.</a>' in summary
    assert html.index('id="error-summary"') < html.index("<h1>")  # first thing on the page
    assert "js/page.js" in html  # which moves the focus to it


def test_a_page_without_errors_has_no_summary(client):
    assert 'id="error-summary"' not in client.get("/trip").get_data(as_text=True)
    assert 'id="error-summary"' not in client.get("/login").get_data(as_text=True)


def test_a_refused_login_has_its_summary(client, make_user):
    make_user("host@example.org")
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    refused = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert 'id="error-summary"' in refused.get_data(as_text=True)
