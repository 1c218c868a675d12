"""Small-count suppression for the open data export (pure: no Flask, no database).

A count of 1 to 4 visits from one country to another in one month can point at a
person, so the export never publishes it: the cell says "suppressed" instead.

Suppressing only those cells is not enough when the month's total is published
too (the network page shows visits per month): the total minus the published
cells gives back a lone suppressed cell. So when a month has exactly one
suppressed cell, the smallest published cell of that month is suppressed as well
(complementary suppression); the total then gives only the sum of two cells.
A month whose total is itself under the threshold has its total suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Counts below this are never published.
THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    """One month and country pair; ``count`` is None when suppressed."""

    month: str  # "YYYY-MM"
    home_country: str
    host_country: str
    count: int | None

    @property
    def is_suppressed(self) -> bool:
        return self.count is None


def suppress(counts: Mapping[tuple[str, str, str], int], threshold: int = THRESHOLD) -> list[Cell]:
    """The cells of *counts* ({(month, home, host): visits}) with small counts suppressed, sorted.

    Cells with a zero count are left out (the export lists what happened).
    """
    by_month: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for (month, home, host), count in counts.items():
        if count > 0:
            by_month[month].append((home, host, count))
    cells: list[Cell] = []
    for month in sorted(by_month):
        rows = sorted(by_month[month])
        hidden = {(home, host) for home, host, count in rows if count < threshold}
        if len(hidden) == 1:
            shown = [(count, home, host) for home, host, count in rows if (home, host) not in hidden]
            if shown:
                _count, home, host = min(shown)  # ties broken by the pair, so every run hides the same cell
                hidden.add((home, host))
        cells.extend(Cell(month, home, host, None if (home, host) in hidden else count) for home, host, count in rows)
    return cells


def month_totals(counts: Mapping[tuple[str, str, str], int], threshold: int = THRESHOLD) -> dict[str, int | None]:
    """{month: total visits}, None where the whole month is under the threshold."""
    totals: dict[str, int] = defaultdict(int)
    for (month, _home, _host), count in counts.items():
        totals[month] += count
    return {month: (total if total >= threshold else None) for month, total in sorted(totals.items()) if total > 0}


def published_total(cells: Iterable[Cell]) -> int:
    """The sum of the cells that are published (a floor of the true total)."""
    return sum(cell.count for cell in cells if cell.count is not None)
