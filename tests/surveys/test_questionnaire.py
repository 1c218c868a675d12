"""The questionnaire: every question may be skipped, answers are only its options, and it is said in every language."""

from __future__ import annotations

import pytest

from visa.catalogs import TRANSLATIONS, read_catalog, shipped_languages
from visa.surveys.questionnaire import (
    CLOSED_QUESTIONS,
    MAX_COMMENT,
    QUESTIONS,
    SECTIONS,
    AnswerError,
    clean,
)


def test_every_question_may_be_skipped():
    assert clean({}) == ({}, "")
    assert clean({q.key: "" for q in QUESTIONS}) == ({}, "")


def test_answers_are_kept_by_question_and_nothing_else():
    answers, comment = clean({"isolation": "agree", "days_per_week": "3", "name": "Maria", "email": "m@x.org",
                              "comment": "  Great coffee.  "})
    assert answers == {"isolation": "agree", "days_per_week": "3"} and comment == "Great coffee."


def test_a_value_that_is_not_an_option_is_refused():
    with pytest.raises(AnswerError) as err:
        clean({"income_change": "12000 EUR"})
    assert err.value.field == "income_change"
    with pytest.raises(AnswerError):
        clean({"comment": "x" * (MAX_COMMENT + 1)})


def test_income_and_distances_are_ranges_never_amounts():
    for key in ("income_change", "commute_before_km", "commute_now_km", "work_found", "collaborations"):
        question = next(q for q in CLOSED_QUESTIONS if q.key == key)
        assert len(question.options) >= 4


def _texts() -> set[str]:
    texts = set(SECTIONS.values())
    for q in QUESTIONS:
        texts.add(q.text)
        texts.update(o.label for o in q.options if not o.label.isdigit())
        if q.headline:
            texts.add(q.headline)
    return texts


@pytest.mark.parametrize("language", shipped_languages())
def test_the_questionnaire_is_translated_into_every_language(language):
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    missing = [text for text in _texts() if not catalog.get(text) or not catalog.get(text).string
               or catalog.get(text).fuzzy]
    assert not missing, missing
