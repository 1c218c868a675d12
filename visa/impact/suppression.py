"""Small-count suppression for the open data export (pure: no Flask, no database).

A count of 1 to 4 visits from one country to another in one month can point at a
person, so the export never publishes it: the cell says "suppressed" instead.

Suppressing only those cells is not enough when the month's total is published
too (the network page shows visits per month): the total minus the published
cells gives back a lone suppressed cell. So when a month has exactly one
suppressed cell, the smallest published cell of that month is suppressed as well
(complementary suppression); the total then gives only the sum of two cells.
Two cells are not always enough: two hidden cells that add up to 2 are both 1. So
more published cells are hidden, smallest first, until the hidden cells together
reach the threshold and exceed their number (:func:`hidden_groups`; the members'
survey applies the same rule to its countries). A month whose total is itself
under the threshold has its total suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")

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


def hidden_groups(sizes: Mapping[K, int], threshold: int = THRESHOLD) -> set[K]:
    """The groups of *sizes* ({group: count}, counts above 0) that are not published.

    A group under *threshold* is hidden; then, while the published total minus the published groups could give a
    hidden group back (one hidden group alone, or hidden groups whose sum is under the threshold or equal to their
    number, which makes each of them 1), the smallest published group is hidden too (ties broken by the key, so
    every run hides the same groups).
    """
    hidden = {key for key, count in sizes.items() if count < threshold}
    shown = sorted((count, key) for key, count in sizes.items() if key not in hidden)
    while shown and gives_back([sizes[key] for key in hidden], threshold):
        hidden.add(shown.pop(0)[1])
    return hidden


def gives_back(hidden: list[int], threshold: int = THRESHOLD) -> bool:
    """Whether a published total less the published groups would give back a hidden group (of sizes *hidden*):
    one alone, or several whose sum is under the threshold or equal to their number (each of them 1)."""
    total = sum(hidden)
    return bool(hidden) and (len(hidden) == 1 or total < threshold or total == len(hidden))


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
        hidden = hidden_groups({(home, host): count for home, host, count in rows}, threshold)
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
