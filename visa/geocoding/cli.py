"""``visa geocode QUERY``: the geocoder from the command line (prints JSON); ``visa build-geodata``: the data it reads."""

from __future__ import annotations

import json
import sys

import click

from visa.cli import visa_cli


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


@visa_cli.command("build-geodata")
@click.option("--force", is_flag=True, help="Rebuild every file, even those that are current.")
def build_geodata_command(force: bool) -> None:
    """Build the geographic data (gazetteer, country outlines, basemap, labels) into VISA_GEODATA_DIR.

    Needs npm and the network once; what is current is skipped, so it is safe to run after every upgrade.
    """
    from flask import current_app

    from geodata import GeodataPaths
    from geodata.build import build_all

    paths = GeodataPaths.at(current_app.config["VISA_GEODATA_DIR"])
    build_all(paths, force=force)
    click.echo(f"Geographic data ready in {paths.root}.")
