"""axe-core finds no violation of moderate impact or worse on the host's dashboard and the admin's pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, sign_in
from visa.accounts.models import Role, SpaceHost
from visa.campaigns.services import Selection, create_campaign
from visa.directory.models import SpaceStatus
from visa.directory.services import update_space
from visa.extensions import db
from visa.moderation.models import Report, ReportKind

pytestmark = pytest.mark.browser


def test_dashboard_and_admin_pages_pass_axe(page, make_user, make_space, axe_source):
    admin = make_user("admin@example.org", role=Role.ADMIN, password="admin password 1")
    waiting = make_space("Waiting Desk", status=SpaceStatus.PENDING)
    listed = make_space("Listed Desk", lat=38.72, lon=-9.15)
    db.session.add(SpaceHost(space_id=waiting.id, user_id=admin.id, is_confirmed=True))
    db.session.add(Report(space_id=listed.id, kind=ReportKind.NOT_HONORED, message="Turned away."))
    update_space(listed, {"phone": "+351 21 000 0000"}, admin.id, listed.lock_version)
    campaign, _added = create_campaign("spring", Selection())
    db.session.commit()
    sign_in(page, "admin@example.org", "admin password 1")
    for path in ("/host", "/admin/", "/admin/overview", "/admin/revisions", "/admin/stale",
                 f"/admin/spaces/{listed.id}", f"/host/spaces/{waiting.slug}/preview", "/admin/campaigns/",
                 f"/admin/campaigns/{campaign.id}", f"/admin/campaigns/{campaign.id}/preview/fr"):
        page.goto(page.base_url + path)
        assert axe_violations(page, axe_source) == [], path
    page.goto(page.base_url + "/admin/revisions")
    page.get_by_role("link", name="Revert this change…").first.click()
    assert axe_violations(page, axe_source) == []
