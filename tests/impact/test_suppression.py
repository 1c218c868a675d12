"""Small counts never reach the open export, and cannot be worked back from the month's total."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from visa.impact.suppression import THRESHOLD, month_totals, published_total, suppress


def test_counts_under_five_are_suppressed_and_five_is_shown():
    cells = suppress({("2026-03", "PT", "ES"): 4, ("2026-03", "ES", "PT"): 5, ("2026-03", "FR", "DE"): 1,
                      ("2026-03", "DE", "FR"): 40})
    shown = {(c.home_country, c.host_country): c.count for c in cells}
    assert shown == {("PT", "ES"): None, ("ES", "PT"): 5, ("FR", "DE"): None, ("DE", "FR"): 40}


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    cells = suppress({("2026-03", "PT", "ES"): 2, ("2026-03", "ES", "PT"): 9, ("2026-03", "DE", "FR"): 40})
    shown = {(c.home_country, c.host_country): c.count for c in cells}
    # 51 visits that month: without the second cell hidden, 51 - 9 - 40 would give back the 2.
    assert shown == {("PT", "ES"): None, ("ES", "PT"): None, ("DE", "FR"): 40}


def test_zero_counts_are_left_out_and_small_months_have_no_total():
    counts = {("2026-01", "PT", "ES"): 0, ("2026-02", "PT", "ES"): 3, ("2026-03", "PT", "ES"): 7}
    assert [c.month for c in suppress(counts)] == ["2026-02", "2026-03"]
    assert month_totals(counts) == {"2026-02": None, "2026-03": 7}


cell_counts = st.dictionaries(
    st.tuples(st.sampled_from(["2026-01", "2026-02"]), st.sampled_from(["PT", "ES", "FR"]),
              st.sampled_from(["DE", "IT", "PT"])),
    st.integers(min_value=0, max_value=30), max_size=12)


@given(cell_counts)
def test_no_published_figure_is_under_the_threshold(counts):
    cells = suppress(counts)
    assert all(c.count is None or c.count >= THRESHOLD for c in cells)
    assert all(t is None or t >= THRESHOLD for t in month_totals(counts).values())
    # Every small cell is suppressed; published cells keep their true count.
    for c in cells:
        true = counts[(c.month, c.home_country, c.host_country)]
        assert c.count in (None, true)
        assert true >= THRESHOLD or c.count is None


@given(cell_counts)
def test_no_suppressed_cell_can_be_worked_back_from_its_month_total(counts):
    by_month = defaultdict(list)
    for cell in suppress(counts):
        by_month[cell.month].append(cell)
    totals = month_totals(counts)
    for month, cells in by_month.items():
        hidden = [c for c in cells if c.is_suppressed]
        if totals[month] is not None and hidden:
            # total - published = sum of hidden cells: it must cover two cells or more, never one.
            assert len(hidden) >= 2
            assert totals[month] - published_total(cells) == sum(
                counts[(month, c.home_country, c.host_country)] for c in hidden)
