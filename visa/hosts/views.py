"""Host pages: dashboard, submit, claim, edit details and terms, confirm terms, report a listing."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from visa.accounts.permissions import is_host_of, require
from visa.directory.models import Space
from visa.directory.presenters import PRECISION_LABELS, is_stale, stale_text
from visa.directory.services import EditConflict, changes_since, confirm_terms, update_space, update_terms
from visa.directory.terms_form import TermsForm
from visa.extensions import db, limiter
from visa.geo.boundaries import CoordinateError
from visa.hosts.forms import ReportForm, SpaceForm
from visa.hosts.listings import listings_of, tell_hosts_of_report
from visa.hosts.services import AddressNotFound, LikelyDuplicate, claim_space, place_listing, submit_space
from visa.l10n import coordinate_problem, isolate
from visa.moderation.models import Report, ReportKind
from visa.moderation.words import STATUS_NEXT, status_label
from visa.web.forms import ButtonForm

bp = Blueprint("hosts", __name__)


def _space_or_404(slug: str) -> Space:
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        abort(404)
    return space


#: Where features above this one register their dashboard panels: name -> a function returning what the panel's
#: template shows (passes: visa/passes/feature.py), called by the view so that no template reads the database.
DASHBOARD_PANELS = "visa.host_dashboard_panels"


@bp.get("/host")
@login_required
def dashboard():
    panels = {name: make() for name, make in current_app.extensions.get(DASHBOARD_PANELS, {}).items()}
    return render_template("hosts/dashboard.html", rows=listings_of(current_user.id), is_stale=is_stale,
                           stale_text=stale_text, button=ButtonForm(), status_label=status_label,
                           status_next=STATUS_NEXT, panels=panels)


@bp.app_template_global()
def hosts_listing(space: Space) -> bool:
    """Does the signed-in user keep (or claim) *space*? Such a user is offered Edit, never "claim"."""
    return current_user.is_authenticated and is_host_of(current_user, space.id, confirmed=False)


@bp.route("/host/spaces/new", methods=["GET", "POST"])
@login_required
def new_space():
    require("submit_space")
    form = SpaceForm()
    if form.validate_on_submit() and (fields := _placed(form)) is not None:
        space = submit_space(fields, current_user.id)
        db.session.commit()
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it.
        flash(_("Thank you: “%(name)s” waits for an admin's approval. Now set its visa terms.", name=isolate(space.name)))
        return redirect(url_for("hosts.edit_terms", slug=space.slug))
    return _space_form_page(form, None, None), 400 if request.method == "POST" else 200


def _placed(form: SpaceForm, exclude_id: int | None = None) -> dict | None:
    """The form's listing with its point placed and checked, or None with the reason on the form."""
    try:
        fields = place_listing(form.space_fields(), exclude_id, allow_duplicate=form.not_duplicate.data)
    except AddressNotFound:
        form.address_line1.errors.append(_("We could not place this address. Drag the pin on the map to your space."))
        return None
    except CoordinateError as err:
        form.latitude.errors.append(coordinate_problem(err))
        return None
    except LikelyDuplicate as found:
        _show_pin(form, found.fields)
        form.duplicates = found.twins
        form.name.errors.append(
            # Translators: %(name)s is the name of the space already listed near the
            # one being submitted.
            _("“%(name)s” is already listed a few steps away. Claim it instead, or tick the box below "
              "if yours is a different space.", name=found.twins[0].name))
        return None
    _show_pin(form, fields)
    return fields


def _show_pin(form: SpaceForm, fields: dict) -> None:
    """Put the pin where the address was placed (the page shows it, a second save keeps it)."""
    form.latitude.data, form.longitude.data = fields["latitude"], fields["longitude"]
    form.geocode_precision.data = fields["geocode_precision"]


def _space_form_page(form: SpaceForm, space: Space | None, conflict: dict | None) -> str:
    return render_template("hosts/space_form.html", form=form, space=space, conflict=conflict,
                           precision_labels=PRECISION_LABELS,
                           precision_labels_json={k: str(v) for k, v in PRECISION_LABELS.items()})


@bp.route("/spaces/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_space(slug: str):
    space = _space_or_404(slug)
    require("edit_space", space)
    form = SpaceForm(obj=space if request.method == "GET" else None)
    if request.method == "GET":
        form.lock_version.data = space.lock_version
    version = _posted_version()
    conflict = None
    if form.validate_on_submit() and (fields := _placed(form, exclude_id=space.id)) is not None:
        try:
            conflict = _save(space, version, lambda: update_space(space, fields, current_user.id, version))
        except CoordinateError as err:
            db.session.rollback()
            form.latitude.errors.append(coordinate_problem(err))
        else:
            if conflict is None:
                flash(_("Saved."))
                return redirect(url_for("hosts.dashboard"))
            form.lock_version.data = space.lock_version  # saving again means over what is there now
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return _space_form_page(form, space, conflict), status


def _posted_version() -> int | None:
    """The ``lock_version`` an edit form was loaded with; every save must say which version it changes.

    :raise 400: on a POST without one (saving blindly would silently overwrite someone else's save).
    """
    if request.method != "POST":
        return None
    raw = request.form.get("lock_version", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):  # isdigit alone takes "²"
        abort(400, description=_("This form does not say which version of the space it changes. "
                                 "Reload the page, then save again."))
    return int(raw)


def _save(space: Space, version: int, edit: Callable[[], object]) -> dict | None:
    """Run *edit* and commit; None when saved, else what others saved since *version* (nothing is saved)."""
    space_id = space.id
    try:
        edit()
        db.session.commit()
    except EditConflict as err:
        db.session.rollback()
        return err.changes
    except StaleDataError:
        # Several saves passed the early check together; the database let one UPDATE of this version through.
        db.session.rollback()
        return changes_since(db.session.get(Space, space_id), version)
    return None


@bp.route("/spaces/<slug>/terms", methods=["GET", "POST"])
@login_required
def edit_terms(slug: str):
    space = _space_or_404(slug)
    require("edit_space", space)
    form = TermsForm.from_terms(space.terms) if request.method == "GET" else TermsForm()
    if request.method == "GET" and not form.request_contact.data and space.email:
        form.request_contact.data = space.email  # the listing's own address is the likely answer
    version = space.lock_version if request.method == "GET" else _posted_version()
    conflict = None
    if form.validate_on_submit():
        conflict = _save(space, version, lambda: update_terms(space, form.values(), current_user.id, version))
        if conflict is None:
            flash(_("Visa terms saved and confirmed as of today."))
            return redirect(url_for("hosts.dashboard"))
        version = space.lock_version  # saving again means over what is there now
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render_template("hosts/terms_form.html", form=form, space=space, version=version,
                           conflict=conflict), status


@bp.post("/spaces/<slug>/confirm")
@login_required
def confirm(slug: str):
    space = _space_or_404(slug)
    require("edit_space", space)
    if not ButtonForm().validate_on_submit():
        abort(400)
    version = _posted_version()
    if _save(space, version, lambda: confirm_terms(space, current_user.id, version)) is not None:
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it.
        flash(_("Not confirmed: the terms of “%(name)s” changed since you opened this page. Check them, then "
                "confirm again.", name=isolate(space.name)))
        return redirect(url_for("hosts.edit_terms", slug=space.slug))
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Thank you: the terms of “%(name)s” are confirmed as of today.", name=isolate(space.name)))
    return redirect(url_for("hosts.dashboard"))


@bp.post("/spaces/<slug>/claim")
@login_required
def claim(slug: str):
    space = _space_or_404(slug)
    require("claim_space", space)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if hosts_listing(space):  # admins may claim anything, but not what they keep already
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it.
        flash(_("You already keep “%(name)s”.", name=isolate(space.name)))
        return redirect(url_for("hosts.dashboard"))
    claim_space(space.id, current_user.id)
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it: the host's claim to take over its listing (not a visit
    # request).
    flash(_("Your claim on “%(name)s” waits for an admin.", name=isolate(space.name)))
    return redirect(url_for("hosts.dashboard"))


def _report_limit() -> str:
    return current_app.config["VISA_REPORT_LIMIT"]


@bp.post("/spaces/<slug>/report")
@limiter.limit(_report_limit)
def report(slug: str):
    space = _space_or_404(slug)
    require("report", space)
    form = ReportForm()
    if form.validate_on_submit():
        report = Report(space_id=space.id, kind=ReportKind(form.kind.data), message=form.message.data,
                        reporter_email=form.reporter_email.data or "")
        db.session.add(report)
        tell_hosts_of_report(space, report)
        db.session.commit()
        flash(_("Thank you: the network's admins will look into it."))
        return redirect(url_for("directory.space_page", slug=space.slug))
    return render_template("hosts/report.html", form=form, space=space), 400
