"""What a badge says, in the reader's language: the texts :mod:`visa.badges.layout` places."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from visa.badges.facts import BadgeFacts, BadgeKind
from visa.badges.layout import Texts
from visa.l10n import date_label, month_year_label

BRAND = "Coworking Visa"  # the programme's name, the same in every language (docs/GLOSSARY.md)


def headline(facts: BadgeFacts) -> str:
    kind = facts.kind
    if kind == BadgeKind.HOST:
        if facts.free_days is None:
            return _("Coworking Visa host")
        # Translators: %(num)d is the number of free days per visit this host offers; the badge's headline.
        return ngettext("Coworking Visa host: %(num)d free day", "Coworking Visa host: %(num)d free days",
                        facts.free_days)
    if kind == BadgeKind.STALE:
        if facts.confirmed_on is None:
            return _("Coworking Visa: terms never confirmed")
        # Translators: %(date)s is the day a host last confirmed its visa terms, over a year ago.
        return _("Coworking Visa: not confirmed since %(date)s", date=date_label(facts.confirmed_on))
    return {BadgeKind.NOT_TAKING_PART: _("Not taking part in the Coworking Visa"),
            BadgeKind.UNSTATED: _("Coworking Visa: participation not stated"),
            BadgeKind.SUSPENDED: _("Coworking Visa: listing suspended"),
            BadgeKind.ARCHIVED: _("Coworking Visa: listing archived")}[kind]


def detail(facts: BadgeFacts) -> str:
    if facts.kind == BadgeKind.HOST and facts.confirmed_on is not None:
        # Translators: %(month)s is a month and its year ("March 2026"), when the host last confirmed its terms.
        return _("Confirmed %(month)s", month=month_year_label(facts.confirmed_on))
    return ""


def listing_texts(facts: BadgeFacts, name: str, caption: str) -> Texts:
    """A listing's badge: its state, name and the address its QR code leads to (*caption*)."""
    return Texts(facts.kind.value, headline(facts), detail(facts), BRAND, name, caption)


def mark_texts(caption: str, card: bool) -> Texts:
    """The network's own mark, for any space: no claim about a listing (the card, under its brand, says what
    the visa is)."""
    line = _("Work for free at coworking spaces around the world") if card else BRAND
    return Texts("mark", _("We are coworking"), line, BRAND, "", caption)
