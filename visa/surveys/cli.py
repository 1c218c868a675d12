"""``flask visa survey``: open and close a space's survey wave, close ended ones (cron), a demo space's survey."""

from __future__ import annotations

from datetime import date

import click
import sqlalchemy as sa

from visa.cli import visa_cli
from visa.directory.models import Space
from visa.extensions import db


@visa_cli.group("survey")
def survey() -> None:
    """The members' survey of a space."""


def _space(slug: str) -> Space:
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        raise click.ClickException(f"no space {slug!r}")
    return space


@survey.command("open")
@click.argument("slug")
@click.option("--until", "until", type=click.DateTime(["%Y-%m-%d"]), help="The last day (default: four weeks).")
def open_command(slug: str, until) -> None:
    """Open a wave from today and print its shared link."""
    from visa.mailer import absolute_url
    from visa.surveys.services import SurveyError, open_wave
    from visa.timeutil import utcnow

    try:
        wave, token = open_wave(_space(slug).id, utcnow().date(), until.date() if until else None)
    except SurveyError as err:
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"Survey of {slug} open from {wave.starts_on} to {wave.ends_on}. Shared link (open link, not verified):")
    click.echo(absolute_url("surveys.shared", token=token))


@survey.command("close")
@click.argument("slug")
def close_command(slug: str) -> None:
    """Close the space's open wave: answers end, every link is deleted."""
    from visa.surveys.services import close_wave, open_wave_of

    wave = open_wave_of(_space(slug).id)
    if wave is None:
        raise click.ClickException(f"{slug} has no open survey")
    close_wave(wave)
    db.session.commit()
    click.echo(f"Survey of {slug} closed.")


@survey.command("close-ended")
def close_ended_command() -> None:
    """Close every wave whose last day is past (daily from cron)."""
    from visa.surveys.services import close_ended
    from visa.timeutil import utcnow

    count = close_ended(utcnow().date())
    db.session.commit()
    click.echo(f"Closed {count} ended survey(s).")


@survey.command("demo")
@click.argument("slug", required=False)
@click.option("--answers", default=40, show_default=True, help="Made-up answers.")
def demo_command(slug: str | None, answers: int) -> None:
    """A demo space's closed, published survey with made-up answers (the first demo space without a slug)."""
    from visa.mailer import absolute_url
    from visa.surveys.services import seed_demo_survey

    space = _space(slug) if slug else db.session.scalars(
        sa.select(Space).where(Space.is_demo, Space.is_visible).order_by(Space.id)).unique().first()
    if space is None:
        raise click.ClickException("no demo space: run `flask visa seed-demo` first")
    wave = seed_demo_survey(space.id, answers, date.today())
    db.session.commit()
    click.echo(f"{answers} made-up answers for {space.slug}. Printable report:")
    click.echo(absolute_url("surveys.report_print", slug=space.slug, wave_id=wave.id))
