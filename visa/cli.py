"""``flask --app wsgi visa ...``: the one command group that every feature package adds its commands to.

Each package's ``cli`` module decorates its commands with ``@visa_cli.command(...)``;
its ``feature.init_app`` imports that module, and the factory adds the group once.
The platform's own command, ``send-outbox``, is here.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

visa_cli = AppGroup("visa", help="Coworking Visa Directory commands.")


@visa_cli.command("send-outbox")
def send_outbox_command() -> None:
    """Send again the messages that could not be sent (VISA_MAIL_OUTBOX); exit 1 while some still fail."""
    from visa.mailer import send_outbox

    sent, waiting = send_outbox()
    if sent or waiting:  # quiet with nothing to do: cron mails whatever a job prints
        click.echo(f"{sent} sent, {waiting} still waiting in the outbox.")
    if waiting:
        sys.exit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(visa_cli)
