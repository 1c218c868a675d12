"""Find English left on a translated page, from the catalogues themselves rather than a hand-picked word list.

A word counts as English when it occurs in the English messages (the template's
msgids) and in none of the language's translations: "Coworking", "Visa" or
"e-mail" are in both, so they never count; "Search" or "honor" are English only.
Whole English messages that the page shows as they are count too, unless the
language's translation keeps them as they are (a name: "Coworking Visa"). Names
(spaces, places) are the caller's to pass: they are data, not texts to translate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from visa.catalogs import TEMPLATE, TRANSLATIONS, read_catalog

_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text))}


def _texts(value: str | tuple) -> list[str]:
    """The texts of a msgid or msgstr: one, or each plural form."""
    return [t for t in (value if isinstance(value, tuple) else (value,)) if t]


@cache
def english_messages() -> tuple[str, ...]:
    return tuple(text for m in read_catalog(TEMPLATE) if m.id for text in _texts(m.id))


@cache
def english_only_words(language: str) -> frozenset[str]:
    """Words of the English messages that no translation of ``language`` uses."""
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    translated = set().union(*(_words(t) for m in catalog if m.id for t in _texts(m.string)))
    english = set().union(*(_words(t) for t in english_messages()))
    return frozenset(w for w in english - translated if len(w) > 1)


def english_left(visible_text: str, language: str, names: Iterable[str] = ()) -> list[str]:
    """The English words and messages in ``visible_text`` (names taken out first), sorted."""
    text = visible_text
    for name in sorted(set(names), key=len, reverse=True):  # whole words only: "Pa" stays in "País"
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    found = {w for w in _words(text) if w in english_only_words(language)}
    found |= {m for m in english_messages() if " " in m and "%" not in m and m in text} - kept_as_is(language)
    return sorted(found)


@cache
def kept_as_is(language: str) -> frozenset[str]:
    """Messages the translator kept unchanged on purpose: a name such as "Coworking Visa" is not English left."""
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    return frozenset(m.id for m in catalog if isinstance(m.id, str) and m.id and m.string == m.id)
