"""``flask --app wsgi visa ...``: the operator's commands."""

from __future__ import annotations

import json
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from visa.extensions import db

visa_cli = AppGroup("visa", help="Coworking Visa Directory commands.")


@visa_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the registry has no spaces (used by make run).")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo network (invented spaces in real cities)."""
    from visa.directory.demo import registry_is_empty, seed_demo

    if if_empty and not registry_is_empty():
        click.echo("Registry not empty: demo network not loaded.")
        return
    click.echo("Loading the demo network...")
    created = seed_demo(current_app.config["VISA_GAZETTEER_PATH"], progress=click.echo)
    db.session.commit()
    click.echo(f"Created {created} demo spaces.")


@visa_cli.command("geocode")
@click.argument("query", nargs=-1, required=True)
def geocode_command(query: tuple[str, ...]) -> None:
    """Geocode a place or address; prints JSON (lat, lon, precision, label, country, alternatives)."""
    from visa.geocoding.results import PlaceNotFound
    from visa.geocoding.service import geocode

    text = " ".join(query)
    try:
        result = geocode(text)
    except PlaceNotFound as missing:
        click.echo(json.dumps({"error": str(missing), "suggestions": missing.suggestions}, ensure_ascii=False))
        sys.exit(1)
    click.echo(json.dumps({"lat": result.lat, "lon": result.lon, "precision": result.precision,
                           "label": result.label, "country": result.country,
                           "alternatives": list(result.alternatives)}, ensure_ascii=False))


@visa_cli.command("create-admin")
@click.argument("email")
@click.password_option(help="Asked for when not given (typed twice).")
def create_admin_command(email: str, password: str) -> None:
    """Create the first admin (or make an existing account an admin)."""
    from visa.accounts.forms import MIN_PASSWORD, email_errors
    from visa.accounts.models import Role
    from visa.accounts.services import create_user, find_user

    problems = email_errors(email)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="EMAIL")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"at least {MIN_PASSWORD} characters", param_hint="password")
    user = find_user(email)
    if user is None:
        user = create_user(email, password, role=Role.ADMIN, is_confirmed=True)
    else:
        user.role, user.is_confirmed = Role.ADMIN, True
        user.set_password(password)
    db.session.commit()
    click.echo(f"{user.email} is an admin.")


@visa_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
def import_command(file: str, dry_run: bool) -> None:
    """Import spaces from a CSV or GeoJSON file (legacy column names welcome)."""
    from visa.moderation.importer import import_file

    with open(file, "rb") as stream:
        report = import_file(stream, file, dry_run=dry_run, progress=click.echo)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)
    if report.file_error or (report.rejected and not (report.created or report.updated or report.unchanged)):
        sys.exit(1)


@visa_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option("--without-demo", is_flag=True, help="Leave out the demo listings (they are marked in a demo column).")
def export_command(fmt: str, output: str | None, without_demo: bool) -> None:
    """Write the approved registry as GeoJSON (RFC 7946) or CSV."""
    from visa.moderation.exporter import export_csv, export_geojson

    body = (export_geojson if fmt == "geojson" else export_csv)(include_demo=not without_demo)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as f:
            f.write(body)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(body, nl=False)


@visa_cli.command("purge-demo")
@click.option("--force", is_flag=True, help="Also when the network has no real listing yet (the map goes empty).")
def purge_demo_command(force: bool) -> None:
    """Remove the demo network (its listings, revisions and reports) once the network has real listings."""
    from visa.moderation.purge import PurgeRefused, purge_demo

    try:
        removed = purge_demo(force=force)
    except PurgeRefused as err:
        click.echo(f"Not purged: {err}. Use --force to purge anyway.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Removed {removed} demo listing(s) with their revisions.")


@visa_cli.command("remind-stale")
def remind_stale_command() -> None:
    """E-mail hosts whose terms are about to go stale; safe to run daily from cron."""
    from visa.moderation.freshness import remind_stale

    sent = remind_stale()
    db.session.commit()
    click.echo(f"Reminded the hosts of {sent} listing(s).")


def _whole_database(operation, file: str, failure: str) -> float:
    """Run backup or restore on this app's database; its time in seconds. On a BackupError print why, exit 1."""
    import time

    from visa.backup import BackupError

    # Close this process's connections first: an open transaction would hold locks a restore waits for.
    db.session.remove()
    db.engine.dispose()
    started = time.perf_counter()
    try:
        operation(db.engine.url, file, progress=click.echo)
    except BackupError as err:
        click.echo(f"{failure}: {err}", err=True)
        sys.exit(1)
    return time.perf_counter() - started


@visa_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write the whole database (users, revisions, pending listings...) to FILE."""
    from visa.backup import backup

    seconds = _whole_database(backup, file, "Backup failed")
    click.echo(f"Backup written to {file} ({os.path.getsize(file) / 1e6:.1f} MB in {seconds:.1f} s).")


@visa_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def restore_command(file: str) -> None:
    """Replace the whole database by the backup in FILE (made by `visa backup` on the same kind of database)."""
    from visa.backup import restore
    from visa.directory.models import bump_registry_version

    seconds = _whole_database(restore, file, "Restore refused")
    # A new registry version: every process's spatial index reloads on its next request.
    bump_registry_version(db.session.connection())
    db.session.commit()
    click.echo(f"Restored {file} in {seconds:.1f} s.")
