"""Admin pages: the moderation queue, the revision feed with revert, staleness, import and export."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from visa import emails
from visa.accounts.permissions import require
from visa.accounts.services import lookalike_accounts
from visa.directory.models import Space
from visa.directory.presenters import PRECISION_LABELS
from visa.directory.revisions import Revision
from visa.directory.services import revert
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.l10n import country_name, isolate, say
from visa.maps.builder import base_map, render
from visa.moderation import decisions, feed, services
from visa.moderation import queue as queue_items
from visa.moderation.exporter import export_csv, export_geojson
from visa.moderation.import_lock import ImportRunning, import_lock
from visa.moderation.importer import import_file
from visa.moderation.merging import MergeError, merge_spaces
from visa.moderation.models import Report
from visa.moderation.overview import overview, soon_stale_spaces
from visa.moderation.revision_words import describe
from visa.moderation.timeline import timeline
from visa.moderation.words import import_summary, moment_label, report_kind_label, status_label, timezone_name
from visa.photos.forms import TakeDownForm
from visa.photos.queue import photo_items
from visa.redirects import safe_next
from visa.request_checks import page_number
from visa.web.forms import ButtonForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the host)"), validators=[DataRequired(), Length(max=2000)])


class BulkForm(FlaskForm):
    """Several listings at once: the checked ones, one action, one CSRF token."""

    space_ids = SelectMultipleField(_l("Listings"), coerce=int, validate_choice=False)
    action = SelectField(_l("Action"), choices=[SelectChoice("approve", _l("Approve the checked listings")),
                                                SelectChoice("suspend", _l("Suspend the checked listings"))])
    reason = TextAreaField(_l("Reason for a suspension (sent to the hosts)"), validators=[Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or GeoJSON file"),
                     validators=[FileRequired(), FileAllowed(["csv", "geojson", "json"],
                                                             _l("Choose a .csv, .geojson or .json file."))])
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
    pending = queue_items.pending_items()
    reports = queue_items.report_items()
    config = current_app.config
    maps = {item.space.id: render(base_map((item.space.latitude, item.space.longitude), 12, config["VISA_TILE_URL"],
                                           config["VISA_TILE_ATTRIBUTION"], height="220px")) for item in pending}
    return render_template("admin/queue.html", pending=pending, claims=services.pending_claims(), reports=reports,
                           photos=photo_items(), take_down=TakeDownForm(formdata=None),
                           maps=maps, button=ButtonForm(), bulk=BulkForm(formdata=None),
                           precision_labels=PRECISION_LABELS, **WORDS)


#: The word helpers admin pages use instead of codes.
WORDS = {"status_label": status_label, "report_kind_label": report_kind_label, "moment_label": moment_label}


@bp.post("/bulk")
def bulk():
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.space_ids.data:
        flash(_("Check at least one listing."))
        return redirect(url_for("admin.queue")), 303
    try:
        done = decisions.bulk(form.space_ids.data, form.action.data, current_user, form.reason.data or "")
    except ValueError:
        flash(_("Give a reason for the suspension: it is sent to the hosts."))
        return redirect(url_for("admin.queue")), 303
    db.session.commit()
    if form.action.data == "approve":
        # Translators: %(num)d is the number of listings approved.
        flash(ngettext("Approved %(num)d listing.", "Approved %(num)d listings.", len(done)))
    else:
        # Translators: %(num)d is the number of listings suspended.
        flash(ngettext("Suspended %(num)d listing.", "Suspended %(num)d listings.", len(done)))
    return redirect(safe_next(request.form.get("next"), url_for("admin.queue")))


@bp.post("/spaces/<int:space_id>/ask")
def ask_for_changes(space_id: int):
    space = _space(space_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Say what the host should change."))
        return redirect(url_for("admin.queue")), 303
    decisions.ask_for_changes(space, current_user.id, form.reason.data)
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Asked the host of “%(name)s” for changes; the listing keeps waiting.", name=isolate(space.name)))
    return redirect(url_for("admin.queue"))


@bp.get("/overview")
def overview_page():
    return render_template("admin/overview.html", overview=overview(), soon=soon_stale_spaces(limit=20),
                           lookalikes=lookalike_accounts(), spelled=emails.spelled, country_name=country_name,
                           **WORDS)


@bp.get("/spaces/<int:space_id>")
def timeline_page(space_id: int):
    space = _space(space_id)
    return render_template("admin/timeline.html", space=space, events=timeline(space), button=ButtonForm(),
                           timezone=timezone_name(), **WORDS)


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
    services.approve(space, current_user.id)
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Approved “%(name)s”.", name=isolate(space.name)))
    return redirect(url_for("admin.queue"))


@bp.post("/spaces/<int:space_id>/<any(reject, suspend):action>")
def reject_or_suspend(space_id: int, action: str):
    space = _space(space_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason: it is sent to the host."))
        return redirect(url_for("admin.queue")), 303
    (services.reject if action == "reject" else services.suspend)(space, current_user.id, form.reason.data)
    db.session.commit()
    if action == "reject":
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it.
        flash(_("Rejected “%(name)s”; the host is told why.", name=isolate(space.name)))
    else:
        # Translators: %(name)s is the name of a coworking space, as its host
        # wrote it.
        flash(_("Suspended “%(name)s”; the host is told why.", name=isolate(space.name)))
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
    services.resolve_report(report, current_user.id, form.reason.data)
    db.session.commit()
    return redirect(url_for("admin.queue"))


@bp.get("/revisions")
def revisions():
    page = page_number()
    filters = {key: (request.args.get(key) or "").strip()[:254] for key in ("listing", "person", "kind")}
    rows = feed.revisions(page, slug=filters["listing"], email=filters["person"], kind=filters["kind"])
    return render_template("admin/revisions.html", revisions=[describe(r) for r in rows], page=page,
                           page_size=feed.PAGE_SIZE, filters=filters, kinds=feed.FILTER_KINDS,
                           timezone=timezone_name())


@bp.route("/revisions/<int:revision_id>/revert", methods=["GET", "POST"])
def revert_revision(revision_id: int):
    """GET shows what the revert will change and asks to confirm; POST reverts."""
    revision = db.session.get(Revision, revision_id) or abort(404)
    if not feed.revisable(revision):
        flash(_("This revision cannot be reverted: it was reverted already, or changed no field."))
        return redirect(url_for("admin.revisions"))
    if request.method == "GET":
        takes_off, changes = feed.revert_preview(revision)
        return render_template("admin/revert.html", words=describe(revision), takes_off=takes_off,
                               changes=changes, button=ButtonForm())
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        revert(revision, current_user.id)
    except CoordinateError as err:
        db.session.rollback()  # the service had already put the old fields back: none of them stays
        # Translators: %(message)s says why the change cannot be reverted (a
        # translated sentence).
        flash(_("Not reverted: %(message)s", message=say(err)))
        return redirect(url_for("admin.revisions"))
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Reverted: “%(name)s” is back as it was before that change.", name=isolate(revision.space.name)))
    return redirect(url_for("admin.timeline_page", space_id=revision.space_id))


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
                form.merged.errors.append(say(err.message))
            else:
                db.session.commit()
                # Translators: %(merged)s is the name of the listing merged away; %(keep)s
                # the name of the listing kept. Say “merged into”, never “next to”.
                flash(_("Merged “%(merged)s” into “%(keep)s”; both histories are kept.", merged=isolate(merged.name),
                        keep=isolate(keep.name)))
                return redirect(url_for("admin.revisions"))
    return render_template("admin/merge.html", form=form), 400 if form.errors else 200


@bp.get("/stale")
def stale():
    return render_template("admin/stale.html", spaces=services.stale_spaces(), soon=soon_stale_spaces(),
                           bulk=BulkForm(formdata=None))


@bp.route("/import", methods=["GET", "POST"])
def import_page():
    require("import")
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            with import_lock(current_user.email, upload.filename or ""):
                report = import_file(upload.stream, upload.filename, dry_run=form.dry_run.data,
                                     user_id=current_user.id)
                if form.dry_run.data or report.file_error:
                    db.session.rollback()
                else:
                    db.session.commit()
        except ImportRunning as running:
            # Translators: %(who)s is the e-mail address of the admin (or the command)
            # that started the import; %(when)s a date and time written by Babel.
            form.file.errors = [*form.file.errors, _(
                "An import is running, started by %(who)s at %(when)s. Try again when it has finished.",
                who=running.started_by, when=moment_label(running.started_at))]
            return render_template("admin/import.html", form=form, report=None, summary=""), 409
        if report.file_error:  # a file that cannot be read is the upload field's error, not a report
            # Translators: %(reason)s says why the file was refused (a translated
            # phrase).
            form.file.errors = [*form.file.errors, _("This file was not imported: %(reason)s",
                                                     reason=say(report.file_error.reason))]
            report = None
    return (render_template("admin/import.html", form=form, report=report,
                            summary=import_summary(report) if report else ""), 400 if form.errors else 200)


@bp.get("/export.<any(geojson, csv):fmt>")
def export(fmt: str):
    require("export")
    demo = request.args.get("demo") != "0"  # ?demo=0 leaves the demo listings out
    body, mimetype = ((export_geojson(include_demo=demo), "application/geo+json") if fmt == "geojson"
                      else (export_csv(include_demo=demo), "text/csv"))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="coworking-visa-registry.{fmt}"'})
