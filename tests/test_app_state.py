"""Two apps in one process, each on its own database, never see each other's data.

Everything a process keeps beyond a request (impact figures, the spatial index, the pass keys) is kept
on the app or keyed by its database, so a second app (a test, a `visa transfer` target, a second site
in one process) starts from its own state and drops it with the app.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from visa.app import create_app
from visa.extensions import db

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


def _site(app_config: dict, folder, name: str, visits: int):
    """An app on a database of its own: one space named *name* (Lisbon) whose members made *visits* visits."""
    from tests.conftest import TRADITIONAL_TERMS
    from visa.directory.models import RequestMethod, SpaceStatus
    from visa.directory.services import create_space
    from visa.passes.models import Pass, PassStatus, Visit

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/{name}.sqlite",
                      "VISA_PASS_KEYS_DIR": str(folder / f"{name}-keys"), "VISA_IMPACT_MAX_AGE": 3600})
    with app.app_context():
        db.create_all()
        space = create_space({"name": name, "latitude": 38.7223, "longitude": -9.1393, "country_code": "PT",
                              "city": "Lisbon", "status": SpaceStatus.APPROVED},
                             {"request_method": RequestMethod.EMAIL, **TRADITIONAL_TERMS})
        db.session.commit()
        for i in range(visits):
            member = Pass(id=secrets.token_hex(8), home_space_id=space.id, member_name=f"Member {i}",
                          member_email=f"m{i}@example.org", valid_from=TODAY - timedelta(days=10),
                          valid_to=TODAY + timedelta(days=30), status=PassStatus.ACTIVE, issued_at=NOW,
                          token="header.payload.signature",
                          access_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest())
            db.session.add(member)
            db.session.add(Visit(visit_date=TODAY.replace(day=1), host_space_id=space.id, home_space_id=space.id,
                                 member_country="PT", pass_id=member.id))
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture
def two_sites(app_config, tmp_path):
    sites = [_site(app_config, tmp_path, "alpha", visits=6), _site(app_config, tmp_path, "beta", visits=11)]
    yield sites
    for app in sites:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_two_apps_in_one_process_never_see_each_others_data(two_sites):
    from visa.impact import figures
    from visa.passes.services import key_store

    seen = {}
    for _round in range(2):  # the second round reads what the first one left in the process
        for app in two_sites:
            client = app.test_client()
            with app.app_context():
                months = figures.network_impact(TODAY).months
                store = key_store()
            names = [f["properties"]["name"]
                     for f in client.get("/api/v1/spaces?near=38.72,-9.14").get_json()["features"]]
            page = client.get("/impact").get_data(as_text=True)
            total = re.search(r'<dd id="total-visits">(\d+)</dd>', page).group(1)
            jwks = client.get("/.well-known/jwks.json").get_json()
            seen.setdefault(app.name + app.config["SQLALCHEMY_DATABASE_URI"], []).append(
                (names, months[-1][1], int(total), jwks, id(store)))
    alpha, beta = seen.values()
    assert alpha[0][:3] == alpha[1][:3] == (["alpha"], 6, 6)  # its search, figures and network page
    assert beta[0][:3] == beta[1][:3] == (["beta"], 11, 11)
    assert alpha[0][3] != beta[0][3]  # each site signs passes with its own keys
    assert alpha[0][4] != beta[0][4]  # and keeps its own key store


def test_app_state_goes_with_the_app(two_sites, app_config):
    """What an app keeps lives in app.extensions: a new app on the same database starts from nothing."""
    from visa.directory.spatial_index import get_index
    from visa.impact import figures

    alpha = two_sites[0]
    with alpha.app_context():
        figures.network_impact(TODAY)
        index = get_index(db.session)
        assert alpha.extensions["visa.impact_figures"].results
        assert index in alpha.extensions["visa.spatial_index"][0].values()
    again = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": alpha.config["SQLALCHEMY_DATABASE_URI"]})
    with again.app_context():
        assert not again.extensions["visa.impact_figures"].results
        assert "visa.spatial_index" not in again.extensions
        assert get_index(db.session) is not index and len(get_index(db.session)) == len(index)
        db.engine.dispose()
