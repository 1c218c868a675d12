"""Passes and visits in words: every refusal, limit and error code as a translated sentence."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from visa.l10n import date_label, isolate, month_year_label
from visa.passes.limits import Breach
from visa.passes.tokens import PassClaims, PassRefused
from visa.passes.visits import VisitError
from visa.reciprocity.presenters import reason_text


def _day(iso: str) -> str:
    return date_label(date.fromisoformat(iso))


def refusal_text(err: PassRefused) -> str:
    """Why a presented pass is refused, in one clause."""
    c = err.claims
    texts = {
        "malformed": lambda: _("this is not a visa pass (the text is damaged or incomplete)"),
        "unknown_key": lambda: _("it was not signed by a key of this network"),
        "bad_signature": lambda: _("its signature does not match: the pass was altered"),
        "not_yet_valid": lambda: _("it is valid only from %(day)s", day=date_label(c.valid_from)),
        "expired": lambda: _("it expired on %(day)s", day=date_label(c.valid_to)),
        "revoked": lambda: _("its home space has revoked it"),
    }
    return texts.get(err.code, lambda: err.code)()


def refused_line(err: PassRefused) -> str:
    if err.claims is not None:
        # Translators: %(name)s is the member's name; %(home)s the name of their
        # home space; %(why)s why the pass is refused (a translated phrase).
        return _("Not valid: the pass of %(name)s (%(home)s) is refused: %(why)s.", name=isolate(err.claims.member_name),
                 home=isolate(err.claims.home_name), why=refusal_text(err))
    return _("Not valid: %(why)s.", why=refusal_text(err))


def valid_line(claims: PassClaims) -> str:
    # The line is plain text (the page sets it as text): the names are isolated with FSI ... PDI.
    return _("Valid pass: %(name)s, member of %(home)s, until %(day)s.", name=isolate(claims.member_name),
             home=isolate(claims.home_name), day=date_label(claims.valid_to))


def breach_text(b: Breach) -> str:
    d = b.data
    if b.code == "days_per_visit":
        # Translators: %(num)d is the largest number of free days per visit.
        return ngettext("This host gives at most %(num)d free day per visit.",
                        "This host gives at most %(num)d free days per visit.", d["limit"])
    if b.code == "days_per_month":
        # Translators: %(num)d is the largest number of free days per month;
        # %(used)d how many the member has already taken; %(month)s the month and
        # its year, written by Babel (“December 2026”).
        return ngettext("At most %(num)d free day a month: %(used)d already taken in %(month)s.",
                        "At most %(num)d free days a month: %(used)d already taken in %(month)s.", d["limit"],
                        used=d["used"], month=month_year_label(date.fromisoformat(d["month"] + "-01")))
    if b.code == "days_per_year":
        # Translators: %(num)d is the largest number of free days per year;
        # %(used)d how many the member has already taken; %(year)s the year
        # (“2026”).
        return ngettext("At most %(num)d free day a year: %(used)d already taken in %(year)s.",
                        "At most %(num)d free days a year: %(used)d already taken in %(year)s.", d["limit"],
                        used=d["used"], year=d["year"])
    if b.code == "full":
        # Translators: %(day)s is a date, written by Babel; %(booked)d how many
        # visitors are booked that day; %(capacity)d how many the host takes.
        return _("%(day)s is full (%(booked)d of %(capacity)d places taken).", day=_day(d["date"]),
                 booked=d["booked"], capacity=d["capacity"])
    if b.code == "notice":
        # Translators: %(num)d is a number of hours; %(day)s the earliest date the
        # member can ask for, written by Babel.
        return ngettext("This host asks for %(num)d hour of notice before the first day: the earliest you can ask "
                        "for now is %(day)s.",
                        "This host asks for %(num)d hours of notice before the first day: the earliest you can ask "
                        "for now is %(day)s.", d["hours"], day=_day(d["earliest"]))
    return b.code


def visit_error_text(err: VisitError) -> str:
    texts = {
        "no_pass": lambda: _("There is no active pass for this request."),
        "bad_dates": lambda: _("Choose days from today on, the last one not before the first (a month at most)."),
        "outside_pass": lambda: _("Your pass does not cover these days."),
        "not_found": lambda: _("There is no such request."),
        "answered": lambda: _("This request has already been answered."),
        "not_accepted": lambda: _("Only an accepted visit can be checked in."),
        "not_today": lambda: _("This visit is not booked for that day."),
        "checked_in": lambda: _("Already checked in: this visit was recorded before."),
        "not_cancellable": lambda: _("Only a request waiting for an answer or accepted can be cancelled, and only "
                                     "before its first day."),
    }
    if err.code == "not_honored":
        return " ".join(dict.fromkeys(reason_text(r) for r in err.reasons))
    if err.breaches:  # a limit, or the notice
        return " ".join(breach_text(b) for b in err.breaches)
    return texts.get(err.code, lambda: err.code)()


def pass_error_text(code: str) -> str:
    texts = {
        "not_found": lambda: _("There is no such pass."),
        "not_participating": lambda: _("Only a listed space that takes part in the visa can issue passes."),
        "bad_dates": lambda: _("The pass must end after it starts, and last a year at most."),
        "not_pending": lambda: _("This pass request has already been answered."),
        "not_active": lambda: _("Only an active pass can be revoked."),
    }
    return texts.get(code, lambda: code)()


def status_label(status: str) -> str:
    labels = {"requested": _("waiting for approval"), "active": _("active"), "declined": _("declined"),
              "revoked": _("revoked"), "pending": _("waiting for an answer"), "accepted": _("accepted"),
              "cancelled": _("cancelled"), "checked_in": _("checked in")}
    return labels.get(status, status)
