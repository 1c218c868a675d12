"""``flask visa`` commands of impact data: remind-hosts, forget, impact-rebuild."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from visa.extensions import db

#: ``app.extensions`` key: callables (address) -> what they removed, in words, run by ``visa forget``.
FORGETTERS = "visa.forgetters"


def register_commands(group: AppGroup) -> None:
    group.add_command(remind_hosts_command)
    group.add_command(forget_command)
    group.add_command(rebuild_command)
    group.add_command(forget_expired_command)


@click.command("remind-hosts")
def remind_hosts_command() -> None:
    """Remind hosts of visit requests waiting a week, flag poor records to admins; safe to run daily from cron."""
    from visa.impact.reminders import remind_hosts
    from visa.mailer import mail_after_commit

    with mail_after_commit():  # a run that fails (another server's cron reminded first) mails nobody
        result = remind_hosts()
        db.session.commit()
    click.echo(f"Reminded the hosts of {result.reminded_spaces} space(s) about {result.reminded_requests} "
               f"request(s); flagged {len(result.flagged)} space(s) to the admins.")


@click.command("forget")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(email: str, yes: bool) -> None:
    """Remove a member's personal data (name, e-mail, messages, pass token); anonymous counts stay."""
    from visa.impact.privacy import forget_member
    from visa.mailer import forget_outbox

    if not yes:
        click.confirm(f"Forget every personal detail of {email}? This cannot be undone", abort=True)
    done = forget_member(email)
    # Features above this one forget what they hold of the address too (the members' survey: its invitations).
    more = [forget(email) for forget in current_app.extensions.get(FORGETTERS, ())]
    db.session.commit()
    # Files, not rows: deleted once the rows are, so a failed commit leaves everything as it was.
    waiting = forget_outbox(email)
    click.echo(f"Forgot {email}: {done.passes} pass(es), {done.requests} request message(s), "
               f"{done.reports} report address(es) cleared" + "".join(f", {line}" for line in more)
               + f", {waiting} unsent mail(s) deleted from the outbox.")


@click.command("forget-expired")
def forget_expired_command() -> None:
    """Clear the personal data of passes expired for over a year; safe to run daily from cron."""
    from visa.impact.privacy import forget_expired
    from visa.timeutil import utcnow

    count = forget_expired(utcnow().date())
    db.session.commit()
    click.echo(f"Cleared the personal data of {count} expired pass(es).")


@click.command("impact-rebuild")
def rebuild_command() -> None:
    """Recompute the monthly impact rollups from the visits and requests on record (after a restore)."""
    from visa.impact.rollup import rebuild

    rebuild(db.session.connection())
    db.session.commit()
    click.echo("Impact rollups rebuilt.")
