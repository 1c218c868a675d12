"""``visa import``, ``visa export``, ``visa purge-demo``: the moderators' commands (``visa remind-stale`` is the
campaigns' freshness pipeline)."""

from __future__ import annotations

import getpass
import os
import sys

import click

from visa.cli import visa_cli
from visa.extensions import db


@visa_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
def import_command(file: str, dry_run: bool) -> None:
    """Import spaces from a CSV or GeoJSON file (legacy column names welcome)."""
    from visa.moderation.import_lock import ImportRunning, import_lock
    from visa.moderation.importer import import_file

    try:
        with import_lock(_who(), os.path.basename(file)), open(file, "rb") as stream:
            report = import_file(stream, file, dry_run=dry_run, progress=click.echo)
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
    except ImportRunning as running:
        click.echo(f"Not imported: {running}. Try again when it has finished.", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    if report.file_error or (report.rejected and not (report.created or report.updated or report.unchanged)):
        sys.exit(1)


def _who() -> str:
    """Who runs this command, as another admin's import refusal names them."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # a container user with no name
        return "the command line"


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
