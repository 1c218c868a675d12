"""``flask --app wsgi visa ...``: the operator's commands."""

from __future__ import annotations

import json
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
    """Geocode a place or address; prints JSON (lat, lon, precision, label, country)."""
    from visa.geocoding.results import PlaceNotFound
    from visa.geocoding.service import geocode

    text = " ".join(query)
    try:
        result = geocode(text)
    except PlaceNotFound as missing:
        click.echo(json.dumps({"error": f"no place called {missing.query!r}", "suggestions": missing.suggestions},
                              ensure_ascii=False))
        sys.exit(1)
    click.echo(json.dumps({"lat": result.lat, "lon": result.lon, "precision": result.precision,
                           "label": result.label, "country": result.country}, ensure_ascii=False))
