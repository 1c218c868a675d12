"""Host pages: dashboard, submit, claim, edit details and terms, confirm terms, report a listing."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from visa.accounts.models import SpaceHost
from visa.accounts.permissions import require
from visa.directory.models import Space
from visa.directory.presenters import PRECISION_LABELS, is_stale, status_label
from visa.directory.services import EditConflict, changes_since, confirm_terms, update_space, update_terms
from visa.directory.terms_form import TermsForm
from visa.extensions import db, limiter
from visa.geo.boundaries import CoordinateError
from visa.hosts.forms import ButtonForm, ReportForm, SpaceForm
from visa.hosts.services import claim_space, locate, submit_space
from visa.l10n import coordinate_problem
from visa.moderation.models import Report, ReportKind

bp = Blueprint("hosts", __name__)


def _space_or_404(slug: str) -> Space:
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        abort(404)
    return space


@bp.get("/host")
@login_required
def dashboard():
    links = db.session.scalars(sa.select(SpaceHost).where(SpaceHost.user_id == current_user.id)).all()
    spaces = {s.id: s for s in db.session.scalars(
        sa.select(Space).where(Space.id.in_([link.space_id for link in links]))).unique()}
    rows = [(spaces[link.space_id], link.is_confirmed) for link in links if link.space_id in spaces]
    return render_template("hosts/dashboard.html", rows=rows, is_stale=is_stale, status_label=status_label,
                           button=ButtonForm())


@bp.route("/host/spaces/new", methods=["GET", "POST"])
@login_required
def new_space():
    require("submit_space")
    form = SpaceForm()
    if form.validate_on_submit() and locate(form):
        space = submit_space(form)
        db.session.commit()
        flash(_("Thank you: “%(name)s” waits for an admin's approval. Now set its visa terms.", name=space.name))
        return redirect(url_for("hosts.edit_terms", slug=space.slug))
    return _space_form_page(form, None, None), 400 if request.method == "POST" else 200


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
    if form.validate_on_submit() and locate(form, exclude_id=space.id):
        try:
            conflict = _save(space, version,
                             lambda: update_space(space, form.space_fields(), current_user.id, version))
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
    version = space.lock_version if request.method == "GET" else _posted_version()
    conflict = None
    if form.validate_on_submit():
        conflict = _save(space, version, lambda: update_terms(space, form.apply_to, current_user.id, version))
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
        flash(_("Not confirmed: the terms of “%(name)s” changed since you opened this page. Check them, then "
                "confirm again.", name=space.name))
        return redirect(url_for("hosts.edit_terms", slug=space.slug))
    flash(_("Thank you: the terms of “%(name)s” are confirmed as of today.", name=space.name))
    return redirect(url_for("hosts.dashboard"))


@bp.post("/spaces/<slug>/claim")
@login_required
def claim(slug: str):
    space = _space_or_404(slug)
    require("claim_space", space)
    if not ButtonForm().validate_on_submit():
        abort(400)
    claim_space(space)
    db.session.commit()
    flash(_("Your claim on “%(name)s” waits for an admin.", name=space.name))
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
        db.session.add(Report(space_id=space.id, kind=ReportKind(form.kind.data), message=form.message.data,
                              reporter_email=form.reporter_email.data or ""))
        db.session.commit()
        flash(_("Thank you: the network's admins will look into it."))
        return redirect(url_for("directory.space_page", slug=space.slug))
    return render_template("hosts/report.html", form=form, space=space), 400
