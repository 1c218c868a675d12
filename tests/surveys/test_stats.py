"""The survey's figures: Wilson intervals against published values, the commute, the 5-answer floor, and the
network's suppression (no published total gives a hidden country back)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visa.impact.suppression import THRESHOLD
from visa.surveys.questionnaire import BY_KEY
from visa.surveys.stats import MIN_RESPONSES, answer_counts, commute, space_figures, wilson
from visa.surveys.stats import network_tables as tables_of_waves


def network_tables(answers):
    """The tables of (year, country, answer) triples, each answer a wave of its own."""
    return tables_of_waves((year, country, answer_counts([answer])) for year, country, answer in answers)


def test_a_closed_wave_keeps_counts_of_its_closed_questions_only():
    counts = answer_counts([{"isolation": "agree", "comment": "x"}, {"isolation": "agree", "tenure": "1_2_years"}])
    assert counts == {"isolation": {"agree": 2}, "tenure": {"1_2_years": 1}}


# Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
# Statistics in Medicine 17 (1998), Table I, method 3 (Wilson's score interval without continuity correction).
@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0000),
])
def test_wilson_interval_matches_newcombes_published_values(successes, n, low, high):
    got = wilson(successes, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_refuses_no_answers():
    with pytest.raises(ValueError):
        wilson(0, 0)


def test_commute_counts_round_trips_days_and_weeks_and_car_kilometres():
    # 30 km by car alone before, 1 km on foot now, 3 days a week: (30 - 1) * 2 * 3 * 46 km; CO2 from 30 car km.
    answer = {"commute_before_km": "20_40", "commute_before_mode": "car_alone", "commute_now_km": "under_2",
              "commute_now_mode": "bike_walk", "days_per_week": "3"}
    result = commute([answer, {"commute_before_km": "20_40"}], kg_co2_per_km=0.17)
    assert result.counted == 1 and result.km_saved == pytest.approx(29 * 2 * 3 * 46)
    assert result.co2_saved_t == pytest.approx(30 * 2 * 3 * 46 * 0.17 / 1000)
    # Connected Hubs (Caulfield & Charly 2022): 60 km a day less, 3 days a week, about 1.1 t a year; ours says 1.4
    # (its factor and weeks differ), the same order.
    assert 1.0 < result.co2_saved_t < 2.0


def test_under_five_answers_show_the_count_alone():
    answers = [{"isolation": "agree"}] * (MIN_RESPONSES - 1)
    result = space_figures(answers, verified=4, invited=10, kg_co2_per_km=0.17)
    assert not result.is_shown and result.responses == 4
    assert result.distributions == {} and result.proportions == [] and result.commute is None
    shown = space_figures([*answers, {"isolation": "disagree"}], verified=5, invited=10, kg_co2_per_km=0.17)
    isolation = next(p for p in shown.proportions if p.key == "isolation")
    assert shown.is_shown and (isolation.positive, isolation.answered) == (4, 5)
    assert shown.response_rate == 0.5


def test_a_country_under_five_is_hidden_and_takes_the_next_smallest_with_it():
    answers = ([("2026", "PT", {"isolation": "agree"})] * 3 + [("2026", "ES", {"isolation": "agree"})] * 6
               + [("2026", "FR", {"isolation": "disagree"})] * 20)
    table = next(t for t in network_tables(answers) if t.key == "isolation")
    rows = {r.country: r.answered for r in table.countries}
    # 29 answers in the network: without Spain hidden too, 29 - 20 - 6 would give Portugal's 3 back.
    assert rows == {"ES": None, "FR": 20, "PT": None} and table.answered == 29


def test_a_network_under_five_publishes_nothing():
    table = network_tables([("2026", "PT", {"isolation": "agree"})] * 4)[0]
    assert table.answered is None and table.counts is None and all(r.is_suppressed for r in table.countries)


def test_five_countries_of_one_answer_publish_no_total():
    table = network_tables([("2026", c, {"isolation": "agree"}) for c in ("PT", "ES", "FR", "DE", "IT")])[0]
    assert table.answered is None  # 5 in all, 5 countries hidden: each would be 1


countries = st.sampled_from(["PT", "ES", "FR", "DE", "IT", "BR"])
answer_sets = st.lists(st.tuples(st.sampled_from(["2025", "2026"]), countries,
                                 st.fixed_dictionaries({}, optional={"isolation": st.sampled_from(BY_KEY["isolation"].values),
                                                                     "tenure": st.sampled_from(BY_KEY["tenure"].values)})),
                       max_size=80)


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_no_published_total_gives_a_hidden_country_back(answers):
    for table in network_tables(answers):
        hidden = [r for r in table.countries if r.is_suppressed]
        shown = [r for r in table.countries if not r.is_suppressed]
        assert all(r.answered >= THRESHOLD for r in shown)
        if table.answered is None or not hidden:
            continue
        # What a reader can work out: the hidden countries' sum, and that each has at least one answer (it is listed).
        left = table.answered - sum(r.answered for r in shown)
        for _row in hidden:
            possible = range(1, left - (len(hidden) - 1) + 1)  # the others take at least one each
            assert len(possible) > 1, (table.key, left, len(hidden))
        assert left >= THRESHOLD
        # And the same for each answer's count: the hidden rows' sum per answer is never one hidden row alone.
        assert len(hidden) >= 2
