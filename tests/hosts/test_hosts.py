"""Hosts: submit with a pin, duplicates, edit with revisions and conflicts, terms, confirm, claim, report."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from visa.accounts.models import SpaceHost
from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report
from visa.timeutil import utcnow

NEW = {"name": "Alfama Desk", "address_line1": "Rua dos Remédios 10", "postcode": "1100-441", "city": "Lisboa",
       "country_code": "PT", "website": "alfamadesk.example", "email": "visa@alfamadesk.example"}


@pytest.fixture
def host(make_user, login):
    user = make_user("host@example.org")
    login("host@example.org")
    return user


def _post(client, csrf_token, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(url)})


def test_submit_geocodes_the_address_and_waits_for_approval(client, csrf_token, host):
    r = _post(client, csrf_token, "/host/spaces/new", NEW)
    assert r.status_code == 302 and "/terms" in r.headers["Location"]
    space = db.session.scalars(sa.select(Space).where(Space.name == "Alfama Desk")).unique().one()
    assert space.status == SpaceStatus.PENDING and space.geocode_precision == "city"
    assert space.website == "https://alfamadesk.example"
    assert db.session.get(SpaceHost, (space.id, host.id)).is_confirmed
    assert client.get(f"/spaces/{space.slug}").status_code == 404  # not on the map before approval


def test_dragged_pin_is_kept_as_exact(client, csrf_token, host):
    _post(client, csrf_token, "/host/spaces/new", {**NEW, "latitude": "38.7118", "longitude": "-9.1302",
                                                   "geocode_precision": "exact"})
    space = db.session.scalars(sa.select(Space).where(Space.name == "Alfama Desk")).unique().one()
    assert (space.latitude, space.longitude, space.geocode_precision) == (38.7118, -9.1302, "exact")


def test_unplaceable_address_asks_for_the_pin_and_keeps_input(client, csrf_token, host):
    r = _post(client, csrf_token, "/host/spaces/new", {**NEW, "city": "Xyzzyqqville", "address_line1": "Nowhere 1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Drag the pin on the map to your space." in html
    assert 'value="Xyzzyqqville"' in html and 'value="Alfama Desk"' in html


def test_pin_in_the_wrong_country_is_refused_with_the_reason(client, csrf_token, host):
    r = _post(client, csrf_token, "/host/spaces/new", {**NEW, "latitude": "-9.1302", "longitude": "38.7118"})
    assert r.status_code == 400 and "Latitude and longitude look swapped" in r.get_data(as_text=True)


def test_html_in_fields_is_text(client, csrf_token, host):
    r = _post(client, csrf_token, "/host/spaces/new", {**NEW, "name": "<script>alert(1)</script>", "city": ""})
    html = r.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_duplicate_is_caught_then_allowed_when_confirmed(client, csrf_token, host, make_space):
    make_space("Alfama Desk", lat=38.7118, lon=-9.1302)
    data = {**NEW, "latitude": "38.7119", "longitude": "-9.1303"}
    r = _post(client, csrf_token, "/host/spaces/new", data)
    assert r.status_code == 400 and "is already listed a few steps away" in r.get_data(as_text=True)
    r = _post(client, csrf_token, "/host/spaces/new", {**data, "not_duplicate": "y"})
    assert r.status_code == 302


@pytest.fixture
def kept(make_space, host):
    space = make_space("Kept Space", lat=38.7101, lon=-9.1367)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    return space


def _form_fields(client, url) -> dict:
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update(dict(re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', html)[::-1]))
    return fields


def test_edit_goes_live_and_is_a_revision_with_a_diff(client, csrf_token, kept):
    page = client.get(f"/spaces/{kept.slug}/edit").get_data(as_text=True)
    version = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    data = {"name": "Kept Space", "city": "Lisbon", "country_code": "PT", "latitude": "38.7101",
            "longitude": "-9.1367", "geocode_precision": "exact", "phone": "+351 21 000 0000", "lock_version": version}
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/edit", data)
    assert r.status_code == 302
    revision = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc())).first()
    assert revision.changes["phone"] == ["", "+351 21 000 0000"] and revision.user_id is not None
    assert "+351 21 000 0000" in client.get(f"/spaces/{kept.slug}").get_data(as_text=True)


def test_second_concurrent_save_is_refused_showing_what_changed(client, csrf_token, kept):
    page = client.get(f"/spaces/{kept.slug}/edit").get_data(as_text=True)
    version = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    base = {"name": "Kept Space", "city": "Lisbon", "country_code": "PT", "latitude": "38.7101",
            "longitude": "-9.1367", "lock_version": version}
    assert _post(client, csrf_token, f"/spaces/{kept.slug}/edit", {**base, "phone": "111"}).status_code == 302
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/edit", {**base, "phone": "222"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "someone else saved this space" in html
    assert "<td>phone</td><td></td><td><bdi>111</bdi></td>" in html and 'value="222"' in html
    db.session.expire_all()
    assert db.session.get(Space, kept.id).phone == "111"


def test_terms_form_saves_confirms_and_names_conflicts(client, csrf_token, kept):
    page = client.get(f"/spaces/{kept.slug}/terms").get_data(as_text=True)
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    bad = {"is_participating": "yes", "free_days_per_visit": "4", "free_days_per_month": "2", "advance_notice_hours": "24",
           "request_method": "email", "weekdays": ["mon", "tue"], "lock_version": version}
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/terms", bad)
    assert r.status_code == 400 and "Per month must be at least the free days per visit (4)." in r.get_data(as_text=True)
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/terms", {**bad, "free_days_per_month": "6"})
    assert r.status_code == 302
    db.session.expire_all()
    space = db.session.get(Space, kept.id)
    assert space.terms.free_days_per_month == 6 and space.terms.weekdays == 3
    assert utcnow() - space.terms_confirmed_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)


def test_still_accurate_button_renews_the_date(client, csrf_token, kept):
    kept.terms_confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert "Terms not confirmed since" in client.get(f"/spaces/{kept.slug}").get_data(as_text=True)
    dashboard = client.get("/host").get_data(as_text=True)
    assert f"{kept.city}, Portugal" in dashboard  # the country's name, not its code
    version = re.search(r'name="lock_version" value="(\d+)"', dashboard).group(1)
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/confirm", {"lock_version": version})
    assert r.status_code == 302 and r.headers["Location"] == "/host"
    assert "Terms not confirmed since" not in client.get(f"/spaces/{kept.slug}").get_data(as_text=True)


def test_claim_waits_for_an_admin(client, csrf_token, make_space, host):
    other = make_space("Somebody Else's", lat=38.72, lon=-9.15)
    assert _post(client, csrf_token, f"/spaces/{other.slug}/claim", {}).status_code == 302
    assert not db.session.get(SpaceHost, (other.id, host.id)).is_confirmed
    assert client.get(f"/spaces/{other.slug}/edit").status_code == 403


def test_reports_need_no_account_and_are_rate_limited(app, client, csrf_token, make_space):
    space = make_space("Reported", lat=38.72, lon=-9.15)
    token = csrf_token(f"/spaces/{space.slug}")  # the report form on the space's page
    report = f"/spaces/{space.slug}/report"
    codes = [client.post(report, data={"kind": "not_honored", "message": f"turned away {i}", "csrf_token": token})
             .status_code for i in range(6)]
    assert codes == [302] * 5 + [429]
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 5
    r = client.post(report, data={"kind": "bogus", "message": "", "csrf_token": token})
    assert r.status_code in (400, 429)


def test_space_page_has_schema_org_json_ld(client, make_space):
    space = make_space("Ld Space", lat=38.7101, lon=-9.1367, address_line1="Rua Augusta 12", postcode="1100-053")
    html = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Place" and data["geo"]["latitude"] == 38.7101
    assert data["address"]["streetAddress"] == "Rua Augusta 12" and data["address"]["addressCountry"] == "PT"


EDITS = [  # every edit form, with valid input
    ("edit", {"name": "Kept Space", "city": "Lisbon", "country_code": "PT", "latitude": "38.7101",
              "longitude": "-9.1367", "phone": "999"}),
    ("terms", {"is_participating": "yes", "free_days_per_visit": "2", "free_days_per_month": "5",
               "request_method": "email", "weekdays": ["mon"]}),
    ("confirm", {}),
]


@pytest.mark.parametrize("action,data", EDITS)
@pytest.mark.parametrize("version", [None, "", "x1", "²", "-1", "9" * 30])
def test_every_edit_needs_its_lock_version(client, csrf_token, kept, action, data, version):
    """Without the version it was loaded with, a save could silently overwrite another one: refused."""
    before = kept.lock_version
    posted = data if version is None else {**data, "lock_version": version}
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/{action}", posted)
    assert r.status_code == 400 and "Reload the page, then save again." in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Space, kept.id).lock_version == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)
                             .where(Revision.space_id == kept.id)) == 1


def test_after_a_conflict_saving_again_works(client, csrf_token, kept):
    stale = {**EDITS[1][1], "lock_version": str(kept.lock_version)}
    assert _post(client, csrf_token, f"/spaces/{kept.slug}/terms", stale).status_code == 302
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/terms", {**stale, "free_days_per_month": "9"})
    assert r.status_code == 409 and "<td>terms.free_days_per_visit</td>" in r.get_data(as_text=True)
    fresh = re.search(r'name="lock_version" value="(\d+)"', r.get_data(as_text=True)).group(1)
    assert fresh != stale["lock_version"]
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/terms", {**stale, "free_days_per_month": "9",
                                                                    "lock_version": fresh})
    assert r.status_code == 302


def test_confirming_terms_that_changed_meanwhile_is_refused(client, csrf_token, kept):
    version = str(kept.lock_version)
    assert _post(client, csrf_token, f"/spaces/{kept.slug}/terms", {**EDITS[1][1], "lock_version": version}
                 ).status_code == 302
    r = _post(client, csrf_token, f"/spaces/{kept.slug}/confirm", {"lock_version": version})
    assert r.status_code == 302 and f"/spaces/{kept.slug}/terms" in r.headers["Location"]
