"""Where each text, the symbol and the QR code of a badge go, for its three shapes: pure geometry.

The viewer's font is unknown (the SVG names Verdana, DejaVu Sans, then any sans-serif), so the widths
are estimated from each character's class, generously, and every line carries ``textLength``: the
viewer fits its glyphs to exactly the width the layout gave them, so no text runs out of its box.
Lines are centred or anchored at their start; for a right-to-left reader the start is the right edge
(``direction="rtl"``) and the wide badge and the card are mirrored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: shape: (smallest, largest, default) of the ``size`` parameter, in CSS pixels: the height of the wide
#: badge, the side of the square, the width of the card.
SIZES = {"wide": (16, 64, 20), "square": (64, 512, 128), "card": (200, 800, 320)}

#: Background of each state, as the maps' markers colour them (visa/static/js/visa-map.js SYMBOLS).
COLOURS = {"host": "#1b7a3a", "stale": "#8f5200", "no": "#a3231b", "unknown": "#4f5b66", "suspended": "#4f5b66",
           "archived": "#4f5b66", "mark": "#1f4e8c"}

#: Characters XML 1.0 refuses even escaped: a name holding one must not make the image unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FSI, PDI = "\u2068", "\u2069"
_NARROW = frozenset("fijlrtI.,:;'!|()[]{}/\\ ·")
_WIDE = frozenset("mwMW@%")


def clean(text: str) -> str:
    """*text* without the characters an SVG (XML) document cannot hold."""
    return _NOT_XML.sub("", text)


def char_width(char: str) -> float:
    """A character's advance in em, a little over what Verdana (the widest common sans-serif) draws."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # accents, and the isolates (FSI, PDI) around a name
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in _NARROW:
        return 0.38
    if char in _WIDE:
        return 0.95
    if char.isupper():
        return 0.72
    return 0.64


def text_width(text: str, size: float) -> float:
    return sum(char_width(c) for c in text) * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """*text* in lines of at most *width* at font *size*, broken between words (a longer word is squeezed)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    y: float  # the baseline
    size: float
    length: float  # textLength: the width the viewer fits the glyphs to
    anchor: str = "start"  # SVG text-anchor: start (the reading direction's start), middle
    bold: bool = False
    fill: str = "#fff"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    size: float


@dataclass
class Drawing:
    """One badge: its pixel size, its view box, its colours and what is drawn in it."""

    width: float
    height: float
    view_width: float
    view_height: float
    colour: str
    glyph: str
    glyph_box: Box
    title: str
    rtl: bool
    card: bool = False
    lines: list[Line] = field(default_factory=list)
    qr_box: Box | None = None


@dataclass(frozen=True)
class Texts:
    """What a badge says: its state's symbol (a key of :data:`COLOURS`), a headline, a detail; on a card
    also the brand, the space's name and the address the QR code leads to."""

    state: str
    headline: str
    detail: str = ""
    brand: str = ""
    name: str = ""
    caption: str = ""

    @property
    def title(self) -> str:
        return " · ".join(t for t in (self.name, self.headline, self.detail) if t)


def _fitted(text: str, size: float, room: float) -> float:
    return min(text_width(text, size), room)


def wide(texts: Texts, size: int, rtl: bool) -> Drawing:
    """One line: the symbol, then "headline · detail"."""
    text = f"{texts.headline} · {texts.detail}" if texts.detail else texts.headline
    length = text_width(text, 11)
    view_width = 24 + length + 8
    glyph_x, text_x = (view_width - 22, 8.0) if rtl else (2.0, 24.0)
    line = Line(text, text_x + length / 2, 14, 11, length, anchor="middle")
    return Drawing(size * view_width / 20, size, view_width, 20, COLOURS[texts.state], texts.state,
                   Box(glyph_x, 0, 20), texts.title, rtl, lines=[line])


def _block(text: str, x: float, y: float, room: float, sizes: tuple[float, ...], max_lines: int, **style) -> list[Line]:
    """*text* wrapped in at most *max_lines* lines at the largest of *sizes* that holds it, from baseline *y*."""
    for size in sizes:
        lines = wrap(text, size, room)
        if len(lines) <= max_lines:
            break
    else:
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    return [Line(t, x, y + i * size * 1.25, size, _fitted(t, size, room), **style) for i, t in enumerate(lines)]


def square(texts: Texts, size: int, rtl: bool) -> Drawing:
    """The symbol above the headline and the detail, centred; the text made smaller until it fits below it."""
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6):
        lines = _block(texts.headline, 50, 48 + 10 * scale, 88, (10 * scale,), 4, anchor="middle", bold=True)
        if texts.detail:
            below = lines[-1].y + lines[-1].size * 1.35
            lines += _block(texts.detail, 50, below, 88, (8 * scale,), 2, anchor="middle")
        if lines[-1].y <= 95:
            break
    return Drawing(size, size, 100, 100, COLOURS[texts.state], texts.state, Box(36, 6, 28), texts.title, rtl,
                   lines=lines)


CARD_WIDTH, QR_SIZE = 320.0, 120.0


def card(texts: Texts, size: int, rtl: bool) -> Drawing:
    """The brand, the space's name, the headline and the detail beside a QR code to the listing."""
    room = CARD_WIDTH - QR_SIZE - 14 - 22
    start = CARD_WIDTH - 14 if rtl else 14.0
    qr_x = 12.0 if rtl else CARD_WIDTH - QR_SIZE - 12
    colour = COLOURS[texts.state]
    # The brand beside the symbol, which stands at the line's start (on the right for a right-to-left reader).
    brand_x = start - 26 if rtl else start + 26
    lines = [Line(texts.brand, brand_x, 34, 11, _fitted(texts.brand, 11, room - 26), bold=True, fill=colour)]
    y = 62.0
    blocks = (("name", texts.name, (16, 14, 12), 2), ("headline", texts.headline, (12, 11, 10), 3),
              ("detail", texts.detail, (11, 10), 2))
    for part, text, sizes, max_lines in blocks:
        if not text:
            continue
        is_name = part == "name"
        block = _block(text, start, y, room, sizes, max_lines, bold=part != "detail", fill="#1d2a33")
        if is_name:  # a name a person wrote keeps its own direction, line by line (FSI ... PDI)
            block = [Line(f"{FSI}{ln.text}{PDI}", ln.x, ln.y, ln.size, ln.length, bold=True, fill=ln.fill)
                     for ln in block]
        lines += block
        y = block[-1].y + block[-1].size * 1.6
    caption = Line(texts.caption, qr_x + QR_SIZE / 2, 24 + QR_SIZE + 14, 7,
                   _fitted(texts.caption, 7, QR_SIZE), anchor="middle", fill="#4f5b66")
    lines.append(caption)
    view_height = max(y, caption.y) + 10
    glyph_x = start - 24 if rtl else start
    return Drawing(size, size * view_height / CARD_WIDTH, CARD_WIDTH, view_height, colour, texts.state,
                   Box(glyph_x, 16, 24), texts.title, rtl, card=True, lines=lines, qr_box=Box(qr_x, 20, QR_SIZE))


SHAPES = {"wide": wide, "square": square, "card": card}


def draw(shape: str, texts: Texts, size: int, rtl: bool = False) -> Drawing:
    """The drawing of *texts* in *shape* (a key of :data:`SHAPES`), *size* pixels as :data:`SIZES` reads it."""
    cleaned = Texts(texts.state, *(clean(t) for t in (texts.headline, texts.detail, texts.brand, texts.name,
                                                       texts.caption)))
    return SHAPES[shape](cleaned, size, rtl)
