"""``visa seed-demo``: the directory's command."""

from __future__ import annotations

import click
from flask import current_app

from visa.cli import visa_cli
from visa.extensions import db


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
