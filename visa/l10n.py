"""Words for people: country names, place labels, dates and distances in the reader's language, and text that
people wrote kept apart from the page's own words.

One place for these so every page writes them the same way; Babel knows the
names and patterns, the app only picks the locale (Flask-Babel's).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import parse_pattern
from flask import Flask, has_app_context
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from visa.geo.boundaries import CoordinateError
from visa.i18n import once_per_locale
from visa.messages import AllOf, Distance, Message, Place
from visa.timeutil import LEAP_YEAR

#: Where road distances are read in miles (CLDR's "US" and "UK" measurement systems).
MILE_TERRITORIES = frozenset({"US", "GB", "LR", "MM"})
KM_PER_MILE = 1.609344


#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: what <bdi> is, written as characters.
FSI, PDI = "\u2068", "\u2069"


def bdi(text: object) -> Markup:
    """Text a person wrote (a name, an address, a note, an e-mail address) in its own ``<bdi>``, escaped.

    Its direction is its own (an Arabic name in an English sentence, a Latin one in an Arabic page), and a
    right-to-left override or embedding inside it ends where it ends: it cannot turn the page's words around it.
    Inside a sentence: ``_("Impact of %(name)s", name=space.name|bdi)``.
    """
    if text is None or text == "":
        return Markup("")
    return Markup("<bdi>%s</bdi>") % text


def isolate(text: object) -> str:
    """:func:`bdi` for places that hold no element: a ``<title>``, an attribute, plain text (FSI ... PDI)."""
    if text is None or text == "":
        return ""
    return f"{FSI}{text}{PDI}"


def _locale() -> Locale:
    return get_locale() or Locale("en")


def country_name(code: str | None) -> str:
    """ "DE" -> "Germany" (in the reader's language); an unknown code is shown as given."""
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


def found_place_label(label: str, country_code: str | None) -> str:
    """A geocoder's label ("Köln, Nordrhein-Westfalen, Germany", its country named in English) with the country
    in the reader's language, as the list under it names it ("..., Deutschland"); any other label as it is."""
    english = Locale("en").territories.get((country_code or "").upper())
    if english and (label == english or label.endswith(", " + english)):
        return label[: len(label) - len(english)] + country_name(country_code)
    return label


def place_label(city: str | None, region: str | None = None, country_code: str | None = None) -> str:
    """ "Berlin, Germany": city, region and country name, leaving out a part that repeats the one before it."""
    parts: list[str] = []
    for part in (city, region, country_name(country_code)):
        part = (part or "").strip()
        if part and not any(part.casefold() == p.casefold() for p in parts):
            parts.append(part)
    return ", ".join(parts)


def month_day(month: int, day: int) -> str:
    """(9, 1) -> "1 September" (the locale's own order)."""
    return format_skeleton("MMMMd", date(LEAP_YEAR, month, day), locale=_locale())  # a leap year: 29 February too


def day_label(day: date) -> str:
    """A day as people write it: "Tue 10 Nov 2026"."""
    return format_skeleton("yMMMEd", day, locale=_locale())


def weekday_name(day: date) -> str:
    """The day of the week as a word in a sentence: "Thursday", "Donnerstag" (never an abbreviation)."""
    return format_date(day, "EEEE", locale=_locale())


def weekdays_in_words(days: list[int]) -> str:
    """Days of the week (0 is Monday) as words in a sentence, in the reader's list: "Monday, Wednesday and Friday"."""
    names = _locale().days["format"]["wide"]
    return format_list([names[d] for d in sorted(days)], locale=_locale())


def short_day_label(day: date) -> str:
    """A day within a visit, without its year: "Tue, Nov 10" ("ter., 10/11" in Portuguese)."""
    return format_skeleton("MMMEd", day, locale=_locale())


def month_year_label(day: date) -> str:
    """A month of a year: "March 2026" ("März 2026")."""
    return format_skeleton("yMMMM", day, locale=_locale())


def date_label(day: date) -> str:
    """A date without its weekday: "Nov 10, 2026"."""
    return format_skeleton("yMMMd", day, locale=_locale())


def days_label(first: date, last: date) -> str:
    """The days of a visit: "Nov 10, 2026", or "Nov 10 – 12, 2026" (the locale's own way of writing a range)."""
    if first == last:
        return date_label(first)
    return format_interval(first, last, "yMMMd", locale=_locale())


def moment_label(moment: datetime) -> str:
    """A date and time, short: "Nov 10, 2026, 9:00 AM"."""
    return format_datetime(moment, "medium", locale=_locale())


def uses_miles() -> bool:
    """Whether the reader's region measures road distances in miles (en_US, en_GB)."""
    return _locale().territory in MILE_TERRITORIES


def deadline_label(moment: datetime) -> str:
    """A local wall-clock time to act by: "Tue, Nov 10, 9:00 AM" ("Tuesday 10 November, 09:00" in en_GB)."""
    # Translators: %(day)s is a date with its weekday, written by Babel
    # (“Tuesday, November 10”); %(time)s a time of day (“14:30”).
    return _("%(day)s, %(time)s", day=format_skeleton("MMMMEEEEd", moment, locale=_locale()),
             time=format_time(moment, "short", locale=_locale()))


def distance_label(km: float) -> str:
    """ "850 m", "3.2 km", "158 km": metres below one km, one decimal below ten; "98 mi" in the US and the UK."""
    # Without an app (a script, a unit test) there is nowhere to keep them: looked up for this label.
    found = once_per_locale("visa.l10n.distance_words", _distance_words) if has_app_context() else _distance_words()
    locale, miles_used, words = found
    if miles_used:
        miles = km / KM_PER_MILE
        return words["mi"] % {"mi": (_ONE_DECIMAL if miles < 10 else _WHOLE).apply(miles, locale)}
    if km < 1:
        return words["m"] % {"m": _WHOLE.apply(round(km * 1000, -1), locale)}
    return words["km"] % {"km": (_ONE_DECIMAL if km < 10 else _WHOLE).apply(km, locale)}


#: The numbers of distances, parsed once: Babel's format_decimal parses its pattern again on every call, and a
#: search page writes a distance per result.
_ONE_DECIMAL, _WHOLE = parse_pattern("#,##0.0"), parse_pattern("#,##0")


def _distance_words() -> tuple[Locale, bool, dict[str, str]]:
    """The reader's locale, whether it measures in miles, and the units' words: looked up once per locale."""
    return _locale(), uses_miles(), {
        # Translators: %(mi)s is a number of miles written by Babel (“2.5”); “mi”
        # is the abbreviation of miles.
        "mi": _("%(mi)s mi"),
        # Translators: %(m)s is a number of metres written by Babel (“850”); “m”
        # is the symbol of metres.
        "m": _("%(m)s m"),
        # Translators: %(km)s is a number of kilometres written by Babel (“12.5”);
        # “km” is the symbol of kilometres.
        "km": _("%(km)s km")}


def address_label(space) -> str:
    """A space's postal address on one line: street, postcode and city, region (unless it is the city), country."""
    town = " ".join(p for p in (space.postcode, space.city) if p)
    parts = [space.address_line1, space.address_line2, town]
    if space.region and space.region.casefold() != (space.city or "").casefold():
        parts.append(space.region)
    parts.append(country_name(space.country_code))
    return ", ".join(p.strip() for p in parts if p and p.strip())


def coordinate_problem(err) -> str:
    """A :class:`visa.geo.boundaries.CoordinateError` said in the reader's language (its English message otherwise)."""
    p = dict(err.params)
    if "country" in p:
        p["country"] = country_name(p["country"])
    if "actual" in p:
        p["actual"] = country_name(p["actual"])
    if "km" in p:
        p["distance"] = distance_label(p.pop("km"))
    which = {"the latitude": _("the latitude"), "the longitude": _("the longitude"), "both values": _("both values")}
    if "which" in p:
        p["which"] = which.get(p["which"], p["which"])
    texts = {
        "not_a_number": lambda: _("Latitude and longitude must be numbers."),
        # Translators: %(code)s is the country code as it was given (“XX”).
        "unknown_country": lambda: _("%(code)s is not an ISO 3166-1 country code.", **p),
        # Translators: %(power)s is a power of ten (1, 2, 3…); %(lat)s and %(lon)s
        # are a latitude and a longitude; %(country)s a country name, written by
        # Babel.
        "scaled": lambda: _("The coordinates look multiplied by 10^%(power)s; divide them: %(lat)s, %(lon)s would be "
                            "in %(country)s.", **p),
        # Translators: %(lat)s and %(lon)s are a latitude and a longitude;
        # %(country)s a country name, written by Babel.
        "swapped": lambda: _("Latitude and longitude look swapped; exchange them: %(lat)s, %(lon)s would be in "
                             "%(country)s.", **p),
        # Translators: %(value)s is the number given for both latitude and
        # longitude; %(country)s a country name, written by Babel.
        "lat_equals_lon": lambda: _("Latitude equals longitude (%(value)s), which usually means one value was pasted "
                                    "twice; the point is not in %(country)s. Enter the longitude again.", **p),
        # Translators: %(which)s is “the latitude”, “the longitude” or “both
        # values”, translated as their own entries; %(lat)s and %(lon)s are a
        # latitude and a longitude; %(country)s a country name.
        "sign_flipped": lambda: _("A sign looks lost; change the sign of %(which)s: %(lat)s, %(lon)s would be in "
                                  "%(country)s.", **p),
        # Translators: %(lat)s and %(lon)s are a latitude and a longitude;
        # %(actual)s the country the point lies in; %(country)s the country given.
        # Country names are written by Babel.
        "wrong_country": lambda: _("The point %(lat)s, %(lon)s is in %(actual)s, not in %(country)s: correct the "
                                   "country or the point.", **p),
        # Translators: %(lat)s and %(lon)s are a latitude and a longitude;
        # %(distance)s a distance with its unit (“3 km”); %(country)s a country
        # name, written by Babel.
        "in_sea": lambda: _("The point %(lat)s, %(lon)s is in the sea, %(distance)s from %(country)s: correct the "
                            "point.", **p),
        # Translators: %(lat)s is the latitude given.
        "out_of_range": lambda: (_("Latitude %(lat)s is outside -90..90.", **p) if "lat" in p
                                 # Translators: %(lon)s is the longitude given.
                                 else _("Longitude %(lon)s is outside -180..180.", **p)),
    }
    try:
        return texts[err.code]()
    except (KeyError, TypeError, ValueError):  # a code or value this table does not know: the English message
        return err.message


def say(text: object) -> str:
    """Words from pure code in the reader's language: a :class:`visa.messages.Message` (its msgid translated, its
    values written by the helpers above), a ``CoordinateError``; anything else is shown as it is (a name, a header)."""
    if isinstance(text, CoordinateError):
        return coordinate_problem(text)
    if not isinstance(text, Message):
        return str(text)
    return _(text.msgid, **{name: _value(value) for name, value in text.params.items()})


def _value(value: object) -> object:
    """A value inside a message, written for the reader.

    Text stays as it was typed (``%(value)r`` quotes it), and so do floats: they are coordinates, written as
    pasted, as :func:`coordinate_problem` does ("38,7, -9,1" would read as four numbers).
    """
    if isinstance(value, Message | CoordinateError):
        return say(value)
    if isinstance(value, Distance):
        return distance_label(value.km)
    if isinstance(value, Place):
        return place_label(value.name, value.region, value.country) if value.name else value.label
    if isinstance(value, AllOf):
        return format_list([str(_value(item)) for item in value.items], locale=_locale())
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_decimal(value)
    if isinstance(value, datetime):
        return moment_label(value)
    if isinstance(value, date):
        return date_label(value)
    return value


def init_app(app: Flask) -> None:
    """Register the helpers as Jinja filters."""
    app.add_template_filter(country_name)
    app.add_template_filter(month_day)
    app.add_template_filter(day_label)
    app.add_template_filter(short_day_label)
    app.add_template_filter(date_label)
    app.add_template_filter(distance_label)
    app.add_template_filter(moment_label)
    app.add_template_filter(bdi)
    app.add_template_filter(isolate)
    app.add_template_global(place_label)
    app.add_template_global(days_label)
    app.add_template_global(uses_miles)
    app.add_template_global(address_label)
    app.add_template_global(say)
