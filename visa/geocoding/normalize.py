"""Turn place names and query parts into comparable keys.

One function shared by the gazetteer build and the lookups, so that "München",
"MUNCHEN" and "munchen" meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HAS_DIGIT = re.compile(r"\d")


def name_key(text: str) -> str:
    """ASCII-fold, lower-case and collapse punctuation: "São Paulo" -> "sao paulo"."""
    folded = unidecode(unicodedata.normalize("NFKC", text)).lower()
    return _NON_ALNUM.sub(" ", folded).strip()


def strip_numbers(text: str) -> str:
    """Drop the words that carry digits (house numbers, postcodes such as 1100-053)."""
    words = [w for w in text.split() if not _HAS_DIGIT.search(w)]
    return " ".join(words)


def has_digits(text: str) -> bool:
    return bool(_HAS_DIGIT.search(text))
