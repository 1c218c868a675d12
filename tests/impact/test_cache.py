"""Network figures kept per rollup version: recomputed after a write, or kept while younger than the max age."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.impact.conftest import TODAY
from visa.extensions import db
from visa.impact import cache, figures
from visa.impact.models import ImpactVersion


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "VISA_IMPACT_MAX_AGE": 3600}


def test_a_young_result_is_kept_and_a_new_version_recomputes_once_it_ages(app, network, make_pass, add_visit,
                                                                          monkeypatch):
    lisbon, porto, _berlin = network
    first = TODAY.replace(day=1)
    for i in range(5):
        add_visit(make_pass(porto, f"m{i}@example.org"), lisbon, first)
    before = figures.network_impact(TODAY)
    version = db.session.scalar(sa.select(ImpactVersion.version))
    add_visit(make_pass(porto, "late@example.org"), lisbon, first)
    assert db.session.scalar(sa.select(ImpactVersion.version)) != version  # every rollup write moves it
    assert figures.network_impact(TODAY) is before  # a minute late at most, not recomputed for every reader
    app.config["VISA_IMPACT_MAX_AGE"] = 0
    assert figures.network_impact(TODAY).months[-1] == (f"{first:%Y-%m}", 6)
    calls = []
    monkeypatch.setattr(figures, "_network_impact", lambda today: calls.append(today))
    figures.network_impact(TODAY)
    assert calls == []  # same version: kept, whatever the age
    with db.engine.begin() as conn:  # another process's write
        cache.bump(conn)
    figures.network_impact(TODAY)
    assert calls == [TODAY]
