"""A search page's list, from the kept Features, its items' parts kept per locale and registry version."""

from __future__ import annotations

import pytest


@pytest.fixture
def lisbon(make_space):
    return make_space("Baixa Desk", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48})


def test_a_kept_list_item_turns_stale_with_time_and_speaks_each_reader_s_language(client, lisbon, monkeypatch):
    from datetime import timedelta

    from visa.extensions import db
    from visa.finder import listed
    from visa.timeutil import utcnow

    lisbon.terms_confirmed_at = utcnow()
    db.session.commit()
    fresh = client.get("/?q=Lisbon").get_data(as_text=True)
    assert 'class="state state-yes"' in fresh and "Takes part. Terms not confirmed since" not in fresh
    german = client.get("/?q=Lisbon&lang=de").get_data(as_text=True)
    assert "Baixa Desk" in german and german.count("Portugal") and german != fresh
    later = utcnow() + timedelta(days=400)  # no write: the registry version stands, the terms grow stale
    monkeypatch.setattr(listed, "utcnow", lambda: later)
    stale = client.get("/?q=Lisbon&lang=en").get_data(as_text=True)
    assert 'class="state state-stale"' in stale and "Takes part. Terms not confirmed since" in stale
    assert '"terms_stale":true' in stale  # the map's first marker says the same
