"""How spaces and their terms read to people, and as GeoJSON.

Texts go through Flask-Babel so the pages and the API speak the visitor's
language once translations exist. Everything returned is plain text: templates
and scripts escape it where it is shown.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext

from visa.directory.models import WEEKDAY_BITS, Space, VisaTerms
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
REQUEST_LABELS = {"email": lazy_gettext("email"), "form": lazy_gettext("use the form"), "phone": lazy_gettext("phone")}
#: Terms not confirmed for this long are shown as possibly out of date.
STALE_AFTER = timedelta(days=365)


def notice_text(hours: int) -> str:
    if hours <= 0:
        return _("no notice needed")
    if hours > 72 and hours % 24 == 0:  # "48 h ahead" reads better than "2 days" for short notice
        return ngettext("%(num)d day ahead", "%(num)d days ahead", hours // 24)
    return ngettext("%(num)d h ahead", "%(num)d h ahead", hours)


def headline(terms: VisaTerms | None) -> str:
    """One line for lists and popups: "3 free days · email 48 h ahead"."""
    if terms is None or not terms.is_participating:
        return _("Not hosting visa visitors at the moment")
    days = ngettext("%(num)d free day", "%(num)d free days", terms.free_days_per_visit)
    how = str(REQUEST_LABELS.get(terms.request_method.value, terms.request_method.value))
    if terms.advance_notice_hours <= 0:
        return f"{days} · {how}, {notice_text(0)}"
    return f"{days} · {how} {notice_text(terms.advance_notice_hours)}"


def weekdays_text(mask: int) -> str:
    return ", ".join(str(label) for key, label in WEEKDAY_LABELS.items() if mask & WEEKDAY_BITS[key])


def is_stale(space: Space, now: datetime | None = None) -> bool:
    confirmed = space.terms_confirmed_at
    if confirmed is None:
        return True
    if confirmed.tzinfo is None:  # SQLite returns naive datetimes; they are stored as UTC
        from datetime import UTC
        confirmed = confirmed.replace(tzinfo=UTC)
    return (now or utcnow()) - confirmed > STALE_AFTER


def terms_dict(terms: VisaTerms) -> dict:
    return {
        "participates": terms.is_participating,
        "free_days_per_visit": terms.free_days_per_visit,
        "free_days_per_month": terms.free_days_per_month,
        "free_days_per_year": terms.free_days_per_year,
        "advance_notice_hours": terms.advance_notice_hours,
        "request_method": terms.request_method.value,
        "request_contact": terms.request_contact,
        "membership_proof_required": terms.requires_membership_proof,
        "weekdays": [key for key, bit in WEEKDAY_BITS.items() if terms.weekdays & bit],
        "season": ({"start": terms.season_start.strftime("%m-%d"), "end": terms.season_end.strftime("%m-%d")}
                   if terms.season_start and terms.season_end else None),
        "blackout_dates": terms.blackout_dates or [],
        "capacity_per_day": terms.capacity_per_day,
        "exclusions": {
            "min_distance_km": terms.min_distance_km,
            "same_city": terms.excludes_same_city,
            "spaces": [s.slug for s in terms.excluded_spaces],
        },
        "reciprocal_only": terms.is_reciprocal_only,
        "notes": terms.notes,
    }


def feature(space: Space, distance_km: float | None = None, full: bool = False) -> dict:
    """The space as a GeoJSON Feature ([longitude, latitude], RFC 7946)."""
    props = {
        "slug": space.slug,
        "name": space.name,
        "city": space.city,
        "country": space.country_code,
        "headline": headline(space.terms),
        "free_days_per_visit": space.terms.free_days_per_visit if space.terms else None,
        "precision": space.geocode_precision,
        "url": url_for("directory.space_page", slug=space.slug),
        "is_demo": space.is_demo,
        "terms_stale": is_stale(space),
        "terms_confirmed_on": space.terms_confirmed_at.date().isoformat() if space.terms_confirmed_at else None,
    }
    if distance_km is not None:
        props["distance_km"] = round(distance_km, 2)
    if full:
        props.update({
            "address": {"line1": space.address_line1, "line2": space.address_line2, "city": space.city,
                        "region": space.region, "postcode": space.postcode, "country": space.country_code},
            "website": space.website, "email": space.email, "phone": space.phone,
            "timezone": space.timezone, "geocode_source": space.geocode_source,
            "terms_confirmed_at": space.terms_confirmed_at.isoformat() if space.terms_confirmed_at else None,
            "terms": terms_dict(space.terms) if space.terms else None,
        })
    return {
        "type": "Feature",
        "id": space.slug,
        "geometry": {"type": "Point", "coordinates": [round(space.longitude, 6), round(space.latitude, 6)]},
        "properties": props,
    }


def cluster_feature(cluster) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(cluster.lon, 5), round(cluster.lat, 5)]},
        "bbox": [round(v, 5) for v in cluster.bbox],
        "properties": {"cluster": True, "count": cluster.count},
    }
