"""Who a campaign writes to: addresses checked as everywhere else on the site (visa.emails, and SMTPUTF8 only where
the mail server offers it), and opt-outs compared by the address's key, not as typed."""

from __future__ import annotations

import sqlalchemy as sa

from visa.campaigns import services
from visa.campaigns.models import CampaignEntry, EntryState, MailOptOut
from visa.extensions import db


def _entries() -> dict[int, tuple[str, EntryState]]:
    return {e.space_id: (e.email, e.state) for e in db.session.scalars(sa.select(CampaignEntry))}


def test_an_international_address_is_written_to_only_where_the_mail_server_takes_smtputf8(app, make_space):
    space = make_space("Müller Coworking", email="Müller@coworking.example")
    plain = make_space("Harbor Desk", email="desk@harbor.example")
    broken = make_space("Broken Desk", email="desk@@harbor.example")

    app.config["VISA_MAIL_SMTPUTF8"] = False
    shown = services.preview(services.Selection())
    assert (shown.to_mail, shown.no_address) == (1, 2)

    app.config["VISA_MAIL_SMTPUTF8"] = True
    services.create_campaign("spring", services.Selection())
    assert _entries() == {space.id: ("müller@coworking.example", EntryState.QUEUED),
                          plain.id: ("desk@harbor.example", EntryState.QUEUED),
                          broken.id: ("", EntryState.NO_ADDRESS)}


def test_an_opt_out_bars_every_spelling_of_the_address(app, make_space):
    first = make_space("Casa Coworking", email="straße@casa.example")
    services.create_campaign("spring", services.Selection())
    services.answer_opt_out(db.session.scalars(sa.select(CampaignEntry)).one())
    assert db.session.scalars(sa.select(MailOptOut.email)).all() == ["strasse@casa.example"]
    # Other listings with the same contact, spelt in capitals, with "ss", or in full-width letters.
    others = [make_space(f"Casa {i}", email=email).id for i, email in enumerate(
        ["STRASSE@casa.example", "Strasse@Casa.Example", "ｓｔｒａßｅ@casa.example"])]
    fresh = make_space("Harbor Desk", email="desk@harbor.example")

    shown = services.preview(services.Selection())
    assert (shown.to_mail, shown.no_address) == (1, 4)
    services.create_campaign("autumn", services.Selection())
    autumn = {e.space_id: e.state for e in db.session.scalars(sa.select(CampaignEntry).where(
        CampaignEntry.campaign.has(name="autumn")))}
    assert autumn == {first.id: EntryState.NO_ADDRESS, **dict.fromkeys(others, EntryState.NO_ADDRESS),
                      fresh.id: EntryState.QUEUED}
