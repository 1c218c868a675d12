"""Photo pages: a listing's photos for its hosts (upload, order, remove), the admins' decisions, travellers'
reports, and the published files themselves."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from visa.accounts.permissions import can, require
from visa.directory.models import Space
from visa.extensions import db, limiter
from visa.l10n import isolate, say
from visa.photos import services
from visa.photos.forms import PhotoForm, PhotoReportForm, TakeDownForm
from visa.photos.images import FILE_NAME, PhotoRefused, Processed, content_type_of, process
from visa.photos.models import MAX_PHOTOS, Photo
from visa.photos.presenters import gallery
from visa.photos.storage import PhotoStore
from visa.web.forms import ButtonForm

bp = Blueprint("photos", __name__)

#: A published file never changes (its name is its content's hash): caches may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def photo_store() -> PhotoStore:
    return current_app.extensions["visa.photo_store"]


def _space(slug: str) -> Space:
    return db.one_or_404(sa.select(Space).where(Space.slug == slug))


def _photo(slug: str, photo_id: int) -> Photo:
    """The photo *photo_id* of the listing *slug*; 404 when it is not that listing's."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.space.slug != slug:
        abort(404)
    return photo


@bp.route("/spaces/<slug>/photos", methods=["GET", "POST"])
@login_required
def manage(slug: str):
    """The listing's photos for its hosts and admins; a POST adds one (multipart ``photo``, ``alt``, ``caption``)."""
    space = _space(slug)
    require("edit_space", space)
    form = PhotoForm()
    if form.validate_on_submit() and (processed := _processed(form)) is not None:
        approved = can(current_user, "moderate")  # an admin's upload is shown at once
        try:
            services.add_photo(space, processed, form.alt.data, form.caption.data or "", str(get_locale() or "en"),
                               current_user.id, approved, photo_store())
        except services.PhotoError as err:
            form.photo.errors = [*form.photo.errors, say(err.message)]
        else:
            db.session.commit()
            flash(_("Photo added: travellers see it now.") if approved
                  else _("Photo added. Travellers will see it once a network admin approves it."))
            return redirect(url_for("photos.manage", slug=space.slug), 303)
    photos = services.photos_of(space.id)
    return render_template("photos/manage.html", space=space, form=form, photos=gallery(photos),
                           max_photos=MAX_PHOTOS, button=ButtonForm(), shown_at_once=can(current_user, "moderate")), (
        400 if form.errors else 200)


def _processed(form: PhotoForm) -> Processed | None:
    """The uploaded file checked and re-encoded, or None with the reason on the photo field."""
    try:
        return process(form.photo.data.read())
    except PhotoRefused as err:
        form.photo.errors = [*form.photo.errors, say(err.message)]
        return None


@bp.post("/spaces/<slug>/photos/<int:photo_id>/move")
@login_required
def move(slug: str, photo_id: int):
    photo = _photo(slug, photo_id)
    require("edit_space", photo.space)
    if not ButtonForm().validate_on_submit() or request.form.get("direction") not in ("earlier", "later"):
        abort(400)
    services.move_photo(photo, -1 if request.form["direction"] == "earlier" else 1, current_user.id)
    db.session.commit()
    return redirect(url_for("photos.manage", slug=slug, _anchor=f"photo-{photo_id}"), 303)


@bp.post("/spaces/<slug>/photos/<int:photo_id>/remove")
@login_required
def remove(slug: str, photo_id: int):
    photo = _photo(slug, photo_id)
    require("edit_space", photo.space)
    if not ButtonForm().validate_on_submit():
        abort(400)
    unused = services.remove_photo(photo, current_user.id)
    db.session.commit()
    services.delete_files(photo_store(), unused)
    flash(_("Photo removed."))
    return redirect(url_for("photos.manage", slug=slug), 303)


def _report_limit() -> str:
    return current_app.config["VISA_REPORT_LIMIT"]


@bp.route("/spaces/<slug>/photos/<int:photo_id>/report", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
def report(slug: str, photo_id: int):
    """A traveller asks the admins to look at a photo shown on a listing."""
    photo = _photo(slug, photo_id)
    require("report", photo.space)
    if not (photo.is_approved and photo.space.is_visible):
        abort(404)  # travellers never saw it
    form = PhotoReportForm()
    if form.validate_on_submit():
        services.report_photo(photo, form.message.data)
        db.session.commit()
        flash(_("Thank you: the network's admins will look at this photo."))
        return redirect(url_for("directory.space_page", slug=slug), 303)
    return render_template("photos/report.html", form=form, photo=gallery([photo])[0], space=photo.space), (
        400 if form.errors else 200)


def _decided(photo_id: int) -> Photo:
    require("moderate")
    return db.get_or_404(Photo, photo_id)


@bp.post("/admin/photos/<int:photo_id>/approve")
@login_required
def approve(photo_id: int):
    photo = _decided(photo_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.approve_photo(photo, current_user.id)
    db.session.commit()
    # Translators: %(name)s is the listing's name.
    flash(_("Photo of “%(name)s” approved.", name=isolate(photo.space.name)))
    return redirect(url_for("admin.queue", _anchor="photos-heading"), 303)


@bp.post("/admin/photos/<int:photo_id>/remove")
@login_required
def take_down(photo_id: int):
    """Refuse a photo that waits, or take down one that is shown (a report's answer), with a reason."""
    photo = _decided(photo_id)
    form = TakeDownForm()
    if not form.validate_on_submit():
        flash(_("Give a reason: it is kept in the listing's history."))
        return redirect(url_for("admin.queue", _anchor="photos-heading"), 303)
    name = photo.space.name
    unused = services.remove_photo(photo, current_user.id, note=form.reason.data)
    db.session.commit()
    services.delete_files(photo_store(), unused)
    # Translators: %(name)s is the listing's name.
    flash(_("Photo of “%(name)s” removed.", name=isolate(name)))
    return redirect(url_for("admin.queue", _anchor="photos-heading"), 303)


@bp.post("/admin/photos/<int:photo_id>/keep")
@login_required
def keep(photo_id: int):
    """The reports about a photo are read and the photo stays."""
    photo = _decided(photo_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.keep_photo(photo)
    db.session.commit()
    return redirect(url_for("admin.queue", _anchor="photos-heading"), 303)


@bp.get("/photos/<name>")
def file(name: str):
    """A published file: to anyone once its photo is approved on a listed space, else only to the listing's hosts
    and admins."""
    content_type = content_type_of(name)
    if content_type is None:
        abort(404)
    match = FILE_NAME.fullmatch(name)
    photos = db.session.scalars(sa.select(Photo).where(Photo.key == match["key"])).unique().all()
    if not any(int(match["width"]) in p.widths for p in photos):
        abort(404)
    public = any(p.is_approved and p.space.is_visible for p in photos)
    if not public and not any(can(current_user, "edit_space", p.space) for p in photos):
        abort(404)
    data = photo_store().get(name)
    if data is None:
        abort(404)
    response = Response(data, mimetype=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # One waiting for approval is its hosts' and the admins' only: kept by no shared cache.
    response.headers["Cache-Control"] = IMMUTABLE if public else "private, no-store"
    return response
