"""Figures from the visits and requests on record: a space's record and report, the network's rollups."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.impact.conftest import NOW, TODAY
from visa.extensions import db
from visa.impact import figures
from visa.impact.models import RequestMonth, VisitMonth
from visa.impact.rollup import rebuild
from visa.passes.models import RequestStatus


def test_record_counts_the_last_twelve_months_of_requests_and_distinct_visitors(network, make_pass, add_visit,
                                                                             add_request):
    lisbon, porto, berlin = network
    ana, bo = make_pass(porto, "ana@example.org"), make_pass(berlin, "bo@example.org", "Bo")
    add_request(ana, lisbon, NOW - timedelta(days=40), timedelta(hours=2), RequestStatus.CHECKED_IN)
    add_request(bo, lisbon, NOW - timedelta(days=30), timedelta(hours=6), RequestStatus.DECLINED)
    add_request(bo, lisbon, NOW - timedelta(days=20), timedelta(hours=10), RequestStatus.ACCEPTED)
    add_request(ana, lisbon, NOW - timedelta(days=9))  # waiting 9 days: overdue
    add_request(ana, lisbon, NOW - timedelta(days=2), status=RequestStatus.CANCELLED)  # withdrawn: not in the record
    add_request(ana, lisbon, NOW - timedelta(days=400), timedelta(hours=1), RequestStatus.ACCEPTED)  # too old
    add_request(ana, porto, NOW - timedelta(days=5), timedelta(hours=1), RequestStatus.ACCEPTED)  # another host
    for day in (TODAY - timedelta(days=39), TODAY - timedelta(days=38), TODAY - timedelta(days=10)):
        add_visit(ana, lisbon, day)
    add_visit(bo, lisbon, TODAY - timedelta(days=19))
    add_visit(bo, lisbon, TODAY - timedelta(days=500))  # too old

    record = figures.space_record(lisbon.id)
    assert (record.requests, record.answered, record.accepted, record.overdue, record.visitors) == (4, 3, 2, 1, 2)
    assert record.median_answer == timedelta(hours=6)


def test_record_of_visitors_without_requests_and_of_neither(network, make_pass, add_visit):
    lisbon, porto, berlin = network
    add_visit(make_pass(porto, "ana@example.org"), lisbon, TODAY - timedelta(days=3))  # checked in at the door
    record = figures.space_record(lisbon.id)
    assert (record.requests, record.answered, record.visitors, record.median_answer) == (0, 0, 1, None)
    assert (figures.space_record(berlin.id).requests, figures.space_record(berlin.id).visitors) == (0, 0)


def test_space_report_by_month_home_country_and_reach(network, make_pass, add_visit):
    lisbon, porto, berlin = network
    ana, bo = make_pass(porto, "ana@example.org"), make_pass(berlin, "bo@example.org", "Bo")
    lisbon_member = make_pass(lisbon, "cy@example.org", "Cy")
    this_month = TODAY.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    add_visit(ana, lisbon, last_month)
    add_visit(ana, lisbon, this_month)
    add_visit(bo, lisbon, this_month)
    add_visit(lisbon_member, berlin, this_month)
    add_visit(lisbon_member, porto, this_month)

    impact = figures.space_impact(lisbon.id, TODAY)
    assert len(impact.months) == 12 and impact.months[-1].month == this_month
    assert [m.visitors_hosted for m in impact.months[-2:]] == [1, 2]
    assert impact.visitors_total == 3 and sum(m.days_hosted for m in impact.months) == 3
    assert impact.members_sent_total == 1 and impact.months[-1].days_of_members_sent == 2
    assert impact.home_countries == [("DE", 1, 1), ("PT", 1, 2)]  # (country, visitors, visit days)
    assert sorted(c for c, _days in impact.countries_reached) == ["DE", "PT"]
    assert {name for _id, name, _c, _d in impact.hosts_reached} == {"Berlin Works", "Porto Loft"}
    assert impact.homes_hosted == 2


def _rollups() -> tuple[list, list]:
    visits = db.session.execute(sa.select(VisitMonth.month, VisitMonth.home_country, VisitMonth.host_country,
                                          VisitMonth.visits).where(VisitMonth.visits != 0)
                                .order_by(VisitMonth.month, VisitMonth.home_country, VisitMonth.host_country)).all()
    requests = db.session.execute(sa.select(RequestMonth.month, RequestMonth.requests, RequestMonth.answered,
                                            RequestMonth.accepted, RequestMonth.answer_seconds)
                                  .where(RequestMonth.requests != 0).order_by(RequestMonth.month)).all()
    return [tuple(r) for r in visits], [tuple(r) for r in requests]


def test_rollups_kept_on_each_write_equal_a_rebuild_from_the_records(network, make_pass, add_visit, add_request):
    lisbon, porto, berlin = network
    ana, bo = make_pass(porto, "ana@example.org"), make_pass(berlin, "bo@example.org", "Bo")
    for i in range(6):
        add_visit(bo, lisbon, TODAY - timedelta(days=i))
    add_visit(ana, berlin, TODAY)
    gone = add_visit(ana, lisbon, TODAY)
    db.session.delete(gone)
    request = add_request(ana, lisbon, NOW - timedelta(days=3))
    add_request(bo, lisbon, NOW - timedelta(days=3), timedelta(hours=5), RequestStatus.DECLINED)
    # The host answers: the rollup moves the request from waiting to answered and accepted.
    request.status, request.answered_at = RequestStatus.ACCEPTED, NOW - timedelta(days=2)
    db.session.commit()
    request.status = RequestStatus.CHECKED_IN
    db.session.commit()
    # Accepted, then cancelled by its member: out of every count, as in the host's record.
    withdrawn = add_request(bo, lisbon, NOW - timedelta(days=3), timedelta(hours=1), RequestStatus.ACCEPTED)
    withdrawn.status = RequestStatus.CANCELLED
    db.session.commit()

    kept = _rollups()
    month = TODAY.replace(day=1)
    assert sum(v for _m, home, host, v in kept[0] if (home, host) == ("DE", "PT")) == 6
    assert sum(v for _m, home, host, v in kept[0] if (home, host) == ("PT", "DE")) == 1
    assert sum(v for _m, home, host, v in kept[0] if (home, host) == ("PT", "PT")) == 0
    req_month = (NOW - timedelta(days=3)).date().replace(day=1)
    assert kept[1] == [(req_month, 2, 2, 1, 24 * 3600 + 5 * 3600)]
    rebuild(db.session.connection())
    db.session.commit()
    assert _rollups() == kept
    assert month in {m for m, *_rest in kept[0]}


def test_network_impact_reads_the_rollups_and_publishes_only_counts_of_five_or_more(app, network, make_pass,
                                                                                    add_visit, add_request):
    app.config["VISA_IMPACT_MAX_AGE"] = 0  # it reads the figures again right after more visits (see test_cache)
    lisbon, porto, berlin = network
    ana, bo = make_pass(porto, "ana@example.org"), make_pass(berlin, "bo@example.org", "Bo")
    first = TODAY.replace(day=1)
    for i in range(7):  # seven Berlin members at Lisbon on one day
        add_visit(make_pass(berlin, f"member{i}@example.org"), lisbon, first)
    add_visit(ana, berlin, first)  # one Porto member at Berlin
    add_request(bo, lisbon, NOW - timedelta(days=3), timedelta(hours=4), RequestStatus.ACCEPTED)
    add_request(ana, berlin, NOW - timedelta(days=3), timedelta(hours=8), RequestStatus.DECLINED)
    add_request(ana, lisbon, NOW - timedelta(days=1))

    impact = figures.network_impact(TODAY)
    month = f"{first:%Y-%m}"
    assert impact.months[-1] == (month, 8)
    # The lone 1 is suppressed, and the 7 with it: otherwise 8 - 7 would give it back. No corridor is published.
    assert impact.corridors == []
    cells, totals = figures.open_export()
    assert {(c.home_country, c.host_country): c.count for c in cells} == {("DE", "PT"): None, ("PT", "DE"): None}
    assert totals == {month: 8}
    assert impact.countries_hosting == ["DE", "PT"] and impact.countries_reached == ["DE", "PT"]
    assert (impact.requests, impact.answered, impact.accepted) == (3, 2, 1)
    assert impact.mean_answer == timedelta(hours=6)
    assert impact.answer_rate == 2 / 3 and impact.acceptance_rate == 1 / 2
    # Four more Porto members at Berlin make that corridor 5: both are published.
    for i in range(4):
        add_visit(make_pass(porto, f"pt{i}@example.org"), berlin, first)
    assert figures.network_impact(TODAY).corridors == [("DE", "PT", 7), ("PT", "DE", 5)]
