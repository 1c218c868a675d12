"""A host's listings as their dashboard shows them, the preview of a listing, and word of reports to hosts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from visa.accounts.models import SpaceHost
from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.mailer import absolute_url, send_message
from visa.moderation.models import Report
from visa.moderation.services import hosts_of
from visa.moderation.words import REPORT_KIND_LABELS


@dataclass
class HostedListing:
    space: Space
    is_confirmed: bool  # False: a claim that waits for an admin
    decision_note: str  # the reason an admin gave with the last decision ("" when none)


def listings_of(user_id: int) -> list[HostedListing]:
    """The listings *user_id* keeps or claims, by name, each with the reason of its latest decision."""
    rows = db.session.execute(sa.select(Space, SpaceHost.is_confirmed).join(SpaceHost, SpaceHost.space_id == Space.id)
                              .where(SpaceHost.user_id == user_id).order_by(Space.name)).unique().all()
    return [HostedListing(space, confirmed, _last_note(space.id)) for space, confirmed in rows]


def _last_note(space_id: int) -> str:
    return db.session.scalar(sa.select(Revision.note).where(Revision.space_id == space_id, Revision.note != "")
                             .order_by(Revision.id.desc()).limit(1)) or ""


def tell_hosts_of_report(space: Space, report: Report) -> None:
    """A host hears of a report about their listing at once, with the link to check its terms."""
    link = absolute_url("hosts.edit_terms", slug=space.slug)
    for host in hosts_of(space):
        # The label stays lazy: it is written in each host's language, not the reporter's.
        send_message(host.email, "reported", host.language, space=space, kind=REPORT_KIND_LABELS[report.kind.value],
                     message=report.message, link=link)
