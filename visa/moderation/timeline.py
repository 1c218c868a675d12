"""A listing's life in order: created, decisions, edits, confirmations, reports, reverts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.extensions import db
from visa.moderation.models import Report
from visa.moderation.revision_words import Change, describe
from visa.moderation.words import moment_label, report_kind_label
from visa.timeutil import as_utc


@dataclass(frozen=True)
class Event:
    at: datetime
    when: str
    title: str
    who: str
    text: str = ""
    changes: list[Change] = field(default_factory=list)
    revision_id: int | None = None
    can_revert: bool = False


def timeline(space: Space) -> list[Event]:
    """Every revision and report of *space*, oldest first."""
    events = []
    for revision in db.session.scalars(sa.select(Revision).where(Revision.space_id == space.id)).unique():
        words = describe(revision)
        events.append(Event(as_utc(revision.created_at), words.when, words.kind_label, words.who, words.note,
                            changes=words.changes, revision_id=revision.id, can_revert=words.can_revert))
    for report in db.session.scalars(sa.select(Report).where(Report.space_id == space.id)):
        events.append(Event(as_utc(report.created_at), moment_label(report.created_at),
                            # Translators: %(kind)s is the kind of report, a translated phrase (“the
                            # space is closed”).
                            _("Report: %(kind)s", kind=report_kind_label(report.kind)),
                            report.reporter_email or _("an anonymous traveller"), report.message))
        if report.resolved_at is not None:
            events.append(Event(as_utc(report.resolved_at), moment_label(report.resolved_at), _("Report resolved"),
                                _("an admin"), report.resolution))
    return sorted(events, key=lambda e: (e.at, e.revision_id or 0))
