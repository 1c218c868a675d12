"""The record's arithmetic: answered, accepted, overdue, the median wait, and when a host is flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from visa.impact.record import FLAG_UNANSWERED, FLAG_UPHELD, RequestFacts, flag_reasons, summarize

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def asked(days_ago: float, answered_after_hours: float | None = None, accepted: bool = False) -> RequestFacts:
    created = NOW - timedelta(days=days_ago)
    answered = created + timedelta(hours=answered_after_hours) if answered_after_hours is not None else None
    return RequestFacts(created, answered, accepted)


def test_record_counts_answers_acceptances_and_overdue_requests():
    record = summarize([asked(30, 2, True), asked(20, 10, False), asked(10, 30, True), asked(9, 24 * 8, True),
                        asked(8), asked(6.9), asked(1)], visitors=4, now=NOW)
    # Overdue: the one answered after 8 days, and the one waiting for 8 days.
    assert (record.requests, record.answered, record.accepted, record.overdue) == (7, 4, 3, 2)
    assert record.median_answer == timedelta(hours=20)
    assert record.answer_rate == 4 / 7
    assert record.acceptance_rate == 3 / 4
    assert record.visitors == 4


def test_an_empty_record_has_no_rates():
    record = summarize([], visitors=0, now=NOW)
    assert record.median_answer is None and record.answer_rate is None and record.acceptance_rate is None


def test_flags_start_at_the_thresholds():
    assert flag_reasons(FLAG_UNANSWERED - 1, FLAG_UPHELD - 1) == []
    assert flag_reasons(FLAG_UNANSWERED, 0) == ["unanswered"]
    assert flag_reasons(0, FLAG_UPHELD) == ["upheld_reports"]
    assert flag_reasons(FLAG_UNANSWERED, FLAG_UPHELD) == ["unanswered", "upheld_reports"]
