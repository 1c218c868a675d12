"""Reading the values people write in sheets and forms: yes/no, numbers (pure; no Flask)."""

from __future__ import annotations

_YES = {"y", "yes", "true", "1", "x", "si", "sí", "sim", "oui", "ja", "j"}
_NO = {"n", "no", "false", "0", "non", "nein", "nao", "não"}


class CleaningError(ValueError):
    """A value that cannot be read; the message says what was expected."""


def yes_no(value: str | None, default: bool | None = None) -> bool | None:
    """y, Y, Yes, 1, x → True; n, No, 0 → False; blank → *default*."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CleaningError(f"expected yes or no, found {value!r}")


def number(value: str | None) -> float | None:
    """A coordinate or count; accepts a decimal comma; blank → None."""
    text = (value or "").strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CleaningError(f"expected a number, found {value!r}") from None
