"""Turn the values legacy spreadsheets hold into clean ones (pure; no Flask).

Yes/no written as y, Y, Yes, n or left blank; prices like "$25", "25 euro",
"R$ 10/h"; websites without a scheme; numbers with decimal commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from visa.directory.websites import InvalidWebsite, normalize_website
from visa.messages import N_, define
from visa.values import CleaningError, number, yes_no

__all__ = ["CleaningError", "Price", "number", "price", "website", "yes_no"]

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
    "not_a_price": N_("expected a price such as $25 or 25 euro, found %(value)r"),
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
