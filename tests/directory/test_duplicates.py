"""Two listings are one space only when nothing tells them apart (visa.directory.duplicates)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from visa.directory.duplicates import Likeness, Listing, compare, distinguishing_words, site_key

BERLIN = (52.4990, 13.4180)


def _near(metres_east: float) -> tuple[float, float]:
    return BERLIN[0], BERLIN[1] + metres_east / 68_000  # about 68 km per degree of longitude at 52.5°


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Listing("Harbor Desk", *BERLIN), Listing("Harbour Desk", *_near(50))),  # a misspelling
        (Listing("Baixa Commons", *BERLIN, website="https://baixacommons.example", city="Lisbon"),
         Listing("Baixa Commons Lisbon", *_near(20), city="Lisbon")),  # the city added, no website on one side
        (Listing("The Hive", *BERLIN, website="hive.example"),
         Listing("Hive Coworking", *_near(100), website="https://www.hive.example/")),  # generic words, one site
    ],
)
def test_the_same_space_twice(a, b):
    assert compare(a, b).likeness is Likeness.SAME
    assert compare(b, a).likeness is Likeness.SAME


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (Listing("Impact Hub Berlin", *BERLIN, city="Berlin"),
         Listing("Impact Hub Berlin Kreuzberg", *_near(200), city="Berlin"), "“kreuzberg” in one name only"),
        (Listing("Bench Space 099607", *BERLIN), Listing("Bench Space 096606", *_near(250)), "“099607”, “096606”"),
        (Listing("Factory Görlitzer Park", *BERLIN, website="factory.example/goerlitzer"),
         Listing("Factory Görlitzer Park", *_near(30), website="factory.example/mitte"), "a different website"),
        # Two branches of one chain in one street: same name, same website, different numbers in the street.
        (Listing("Spaces", *BERLIN, website="spaces.example", address="Oranienstraße 25"),
         Listing("Spaces", *_near(150), website="spaces.example", address="Oranienstraße 183"),
         "a different street address"),
    ],
)
def test_branches_are_possible_duplicates_kept(a, b, reason):
    match = compare(a, b)
    assert match.likeness is Likeness.POSSIBLE
    assert any(reason in r for r in match.reasons), match.reasons


def test_the_same_point_alone_is_not_a_duplicate():
    """Legacy lists put distinct spaces on a city-centre point: kept, and the point flagged."""
    match = compare(Listing("Alfama Desk", *BERLIN), Listing("Graça Studio", *BERLIN))
    assert match.likeness is Likeness.SHARED_POINT


def test_far_apart_or_unlike_are_different_spaces():
    assert compare(Listing("Harbor Desk", *BERLIN), Listing("Harbor Desk", *_near(400))) is None
    assert compare(Listing("Harbor Desk", *BERLIN), Listing("Graça Studio", *_near(50))) is None


def test_distinguishing_words_and_site_keys():
    assert distinguishing_words("Impact Hub Berlin", "Impact Hub Berlin Kreuzberg", "Berlin") == ["kreuzberg"]
    assert distinguishing_words("Harbor Desk", "Harbour Desk") == []
    assert distinguishing_words("Desk 2", "Desk 3") == ["2", "3"]
    assert site_key("https://www.Example.org/berlin/") == site_key("example.org/berlin") == "example.org/berlin"


_WORDS = st.sampled_from(["Impact", "Hub", "Berlin", "Kreuzberg", "Harbor", "Harbour", "Desk", "12", "14", "The",
                          "Spaces", "Zuidas", "Oranienstraße"])
_NAMES = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)


@given(_NAMES, _NAMES, st.sampled_from(["", "Berlin"]), st.sampled_from(["", "Berlin", "Lisbon"]),
       st.sampled_from(["", "a.example", "b.example"]), st.sampled_from(["", "a.example"]),
       st.floats(0, 400))
@example("Impact Hub Berlin", "Impact Hub", "Berlin", "", "", "", 10.0)
def test_likeness_is_symmetric(name, other, city, other_city, site, other_site, metres):
    """Comparing a with b says what comparing b with a says: the import's order never decides."""
    a = Listing(name, *BERLIN, website=site, city=city)
    b = Listing(other, *_near(metres), website=other_site, city=other_city)
    ab, ba = compare(a, b), compare(b, a)
    assert (ab and ab.likeness) == (ba and ba.likeness)
    if ab is not None:
        assert len(ab.reasons) == len(ba.reasons)
