"""The badge's geometry: text fits its box, a right-to-left reader gets the mirror, and no XML-breaking character."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from visa.badges.layout import SIZES, Texts, clean, draw, text_width, wrap

TEXTS = Texts("host", "Coworking Visa host: 3 free days", "Confirmed March 2026", "Coworking Visa",
              "A rather long coworking space name that needs two lines", "example.org/spaces/a-space")


@pytest.mark.parametrize("shape", list(SIZES))
def test_every_line_stays_inside_the_drawing(shape):
    drawing = draw(shape, TEXTS, SIZES[shape][2])
    for line in drawing.lines:
        left = {"start": line.x, "middle": line.x - line.length / 2}[line.anchor]
        assert left >= 0 and left + line.length <= drawing.view_width, line
        assert line.size <= line.y <= drawing.view_height, line
        assert line.length <= max(text_width(line.text, line.size), 1)  # squeezed when needed, never stretched wider
    assert drawing.width == SIZES[shape][2] or drawing.height == SIZES[shape][2]


def test_the_wide_badge_grows_with_its_text_and_keeps_its_height():
    short = draw("wide", Texts("no", "Not taking part"), 20)
    long = draw("wide", TEXTS, 40)
    assert long.height == 40 and long.view_width > short.view_width
    assert long.width == pytest.approx(40 * long.view_width / 20)


def test_right_to_left_mirrors_the_symbol_and_the_qr_code():
    ltr, rtl = draw("wide", TEXTS, 20), draw("wide", TEXTS, 20, rtl=True)
    assert ltr.glyph_box.x < ltr.view_width / 2 < rtl.glyph_box.x
    card_ltr, card_rtl = draw("card", TEXTS, 320), draw("card", TEXTS, 320, rtl=True)
    assert card_ltr.qr_box.x > card_ltr.view_width / 2 > card_rtl.qr_box.x
    # Text anchored at its start: the left edge for a left-to-right reader, the right edge otherwise.
    name_ltr = next(ln for ln in card_ltr.lines if "rather long" in ln.text)
    name_rtl = next(ln for ln in card_rtl.lines if "rather long" in ln.text)
    assert name_ltr.x < card_ltr.view_width / 2 < name_rtl.x
    assert name_rtl.text.startswith("\u2068") and name_rtl.text.endswith("\u2069")  # each line of the name isolated


def test_the_template_writes_the_direction(app):
    root = ET.fromstring(app.jinja_env.get_template("badges/badge.svg").render(
        d=draw("square", TEXTS, 128, rtl=True), qr=None, lang="ar"))
    assert root.find("{http://www.w3.org/2000/svg}g[@direction='rtl']") is not None


def test_wrap_breaks_between_words_and_width_counts_wide_and_zero_width_characters():
    lines = wrap("Coworking Visa host: 3 free days", 10, 88)
    assert len(lines) > 1 and " ".join(lines) == "Coworking Visa host: 3 free days"
    assert all(text_width(line, 10) <= 88 for line in lines)
    assert wrap("Unbreakablewordlongerthanthebox", 10, 40) == ["Unbreakablewordlongerthanthebox"]  # squeezed later
    assert text_width("漢字", 10) > text_width("ab", 10)  # East Asian wide characters take a full em
    assert text_width("e\u0301\u2068\u2069", 10) == text_width("e", 10)  # accents and isolates take none
    assert clean("a\x00b\x1fc\ufffe") == "abc"
