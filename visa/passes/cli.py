"""``flask --app wsgi visa`` commands of passes: verify-pass, rotate-pass-key, pass-jwks.

``verify-pass`` needs no database: it checks the token against a JWKS file or
URL, or against the keys in the instance folder. Revocation is checked in the
app's database whenever it can be reached; else, given a URL, that app is asked.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from urllib.parse import urljoin
from urllib.request import Request, urlopen

import click
from flask import Flask
from flask.cli import with_appcontext

#: How long the CLI waits for a JWKS or status URL.
_FETCH_TIMEOUT = 10


def _fetch_json(url: str) -> dict:
    with urlopen(Request(url, headers={"Accept": "application/json"}), timeout=_FETCH_TIMEOUT) as response:
        return json.load(response)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


@click.command("verify-pass")
@click.argument("token")
@click.option("--jwks", "jwks_source", default=None, metavar="FILE|URL",
              help="The published keys (a JWKS file, or the URL of /.well-known/jwks.json); "
                   "by default the keys in the instance folder.")
@click.option("--date", "on", default=None, metavar="YYYY-MM-DD", help="Check validity on this day (default today).")
@with_appcontext
def verify_pass_command(token: str, jwks_source: str | None, on: str | None) -> None:
    """Check a visa pass from the token and the published keys alone; exit 0 valid, 1 refused."""
    from visa.passes import tokens
    from visa.passes.services import key_store

    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError as err:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from err
    if jwks_source is None:
        keys = key_store().keyset()
    elif _is_url(jwks_source):
        keys = tokens.keyset_from_jwks(_fetch_json(jwks_source))
    else:
        with open(jwks_source, encoding="utf-8") as handle:
            keys = tokens.keyset_from_jwks(json.load(handle))
    try:
        checked = tokens.verify(token, keys, day)
    except tokens.PassRefused as err:
        _report(False, err.code, err.claims)
        sys.exit(1)
    revocation = _status_in_database(checked.claims.pass_id)
    if revocation in (None, "unknown") and jwks_source and _is_url(jwks_source):
        revocation = _fetch_json(urljoin(jwks_source, f"/passes/{checked.claims.pass_id}/status")).get("status",
                                                                                                      "unknown")
    if revocation == "revoked":
        _report(False, "revoked", checked.claims)
        sys.exit(1)
    _report(True, "valid", checked.claims, checked.kid, revocation or "not checked")


def _status_in_database(pass_id: str) -> str | None:
    """The pass's status in the app's database (active, revoked, unknown), or None when there is none to ask: a
    SQLite file that does not exist (not made here), or a server that cannot be reached."""
    from sqlalchemy.exc import SQLAlchemyError

    from visa.extensions import db
    from visa.passes.services import pass_status

    url = db.engine.url
    if url.get_backend_name() == "sqlite" and not (url.database and os.path.isfile(url.database)):
        return None
    try:
        return pass_status(pass_id).status
    except SQLAlchemyError:  # no server, no tables: checked from the token and the keys alone
        db.session.rollback()
        return None


def _report(ok: bool, code: str, claims, kid: str = "", revocation: str = "") -> None:
    body = {"valid": ok, "code": code}
    if claims is not None:
        body |= {"pass_id": claims.pass_id, "name": claims.member_name, "home": claims.home_slug,
                 "home_name": claims.home_name, "valid_from": claims.valid_from.isoformat(),
                 "valid_to": claims.valid_to.isoformat()}
    if kid:
        body["kid"] = kid
    if revocation:
        body["revocation"] = revocation
    click.echo(json.dumps(body, ensure_ascii=False))


@click.command("rotate-pass-key")
@with_appcontext
def rotate_pass_key_command() -> None:
    """Start signing passes with a new key; the old key stays published until the passes it signed expire."""
    from visa.passes.services import key_store

    store = key_store()
    old = store.current_kid()
    new = store.rotate()
    click.echo(f"New pass-signing key {new}; {old} is retired and stays published while passes it signed are valid.")


@click.command("pass-jwks")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
@with_appcontext
def pass_jwks_command(output: str | None) -> None:
    """Write the published keys (the JWKS of /.well-known/jwks.json) for offline checking."""
    from visa.passes.services import published_jwks

    text = json.dumps(published_jwks(date.today()), indent=1)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        click.echo(text)


def register_commands(app: Flask) -> None:
    from visa.cli import visa_cli

    for command in (verify_pass_command, rotate_pass_key_command, pass_jwks_command):
        visa_cli.add_command(command)
