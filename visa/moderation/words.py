"""Words for the states and codes admins and hosts meet: listing statuses, report kinds, moments.

Pages never show an enum's code; they show these. A moment is shown to the
minute in the reader's time zone (their browser's, else the site's), never with seconds.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton, format_time
from flask import has_request_context, request
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from visa.moderation.importer import ImportReport
from visa.timeutil import as_utc

STATUS_LABELS = {
    "pending": _l("Waiting for a network admin"),
    "approved": _l("Listed on the map"),
    "rejected": _l("Not approved"),
    "suspended": _l("Taken off the map"),
    "closed": _l("Archived: the space closed"),
}
#: What happens next, for the host's dashboard.
STATUS_NEXT = {
    "pending": _l("A network admin reviews new listings, usually within a week. You will get an e-mail."),
    "approved": _l("Travellers find it on the map."),
    "rejected": _l("An admin did not approve it. You can edit it and write to the network."),
    "suspended": _l("An admin took it off the map for now; travellers do not see it."),
    "closed": _l("Archived because the space closed; an admin can restore it."),
}
REPORT_KIND_LABELS = {
    "not_honored": _l("The space did not honor the visa"),
    "wrong_listing": _l("The listing is wrong"),
}


def status_label(status: object) -> str:
    code = getattr(status, "value", status)
    return str(STATUS_LABELS.get(code, code))


def report_kind_label(kind: object) -> str:
    code = getattr(kind, "value", kind)
    return str(REPORT_KIND_LABELS.get(code, code))


def import_summary(report: ImportReport) -> str:
    """The import report's first line, as the admin page says it (the CLI prints ``report.summary()``)."""
    # Translators: %(num)d is a number of rows of the imported file.
    rows = ngettext("%(num)d row", "%(num)d rows", report.rows)
    # Translators: %(rows)s is “12 rows”, translated as its own entry; each
    # %(…)d is a number of rows.
    counts = _("%(rows)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(duplicates)d skipped "
               "as duplicates, %(rejected)d rejected, %(flagged)d flagged for review (imported as pending), "
               "%(possible)d possible duplicates kept.",
               rows=rows, created=report.created,
               updated=report.updated, unchanged=report.unchanged, duplicates=len(report.duplicates),
               rejected=len(report.rejected), flagged=len(report.flagged), possible=len(report.possible_duplicates))
    if report.dry_run:
        # Translators: %(counts)s is the import's summary sentence (“12 rows: 10
        # created, …”).
        return _("Dry run: nothing was saved. %(counts)s", counts=counts)
    return counts


def reader_timezone() -> tzinfo:
    """The zone the reader's browser named (visa/static/js/timezone.js), else the site's (Flask-Babel's)."""
    if has_request_context():
        name = unquote(request.cookies.get("visa_tz", ""))
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):  # a made-up or malformed name: the site's zone
                pass
    return get_timezone()


def moment_label(moment: datetime | None) -> str:
    """ "24 Nov 2026, 09:15" in the reader's time zone: to the minute, as people read times."""
    if moment is None:
        return ""
    local, locale = as_utc(moment).astimezone(reader_timezone()), get_locale() or "en"
    return _("%(day)s, %(time)s", day=format_skeleton("yMMMd", local, locale=locale),
             time=format_time(local, "short", locale=locale))


def timezone_name() -> str:
    """The zone moments are shown in, to say so under a list of them."""
    return str(reader_timezone())
