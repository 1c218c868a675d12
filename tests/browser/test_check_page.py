"""The answer page behind a campaign's mail, on a 390 px phone: readable without sideways scrolling, answered
with the thumb, confirmed on the listing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import axe_violations
from visa.campaigns import services
from visa.campaigns.models import Answer, CampaignEntry
from visa.campaigns.tokens import make_check_token
from visa.directory.models import ConfirmedBy, Space
from visa.extensions import db

pytestmark = pytest.mark.browser


def test_a_contact_answers_on_a_phone(page, make_space, screenshot_dir, axe_source):
    space = make_space("Harbor Desk", email="desk@harbor.example", terms={"free_days_per_visit": None})
    campaign, _added = services.create_campaign("spring", services.Selection())
    db.session.commit()
    entry = db.session.scalars(sa.select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)).one()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/check/{make_check_token(entry)}?lang=en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert axe_violations(page, axe_source) == []
    still_open = page.get_by_role("group", name="Is this space still open?")
    still_open.get_by_label("Yes").check()
    page.get_by_role("group", name="Is this the right address for this space?").get_by_label("Yes").check()
    assert page.get_by_label("Free days per visit").input_value() == ""  # the tradition is a hint, not a value
    assert page.get_by_text("The tradition of the Coworking Visa is 3 free days per visit").is_visible()
    page.get_by_label("Free days per visit").fill("3")
    page.screenshot(path=str(screenshot_dir / "phone-check.png"), full_page=True)
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    assert page.get_by_role("button", name="Manage this listing yourself").is_visible()
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert space.terms.free_days_per_visit == 3 and space.terms_confirmed_by == ConfirmedBy.CONTACT
    assert db.session.get(CampaignEntry, entry.id).answer == Answer.CONFIRMED
