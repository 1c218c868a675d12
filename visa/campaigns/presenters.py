"""Words and numbers for the campaign pages: outcome labels, the progress bar's segments, per-country rows."""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext as _l

from visa.campaigns.progress import OUTCOMES, Progress
from visa.l10n import country_name

OUTCOME_LABELS = {
    "confirmed": _l("Confirmed by the contact"), "verified": _l("Verified by volunteers"), "closed": _l("Closed"),
    "unreachable": _l("Unreachable"), "waiting": _l("Waiting"),
}


def bar_segments(counts: Counter) -> list[tuple[str, str, int, float, float]]:
    """(outcome, label, count, percent of the whole, percent where it starts) for each outcome with listings."""
    total = sum(counts[o] for o in OUTCOMES) or 1
    out, start = [], 0.0
    for o in OUTCOMES:
        if counts[o]:
            share = round(100 * counts[o] / total, 1)
            out.append((o, str(OUTCOME_LABELS[o]), counts[o], share, start))
            start = round(start + share, 1)
    return out


def country_rows(result: Progress) -> list[tuple[str, list[int], int, list]]:
    """(country name, counts in OUTCOMES order, total, bar segments), by country name."""
    rows = [(country_name(code), [counts[o] for o in OUTCOMES], sum(counts.values()), bar_segments(counts))
            for code, counts in result.by_country.items()]
    return sorted(rows, key=lambda row: row[0])

