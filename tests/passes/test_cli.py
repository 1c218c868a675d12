"""``visa verify-pass``, ``rotate-pass-key`` and ``pass-jwks``: checking a pass with no database, and beside it."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta

import pytest

from visa.app import create_app
from visa.extensions import db
from visa.passes import services
from visa.passes.models import Pass

TODAY = date.today()


@pytest.fixture
def issued(network) -> Pass:
    result = services.issue_pass(network["home"].id, "Ana Sousa", "ana@example.org", TODAY, TODAY + timedelta(days=9),
                                 network["home_user"].id)
    db.session.commit()
    return db.session.get(Pass, result.pass_id)


def _verify(runner, *args):
    # In the runner's own app's context: the command would otherwise run in the test's app context, with its
    # database and keys.
    with runner.app.app_context():
        result = runner.invoke(args=["visa", "verify-pass", *args])
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def test_a_pass_verifies_from_the_exported_keys_with_no_database(app_config, runner, issued, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    assert runner.invoke(args=["visa", "pass-jwks", "-o", str(jwks_file)]).exit_code == 0
    # An app whose database cannot be reached: the check needs only the token and the keys.
    offline = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/nowhere",
                          "VISA_PASS_KEYS_DIR": str(tmp_path / "no-keys-here")}).test_cli_runner()
    code, body = _verify(offline, issued.token, "--jwks", str(jwks_file))
    assert code == 0 and body["valid"] and body["name"] == "Ana Sousa" and body["kid"] == issued.key_id
    assert body["revocation"] == "not checked"
    code, body = _verify(offline, issued.token, "--jwks", str(jwks_file), "--date",
                         (issued.valid_to + timedelta(days=1)).isoformat())
    assert (code, body["code"]) == (1, "expired")
    header, payload, signature = issued.token.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).replace(b"Ana Sousa", b"Eve Sousa")
    forged = ".".join([header, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])
    code, body = _verify(offline, forged, "--jwks", str(jwks_file))
    assert (code, body["code"]) == (1, "bad_signature")


def test_beside_the_database_a_revoked_pass_is_refused_whatever_the_keys(runner, issued, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    assert runner.invoke(args=["visa", "pass-jwks", "-o", str(jwks_file)]).exit_code == 0
    code, body = _verify(runner, issued.token, "--jwks", str(jwks_file))
    assert (code, body["revocation"]) == (0, "active")
    services.revoke_pass(issued.id, "")
    db.session.commit()
    for keys in (["--jwks", str(jwks_file)], []):  # a JWKS file, or the instance folder's keys
        code, body = _verify(runner, issued.token, *keys)
        assert (code, body["valid"], body["code"]) == (1, False, "revoked")


def test_given_the_app_url_revocation_is_checked_too(app_config, live_server, issued, tmp_path):
    # Away from the database: the app at the URL is asked.
    away = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "absent.sqlite"),
                       "VISA_PASS_KEYS_DIR": str(tmp_path / "no-keys-here")}).test_cli_runner()
    url = f"{live_server}/.well-known/jwks.json"
    code, body = _verify(away, issued.token, "--jwks", url)
    assert (code, body["revocation"]) == (0, "active")
    services.revoke_pass(issued.id, "")
    db.session.commit()
    code, body = _verify(away, issued.token, "--jwks", url)
    assert (code, body["code"]) == (1, "revoked")
    assert not (tmp_path / "absent.sqlite").exists()  # no empty database made on the way


def test_rotation_from_the_cli_keeps_the_old_pass_valid(runner, issued, network):
    result = runner.invoke(args=["visa", "rotate-pass-key"])
    assert result.exit_code == 0 and issued.key_id in result.output
    code, body = _verify(runner, issued.token)  # the instance folder's keys, current and retired
    assert code == 0 and body["kid"] == issued.key_id
    newer = services.issue_pass(network["home"].id, "Bo Lind", "bo@example.org", TODAY, TODAY, None)
    assert db.session.get(Pass, newer.pass_id).key_id != issued.key_id
