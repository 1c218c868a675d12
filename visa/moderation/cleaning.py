"""Turn the values legacy spreadsheets hold into clean ones (pure; no Flask).

Yes/no written as y, Y, Yes, n or left blank; prices like "$25", "25 euro",
"R$ 10/h"; websites without a scheme; numbers with decimal commas; coordinates
in degrees, minutes and seconds with a hemisphere letter in English, Portuguese
or Spanish ("25° 26’ 11.79”S", "49° 16’ 49.66”O").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from visa.directory.websites import InvalidWebsite, normalize_website
from visa.messages import N_, define
from visa.values import CleaningError, number, yes_no

__all__ = ["CleaningError", "Price", "coordinate", "number", "price", "website", "yes_no"]

#: Currency signs and words, longest first so "R$" wins over "$".
_CURRENCIES = [
    ("r$", "BRL"), ("us$", "USD"), ("a$", "AUD"), ("c$", "CAD"), ("nz$", "NZD"), ("hk$", "HKD"),
    ("€", "EUR"), ("eur", "EUR"), ("euros", "EUR"), ("euro", "EUR"), ("£", "GBP"), ("gbp", "GBP"),
    ("usd", "USD"), ("$", "USD"), ("dollars", "USD"), ("¥", "JPY"), ("jpy", "JPY"), ("chf", "CHF"),
    ("kr", "SEK"), ("sek", "SEK"), ("nok", "NOK"), ("dkk", "DKK"), ("brl", "BRL"), ("reais", "BRL"),
    ("₹", "INR"), ("inr", "INR"), ("zł", "PLN"), ("pln", "PLN"), ("mxn", "MXN"), ("cad", "CAD"),
    ("aud", "AUD"), ("zar", "ZAR"), ("r", "ZAR"), ("kes", "KES"),
]
_UNITS = [("/h", "hour"), ("per hour", "hour"), ("/hour", "hour"), ("hourly", "hour"), ("/hr", "hour"),
          ("/day", "day"), ("per day", "day"), ("/d", "day"), ("daily", "day"), ("day", "day"),
          ("/week", "week"), ("per week", "week"), ("/month", "month"), ("per month", "month"), ("/mo", "month"),
          ("monthly", "month")]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

define({
    # Translators: %(value)r is the value that was read, in quotes. Keep the
    # example coordinates as they are.
    "not_a_coordinate": N_("expected a coordinate such as -25.4366 or 25° 26’ 11.79” S, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes.
    "latitude_east_west": N_("a latitude with an east or west letter, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes.
    "longitude_north_south": N_("a longitude with a north or south letter, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes.
    "sign_and_hemisphere": N_("both a minus sign and a hemisphere letter in %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes. Keep the
    # examples $25 and 25 euro as they are.
    "not_a_price": N_("expected a price such as $25 or 25 euro, found %(value)r"),
    # Translators: %(value)r is the value that was read, in quotes.
    "unreadable_amount": N_("unreadable amount in %(value)r"),
})


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str
    unit: str


def price(value: str | None, default_currency: str = "") -> Price | None:
    """"$25" → 25 USD per day; "25 euro" → 25 EUR; "R$ 10/h" → 10 BRL per hour; blank → None."""
    text = (value or "").strip().lower()
    if not text or text in {"-", "free", "n/a", "na"}:
        return None
    number = _NUMBER.search(text)
    if number is None:
        raise CleaningError("not_a_price", value=value)
    try:
        amount = Decimal(number.group(0).replace(",", "."))
    except InvalidOperation as err:  # pragma: no cover - the pattern only matches numbers
        raise CleaningError("unreadable_amount", value=value) from err
    rest = (text[: number.start()] + " " + text[number.end():]).strip()
    currency = default_currency
    for sign, code in _CURRENCIES:
        if re.search(rf"(^|[\s\d]){re.escape(sign)}($|[\s/\d.])", f" {rest} ") or (
                not sign.isalpha() and sign in rest):
            currency = code
            break
    unit = "day"
    for marker, name in _UNITS:
        if marker in rest:
            unit = name
            break
    return Price(amount, currency, unit)


def website(value: str | None) -> str:
    """"example.org" → "https://example.org"; blank stays blank; the same rule as the listing forms."""
    try:
        return normalize_website(value)
    except InvalidWebsite:
        raise CleaningError("not_a_website", value=value) from None


#: Hemisphere letters: English, Portuguese and Spanish share N, S and E; O is "oeste" (west) in both.
_HEMISPHERES = {"N": ("latitude", 1), "S": ("latitude", -1), "E": ("longitude", 1), "W": ("longitude", -1),
                "O": ("longitude", -1)}
#: Degree, minute and second marks as sheets type them (typographic quotes from word processors, primes, º).
_DEGREE, _MINUTE, _SECOND = "°º˚", "'’′´`", '"”″“'
_PART = r"(\d+(?:[.,]\d+)?)"
#: Parts are apart by their mark or by a space, so "2526" is never read as 25° 26'.
_DMS = re.compile(rf"{_PART}\s*[{_DEGREE}]?(?:(?:(?<=[{_DEGREE}])\s*|\s+){_PART}\s*[{_MINUTE}]?"
                  rf"(?:(?:(?<=[{_MINUTE}])\s*|\s+){_PART}\s*(?:[{_SECOND}]|[{_MINUTE}]{{2}})?)?)?")


def coordinate(value: str | None, axis: str) -> float | None:
    """A latitude or longitude (*axis*): a decimal number, or degrees, minutes and seconds; blank → None.

    "25° 26’ 11.79”S" → -25.436608; "49° 16’ 49.66”O" → -49.280461 (O is west in Portuguese and Spanish);
    "-25.4366" and "25,4366 S" too. A hemisphere letter of the other axis, or both a minus sign and a
    letter, is refused rather than guessed.
    """
    text = (value or "").strip()
    if not text:
        return None
    body, letter = text, ""
    if text[-1].upper() in _HEMISPHERES:
        body, letter = text[:-1], text[-1].upper()
    elif text[0].upper() in _HEMISPHERES:
        body, letter = text[1:], text[0].upper()
    body = body.strip().rstrip(",").strip()
    if not letter and not any(mark in body for mark in _DEGREE + _MINUTE + _SECOND):
        return number(text)  # a plain decimal, perhaps with a decimal comma
    sign = 1
    if body.startswith(("-", "−")):
        if letter:
            raise CleaningError("sign_and_hemisphere", value=value)
        sign, body = -1, body[1:].lstrip()
    elif body.startswith("+"):
        body = body[1:].lstrip()
    found = _DMS.fullmatch(body)
    if found is None:
        raise CleaningError("not_a_coordinate", value=value)
    parts = [float(p.replace(",", ".")) for p in found.groups() if p is not None]
    if any(p != int(p) for p in parts[:-1]) or any(p >= 60 for p in parts[1:]):
        raise CleaningError("not_a_coordinate", value=value)  # only the last part may have decimals
    if letter:
        letter_axis, letter_sign = _HEMISPHERES[letter]
        if letter_axis != axis:
            raise CleaningError("latitude_east_west" if axis == "latitude" else "longitude_north_south", value=value)
        sign = letter_sign
    return sign * sum(p / 60 ** i for i, p in enumerate(parts))
