"""A revision as an admin reads it: what kind of change, field labels as the forms name them, values as a
traveller reads them ("Mon-Fri", "3 free days a month"), never a column name, a code or ``None``.

Revisions store plain JSON values (visa.directory.services.snapshot); this module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from visa.directory import terms_schema
from visa.directory.presenters import LINK_LABELS, LISTING_FIELD_LABELS, PRECISION_LABELS, WEEKDAY_LABELS, notice_text, term_text
from visa.directory.revisions import Revision
from visa.directory.terms_schema import WEEKDAY_BITS
from visa.l10n import country_name, isolate
from visa.moderation.words import moment_label, status_label

#: Labels of the listing's own fields that the listing form does not show.
_OTHER_LABELS = {
    "latitude": _l("Latitude"), "longitude": _l("Longitude"), "geocode_precision": _l("Location precision"),
    "geocode_source": _l("Placed by"), "timezone": _l("Time zone"), "status": _l("Status"),
    "is_demo": _l("Demo listing"), "terms_confirmed_at": _l("Terms last confirmed"),
    "price_amount": _l("Price without a visa"), "price_currency": _l("Currency of the price"),
    "price_unit": _l("Price per"), "terms.excluded_spaces": _l("Members of these spaces are not hosted"),
    "links": _l("Links"), "merged_from": _l("Merged from"), "merged_into": _l("Merged into"),
    "photos": _l("Photos"),
}
_PLACED_BY = {"web": _l("the host"), "offline": _l("the offline gazetteer"), "import": _l("an import"),
              "seed": _l("the demo network")}
_PRICE_UNITS = {"hour": _l("hour"), "day": _l("day"), "week": _l("week"), "month": _l("month")}
#: Counted terms read as sentences rather than bare numbers.
_COUNTS = {
    # Translators: %(num)d is a number of free days per visit.
    "free_days_per_visit": lambda n: ngettext("%(num)d free day a visit", "%(num)d free days a visit", n),
    # Translators: %(num)d is a number of free days per month.
    "free_days_per_month": lambda n: ngettext("%(num)d free day a month", "%(num)d free days a month", n),
    # Translators: %(num)d is a number of free days per year.
    "free_days_per_year": lambda n: ngettext("%(num)d free day a year", "%(num)d free days a year", n),
    # Translators: %(num)d is the number of visitors a space can take on one
    # day.
    "capacity_per_day": lambda n: ngettext("%(num)d visitor a day", "%(num)d visitors a day", n),
    # Translators: %(num)d is a number of kilometres (a distance).
    "min_distance_km": lambda n: ngettext("%(num)d km", "%(num)d km", n),
    "advance_notice_hours": notice_text,
}
KINDS = {
    "created": _l("Listing created"), "edited": _l("Edited"), "confirmed": _l("Terms confirmed as still accurate"),
    "moderated": _l("Decision of an admin"), "imported": _l("Imported"), "reverted": _l("Reverted"),
    "merged": _l("Merged"), "demo": _l("Demo network"), "changes_asked": _l("Changes asked of the host"),
    "campaign": _l("Answered by the listed contact"), "photos": _l("Photos changed"),
}
#: A decision of an admin, by the status it set.
_DECISIONS = {"approved": _l("Approved"), "rejected": _l("Not approved"), "suspended": _l("Suspended"),
              "pending": _l("Back to waiting for an admin"), "closed": _l("Archived: the space closed")}
_KIND_OF_SOURCE = {"web": "edited", "confirm": "confirmed", "moderation": "moderated", "import": "imported",
                   "revert": "reverted", "merge": "merged", "seed": "demo",
                   "changes_asked": "changes_asked", "campaign": "campaign", "photos": "photos"}


def field_label(key: str) -> str:
    """The label the forms give *key* ("address_line1" -> "Street and number")."""
    if key.startswith("terms.") and key[6:] in terms_schema.BY_NAME:
        return _(terms_schema.BY_NAME[key[6:]].shown_label)
    if key in _OTHER_LABELS:
        return str(_OTHER_LABELS[key])
    label = LISTING_FIELD_LABELS.get(key)
    return str(label) if label else key.replace("_", " ").capitalize()


def weekdays_words(mask: int) -> str:
    """31 -> "Mon-Fri", 0b1010101 -> "Mon, Wed, Fri, Sun": runs of three or more days read as a range."""
    days = [key for key in WEEKDAY_LABELS if mask & WEEKDAY_BITS[key]]
    if not days:
        return _("no day")
    order = list(WEEKDAY_LABELS)
    runs: list[list[str]] = []
    for day in days:
        if runs and order.index(day) == order.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_LABELS[run[0]]}-{WEEKDAY_LABELS[run[-1]]}")
        else:
            parts.extend(str(WEEKDAY_LABELS[d]) for d in run)
    return ", ".join(parts)


def value_words(key: str, value: object) -> str:
    """A stored plain value as a traveller reads it."""
    if key.startswith("terms."):
        return _term_words(key[6:], value)
    if key == "terms_confirmed_at" and not value:
        return _("never")
    if value is None or value == "" or value == {}:
        return _("empty")
    if key == "photos":
        return photos_words(value)
    if key == "links" and isinstance(value, dict):
        return ", ".join(f"{LINK_LABELS.get(kind, kind)}: {url}" for kind, url in value.items())
    if key == "status":
        return status_label(value)
    if key == "country_code":
        return country_name(str(value))
    if key == "geocode_precision":
        return str(PRECISION_LABELS.get(value, value))
    if key == "geocode_source":
        return str(_PLACED_BY.get(value, value))
    if key == "price_unit":
        return str(_PRICE_UNITS.get(value, value))
    if key == "terms_confirmed_at":
        try:
            return moment_label(datetime.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.5f}"
    return str(value)


def photos_words(photos: object) -> str:
    """A listing's photos as a revision keeps them (visa.photos.services.photo_state), in the gallery's order."""
    if not photos:
        return _("no photo")
    words = []
    for photo in photos:
        alt = isolate(photo.get("alt", ""))
        # Translators: %(alt)s is a photo's description, as its host wrote it.
        words.append(alt if photo.get("status") == "approved" else _("%(alt)s (waiting for approval)", alt=alt))
    return "; ".join(words)


def _term_words(name: str, value: object) -> str:
    if name == "excluded_spaces":
        return ", ".join(value) if value else _("none")
    field = terms_schema.BY_NAME.get(name)
    if field is None:
        return str(value)
    if value is None:
        return _("not stated")
    if name in _COUNTS:
        return _COUNTS[name](int(value))
    if isinstance(field.kind, terms_schema.Weekdays):
        return weekdays_words(int(value))
    return term_text(field, field.from_plain(value))


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionWords:
    revision: Revision
    kind: str  # a key of KINDS
    kind_label: str
    when: str
    who: str
    changes: list[Change]
    note: str
    can_revert: bool


#: Kinds that record an event, not a change of fields: nothing to revert. Photos are added and removed on their
#: own page (a removed photo's files are gone, so no revert could bring it back).
EVENTS = ("confirmed", "changes_asked", "photos")


def is_creation(revision: Revision) -> bool:
    """The revision that created the listing: the only one whose name had no value before it
    (a first save of terms also starts from nothing, but the name is not among its changes)."""
    name = (revision.changes or {}).get("name")
    return name is not None and name[0] is None


def kind_of(revision: Revision) -> str:
    if revision.source == "confirm":
        return "confirmed"
    if revision.source in ("web", "import", "seed") and is_creation(revision):
        return "created" if revision.source == "web" else _KIND_OF_SOURCE[revision.source]
    return _KIND_OF_SOURCE.get(revision.source, "edited")


def changes_of(revision: Revision) -> list[Change]:
    """Field by field, in the order of the forms; a confirmation has none (it is an event, not an edit)."""
    if kind_of(revision) in ("confirmed", "changes_asked"):
        return []
    changes = revision.changes or {}
    created = is_creation(revision)
    rows = []
    for key in _form_order(changes):
        old, new = changes[key]
        if created and new in (None, "", [], False) and key != "status":
            continue  # a new listing: only what it states
        rows.append(Change(field_label(key), "" if created else value_words(key, old), value_words(key, new)))
    return rows


_SPACE_ORDER = ("name", "description", "address_line1", "address_line2", "postcode", "city", "region",
                "country_code", "latitude", "longitude", "geocode_precision", "website", "links", "email", "phone",
                "status")


def _form_order(changes: dict) -> list[str]:
    rank = {key: i for i, key in enumerate(_SPACE_ORDER)}
    rank.update({f"terms.{f.name}": 100 + i for i, f in enumerate(terms_schema.TERMS)})
    return sorted(changes, key=lambda k: (rank.get(k, 50), k))


def describe(revision: Revision) -> RevisionWords:
    kind = kind_of(revision)
    label = KINDS[kind]
    if kind == "moderated" and "status" in (revision.changes or {}):
        label = _DECISIONS.get(revision.changes["status"][1], label)
    if kind == "campaign":  # the revision's note is the campaign's name
        # Translators: %(name)s is the name an admin gave the mail campaign.
        label = _("Confirmed by the listed contact through the mail of campaign %(name)s", name=revision.note)
    who = revision.user.email if revision.user is not None else _("the system")
    return RevisionWords(revision, kind, str(label), moment_label(revision.created_at), who,
                         changes_of(revision), note=revision.note if kind != "campaign" else "",
                         can_revert=kind not in EVENTS and revision.reverted_by_id is None)
