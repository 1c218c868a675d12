"""The record and the impact figures follow the real path: a pass issued, a request, an answer, a check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.impact.conftest import TODAY
from visa.impact import figures
from visa.passes import services, visits


@pytest.fixture
def app_config(app_config, tmp_path) -> dict:
    return {**app_config, "VISA_PASS_KEYS_DIR": str(tmp_path / "pass_keys")}


def test_request_accept_and_check_in_show_on_the_record_and_the_network(network, client):
    _lisbon, porto, berlin = network
    visit_day = TODAY + timedelta(days=2)
    while visit_day.weekday() >= 5:  # the traditional terms host Monday to Friday
        visit_day += timedelta(days=1)
    issued = [services.issue_pass(porto.id, f"Member {i}", f"m{i}@example.org", TODAY, TODAY + timedelta(days=60),
                                  None) for i in range(5)]
    requests = [visits.request_visit(p.pass_id, berlin.id, visit_day, visit_day, "Hello", TODAY) for p in issued]
    assert figures.space_record(berlin.id).requests == 5
    for r in requests[:4]:
        visits.accept_request(r.id, None)
    visits.decline_request(requests[4].id, "Full that day", None)
    for r in requests[:4]:
        visits.check_in(r.id, visit_day, None)

    record = figures.space_record(berlin.id)
    assert (record.requests, record.answered, record.accepted, record.visitors, record.overdue) == (5, 5, 4, 4, 0)
    network_now = figures.network_impact(visit_day)
    assert network_now.months[-1] == (f"{visit_day:%Y-%m}", None)  # 4 visits: under 5, not published
    assert (network_now.requests, network_now.answered, network_now.accepted) == (5, 5, 4)
    html = client.get(f"/spaces/{berlin.slug}").get_data(as_text=True)
    assert 'id="record-answered">5 of 5' in html and 'id="record-accepted">4<' in html
