"""The admins' campaign pages: a selection previewed and created, per-country progress, the mail's preview."""

from __future__ import annotations

import re

from visa.accounts.models import Role
from visa.campaigns.models import Campaign
from visa.extensions import db


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_create_preview_and_progress(client, make_space, make_user, login):
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    make_space("Mailed", email="desk@mailed.example")
    make_space("Silent", lat=38.73, lon=-9.15)
    make_space("Berlin Desk", lat=52.52, lon=13.40, country="DE", city="Berlin", email="hallo@berlin.example")
    page = client.get("/admin/campaigns/")
    assert page.status_code == 200
    counted = client.post("/admin/campaigns/", data={"csrf_token": _token(page.get_data(as_text=True)),
                                                     "name": "winter", "countries": "pt", "preview": "1"})
    html = counted.get_data(as_text=True)
    assert re.search(r"<strong>1</strong> listings will be mailed", html)
    assert re.search(r"<strong>1</strong> have no usable address", html) and "Português" in html
    created = client.post("/admin/campaigns/", data={"csrf_token": _token(html), "name": "winter",
                                                     "countries": "PT DE", "create": "1"})
    assert created.status_code == 302
    campaign = db.session.query(Campaign).one()
    progress = client.get(f"/admin/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Portugal" in progress and "Germany" in progress and "<svg class=\"progress-bar\"" in progress
    assert "Unreachable: 1" in progress and "Waiting: 2" in progress
    preview = client.get(f"/admin/campaigns/{campaign.id}/preview/de").get_data(as_text=True)
    assert "Ist „\u2068Mailed\u2069“ im Coworking-Visa-Verzeichnis richtig eingetragen?" in preview
    assert client.get(f"/admin/campaigns/{campaign.id}/preview/xx").status_code == 404


def test_campaign_pages_are_for_admins(client, make_user, login):
    make_user("host@example.org")
    assert client.get("/admin/campaigns/").status_code == 302  # to the sign-in page
    login("host@example.org")
    assert client.get("/admin/campaigns/").status_code == 403
