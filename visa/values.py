"""Reading the values people write in sheets and forms: yes/no, numbers (pure; no Flask)."""

from __future__ import annotations

from visa.messages import N_, MessageError, define

_YES = {"y", "yes", "true", "1", "x", "si", "sí", "sim", "oui", "ja", "j"}
_NO = {"n", "no", "false", "0", "non", "nein", "nao", "não"}


define({
    # Translators: %(value)r is the value that was read, in quotes.
    "not_yes_no": N_("expected yes or no, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes.
    "not_a_number": N_("expected a number, found %(value)r"),
})


class CleaningError(MessageError):
    """A value that cannot be read; the message says what was expected (its codes are declared where raised)."""


def yes_no(value: str | None, default: bool | None = None) -> bool | None:
    """y, Y, Yes, 1, x → True; n, No, 0 → False; blank → *default*."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CleaningError("not_yes_no", value=value)


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
        raise CleaningError("not_a_number", value=value) from None
