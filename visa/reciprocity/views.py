"""Traveller pages for reciprocity: choosing a home space, the trip planner, a space's network reach."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from visa.directory import search
from visa.directory.models import Space
from visa.directory.presenters import headline
from visa.extensions import csrf
from visa.geocoding.local_names import reader_label, suggested_places
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode
from visa.i18n import once_per_locale, reads_no_cookie
from visa.l10n import address_label, deadline_label, isolate
from visa.maps.feature import page_map
from visa.rate_limits import limit_geocoding
from visa.reciprocity.forms import ForgetHomeForm, HomeForm, TripForm, trip_places
from visa.reciprocity.home import HOME_KEY, current_home, home_as_read, read_home_unmarked
from visa.reciprocity.ics import trip_calendar
from visa.reciprocity.presenters import condition_text, summary
from visa.reciprocity.service import find_home, home_candidates, network_reach
from visa.reciprocity.trips import Visit, chosen_options, participating_near, plan_stop, planned_visits
from visa.redirects import safe_next
from visa.wire.files import serves_files
from visa.wire.same_origin import is_same_origin
from visa.wire.session import carries_session_cookie

bp = Blueprint("reciprocity", __name__)

#: Rings drawn on the reach map; past this the list below it tells the rest.
MAX_RINGS = 500


@bp.app_context_processor
def _inject_home() -> dict:
    # A visitor without a session gets the header's home form without a token (visa/wire/same_origin.py):
    # a token would set a cookie on every page and make it vary on Cookie.
    # (Making a form with a token writes the token to the session, even if the page never shows the form.)
    if reads_no_cookie():  # an image or the embedded map: no header, and nothing read from the session
        return {}
    # No form objects: the header's forms are always empty, so their field is rendered once per locale
    # (home_field) and a reader with a session gets the token beside it (header_token).
    return {"current_home": home_as_read(), "header_token": carries_session_cookie(current_app),
            "home_field": home_field}


@bp.before_app_request
def _read_home() -> None:
    # The header's home space is read here, before the view, so that no page reads it while rendering; not for
    # the app's files (a page's scripts and styles would each read it again).
    if not serves_files(current_app, request.endpoint) and not reads_no_cookie():
        read_home_unmarked()


def home_field() -> Markup:
    """The header's home-space label and input in the reader's language, rendered once per locale and process."""
    def render() -> Markup:
        field = HomeForm(formdata=None, meta={"csrf": False}).home
        return Markup(f"{field.label(for_='home-input')} {field(id='home-input')}")

    return once_per_locale("visa.reciprocity.home_field", render)


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("directory.search_page"))


@bp.route("/home", methods=["GET", "POST"])
@csrf.exempt  # checked below: the token when sent, else the browser's word that the form is ours
def choose_home():
    token_less = request.method == "POST" and "csrf_token" not in request.form and is_same_origin()
    form = HomeForm(meta={"csrf": False}) if token_less else HomeForm()
    candidates = []
    if form.validate_on_submit():
        home = find_home(form.home.data)
        if home is not None:
            session[HOME_KEY] = home.slug
            # Translators: %(name)s is the name of the traveller's home space.
            flash(_("Your home space is now %(name)s.", name=isolate(home.name)))
            return redirect(_safe_next(request.form.get("next")))
        candidates = home_candidates(form.home.data)
        if sum(c.name.casefold() == form.home.data.strip().casefold() for c in candidates) > 1:
            # Translators: %(data)s is the name the traveller typed.
            message = _("Several listed spaces are called “%(data)s”. Which one is yours?", data=form.home.data)
        elif candidates:
            # Translators: %(data)s is the name the traveller typed.
            message = _("No listed space is called “%(data)s”. Did you mean one of these?", data=form.home.data)
        else:
            # Translators: %(data)s is the name the traveller typed.
            message = _("No listed space is called “%(data)s”. Check the spelling, or type its city to see "
                        "the spaces there on the map.", data=form.home.data)
        form.home.errors = [message]
    status = 400 if request.method == "POST" else 200
    return render_template("reciprocity/home.html", form=form, candidates=candidates,
                           next=request.values.get("next", "")), status


@bp.post("/home/forget")
def forget_home():
    if ForgetHomeForm().validate_on_submit():
        session.pop(HOME_KEY, None)
        return redirect(_safe_next(request.form.get("next")))
    abort(400, description=_("The form expired; reload the page and try again."))


def _plans(form: TripForm, home: Space | None):
    """A plan per stop that names a known place; an unknown place keeps its error and suggestions on the form.

    One unknown stop does not hide the others' spaces (a partial plan); None when no stop could be placed.
    Without a home space each stop lists the participating spaces near it.
    """
    located = []
    for stop in form.filled_stops():
        try:
            located.append((stop, geocode(stop.place.data)))
        except PlaceNotFound as missing:
            stop.place.errors = [_("No place called “%(query)s”.", query=missing.query)]
            stop.place.suggestions = [s["label"] for s in suggested_places(missing)]
    if not located:
        return None
    radius = form.radius_km.data or 25
    plan = participating_near if home is None else partial(plan_stop, home)
    return [plan(reader_label(place.label, place.geonameid, place.country, place.admin1_code), place.lat, place.lon,
                 stop.start.data, stop.end.data, radius) for stop, place in located]


def trip_home() -> Space | None:
    """The home space of a plan: the session's, else the ``home`` the shared link carries."""
    home = current_home()
    if home is None and request.args.get("home"):
        home = search.get_visible(request.args["home"])
    return home


def _trip_url(endpoint: str, home: Space | None, **extra) -> str:
    """This plan's URL for ``endpoint`` with the home space and the language in it, so the link works in any browser.

    A plan is read (and printed) in the language it was made in, whoever opens the link.
    """
    args = request.args.to_dict(flat=False)
    if home is not None:
        args["home"] = [home.slug]
    args["lang"] = [str(get_locale())]
    return url_for(endpoint, **args, **extra)


@bp.get("/trip")
@limit_geocoding(exempt_when=lambda: trip_places() == 0, cost=trip_places)
def trip():
    form = TripForm(request.args)
    home = trip_home()
    plans = None
    if request.args and form.check(date.today()):
        plans = _plans(form, home)
    if len(form.stops) < form.stops.max_entries and (not request.args or plans is not None):
        form.stops.append_entry()  # room for one more stop
    share_url = _trip_url("reciprocity.trip", home, _external=True) if plans else None
    chosen = {o.space.slug for o in chosen_options(plans, set(request.args.getlist("visit")))} if plans else set()
    # The calendar form repeats the plan's query and lets the traveller tick the spaces to add.
    ics_args = [(k, v) for k, values in request.args.lists() if k not in ("visit", "home") for v in values]
    if home is not None:
        ics_args.append(("home", home.slug))
    if "lang" not in request.args:
        ics_args.append(("lang", str(get_locale())))  # the calendar in the plan's language
    return render_template("reciprocity/trip.html", form=form, home=home, plans=plans, share_url=share_url,
                           chosen=chosen, ics_args=ics_args, home_from_link=home is not None and current_home() is None,
                           summary=summary, condition_text=condition_text, headline=headline)


@bp.get("/trip.ics")
@limit_geocoding(exempt_when=lambda: trip_places() == 0, cost=trip_places)
def trip_ics():
    form = TripForm(request.args)
    home = trip_home()
    if home is None or not form.check(date.today()):
        abort(400, description=_("Choose a home space and give valid stops first."))
    plans = _plans(form, home)
    if plans is None:
        abort(400, description=_("A stop names no known place."))

    def describe(space: Space) -> str:
        from visa.reciprocity.service import verdict

        v = verdict(home, space)
        return summary(v) + "\n" + url_for("directory.space_page", slug=space.slug, _external=True)

    def reminder(visit: Visit, deadline: datetime) -> str:
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it; %(deadline)s the date by which to write, with its weekday
        # (“Tuesday, November 10”). A calendar entry.
        text = _("Write to %(name)s by %(deadline)s", name=visit.space.name, deadline=deadline_label(deadline))
        return f"{text}: {visit.contact}" if visit.contact else text

    body = trip_calendar(planned_visits(plans, set(request.args.getlist("visit"))),
                         lambda s: url_for("directory.space_page", slug=s.slug, _external=True), describe,
                         # Translators: %(name)s is the name of a coworking space, as its host
                         # wrote it. A calendar entry's title.
                         reminder, address_label, lambda s: _("Coworking Visa: %(name)s", name=s.name))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="coworking-visa-trip.ics"'})


@bp.get("/spaces/<slug>/reach")
def reach(slug: str):
    space = search.get_visible(slug)
    if space is None:
        abort(404)
    found = network_reach(space)
    # Hosts honoring its members come from the API as markers; the homes it
    # hosts are drawn as rings, so both directions show on one map.
    rings = [{"lat": h.latitude, "lon": h.longitude, "name": h.name} for h in found.homes_hosted[:MAX_RINGS]]
    return render_template("reciprocity/reach.html", space=space, reach=found,
                           map=page_map((space.latitude, space.longitude), 3), rings=rings)
