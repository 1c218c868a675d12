"""Impact pages over HTTP: the network page, the open export, a space's report and who may see it, the record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.impact.conftest import NOW, TODAY
from visa.accounts.models import Role, SpaceHost
from visa.extensions import db
from visa.passes.models import RequestStatus


def _busy_network(network, make_pass, add_visit, add_request):
    lisbon, porto, berlin = network
    first = TODAY.replace(day=1)
    for i in range(6):
        member = make_pass(berlin, f"de{i}@example.org", f"Member DE{i}")
        add_visit(member, lisbon, first)
        add_request(member, lisbon, NOW - timedelta(days=2), timedelta(hours=3), RequestStatus.CHECKED_IN)
    for i in range(2):
        add_visit(make_pass(porto, f"pt{i}@example.org"), berlin, first)
    for i in range(5):
        add_visit(make_pass(porto, f"local{i}@example.org"), lisbon, first)
    return lisbon, porto, berlin


def test_network_page_draws_charts_with_their_tables_and_no_outside_resource(client, network, make_pass, add_visit,
                                                                             add_request):
    _busy_network(network, make_pass, add_visit, add_request)
    html = client.get("/impact").get_data(as_text=True)
    assert 'id="visits-chart-title"' in html and "<svg" in html and 'id="corridor-map"' in html
    # Germany to Portugal: 6 visits. Portugal to Germany: 2, hidden, and with it the smallest other cell
    # (Portugal to Portugal, 5), or the month's total would give the 2 back. Visits at home draw no line.
    assert html.count('class="corridor"') == 1
    assert 'id="total-visits">13<' in html
    assert "Germany" in html and "Portugal" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_open_export_csv_and_json_suppress_small_counts(client, network, make_pass, add_visit, add_request):
    _busy_network(network, make_pass, add_visit, add_request)
    month = f"{TODAY:%Y-%m}"
    response = client.get("/impact/open-data.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [{"month": month, "home_country": "DE", "host_country": "PT", "visits": "6", "suppressed": "false"},
                    {"month": month, "home_country": "PT", "host_country": "DE", "visits": "", "suppressed": "true"},
                    {"month": month, "home_country": "PT", "host_country": "PT", "visits": "", "suppressed": "true"}]
    body = client.get("/impact/open-data.json").get_json()
    assert body["suppression"]["threshold"] == 5
    assert {(c["home_country"], c["host_country"]): c["visits"] for c in body["cells"]} == {
        ("DE", "PT"): 6, ("PT", "DE"): None, ("PT", "PT"): None}
    assert body["month_totals"] == [{"month": month, "visits": 13}]
    assert "@" not in response.get_data(as_text=True) + str(body)  # no member address, ever


def test_space_report_is_for_its_hosts_and_admins_only(client, network, make_user, login, make_pass, add_visit,
                                                       add_request):
    lisbon, _porto, berlin = _busy_network(network, make_pass, add_visit, add_request)
    url = f"/spaces/{lisbon.slug}/impact"
    assert client.get(url).headers["Location"].startswith("/login")  # 401: sign in first
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=berlin.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    login("host@example.org")
    assert client.get(url).status_code == 403  # hosts another space
    assert client.get(url + ".csv").status_code == 403
    db.session.add(SpaceHost(space_id=lisbon.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'id="visitors-total">11<' in html and 'id="visitors-chart-title"' in html
    assert "Member DE0" not in html and "de0@example.org" not in html  # figures, never names
    printable = client.get(url + "/print").get_data(as_text=True)
    assert "impact.css" in printable and 'id="visitors-total">11<' in printable
    # The printed page's language is a BCP 47 tag ("pt-BR"), as on every other page, not Babel's "pt_BR".
    assert '<html lang="pt-BR"' in client.get(url + "/print?lang=pt_BR").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(url + ".csv").get_data(as_text=True))))
    assert rows[0] == ["figure", "period", "country", "value"]
    assert ["visitors_hosted", f"{TODAY:%Y-%m}", "", "11"] in rows
    assert ["visitors_by_home_country", "12 months", "PT", "5"] in rows
    assert ["visitors_by_home_country", "12 months", "DE", "6"] in rows
    assert ["requests_answered", "12 months", "", "6"] in rows
    dashboard = client.get("/host").get_data(as_text=True)
    assert f'href="/spaces/{lisbon.slug}/impact"' in dashboard


def test_admin_sees_a_space_report(client, network, make_user, login):
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    assert client.get(f"/spaces/{network[0].slug}/impact").status_code == 200


def test_listing_shows_its_record(client, network, make_pass, add_visit, add_request):
    lisbon, porto, _berlin = _busy_network(network, make_pass, add_visit, add_request)
    html = client.get(f"/spaces/{lisbon.slug}").get_data(as_text=True)
    assert 'id="record-answered">6 of 6, half of them within 3 hours<' in html
    assert 'id="record-visitors">11<' in html
    assert 'id="record-empty"' in client.get(f"/spaces/{porto.slug}").get_data(as_text=True)
    fragment = client.get(f"/spaces/{lisbon.slug}/record").get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and 'id="record-accepted">6<' in fragment
    assert client.get("/spaces/no-such-space/record").status_code == 404


def test_the_corridor_table_and_the_trip_dates_say_from_and_to_each_in_its_own_sense(client, network, make_pass,
                                                                                     add_visit, add_request):
    """One English word, two meanings: the corridor's countries and a stay's first and last days (msgctxt)."""
    _busy_network(network, make_pass, add_visit, add_request)
    corridors = client.get("/impact?lang=de").get_data(as_text=True)
    assert '<th scope="col">Herkunftsland</th><th scope="col">Zielland</th>' in corridors
    trip = client.get("/trip?lang=de").get_data(as_text=True)
    assert ">Von</label>" in trip and ">Bis</label>" in trip and "Herkunftsland" not in trip


def test_the_visits_tile_agrees_with_the_month_table_when_months_are_withheld(client, network, make_pass,
                                                                              add_visit):
    """Two visits this month: the table says "under 5", and the tile must not say 0."""
    lisbon, porto, _berlin = network
    first = TODAY.replace(day=1)
    for i in range(2):
        add_visit(make_pass(porto, f"few{i}@example.org"), lisbon, first)
    html = client.get("/impact").get_data(as_text=True)
    assert "<td>under 5</td>" in html
    assert 'id="total-visits">under 5 a month</dd>' in html
