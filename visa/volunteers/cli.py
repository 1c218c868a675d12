"""``visa volunteer-queue``: the daily sweep of the volunteers' queue (safe to run again, from cron)."""

from __future__ import annotations

import click

from visa.cli import visa_cli
from visa.extensions import db


@visa_cli.command("volunteer-queue")
def volunteer_queue_command() -> None:
    """Write down the locks that ran out and queue the wrong-listing reports and the listings unconfirmed for a year.

    The volunteers' pages do the same when they are read; this keeps the queue current when nobody looks.
    """
    from visa.volunteers.services import open_count, refresh_queue, settle_expired

    expired = settle_expired()
    opened = refresh_queue()
    db.session.commit()
    click.echo(f"{opened} task(s) opened, {expired} lock(s) expired, {open_count()} task(s) open.")
