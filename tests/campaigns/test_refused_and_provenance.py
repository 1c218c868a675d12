"""A mail server's refusal is kept with its reason and sends the listing to the volunteers (a real SMTP server on
127.0.0.1); provenance for each source; a closed listing restored by an admin; a name keeps its selection."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.smtp import smtp_server
from visa.accounts.models import Role
from visa.campaigns import services
from visa.campaigns.models import Answer, CampaignEntry, EntryState
from visa.directory.models import ConfirmedBy, SpaceStatus
from visa.directory.presenters import provenance
from visa.directory.services import confirm_terms, mark_confirmed
from visa.extensions import db
from visa.volunteers.models import VolunteerTask

REFUSED = "gone@closed.example"


@pytest.fixture
def smtp():
    """Refuses RCPT for REFUSED, takes every other message."""
    with smtp_server(refused=frozenset({REFUSED})) as server:
        yield server


@pytest.fixture
def app_config(app_config, smtp):
    return app_config | smtp.config() | {"VISA_CAMPAIGN_RATE": 0}


def test_a_refused_address_is_kept_with_its_reason(app, runner, make_space, smtp):
    gone = make_space("Gone Desk", email=REFUSED)
    make_space("Live Desk", lat=38.73, lon=-9.15, email="hi@live.example")
    runner.invoke(args=["visa", "campaign", "create", "autumn"])
    result = runner.invoke(args=["visa", "campaign", "send", "autumn"])
    assert "1 mail(s) sent, 1 refused by the mail server" in result.output, result.output
    assert len(smtp.received) == 1
    entry = db.session.scalars(sa.select(CampaignEntry).where(CampaignEntry.space_id == gone.id)).one()
    assert entry.state == EntryState.REFUSED and "550 5.1.1 mailbox unavailable" in entry.refused_reason
    task = db.session.scalars(sa.select(VolunteerTask).where(VolunteerTask.space_id == gone.id)).one()
    assert task.reason.value == "mail_refused" and "550" in task.detail
    assert "0 mail(s) sent, 0 refused" in runner.invoke(args=["visa", "campaign", "send", "autumn"]).output


def test_provenance_of_each_source(app, make_space):
    space = make_space("Harbor Desk")
    assert provenance(space)["text"] == "Never confirmed"
    space.import_file = "legacy.csv"
    assert provenance(space) == {"kind": "import", "date": None, "source": "legacy.csv",
                                 "text": "Imported from legacy.csv and never confirmed"}
    confirm_terms(space, None, space.lock_version)
    assert provenance(space)["kind"] == "host" and provenance(space)["text"].startswith("Confirmed by the host on ")
    mark_confirmed(space, ConfirmedBy.VOLUNTEER, "https://harbor.example/visa")
    found = provenance(space)
    assert found["text"].startswith("Verified by a volunteer on ")
    assert found["text"].endswith(" from https://harbor.example/visa") and found["source"] == "https://harbor.example/visa"


def test_a_closed_listing_is_restored_by_an_admin(client, make_space, make_user, login, csrf_token):
    space = make_space("Harbor Desk", email="desk@harbor.example")
    campaign, _added = services.create_campaign("spring", services.Selection())
    entry = db.session.scalars(sa.select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)).one()
    services.answer_closed(entry)
    db.session.commit()
    assert space.status == SpaceStatus.CLOSED and entry.answer == Answer.CLOSED
    assert client.get(f"/spaces/{space.slug}").status_code == 404
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    client.post(f"/admin/spaces/{space.id}/approve", data={"csrf_token": csrf_token("/admin/")})
    db.session.expire_all()
    assert space.status == SpaceStatus.APPROVED and client.get(f"/spaces/{space.slug}").status_code == 200


def test_a_name_keeps_its_selection(runner, make_space):
    make_space("Harbor Desk", email="desk@harbor.example")
    assert runner.invoke(args=["visa", "campaign", "create", "spring", "--country", "PT"]).exit_code == 0
    other = runner.invoke(args=["visa", "campaign", "create", "spring", "--stale"])
    assert other.exit_code == 1 and "exists with another selection" in other.output
    assert runner.invoke(args=["visa", "campaign", "status", "nothing"]).exit_code == 1
