"""Words for the volunteers' pages: reasons, history lines, states, sources and the time left on a lock.

Codes become words through :mod:`visa.messages` (``say`` on the page), never by showing the code.
A history line names nobody but the reader ("you"): volunteers never see other people's accounts.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from visa.directory import terms_schema
from visa.directory.models import Space
from visa.directory.presenters import LISTING_FIELD_LABELS, term_text
from visa.l10n import isolate
from visa.messages import N_, Message, define
from visa.volunteers.models import Finding, OpenState, SourceKind, TaskEvent
from visa.volunteers.services import finding_terms

define({
    "volunteer.reason.no_email": N_("No usable e-mail address"),
    "volunteer.reason.mail_refused": N_("The mail server refused the campaign's mail"),
    "volunteer.reason.no_answer": N_("No answer after the reminders"),
    "volunteer.reason.wrong_address": N_("The contact said the address is wrong"),
    "volunteer.reason.report": N_("A traveller reported the listing as wrong"),
    "volunteer.reason.stale": N_("Not confirmed for 12 months"),
    # Translators: %(reason)s is why the listing needs a volunteer (a
    # translated phrase).
    "volunteer.event.opened": N_("Put in the queue: %(reason)s"),
    # Translators: %(reason)s is a further reason why the listing needs a
    # volunteer (a translated phrase).
    "volunteer.event.reason_added": N_("Also: %(reason)s"),
    # Each line twice, "you" and another person, rather than a pronoun slotted in: languages inflect around it.
    "volunteer.event.taken.you": N_("You took the task"),
    "volunteer.event.taken.other": N_("A volunteer took the task"),
    "volunteer.event.extended.you": N_("You extended your time"),
    "volunteer.event.extended.other": N_("A volunteer extended their time"),
    "volunteer.event.released.you": N_("You gave the task back"),
    "volunteer.event.released.other": N_("A volunteer gave the task back"),
    "volunteer.event.expired.you": N_("Your time ran out; the task was unlocked"),
    "volunteer.event.expired.other": N_("A volunteer's time ran out; the task was unlocked"),
    "volunteer.event.submitted.you": N_("You recorded a finding"),
    "volunteer.event.submitted.other": N_("A volunteer recorded a finding"),
    "volunteer.event.accepted.you": N_("You accepted the finding"),
    "volunteer.event.accepted.other": N_("A validator accepted the finding"),
    "volunteer.event.rejected.you": N_("You rejected the finding"),
    "volunteer.event.rejected.other": N_("A validator rejected the finding"),
    "volunteer.event.cancelled": N_("Taken out of the queue"),
    "volunteer.open.open": N_("Still open"),
    "volunteer.open.closed": N_("Has closed"),
    "volunteer.open.unknown": N_("Could not find out"),
    # Translators: %(url)s is a web address; %(day)s the date it was read,
    # written by Babel.
    "volunteer.source.website": N_("The web page %(url)s, read on %(day)s"),
    # Translators: %(url)s is a web address.
    "volunteer.source.website_undated": N_("The web page %(url)s"),
    # Translators: %(day)s is the date of the call, written by Babel.
    "volunteer.source.phone": N_("A phone call on %(day)s"),
    # Translators: %(day)s is the date of the visit, written by Babel.
    "volunteer.source.visit": N_("A visit on %(day)s"),
    "volunteer.finding.pending": N_("Waiting for a validator"),
    "volunteer.finding.accepted": N_("Accepted: it is live"),
    "volunteer.finding.rejected": N_("Rejected"),
    # Translators: %(hours)s and %(minutes)s are numbers of hours and minutes
    # (“h” and “min” are their abbreviations).
    "volunteer.time_left": N_("%(hours)s h %(minutes)s min left"),
})


def reason_label(reason: object) -> Message:
    return Message(f"volunteer.reason.{getattr(reason, 'value', reason)}")


def event_line(event: TaskEvent, reader_id: int | None) -> Message:
    """One line of a task's history: the reason's words for its opening; "you", or "a volunteer" for anybody else."""
    kind = event.kind.value
    if kind in ("opened", "reason_added"):
        code, _, _detail = event.note.partition(":")
        return Message(f"volunteer.event.{kind}", reason=reason_label(code))
    if kind == "cancelled":
        return Message("volunteer.event.cancelled")
    who = "you" if reader_id is not None and event.user_id == reader_id else "other"
    return Message(f"volunteer.event.{kind}.{who}")


def open_state_label(state: OpenState) -> Message:
    return Message(f"volunteer.open.{state.value}")


def finding_state_label(finding: Finding) -> Message:
    return Message(f"volunteer.finding.{finding.state.value}")


def source_label(finding: Finding) -> Message:
    day = finding.checked_on
    if finding.source_kind == SourceKind.WEBSITE:
        if day:
            return Message("volunteer.source.website", url=isolate(finding.source_url), day=day)
        return Message("volunteer.source.website_undated", url=isolate(finding.source_url))
    return Message(f"volunteer.source.{finding.source_kind.value}", day=day)


#: The same sentence with {hours} and {minutes} in place of the numbers, for the page's countdown script.
TIME_LEFT_SENTENCE = Message("volunteer.time_left", hours="{hours}", minutes="{minutes}")


def time_left_label(left: timedelta) -> Message:
    minutes = int(left.total_seconds() // 60)
    return Message("volunteer.time_left", hours=minutes // 60, minutes=minutes % 60)


def contact_rows(space: Space) -> list[tuple[str, str]]:
    """A listing's public contact details, the only ones a volunteer sees: what its page shows travellers."""
    fields = ("address_line1", "address_line2", "postcode", "city", "region", "website", "email", "phone")
    return [(str(LISTING_FIELD_LABELS[f]), getattr(space, f)) for f in fields if getattr(space, f)]


def terms_changes(finding: Finding) -> list[tuple[str, str, str]]:
    """(label, listed now, as found) for each term the finding changes, for the validator."""
    found = finding_terms(finding)
    listed = finding.space.terms
    rows = []
    for f in terms_schema.TERMS:
        if f.name not in found:
            continue
        now_value = getattr(listed, f.name) if listed is not None else None
        if now_value != found[f.name]:
            rows.append((_(f.shown_label), term_text(f, now_value), term_text(f, found[f.name])))
    return rows

