"""``visa geocode QUERY``: the geocoder from the command line (prints JSON)."""

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
