"""``visa create-admin EMAIL``: the accounts' command."""

from __future__ import annotations

import click

from visa.cli import visa_cli
from visa.extensions import db


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
