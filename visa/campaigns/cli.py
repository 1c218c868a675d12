"""``visa campaign create|send|remind|status`` and ``visa remind-stale``; each is safe to run again.

``send`` and ``remind`` commit each mail's state before the mail goes (one commit per mail is their unit of
work): an interrupted run resumes with what is still queued or due, and nobody gets a mail twice.
"""

from __future__ import annotations

import json
import smtplib
import sys
import time
from collections.abc import Iterable

import click
from flask import current_app

from visa.cli import visa_cli
from visa.extensions import db


@visa_cli.group("campaign")
def campaign_cli() -> None:
    """Outreach campaigns: ask listed spaces by mail to confirm their listing and visa terms."""


def _campaign_or_exit(name: str):
    from visa.campaigns.services import find_campaign

    campaign = find_campaign(name)
    if campaign is None:
        click.echo(f"No campaign named {name!r}.", err=True)
        sys.exit(1)
    return campaign


@campaign_cli.command("create")
@click.argument("name")
@click.option("--country", "countries", multiple=True, help="ISO country code; repeat for several.")
@click.option("--never-confirmed", is_flag=True, help="Listings whose terms were never confirmed.")
@click.option("--stale", is_flag=True, help="Listings not confirmed for 12 months (or never).")
@click.option("--not-stated", is_flag=True, help="Listings that do not state whether they take part.")
@click.option("--import", "import_file", default="", help="Listings created by this import (its file name).")
def create_command(name: str, countries: tuple[str, ...], never_confirmed: bool, stale: bool, not_stated: bool,
                   import_file: str) -> None:
    """Create campaign NAME for the selected listed spaces (flags add up; countries and --import narrow).

    Running it again adds the listings that match now and are not in it yet.
    """
    from visa.campaigns.services import CampaignError, Selection, create_campaign, preview

    selection = Selection(countries=tuple(sorted(c.upper() for c in countries)), never_confirmed=never_confirmed,
                          stale=stale, not_stated=not_stated, import_file=import_file.rsplit("/", 1)[-1])
    seen = preview(selection)
    try:
        campaign, added = create_campaign(name, selection)
    except CampaignError as err:
        db.session.rollback()
        click.echo(f"Not created: {err}.", err=True)
        sys.exit(1)
    _hand_over(campaign)
    db.session.commit()
    languages = ", ".join(f"{lang} {n}" for lang, n in sorted(seen.languages.items())) or "none"
    click.echo(f"Campaign {campaign.name}: {added} listing(s) added; {seen.to_mail} to mail ({languages}), "
               f"{seen.no_address} with no usable address (for the volunteers).")


@campaign_cli.command("send")
@click.argument("name")
@click.option("--rate", type=float, default=None, help="Mails per minute (default VISA_CAMPAIGN_RATE).")
def send_command(name: str, rate: float | None) -> None:
    """Send the mails still queued in campaign NAME, at most RATE a minute; never mails an entry twice."""
    campaign = _campaign_or_exit(name)
    sent, refused = send_queued(campaign, rate)
    click.echo(f"Campaign {campaign.name}: {sent} mail(s) sent, {refused} refused by the mail server.")


@campaign_cli.command("remind")
@click.argument("name")
@click.option("--rate", type=float, default=None, help="Mails per minute (default VISA_CAMPAIGN_RATE).")
def remind_command(name: str, rate: float | None) -> None:
    """Remind the unanswered after 14 days (at most twice), then hand them to the volunteers. Safe daily from cron."""
    campaign = _campaign_or_exit(name)
    reminded, handed = remind(campaign, rate)
    click.echo(f"Campaign {campaign.name}: {reminded} reminder(s) sent, {handed} listing(s) handed to the volunteers.")


@campaign_cli.command("status")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status_command(name: str, as_json: bool) -> None:
    """Where campaign NAME stands: the mails' states and each listing's outcome, per country."""
    from visa.campaigns.progress import OUTCOMES, progress

    campaign = _campaign_or_exit(name)
    result = progress(campaign)
    if as_json:
        click.echo(json.dumps({"campaign": campaign.name, "selection": campaign.selection} | result.as_json(),
                              indent=2))
        return
    click.echo(f"Campaign {campaign.name}: {result.entries} listing(s)")
    click.echo("  mails: " + ", ".join(f"{k} {v}" for k, v in sorted(result.states.items()))
               + f"; reminded {result.reminded}")
    click.echo("  answers: " + (", ".join(f"{k} {v}" for k, v in sorted(result.answers.items())) or "none"))
    click.echo("  country " + " ".join(f"{o:>11}" for o in OUTCOMES))
    for country, counts in sorted(result.by_country.items()):
        click.echo(f"  {country:<7} " + " ".join(f"{counts[o]:>11}" for o in OUTCOMES))
    click.echo(f"  {'all':<7} " + " ".join(f"{result.total[o]:>11}" for o in OUTCOMES))


@visa_cli.command("remind-stale")
@click.option("--rate", type=float, default=None, help="Mails per minute (default VISA_CAMPAIGN_RATE).")
def remind_stale_command(rate: float | None) -> None:
    """The freshness pipeline, safe daily from cron: listings about to go stale get the year's freshness campaign
    mail, then its reminders, then the volunteers."""
    from visa.campaigns.freshness import freshness_campaigns, queue_due

    campaign = queue_due()
    _hand_over(campaign)
    db.session.commit()
    sent, _refused = send_queued(campaign, rate)
    reminded = handed = 0
    for standing in freshness_campaigns():
        more, gone = remind(standing, rate)
        reminded, handed = reminded + more, handed + gone
    click.echo(f"Freshness campaign {campaign.name}: {sent} listing(s) mailed, {reminded} reminder(s) sent, "
               f"{handed} listing(s) handed to the volunteers.")


def _pause(rate: float | None) -> float:
    per_minute = rate if rate is not None else float(current_app.config.get("VISA_CAMPAIGN_RATE", 60))
    return 60.0 / per_minute if per_minute > 0 else 0.0


def _paced(ids: Iterable[int], rate: float | None) -> Iterable[int]:
    pause = _pause(rate)
    for i, entry_id in enumerate(ids):
        if i and pause:
            time.sleep(pause)
        yield entry_id


def send_queued(campaign, rate: float | None = None) -> tuple[int, int]:
    """Mail every queued entry: its state is committed as sent, then the mail goes; a refusal is committed after."""
    from visa.campaigns.models import CampaignEntry
    from visa.campaigns.services import mail_entry, mark_refused, mark_sent, queued_entry_ids

    sent = refused = 0
    for entry_id in _paced(queued_entry_ids(campaign), rate):
        entry = db.session.get(CampaignEntry, entry_id)
        if not mark_sent(entry):
            db.session.commit()
            continue
        db.session.commit()
        try:
            mail_entry(entry)
            sent += 1
        except smtplib.SMTPException as err:
            mark_refused(entry, _reason(err))
            _hand_over(campaign)
            db.session.commit()
            refused += 1
    return sent, refused


def remind(campaign, rate: float | None = None) -> tuple[int, int]:
    """Remind the due entries (each committed before its mail), then hand the silent ones to the volunteers."""
    from visa.campaigns.services import close_unanswered, due_reminders, mail_entry, mark_refused, mark_reminded

    reminded = 0
    due = {entry.id: entry for entry in due_reminders(campaign)}
    for entry_id in _paced(list(due), rate):
        entry = due[entry_id]
        mark_reminded(entry)
        db.session.commit()
        try:
            mail_entry(entry, reminder=True)
            reminded += 1
        except smtplib.SMTPException as err:
            mark_refused(entry, _reason(err))
            db.session.commit()
    handed = len(close_unanswered(campaign))
    _hand_over(campaign)
    db.session.commit()
    return reminded, handed


def _hand_over(campaign) -> None:
    """The listings mail cannot settle go to the volunteers' queue (their entries say so already)."""
    from visa.campaigns.services import hand_to_volunteers, volunteer_entries

    for entry in volunteer_entries(campaign):
        hand_to_volunteers(entry)


def _reason(err: smtplib.SMTPException) -> str:
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in err.recipients.values())
    if isinstance(err, smtplib.SMTPResponseException):
        message = err.smtp_error.decode(errors="replace") if isinstance(err.smtp_error, bytes) else err.smtp_error
        return f"{err.smtp_code} {message}"
    return str(err) or type(err).__name__
