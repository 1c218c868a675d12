"""Pages of passes and visits: the member's card, the hosts' pass and visit lists, the door check,
the published keys (JWKS) and the revocation endpoint. Thin: the work is in services and visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import segno
import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from geodata import GeodataPaths
from visa.accounts.models import SpaceHost
from visa.accounts.permissions import can, require
from visa.directory.models import Space
from visa.extensions import db, limiter
from visa.i18n import current_catalog, language_choices, once_per_locale
from visa.l10n import isolate
from visa.passes import services, visits
from visa.passes.forms import AskPassForm, DoorForm, IssueForm, ReasonForm, VisitRequestForm
from visa.passes.models import Pass, PassStatus, RequestStatus, VisitRequest
from visa.passes.presenters import breach_text, pass_error_text, refused_line, status_label, valid_line, visit_error_text
from visa.passes.tokens import PassRefused
from visa.reciprocity.presenters import summary
from visa.reciprocity.service import verdict as reciprocity_verdict
from visa.redirects import safe_next
from visa.web.forms import ButtonForm

bp = Blueprint("passes", __name__)

#: The session key under which a member's browser holds the pass its card link opened.
SESSION_PASS = "visa_pass"


def today() -> date:
    return date.today()


def _space_or_404(slug: str) -> Space:
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        abort(404)
    return space


def _hosted_spaces(action: str) -> list[Space]:
    """The spaces the signed-in user may do *action* for (all their confirmed spaces; every space for nobody)."""
    ids = db.session.scalars(sa.select(SpaceHost.space_id).where(
        SpaceHost.user_id == current_user.id, SpaceHost.is_confirmed)).all()
    spaces = db.session.scalars(sa.select(Space).where(Space.id.in_(ids)).order_by(Space.name)).unique().all()
    return [s for s in spaces if can(current_user, action, s)]


# -- public: keys and revocation --------------------------------------------------------------------------


@bp.get("/.well-known/jwks.json")
def jwks():
    """The public keys that verify passes (RFC 7517), by ``kid``; old keys stay while passes they signed are valid."""
    response = jsonify(services.published_jwks(today()))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/passes/<pass_id>/status")
def pass_status(pass_id: str):
    """Revocation check: ``{"pass_id", "status": active|revoked|unknown, "revoked_at"}``, nothing personal."""
    info = services.pass_status(pass_id)
    response = jsonify(pass_id=info.pass_id, status=info.status, revoked_at=info.revoked_at)
    response.cache_control.no_store = True
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/vendor/jsQR.js")
def jsqr():
    """The QR decoder of the door check, fetched from the npm registry at build time (geodata/jsqr_build.py)."""
    path = GeodataPaths.at(current_app.config["VISA_GEODATA_DIR"]).jsqr
    return send_from_directory(path.parent, path.name, max_age=86400)


# -- the member ---------------------------------------------------------------------------------------


def session_pass() -> Pass | None:
    """The active pass this browser opened through its card link, if any."""
    pass_id = session.get(SESSION_PASS)
    p = db.session.get(Pass, pass_id) if pass_id else None
    return p if p is not None and p.status == PassStatus.ACTIVE else None


@bp.get("/pass/<secret>")
def card(secret: str):
    """The member's pass: card, QR code, token, their visit requests. Opening it lets this browser ask for visits,
    unless the browser holds another member's pass: then it asks first (:func:`use_pass`)."""
    p = services.pass_by_secret(secret)
    if p is None:
        abort(404)
    qr = held = None
    if p.status == PassStatus.ACTIVE and p.token:
        held = session_pass()
        if held is None or held.id == p.id:
            session[SESSION_PASS] = p.id
            held = None
        qr = segno.make(p.token, error="m").svg_data_uri(scale=4, border=4, light="#fff")  # quiet zone for cameras
    requests = db.session.scalars(sa.select(VisitRequest).where(VisitRequest.pass_id == p.id).order_by(
        VisitRequest.first_day.desc())).all()
    return render_template("passes/card.html", p=p, qr=qr, requests=requests, status_label=status_label,
                           forget_form=ReasonForm(), cancel_form=ButtonForm(), can_cancel=visits.can_cancel,
                           today=today(), secret=secret, held=held, switch_form=ButtonForm())


@bp.post("/pass/<secret>/use")
def use_pass(secret: str):
    """This browser holds this pass from now on: the member answered yes to "Continue as ...?"."""
    p = services.pass_by_secret(secret)
    if p is None or p.status != PassStatus.ACTIVE:
        abort(404)
    ButtonForm().validate_on_submit() or abort(400)
    session[SESSION_PASS] = p.id
    return redirect(url_for("passes.card", secret=secret))


@bp.post("/pass/<secret>/requests/<int:request_id>/cancel")
def cancel_visit(secret: str, request_id: int):
    """The member cancels one of their pass's requests from its page (the pass link is their credential: another
    pass's link finds no such request)."""
    p = services.pass_by_secret(secret)
    if p is None:
        abort(404)
    ButtonForm().validate_on_submit() or abort(400)
    try:
        r = visits.cancel_request(request_id, p.id, today())
    except visits.VisitError as err:
        db.session.rollback()  # let go of the host's lock at once
        if err.code == "not_found":
            abort(404)
        flash(visit_error_text(err))
    else:
        db.session.commit()
        # Translators: %(name)s is the name of the space the member asked to
        # visit.
        flash(_("Your request to %(name)s is cancelled, and its hosts are told.", name=isolate(r.host_space.name)))
    return redirect(url_for("passes.card", secret=secret) + "#my-requests")


@bp.post("/pass/leave")
def leave():
    """Forget the pass in this browser (a shared computer)."""
    ReasonForm().validate_on_submit() or abort(400)
    session.pop(SESSION_PASS, None)
    flash(_("This browser no longer holds your pass."))
    return redirect(url_for("directory.search_page"))


def _ask_limit() -> str:
    return current_app.config["VISA_PASS_REQUEST_LIMIT"]


@bp.post("/spaces/<slug>/ask-pass")
@limiter.limit(_ask_limit)
def ask_pass(slug: str):
    """A member of this space asks its hosts for a pass (limited per client: each request mails two people)."""
    space = _space_or_404(slug)
    form = AskPassForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors))
        return redirect(url_for("directory.space_page", slug=slug) + "#passes")
    try:
        services.request_pass(space.id, form.member_name.data, form.member_email.data, form.valid_from.data,
                              form.valid_to.data, form.message.data or "", language=str(get_locale()))
    except services.PassError as err:
        flash(pass_error_text(err.code))
    else:
        db.session.commit()
        # Translators: %(name)s is the name of the member's home space, which
        # issues passes.
        flash(_("Your request is sent to the hosts of %(name)s. We have e-mailed you the link where your pass "
                "will be once they approve it.", name=isolate(space.name)))
    return redirect(url_for("directory.space_page", slug=slug) + "#passes")


#: The flash category of a sent visit request: templates/passes/_space_box.html shows it instead of the form.
VISIT_SENT = "visit-sent"

#: Refusals about the days asked, shown next to the first day of the form; the others above the form.
DATE_REFUSALS = ("bad_dates", "outside_pass", "notice")


@bp.post("/spaces/<slug>/visit-requests")
def request_visit(slug: str):
    """Send the member's request; refused, the form again with the reasons next to the fields (and the days and
    message as typed)."""
    host = _space_or_404(slug)
    p = session_pass()
    if p is None:
        flash(_("Open the link of your pass first: it lets this browser ask for days."))
        return redirect(url_for("directory.space_page", slug=slug) + "#visit")
    form = VisitRequestForm()
    if form.validate_on_submit():
        try:
            visits.request_visit(p.id, host.id, form.first_day.data, form.last_day.data, form.message.data or "",
                                 today())
        except visits.VisitError as err:
            errors = form.first_day.errors if err.code in DATE_REFUSALS else form.form_errors
            errors.append(visit_error_text(err))
        else:
            db.session.commit()
            # Translators: %(name)s is the name of the space the member asked to
            # visit.
            # Said in the pass box, in place of the form, where the page opens (#visit); not at the page's top.
            flash(_("Your request is sent to %(name)s. You will get their answer by e-mail.", name=isolate(host.name)),
                  VISIT_SENT)
            return redirect(url_for("directory.space_page", slug=slug) + "#visit")
    return render_template("passes/visit_request.html", space=host, p=p, form=form), 400


# -- hosts: passes ----------------------------------------------------------------------------------


def _issue_form(spaces: list[Space]) -> IssueForm:
    """The issue form over these home spaces; the member's language is the page's until the host picks another."""
    form = IssueForm(language=current_catalog())
    form.home_space_id.choices = [(s.id, isolate(s.name)) for s in spaces]  # an <option> holds no <bdi>
    form.language.choices = language_choices()
    return form


@bp.get("/host/passes")
@login_required
def host_passes():
    spaces = _hosted_spaces("manage_passes")
    form = _issue_form(spaces)
    passes = db.session.scalars(sa.select(Pass).where(Pass.home_space_id.in_([s.id for s in spaces])).order_by(
        Pass.created_at.desc())).all()
    return render_template("passes/host_passes.html", spaces=spaces, form=form, passes=passes,
                           reason_form=ReasonForm(), status_label=status_label, PassStatus=PassStatus)


@bp.post("/host/passes")
@login_required
def issue():
    form = _issue_form(_hosted_spaces("manage_passes"))
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors))
        return redirect(url_for("passes.host_passes"))
    require("manage_passes", db.session.get(Space, form.home_space_id.data))
    try:
        services.issue_pass(form.home_space_id.data, form.member_name.data, form.member_email.data,
                            form.valid_from.data, form.valid_to.data, current_user.id, language=form.language.data)
    except services.PassError as err:
        flash(pass_error_text(err.code))
    else:
        db.session.commit()
        # Translators: %(email)s is the member's e-mail address.
        flash(_("The pass is signed and sent to %(email)s.", email=isolate(form.member_email.data)))
    return redirect(url_for("passes.host_passes"))


def _owned(model: type, key: object, action: str, space_of: Callable[[object], Space]):
    """The row *key* of *model*, if the signed-in user may do *action* on its space (else 404 or 401/403)."""
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    require(action, space_of(row))
    return row


@bp.post("/host/passes/<pass_id>/<any(approve, decline, revoke):action>")
@login_required
def answer_pass(pass_id: str, action: str):
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    p: Pass = _owned(Pass, pass_id, "manage_passes", lambda row: row.home_space)
    try:
        if action == "approve":
            services.approve_pass(p.id, current_user.id)
            # Translators: %(name)s is the member's name.
            done = _("The pass of %(name)s is signed and sent.", name=isolate(p.member_name))
        elif action == "decline":
            services.decline_pass(p.id, form.reason.data or "")
            # Translators: %(name)s is the member's name.
            done = _("The pass request of %(name)s is declined.", name=isolate(p.member_name))
        else:
            services.revoke_pass(p.id, form.reason.data or "")
            # Translators: %(name)s is the member's name.
            done = _("The pass of %(name)s is revoked.", name=isolate(p.member_name))
    except services.PassError as err:
        flash(pass_error_text(err.code))
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for("passes.host_passes"))


# -- hosts: visit requests and check-in ---------------------------------------------------------------


@bp.get("/host/visits")
@login_required
def host_visits():
    spaces = _hosted_spaces("host_visits")
    items = visits.inbox([s.id for s in spaces], today())
    return render_template("passes/host_visits.html", items=items, reason_form=ReasonForm(),
                           status_label=status_label, today=today(), RequestStatus=RequestStatus)


@bp.post("/host/visits/<int:request_id>/<any(accept, decline, checkin):action>")
@login_required
def answer_visit(request_id: int, action: str):
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    r: VisitRequest = _owned(VisitRequest, request_id, "host_visits", lambda row: row.host_space)
    try:
        if action == "accept":
            visits.accept_request(r.id, current_user.id)
            # Translators: %(name)s is the member's name.
            done = _("Accepted: %(name)s is told.", name=isolate(r.visa_pass.member_name if r.visa_pass else ""))
        elif action == "decline":
            visits.decline_request(r.id, form.reason.data or "", current_user.id)
            done = _("Declined: the member is told.")
        else:
            visits.check_in(r.id, today(), current_user.id)
            done = _("Checked in: the visit is recorded.")
    except visits.VisitError as err:
        db.session.rollback()  # the host's lock, if it was taken, goes at once
        flash(visit_error_text(err))
    else:
        db.session.commit()
        flash(done)
    return redirect(safe_next(request.form.get("next"), url_for("passes.host_visits")))


# -- hosts: the door check ----------------------------------------------------------------------------


@bp.get("/door")
@login_required
def door():
    spaces = _hosted_spaces("host_visits")
    if not spaces:
        abort(403)
    form = DoorForm()
    form.space_id.choices = [(s.id, isolate(s.name)) for s in spaces]
    return render_template("passes/door.html", form=form, jwks=services.published_jwks(today()))


@bp.post("/door/check")
@login_required
def door_check():
    """Check a scanned or pasted pass at one of the host's spaces: one line, and a check-in when one is due."""
    form = DoorForm()
    spaces = _hosted_spaces("host_visits")
    form.space_id.choices = [(s.id, isolate(s.name)) for s in spaces]
    if not form.validate_on_submit():
        return jsonify(ok=False, code="bad_form", line=_("Choose your space and scan or paste a pass.")), 400
    host = db.session.get(Space, form.space_id.data)
    require("host_visits", host)
    return jsonify(door_result(form.token.data or "", host, today()))


def door_result(text: str, host: Space, day: date) -> dict:
    """The door check's answer as JSON: validity line, the host's verdict for the member today, a due check-in."""
    try:
        checked = services.check_token(text, day)
    except PassRefused as err:
        return {"ok": False, "code": err.code, "line": refused_line(err)}
    claims = checked.claims
    body = {"ok": True, "code": "valid", "line": valid_line(claims), "name": claims.member_name,
            "home": claims.home_name, "valid_to": claims.valid_to.isoformat(), "verdict": None, "check_in": None}
    home = db.session.scalars(sa.select(Space).where(Space.slug == claims.home_slug)).unique().one_or_none()
    if home is not None:
        verdict = reciprocity_verdict(home, host, day)
        body["verdict"] = {"honored": verdict.honored, "line": summary(verdict)}
    booked = visits.accepted_for(claims.pass_id, host.id, day)
    if booked is not None:
        body["check_in"] = {"request_id": booked.id, "url": url_for("passes.answer_visit", request_id=booked.id,
                                                                      action="checkin"),
                            "already": booked.status == RequestStatus.CHECKED_IN}
    return body


# -- partials on shared pages --------------------------------------------------------------------------


@bp.app_context_processor
def _partials() -> dict:
    return {"pass_breach_text": breach_text, "pass_verdict_summary": summary, "ask_pass_fields": ask_pass_fields}


def space_box(space: Space) -> dict:
    """What the space page's pass box shows: the request form for a member holding a pass, else how to get one."""
    p = session_pass()
    verdict = None
    if p is not None and p.home_space_id != space.id:
        verdict = reciprocity_verdict(p.home_space, space)
    return {"pass": p, "verdict": verdict, "visit_form": VisitRequestForm() if p is not None else None,
            "can_issue": space.terms is not None and bool(space.terms.is_participating)}


_ASK_PASS_FIELDS = "visa.passes.ask_pass_fields"


def ask_pass_fields() -> Markup:
    """The space page's pass request fields in the reader's language, rendered once per locale and process.

    The page shows them empty and without errors (a refused request is flashed and redirected), so they are the
    same for every reader of a day (the dates offered start today); the form's token is added per request
    beside them.
    """
    def render() -> Markup:
        macros = current_app.jinja_env.get_template("passes/_ask_pass_fields.html").module
        return Markup(macros.ask_pass_field_list(AskPassForm(formdata=None, meta={"csrf": False})))

    return once_per_locale(_ASK_PASS_FIELDS, render, version=date.today())


def dashboard_box() -> dict:
    """The hosts' dashboard item: upcoming and waiting visit requests to their spaces, and waiting pass requests."""
    spaces = _hosted_spaces("host_visits") if current_user.is_authenticated else []
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(Pass).where(
        Pass.home_space_id.in_([s.id for s in spaces]), Pass.status == PassStatus.REQUESTED)) or 0
    return {"items": visits.inbox([s.id for s in spaces], today()), "pass_requests": waiting,
            "reason_form": ReasonForm(), "status_label": status_label, "RequestStatus": RequestStatus,
            "today": today()}
