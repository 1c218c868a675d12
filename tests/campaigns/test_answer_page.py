"""/check/<token>: signed for one listing in one campaign, 60 days, no sign-in, rate-limited; the optional
"Manage this listing yourself" step."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from visa.accounts.models import SpaceHost, User
from visa.campaigns import services
from visa.campaigns.models import CampaignEntry
from visa.campaigns.tokens import CHECK_LINK_VALID, make_check_token
from visa.extensions import db


@pytest.fixture
def entry(make_space) -> CampaignEntry:
    make_space("Harbor Desk", email="desk@harbor.example", terms={"free_days_per_visit": None,
                                                                 "is_participating": None})
    campaign, _added = services.create_campaign("spring", services.Selection())
    db.session.commit()
    return db.session.scalars(sa.select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)).one()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_link_names_one_entry_and_expires(app, client, entry, make_space, monkeypatch):
    token = make_check_token(entry)
    assert client.get(f"/check/{token}").status_code == 200
    assert client.get(f"/check/{token[:-2]}xx").status_code == 404  # tampered
    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="visa-reset").dumps(
        {"e": entry.id, "s": entry.space_id, "c": entry.campaign_id})
    assert client.get(f"/check/{other}").status_code == 404  # another purpose's signature
    wrong_space = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="visa-campaign-check").dumps(
        {"e": entry.id, "s": entry.space_id + 1, "c": entry.campaign_id})
    assert client.get(f"/check/{wrong_space}").status_code == 404
    import time
    later = time.time() + CHECK_LINK_VALID.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads the clock through time.time
    assert client.get(f"/check/{token}").status_code == 404


def test_nothing_invented_and_the_tradition_is_a_hint(client, entry):
    html = client.get(f"/check/{make_check_token(entry)}?lang=de").get_data(as_text=True)
    assert 'lang="de"' in html
    assert not re.search(r'id="free_days_per_visit"[^>]*value="\d', html)
    assert re.search(r'<option selected value="">', html)  # participation: not stated, as the listing says
    assert not re.search(r'name="still_open"[^>]*checked', html)


def test_manage_this_listing_yourself(client, entry, mails):
    url = f"/check/{make_check_token(entry)}"
    client.post(url, data={"csrf_token": _token(client.get(url).get_data(as_text=True)), "still_open": "yes",
                           "right_address": "yes", "is_participating": "yes", "free_days_per_visit": "3"})
    done = client.get(url + "/answered").get_data(as_text=True)
    assert "Manage this listing yourself" in done
    made = client.post(url + "/manage", data={"csrf_token": _token(done)})
    assert made.status_code == 200 and "desk@harbor.example" in made.get_data(as_text=True)
    user = db.session.scalars(sa.select(User).where(User.email == "desk@harbor.example")).one()
    assert user.is_confirmed and db.session.get(SpaceHost, (entry.space_id, user.id)).is_confirmed
    assert mails()[-1]["To"] == "desk@harbor.example"  # a link to choose a password
    assert "Your spaces" not in client.get("/").get_data(as_text=True)  # nobody is signed in


def test_the_answer_page_is_rate_limited(app, client, entry):
    app.config["VISA_CHECK_LIMIT"] = "3 per hour"
    url = f"/check/{make_check_token(entry)}"
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_an_answer_takes_the_listing_out_of_the_volunteers_queue(client, entry):
    from visa.volunteers.models import TaskState, VolunteerTask
    from visa.volunteers.services import open_task

    open_task(entry.space_id, "stale")
    db.session.commit()
    url = f"/check/{make_check_token(entry)}"
    client.post(url, data={"csrf_token": _token(client.get(url).get_data(as_text=True)), "still_open": "yes",
                           "right_address": "yes", "is_participating": "yes", "free_days_per_visit": "3"})
    db.session.expire_all()
    task = db.session.scalars(sa.select(VolunteerTask).where(VolunteerTask.space_id == entry.space_id)).one()
    assert task.state == TaskState.CANCELLED



def test_manage_yourself_is_refused_once_the_listing_has_a_host(client, entry, make_user):
    """The POST is checked, not only the button: a listing that gained an approved host after the mail went out
    gets no second host from the mailed link (it lives 60 days)."""
    url = f"/check/{make_check_token(entry)}"
    client.post(url, data={"csrf_token": _token(client.get(url).get_data(as_text=True)), "still_open": "yes",
                           "right_address": "yes", "is_participating": "yes", "free_days_per_visit": "3"})
    done = client.get(url + "/answered").get_data(as_text=True)
    host = make_user("owner@harbor.example")
    db.session.add(SpaceHost(space_id=entry.space_id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    assert client.post(url + "/manage", data={"csrf_token": _token(done)}).status_code == 400
    assert db.session.scalars(sa.select(User).where(User.email == "desk@harbor.example")).first() is None
