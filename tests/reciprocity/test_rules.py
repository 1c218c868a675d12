"""The visa rules: examples and properties (hypothesis)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from visa.reciprocity.rules import HostArrays, SpaceRules, Terms, decide, distance_km, honoring_mask, possible_days

LISBON = SpaceRules(1, "lisbon-desk", "Lisbon Desk", 38.7223, -9.1393, "PT:lisbon")
PORTO = SpaceRules(2, "porto-hub", "Porto Hub", 41.1496, -8.6110, "PT:porto")  # about 274 km from Lisbon
ALSO_LISBON = SpaceRules(3, "baixa-loft", "Baixa Loft", 38.7101, -9.1367, "PT:lisbon")


def with_terms(space: SpaceRules, **terms) -> SpaceRules:
    return SpaceRules(space.id, space.slug, space.name, space.lat, space.lon, space.city_key, space.is_listed,
                      Terms(**terms))


def codes(verdict) -> list[str]:
    return [r.code for r in verdict.reasons]


def test_traditional_defaults_honor_with_conditions():
    v = decide(LISBON, PORTO)
    assert v.honored and codes(v) == ["honored"]
    assert v.allowance["free_days_per_visit"] == 3
    assert [c.code for c in v.conditions] == ["free_days", "request", "membership_proof", "weekdays"]


def test_distance_exclusion_names_both_numbers():
    host = with_terms(PORTO, min_distance_km=300)
    v = decide(LISBON, host)
    assert not v.honored and codes(v) == ["too_close"]
    assert v.reasons[0].data["min_distance_km"] == 300 and 270 < v.reasons[0].data["distance_km"] < 280
    assert decide(LISBON, with_terms(PORTO, min_distance_km=100)).honored


def test_same_city_and_listed_exclusions():
    assert codes(decide(LISBON, with_terms(ALSO_LISBON, excludes_same_city=True))) == ["same_city"]
    assert decide(PORTO, with_terms(ALSO_LISBON, excludes_same_city=True)).honored
    assert codes(decide(LISBON, with_terms(PORTO, excluded_ids=frozenset({1})))) == ["excluded_space"]


def test_reciprocal_only_checks_the_way_back():
    host = with_terms(PORTO, reciprocal_only=True)
    assert codes(decide(with_terms(LISBON, min_distance_km=500), host)) == ["not_reciprocal"]
    assert "reciprocal" in codes(decide(LISBON, host))


def test_dates_weekdays_season_and_blackouts():
    host = with_terms(PORTO, weekdays=0b11111, season=((9, 1), (6, 30)),
                      blackouts=((date(2026, 12, 24), date(2026, 12, 31)),))
    assert codes(decide(LISBON, host, date(2026, 12, 5))) == ["closed_weekday"]  # a Saturday
    assert codes(decide(LISBON, host, date(2026, 7, 15))) == ["out_of_season"]
    assert codes(decide(LISBON, host, date(2026, 12, 28))) == ["blackout"]
    assert decide(LISBON, host, date(2026, 12, 7)).honored
    week = [date(2026, 12, 21) + np.timedelta64(i, "D").astype(object) for i in range(7)]
    assert possible_days(LISBON, host, week) == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)]


@settings(max_examples=60)
@given(weekdays=st.integers(0, 127), start=st.integers(0, 364), season_end=st.integers(1, 12),
       min_km=st.sampled_from([None, 100, 300]), reciprocal=st.booleans())
def test_possible_days_are_the_days_decide_honors(weekdays, start, season_end, min_km, reciprocal):
    host = with_terms(PORTO, weekdays=weekdays, season=((3, 1), (season_end, 28)), min_distance_km=min_km,
                      reciprocal_only=reciprocal, blackouts=((date(2026, 12, 24), date(2026, 12, 31)),))
    home = with_terms(LISBON, min_distance_km=500 if reciprocal and min_km == 100 else None)
    days = [date(2026, 1, 1) + np.timedelta64(start + i, "D").astype(object) for i in range(20)]
    assert possible_days(home, host, days) == [d for d in days if decide(home, host, d).honored]


def test_unlisted_or_not_participating_never_honored_nor_honoring():
    unlisted = SpaceRules(9, "x", "X", 40.0, -8.0, "PT:x", is_listed=False)
    resting = with_terms(PORTO, participates=False)
    assert codes(decide(unlisted, PORTO)) == ["home_not_listed"]
    assert codes(decide(LISBON, resting)) == ["host_not_participating"]
    assert codes(decide(resting, LISBON)) == ["home_not_participating"]


def test_participation_not_stated_is_unknown_never_a_refusal_and_says_whom_to_ask():
    unknown = SpaceRules(2, "porto-hub", "Porto Hub", 41.1496, -8.6110, "PT:porto", True,
                         Terms(participates=None), contact="hello@portohub.example")
    verdict = decide(LISBON, unknown)
    assert verdict.honored is None and codes(verdict) == ["host_terms_unknown"]
    assert verdict.allowance == dict.fromkeys(("free_days_per_visit", "free_days_per_month", "free_days_per_year"))
    assert verdict.reasons[0].data == {"host": "Porto Hub", "contact": "hello@portohub.example"}
    assert decide(unknown, LISBON).honored is None and codes(decide(unknown, LISBON)) == ["home_terms_unknown"]


def test_a_definite_refusal_outweighs_an_unknown_participation():
    unknown_far = SpaceRules(2, "porto-hub", "Porto Hub", 41.1496, -8.6110, "PT:porto", True,
                             Terms(participates=None, min_distance_km=5000))
    verdict = decide(LISBON, unknown_far)
    assert verdict.honored is False and codes(verdict) == ["host_terms_unknown", "too_close"]
    assert verdict.allowance["free_days_per_visit"] == 0
    # A reciprocal-only host whose own participation is unknown still refuses a home that would refuse its members.
    picky_home = with_terms(LISBON, min_distance_km=5000)
    unknown_reciprocal = SpaceRules(2, "porto-hub", "Porto Hub", 41.1496, -8.6110, "PT:porto", True,
                                    Terms(participates=None, reciprocal_only=True))
    assert decide(picky_home, unknown_reciprocal).honored is False
    assert decide(LISBON, unknown_reciprocal).honored is None


def test_terms_not_stated_restrict_nothing_and_are_named_as_a_condition():
    host = SpaceRules(2, "porto-hub", "Porto Hub", 41.1496, -8.6110, "PT:porto", True,
                      Terms(participates=True, free_days_per_visit=None, advance_notice_hours=None,
                            request_method=None, membership_proof=None, weekdays=None, excludes_same_city=None,
                            reciprocal_only=None), contact="+351 22 000 0000")
    verdict = decide(LISBON, host, date(2026, 12, 6))  # a Sunday: unstated days close nothing
    assert verdict.honored and verdict.allowance["free_days_per_visit"] is None
    unstated = {c.code: c.data for c in verdict.conditions}["not_stated"]
    assert unstated == {"terms": ["free_days_per_visit", "advance_notice_hours", "request_method",
                                  "membership_proof", "weekdays"], "contact": "+351 22 000 0000"}


# --- properties -------------------------------------------------------------------------------------------------

cities = st.sampled_from(["PT:lisbon", "PT:porto", "DE:berlin", "ES:madrid"])


@st.composite
def spaces(draw, space_id=None, reciprocal_only=None):
    """Spaces with any terms, each possibly not stated (None)."""
    terms = Terms(
        participates=draw(st.sampled_from([True, True, True, False, None])),
        free_days_per_visit=draw(st.one_of(st.none(), st.integers(1, 5))),
        weekdays=draw(st.one_of(st.none(), st.integers(1, 127))),
        min_distance_km=draw(st.one_of(st.none(), st.sampled_from([10, 25, 50, 100, 300, 1000]))),
        excludes_same_city=draw(st.sampled_from([True, False, None])),
        reciprocal_only=draw(st.sampled_from([True, False, None])) if reciprocal_only is None else reciprocal_only,
        excluded_ids=frozenset(draw(st.sets(st.integers(1, 12), max_size=3))),
    )
    return SpaceRules(space_id if space_id is not None else draw(st.integers(1, 12)), "s", "S",
                      draw(st.floats(35.0, 55.0)), draw(st.floats(-10.0, 15.0)), draw(cities),
                      draw(st.booleans()) or draw(st.booleans()), terms)


@given(spaces(), spaces())
def test_distance_exclusion_never_admits_a_closer_home(home, host):
    assume(host.terms.min_distance_km)
    if decide(home, host).honored:
        assert distance_km(home, host) >= host.terms.min_distance_km


@given(spaces(space_id=1, reciprocal_only=True), spaces(space_id=2))
def test_reciprocal_only_is_symmetric(a, b):
    """A reciprocal-only host admits b's members only if b, by its own rules, admits the host's."""
    if decide(b, a).honored:
        b_without_reciprocity = SpaceRules(b.id, b.slug, b.name, b.lat, b.lon, b.city_key, b.is_listed,
                                           Terms(**{**b.terms.__dict__, "reciprocal_only": False}))
        assert decide(a, b_without_reciprocity).honored


@given(spaces(space_id=1, reciprocal_only=True), spaces(space_id=2, reciprocal_only=True))
def test_two_reciprocal_only_spaces_honor_each_other_or_neither(a, b):
    assert decide(a, b).honored == decide(b, a).honored


@given(spaces())
def test_a_space_never_hosts_its_own_members(space):
    assert not decide(space, space).honored


@given(spaces(), spaces(), st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_unlisted_or_resting_spaces_are_never_honored_nor_honoring(home, host, on):
    if not (home.is_listed and host.is_listed and home.terms.participates and host.terms.participates):
        assert not decide(home, host).honored and not decide(home, host, on).honored


@given(spaces(), spaces(), st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_a_date_only_takes_away(home, host, on):
    if decide(home, host, on).honored:
        assert decide(home, host).honored


@settings(max_examples=200)
@given(spaces(space_id=100), st.lists(spaces(), min_size=1, max_size=15, unique_by=lambda s: s.id))
def test_vectorised_mask_agrees_with_decide(home, hosts):
    home = SpaceRules(home.id, home.slug, home.name, home.lat, home.lon, home.city_key, home.is_listed, home.terms)
    hosts = [SpaceRules(h.id, h.slug, h.name, h.lat, h.lon, h.city_key, True, h.terms) for h in hosts]
    arrays = HostArrays(
        np.array([h.id for h in hosts], dtype=np.int64), np.array([h.lat for h in hosts]),
        np.array([h.lon for h in hosts]), np.array([h.terms.participates is True for h in hosts]),
        np.array([np.nan if h.terms.min_distance_km is None else h.terms.min_distance_km for h in hosts]),
        np.array([h.terms.excludes_same_city is True for h in hosts]),
        np.array([h.terms.reciprocal_only is True for h in hosts]),
        np.array([h.city_key for h in hosts], dtype=object))
    excluding = np.array([h.id for h in hosts if home.id in h.terms.excluded_ids], dtype=np.int64)
    expected = [decide(home, h).honored is True for h in hosts]  # the map's filter keeps only "honored"
    assert honoring_mask(home, arrays, excluding).tolist() == expected
    # The same with cities as integer codes, as the spatial index stores them.
    codes: dict[str, int] = {}
    arrays.city_keys = np.array([codes.setdefault(h.city_key, len(codes)) for h in hosts], dtype=np.int64)
    assert honoring_mask(home, arrays, excluding, codes.get(home.city_key, -1)).tolist() == expected
