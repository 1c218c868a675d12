"""Admin pages: the moderation queue, the revision feed with revert, staleness, import and export."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from visa.accounts.permissions import require
from visa.directory.models import Space, SpaceStatus
from visa.directory.services import revert
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.hosts.forms import ButtonForm
from visa.moderation import services
from visa.moderation.exporter import export_csv, export_geojson
from visa.moderation.importer import import_file
from visa.moderation.merging import MergeError, merge_spaces
from visa.moderation.models import Report, Revision
from visa.request_checks import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the host)"), validators=[DataRequired(), Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or GeoJSON file"), validators=[FileRequired(), FileAllowed(["csv", "geojson", "json"])])
    dry_run = BooleanField(_l("Dry run: report only, change nothing"), default=True)


class MergeForm(FlaskForm):
    merged = StringField(_l("Listing to merge away (its address: the slug in /spaces/SLUG)"),
                         validators=[DataRequired(), Length(max=120)])
    keep = StringField(_l("Listing to keep (slug)"), validators=[DataRequired(), Length(max=120)])


@bp.before_request
@login_required
def _admins_only():
    require("moderate")


@bp.get("/")
def queue():
    pending = db.session.scalars(sa.select(Space).where(Space.status == SpaceStatus.PENDING)
                                 .order_by(Space.created_at)).unique().all()
    reports = services.open_reports()
    flagged = sorted({r.space_id for r in reports})
    return render_template("admin/queue.html", pending=pending, claims=services.pending_claims(), reports=reports,
                           flagged=flagged, button=ButtonForm(), reason=ReasonForm(formdata=None))


def _space(space_id: int) -> Space:
    space = db.session.get(Space, space_id)
    if space is None:
        abort(404)
    return space


@bp.post("/spaces/<int:space_id>/approve")
def approve(space_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    space = _space(space_id)
    services.approve(space, current_user)
    db.session.commit()
    flash(_("Approved “%(name)s”.", name=space.name))
    return redirect(url_for("admin.queue"))


@bp.post("/spaces/<int:space_id>/<any(reject, suspend):action>")
def reject_or_suspend(space_id: int, action: str):
    space = _space(space_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason: it is sent to the host."))
        return redirect(url_for("admin.queue")), 303
    (services.reject if action == "reject" else services.suspend)(space, current_user, form.reason.data)
    db.session.commit()
    if action == "reject":
        flash(_("Rejected “%(name)s”; the host is told why.", name=space.name))
    else:
        flash(_("Suspended “%(name)s”; the host is told why.", name=space.name))
    return redirect(url_for("admin.queue"))


@bp.post("/claims/<int:space_id>/<int:user_id>/<any(accept, refuse):action>")
def claim(space_id: int, user_id: int, action: str):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if services.decide_claim(space_id, user_id, action == "accept") is None:
        abort(404)
    db.session.commit()
    return redirect(url_for("admin.queue"))


@bp.post("/reports/<int:report_id>/resolve")
def resolve(report_id: int):
    report = db.session.get(Report, report_id) or abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Say how the report was resolved."))
        return redirect(url_for("admin.queue")), 303
    services.resolve_report(report, current_user, form.reason.data)
    db.session.commit()
    return redirect(url_for("admin.queue"))


@bp.get("/revisions")
def revisions():
    page = page_number()
    rows = db.session.scalars(sa.select(Revision).order_by(Revision.id.desc()).offset((page - 1) * 50).limit(50)).all()
    return render_template("admin/revisions.html", revisions=rows, page=page, button=ButtonForm())


@bp.post("/revisions/<int:revision_id>/revert")
def revert_revision(revision_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    revision = db.session.get(Revision, revision_id) or abort(404)
    try:
        revert(revision, current_user.id)
    except CoordinateError as err:
        flash(_("Not reverted: %(message)s", message=err.message))
        return redirect(url_for("admin.revisions"))
    db.session.commit()
    flash(_("Reverted revision %(revision_id)s.", revision_id=revision_id))
    return redirect(url_for("admin.revisions"))


@bp.route("/merge", methods=["GET", "POST"])
def merge():
    """Two listings of one space become one; both keep their revisions (visa.moderation.merging)."""
    form = MergeForm()
    if form.validate_on_submit():
        by_slug = {s.slug: s for s in db.session.scalars(
            sa.select(Space).where(Space.slug.in_([form.keep.data.strip(), form.merged.data.strip()]))).unique()}
        keep, merged = by_slug.get(form.keep.data.strip()), by_slug.get(form.merged.data.strip())
        if keep is None:
            form.keep.errors.append(_("No listing has this address."))
        if merged is None:
            form.merged.errors.append(_("No listing has this address."))
        if keep is not None and merged is not None:
            try:
                merge_spaces(keep, merged, current_user.id)
            except MergeError as err:
                form.merged.errors.append(str(err))
            else:
                db.session.commit()
                flash(_("Merged “%(merged)s” into “%(keep)s”; both histories are kept.", merged=merged.name,
                        keep=keep.name))
                return redirect(url_for("admin.revisions"))
    return render_template("admin/merge.html", form=form), 400 if form.errors else 200


@bp.get("/stale")
def stale():
    return render_template("admin/stale.html", spaces=services.stale_spaces())


@bp.route("/import", methods=["GET", "POST"])
def import_page():
    require("import")
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = import_file(upload.stream, upload.filename, dry_run=form.dry_run.data, user_id=current_user.id)
        if form.dry_run.data or report.file_error:
            db.session.rollback()
        else:
            db.session.commit()
        if report.file_error:  # a file that cannot be read is the upload field's error, not a report
            form.file.errors = [*form.file.errors, _("This file was not imported: %(reason)s",
                                                     reason=report.file_error.reason)]
            report = None
    return render_template("admin/import.html", form=form, report=report), 400 if form.errors else 200


@bp.get("/export.<any(geojson, csv):fmt>")
def export(fmt: str):
    require("export")
    body, mimetype = (export_geojson(), "application/geo+json") if fmt == "geojson" else (export_csv(), "text/csv")
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="coworking-visa-registry.{fmt}"'})
