"""How spaces and their terms read to people, and as GeoJSON.

Texts go through Flask-Babel so the pages and the API speak the visitor's
language once translations exist. Everything returned is plain text: templates
and scripts escape it where it is shown.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext

from visa.directory import terms_schema
from visa.directory.links import clean_links
from visa.directory.models import STALE_AFTER, WEEKDAY_BITS, Space, VisaTerms
from visa.geocoding.local_names import local_city
from visa.i18n import once_per_locale
from visa.l10n import country_name, date_label, distance_label, month_day
from visa.timeutil import utcnow

PRECISION_LABELS = {
    "exact": lazy_gettext("exact"),
    # Placed by hand on a map that showed no streets (offline basemap only): near, but not to the door.
    "pinned": lazy_gettext("placed by hand on a map without streets"),
    "street": lazy_gettext("street"),
    "city": lazy_gettext("city centre"),
    "region": lazy_gettext("region"),
    "country": lazy_gettext("country"),
}
WEEKDAY_LABELS = {
    "mon": lazy_gettext("Mon"), "tue": lazy_gettext("Tue"), "wed": lazy_gettext("Wed"), "thu": lazy_gettext("Thu"),
    "fri": lazy_gettext("Fri"), "sat": lazy_gettext("Sat"), "sun": lazy_gettext("Sun"),
}
#: A listing's status as its host reads it.
STATUS_LABELS = {"pending": lazy_gettext("waiting for approval"), "approved": lazy_gettext("on the map"),
                 "rejected": lazy_gettext("not approved"), "suspended": lazy_gettext("suspended"),
                 "closed": lazy_gettext("closed")}
REQUEST_LABELS = {"email": lazy_gettext("email"), "form": lazy_gettext("use the form"), "phone": lazy_gettext("phone")}
DIRECTION_LABELS = {
    "north": lazy_gettext("north"), "north-east": lazy_gettext("north-east"), "east": lazy_gettext("east"),
    "south-east": lazy_gettext("south-east"), "south": lazy_gettext("south"),
    "south-west": lazy_gettext("south-west"), "west": lazy_gettext("west"), "north-west": lazy_gettext("north-west"),
}


#: A listing's own fields as the host's form and the revision feed name them (one wording for both).
LISTING_FIELD_LABELS = {
    "name": lazy_gettext("Name of the space"), "description": lazy_gettext("Description"),
    "address_line1": lazy_gettext("Street and number"), "address_line2": lazy_gettext("Address, second line"),
    "postcode": lazy_gettext("Postcode"), "city": lazy_gettext("City"), "region": lazy_gettext("Region or state"),
    "country_code": lazy_gettext("Country"), "website": lazy_gettext("Website"),
    "email": lazy_gettext("E-mail for visitors"), "phone": lazy_gettext("Phone"),
}
#: A listing's links (visa.directory.links) as its page names them: the services by their own names.
LINK_LABELS = {"facebook": "Facebook", "twitter": "Twitter", "yelp": "Yelp", "google_places": "Google Maps",
               "logo": lazy_gettext("Logo")}


def link_items(links: dict | None) -> list[tuple[str, str]]:
    """(label, address) of a listing's links, in the order of visa.directory.links.LINK_KINDS."""
    return [(str(LINK_LABELS[kind]), url) for kind, url in clean_links(links).items()]

def notice_text(hours: int) -> str:
    if hours <= 0:
        return _("no notice needed")
    if hours > 72 and hours % 24 == 0:  # "48 h ahead" reads better than "2 days" for short notice
        # Translators: %(num)d is a number of days: how long ahead the host wants
        # to be asked.
        return ngettext("%(num)d day ahead", "%(num)d days ahead", hours // 24)
    # Translators: %(num)d is a number of hours: how long ahead the host wants
    # to be asked (“h” is the abbreviation of hours).
    return ngettext("%(num)d h ahead", "%(num)d h ahead", hours)


#: The Coworking Visa's tradition: three free days at a host. Shown as the tradition, never as a host's terms.
TRADITIONAL_FREE_DAYS = 3


def allowance_text(per_visit: int | None, per_month: int | None = None, per_year: int | None = None) -> str:
    """ "1 free day per visit, 3 a month": the one wording of an allowance, for headlines, verdicts and conditions.

    The caps are always written beside the days per visit, so a headline and a verdict never
    seem to disagree ("1 free day" beside "3 free days a month").
    """
    # Translators: %(num)d is the number of free days a member gets per visit.
    parts = [ngettext("%(num)d free day per visit", "%(num)d free days per visit", per_visit)
             if per_visit is not None else _("free days per visit not stated")]
    if per_month:
        # Translators: %(num)d is the number of free days a member gets per month.
        # Follows “3 free days per visit,”.
        parts.append(ngettext("%(num)d a month", "%(num)d a month", per_month))
    if per_year:
        # Translators: %(num)d is the number of free days a member gets per year.
        # Follows “3 free days per visit,”.
        parts.append(ngettext("%(num)d a year", "%(num)d a year", per_year))
    return ", ".join(parts)


def headline(terms: VisaTerms | None) -> str:
    """One line for lists and popups: "3 free days per visit · email 48 h ahead"; only what the terms state.

    Worded once per locale and process for each combination of the terms it says: listings share a few dozen,
    and a search page shows one per result (each took a few Babel texts).
    """
    key = None if terms is None else (terms.is_participating, terms.request_method, terms.advance_notice_hours,
                                      terms.free_days_per_visit, terms.free_days_per_month, terms.free_days_per_year)
    worded = once_per_locale("visa.directory.headlines", dict)
    found = worded.get(key)
    if found is None:
        found = worded[key] = _headline(terms)
    return found


def _headline(terms: VisaTerms | None) -> str:
    if terms is None or terms.is_participating is None:
        return _("This space has not confirmed that it takes part in the Coworking Visa")
    if not terms.is_participating:
        return _("Not hosting visa visitors at the moment")
    how = str(REQUEST_LABELS[terms.request_method.value]) if terms.request_method is not None else ""
    hours = terms.advance_notice_hours
    notice = "" if hours is None else notice_text(hours)
    separator = " " if hours and hours > 0 else ", "  # "email 48 h ahead", "email, no notice needed"
    request = separator.join(p for p in (how, notice) if p)
    if terms.free_days_per_visit is None and not terms.free_days_per_month and not terms.free_days_per_year:
        # It takes part: say so first. The tradition is given as the tradition, never as this host's terms.
        if not request:
            # Translators: %(num)d is the number of free days the Coworking Visa's
            # tradition offers (3).
            return _("Takes part in the Coworking Visa; terms not stated, ask the host (by tradition, %(num)d free "
                     "days)", num=TRADITIONAL_FREE_DAYS)
        # Translators: %(num)d is the number of free days the Coworking Visa's
        # tradition offers (3).
        days = _("Takes part in the Coworking Visa; free days not stated (by tradition, %(num)d)",
                 num=TRADITIONAL_FREE_DAYS)
    else:
        days = allowance_text(terms.free_days_per_visit, terms.free_days_per_month, terms.free_days_per_year)
    return f"{days} · {request}" if request else days


def weekdays_text(mask: int) -> str:
    words = _term_words()
    return ", ".join(words[key] for key in WEEKDAY_LABELS if mask & WEEKDAY_BITS[key])


def _term_words() -> dict[str, str]:
    """The words a space's terms repeat (the weekdays' names, "yes", "not stated") in the reader's language:
    translated once per locale and process, not once per field on every page."""
    return once_per_locale("visa.directory.term_words", lambda: {
        "yes": _("yes"), "no": _("no"), "not stated": _("not stated"), "none": _("none"),
        **{key: str(label) for key, label in WEEKDAY_LABELS.items()}})


def is_stale(space: Space, now: datetime | None = None) -> bool:
    confirmed = space.terms_confirmed_at
    if confirmed is None:
        return True
    if confirmed.tzinfo is None:  # SQLite returns naive datetimes; they are stored as UTC
        from datetime import UTC
        confirmed = confirmed.replace(tzinfo=UTC)
    return (now or utcnow()) - confirmed > STALE_AFTER


def stale_text(space: Space) -> str:
    """"Terms not confirmed since 2025-03-01", or "Terms never confirmed by the host" (imports never confirm)."""
    if space.terms_confirmed_at is None:
        return _("Terms never confirmed by the host")
    # Translators: %(date)s is the date the host last confirmed the terms,
    # written by Babel.
    return _("Terms not confirmed since %(date)s", date=date_label(space.terms_confirmed_at.date()))


def facts_source(space: Space) -> dict:
    """Where the listing's facts come from, without words (every Feature of the API carries it): ``kind`` (host,
    contact, volunteer, import, unknown), ``date`` (ISO, of the last confirmation) and ``source`` (a campaign's
    name, a volunteer's source, an import's file)."""
    confirmed, by = space.terms_confirmed_at, space.terms_confirmed_by
    if confirmed is None:
        kind, source = ("import", space.import_file) if space.import_file else ("unknown", "")
    else:
        kind = by if by in ("host", "contact", "volunteer") else "unknown"
        source = space.terms_confirmed_via if kind in ("contact", "volunteer") else ""
    return {"kind": kind, "date": confirmed.date().isoformat() if confirmed is not None else None, "source": source}


def provenance(space: Space) -> dict:
    """:func:`facts_source` with its ``text`` in the reader's language: the space page, a Feature in full, the
    export."""
    facts = facts_source(space)
    kind, source = facts["kind"], facts["source"]
    day = date_label(space.terms_confirmed_at.date()) if space.terms_confirmed_at is not None else None
    if kind == "host":
        # Translators: %(date)s is the date the host confirmed the terms, written
        # by Babel.
        text = _("Confirmed by the host on %(date)s", date=day)
    elif kind == "contact":
        # Translators: %(date)s is the date the contact confirmed the terms,
        # written by Babel.
        text = _("Confirmed by the listed contact by mail on %(date)s", date=day)
    elif kind == "volunteer":
        # Translators: %(date)s is the date of the check, written by Babel;
        # %(source)s where the volunteer checked (“The web page …”, “A phone call
        # on …”).
        text = _("Verified by a volunteer on %(date)s from %(source)s", date=day, source=source)
    elif kind == "import":
        # Translators: %(file)s is the name of the imported file.
        text = _("Imported from %(file)s and never confirmed", file=source)
    elif day is not None:
        # Translators: %(date)s is the date the terms were confirmed, written by
        # Babel.
        text = _("Confirmed on %(date)s", date=day)
    else:
        text = _("Never confirmed")
    return facts | {"text": text}


#: What a traveler needs to know of a space at a glance, in the order of the maps' legend: the state of a
#: marker (its shape and colour, :file:`visa/static/js/visa-map.js`), always given in words as well.
MARKER_STATES = {
    "yes": lazy_gettext("Takes part, terms confirmed in the last 12 months"),
    "stale": lazy_gettext("Takes part, terms not confirmed in the last 12 months"),
    "unknown": lazy_gettext("Participation not stated"),
    "no": lazy_gettext("Does not take part"),
}


def marker_state(space: Space) -> str:
    """The key of :data:`MARKER_STATES` for *space* (as visa-map.js reads it from a Feature's properties)."""
    participates = space.terms.is_participating if space.terms else None
    return _state(participates, participates and is_stale(space))


def feature_state(props: dict) -> str:
    """:func:`marker_state` from a Feature's properties (the search page lists its spaces from their Features)."""
    return _state(props["participates"], props["terms_stale"])


def _state(participates: bool | None, stale: bool | None) -> str:
    if participates is None:
        return "unknown"
    if not participates:
        return "no"
    return "stale" if stale else "yes"


def marker_words(space: Space) -> str:
    """The state in words, with the date for stale terms: "Takes part. Terms not confirmed since 7 March 2025"."""
    state = marker_state(space)
    return stale_words(stale_text(space)) if state == "stale" else str(MARKER_STATES[state])


def feature_words(props: dict) -> str:
    """:func:`marker_words` from a Feature's properties."""
    state = feature_state(props)
    return stale_words(props["terms_stale_text"]) if state == "stale" else str(MARKER_STATES[state])


def stale_words(note: str) -> str:
    """A participating space whose terms are stale, with *note* (:func:`stale_text`) saying since when."""
    # Translators: %(note)s is the sentence “Terms not confirmed since …”.
    # Shown on a map marker.
    return _("Takes part. %(note)s", note=note)


def terms_dict(terms: VisaTerms) -> dict:
    """The API's terms object (None where not stated), laid out by :mod:`visa.directory.terms_schema`."""
    data = terms_schema.to_api({f.name: getattr(terms, f.name) for f in terms_schema.TERMS})
    season = data.get("season") or {}
    if season.get("start") is None or season.get("end") is None:
        data["season"] = None
    else:
        data["season"] = {"start": season["start"][5:], "end": season["end"][5:]}  # month-day of the stored date
    data["exclusions"]["spaces"] = [s.slug for s in terms.excluded_spaces]
    return data


def _period_text(period: dict) -> str:
    """ "Dec 24, 2026 to Jan 2, 2027"; an entry that is not two ISO dates (an old import) as it was stored."""
    try:
        start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    except (KeyError, TypeError, ValueError):
        return str(period)
    # Translators: %(start)s and %(end)s are the first and last day of a
    # period, written by Babel.
    return _("%(start)s to %(end)s", start=date_label(start), end=date_label(end))


def term_text(field: terms_schema.TermField, value: object) -> str:
    """One term's value as the space page shows it."""
    words = _term_words()
    if value is None:
        return words["not stated"]
    kind = field.kind
    if isinstance(kind, terms_schema.YesNo):
        return words["yes"] if value else words["no"]
    if isinstance(kind, terms_schema.Choice):
        return str(REQUEST_LABELS.get(value.value, value.value))
    if isinstance(kind, terms_schema.Weekdays):
        return weekdays_text(value)
    if isinstance(kind, terms_schema.MonthDay):
        return month_day(value.month, value.day)
    if isinstance(kind, terms_schema.Periods):
        return "; ".join(_period_text(p) for p in value) or words["none"]
    return str(value)


def terms_all_unstated(terms: VisaTerms | None) -> bool:
    """True when the source stated none of the terms (a typical imported row): one sentence says more than a table."""
    return terms is None or all(getattr(terms, f.name) in (None, "", [], ()) for f in terms_schema.TERMS)


def term_rows(terms: VisaTerms) -> list[tuple[str, str]]:
    """(label, text) for every terms field, "not stated" where the source said nothing."""
    return [(label, term_text(f, getattr(terms, f.name)))
            for label, f in zip(term_labels(), terms_schema.TERMS, strict=True)]


def term_labels() -> list[str]:
    """The terms fields' labels in the reader's language, in :data:`terms_schema.TERMS` order: translated once per
    locale and process (a space page shows all of them)."""
    return once_per_locale("visa.directory.term_labels", lambda: [_(f.shown_label) for f in terms_schema.TERMS])


TAGLINE_CHARS = 160


def tagline(description: str | None) -> str:
    """The first line of a description, for lists and popups: at most 160 characters, cut at a word."""
    first = next((line.strip() for line in (description or "").splitlines() if line.strip()), "")
    if len(first) <= TAGLINE_CHARS:
        return first
    cut = first[:TAGLINE_CHARS].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def feature(space: Space, distance_km: float | None = None, full: bool = False, *,
            headline_text: str | None = None, city_text: str | None = None, url: str | None = None) -> dict:
    """The space as a GeoJSON Feature ([longitude, latitude], RFC 7946).

    *headline_text*, *city_text* and *url*, when given, are the space's own (the pre-encoded Features of
    :mod:`visa.directory.fragments` compute them once for many spaces, the words once per locale).
    """
    props = {
        "slug": space.slug,
        "name": space.name,
        "city": space.city,  # as the host wrote it
        # In the request's language ("Köln" in German).
        "city_name": local_city(space.city, space.country_code) if city_text is None else city_text,
        "country": space.country_code,
        "country_name": country_name(space.country_code),  # in the request's language, as the pages write it
        "headline": headline(space.terms) if headline_text is None else headline_text,
        "tagline": tagline(space.description),
        "free_days_per_visit": space.terms.free_days_per_visit if space.terms else None,
        "participates": space.terms.is_participating if space.terms else None,
        "precision": space.geocode_precision,
        "url": url or url_for("directory.space_page", slug=space.slug),
        "is_demo": space.is_demo,
        "terms_stale": is_stale(space),
        "terms_stale_text": stale_text(space) if is_stale(space) else None,
        "terms_confirmed_on": space.terms_confirmed_at.date().isoformat() if space.terms_confirmed_at else None,
        "facts_source": facts_source(space),
    }
    if distance_km is not None:
        props["distance_km"] = round(distance_km, 2)
    if full:
        props.update({
            "address": {"line1": space.address_line1, "line2": space.address_line2, "city": space.city,
                        "region": space.region, "postcode": space.postcode, "country": space.country_code},
            "website": space.website, "email": space.email, "phone": space.phone,
            "description": space.description or "",
            "timezone": space.timezone, "geocode_source": space.geocode_source,
            "terms_confirmed_at": space.terms_confirmed_at.isoformat() if space.terms_confirmed_at else None,
            "provenance": provenance(space),
            "terms": terms_dict(space.terms) if space.terms else None,
        })
    return {
        "type": "Feature",
        "id": space.slug,
        "geometry": {"type": "Point", "coordinates": [round(space.longitude, 6), round(space.latitude, 6)]},
        "properties": props,
    }


def nearby_feature(nearby) -> dict:
    """A space beyond the searched radius (:class:`visa.directory.search.Nearby`): distance and direction added."""
    body = feature(nearby.space, nearby.distance_km)
    body["properties"].update({"bearing_deg": round(nearby.bearing_deg, 1), "direction": nearby.direction})
    return body


def nearby_text(nearby) -> str:
    """Where a space beyond the radius is: "Boston, 158 km south-west"."""
    # Translators: %(city)s is the city of a nearby space; %(distance)s a
    # distance with its unit (“28 km”); %(direction)s a compass direction
    # written as a translated word (“south-east”).
    return _("%(city)s, %(distance)s %(direction)s", city=local_city(nearby.space.city, nearby.space.country_code),
             distance=distance_label(round(nearby.distance_km)), direction=DIRECTION_LABELS[nearby.direction])


def cluster_feature(cluster) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(cluster.lon, 5), round(cluster.lat, 5)]},
        "bbox": [round(v, 5) for v in cluster.bbox],
        "properties": {"cluster": True, "count": cluster.count},
    }


def status_label(status) -> str:
    """ "on the map", "waiting for approval": a listing's status in the reader's language."""
    return str(STATUS_LABELS.get(str(status), status))
