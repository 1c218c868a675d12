"""Volunteers' pages: the queue, a task (take, extend, give back, record a finding), review, history, admin.

Every page reads the queue after :func:`~visa.volunteers.services.settle_expired`, so a lock that ran
out is written into its task's history by the first page that looks (and committed with that request).
Every write is limited per account (``visa.rate_limits.limit_volunteer_actions``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from visa.accounts.models import User
from visa.accounts.permissions import can, can_review, require
from visa.directory.presenters import term_rows
from visa.extensions import db
from visa.l10n import say
from visa.moderation.words import moment_label
from visa.rate_limits import limit_volunteer_actions
from visa.volunteers import presenters, services
from visa.volunteers.forms import FindingForm, RejectForm
from visa.volunteers.models import Finding, TaskState, VolunteerTask
from visa.web.forms import ButtonForm

bp = Blueprint("volunteers", __name__)

#: The word helpers the volunteers' templates use instead of codes.
WORDS = {"reason_label": presenters.reason_label, "moment_label": moment_label,
         "open_state_label": presenters.open_state_label, "source_label": presenters.source_label,
         "finding_state_label": presenters.finding_state_label}


def _task_or_404(task_id: int) -> VolunteerTask:
    task = db.session.get(VolunteerTask, task_id)
    if task is None:
        abort(404)
    return task


@bp.get("/volunteer")
def home():
    """The queue for volunteers; for anybody else, what volunteering is and how to ask."""
    if not can(current_user, "volunteer"):
        return render_template("volunteers/join.html", button=ButtonForm(),
                               may_apply=can(current_user, "apply_volunteer"))
    services.settle_expired()
    services.refresh_queue()
    db.session.commit()  # the expiries and the tasks the sweep opened, before anybody takes one
    held = services.held_by(current_user.id)
    return render_template("volunteers/queue.html", items=services.queue(), held=held,
                           time_left={t.id: presenters.time_left_label(services.time_left(t)) for t in held},
                           may_validate=can(current_user, "validate"), **WORDS)


@bp.post("/volunteer/apply")
@login_required
@limit_volunteer_actions()
def apply():
    require("apply_volunteer")
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.apply_as_volunteer(current_user.id)
    db.session.commit()
    flash(_("Thank you: a network admin will look at your request to volunteer."))
    return redirect(url_for("volunteers.home"), 303)


@bp.get("/volunteer/tasks/<int:task_id>")
@login_required
def task_page(task_id: int):
    require("volunteer")
    task = _task_or_404(task_id)
    services.settle_expired()
    db.session.commit()
    form = None
    if services.lock_holder(task) == current_user.id:
        form = FindingForm.from_terms(task.space.terms)
        form.source_url.data = task.space.website
    return _render_task(task, form)


def _render_task(task: VolunteerTask, form: FindingForm | None, status: int = 200):
    holder = services.lock_holder(task)
    rejection = services.last_rejections([task.id]).get(task.id)
    return render_template(
        "volunteers/task.html", task=task, space=task.space, form=form, button=ButtonForm(),
        holder=holder, is_mine=holder == current_user.id, time_left=presenters.time_left_label(services.time_left(task)),
        seconds_left=int(services.time_left(task).total_seconds()), time_sentence=presenters.TIME_LEFT_SENTENCE,
        locked_until=task.locked_until, rejection=rejection, contact=presenters.contact_rows(task.space),
        terms=term_rows(task.space.terms) if task.space.terms else [],
        history=[(e.at, presenters.event_line(e, current_user.id)) for e in task.events],
        is_open=task.state == TaskState.OPEN, may_validate=can(current_user, "validate"), **WORDS), status


@bp.post("/volunteer/tasks/<int:task_id>/<any(take, extend, release):action>")
@login_required
@limit_volunteer_actions()
def task_action(task_id: int, action: str):
    require("volunteer")
    _task_or_404(task_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    operation = {"take": services.take_task, "extend": services.extend_task, "release": services.release_task}[action]
    try:
        operation(task_id, current_user.id)
    except services.VolunteerError as err:
        db.session.commit()  # an expiry the check found is history worth keeping
        flash(say(err.message))
        return redirect(url_for("volunteers.task_page", task_id=task_id), 303)
    db.session.commit()
    if action == "release":
        flash(_("The task is back in the queue."))
        return redirect(url_for("volunteers.home"), 303)
    flash(_("The task is yours for two hours.") if action == "take" else _("You have two more hours."))
    return redirect(url_for("volunteers.task_page", task_id=task_id), 303)


@bp.post("/volunteer/tasks/<int:task_id>/finding")
@login_required
@limit_volunteer_actions()
def record(task_id: int):
    require("volunteer")
    task = _task_or_404(task_id)
    form = FindingForm()
    if not form.validate_on_submit():
        return _render_task(task, form, 400)
    try:
        services.record_finding(task_id, current_user.id, form.finding())
    except services.VolunteerError as err:
        db.session.commit()
        flash(say(err.message))
        return redirect(url_for("volunteers.task_page", task_id=task_id), 303)
    db.session.commit()
    flash(_("Thank you: your finding waits for a validator."))
    return redirect(url_for("volunteers.history"), 303)


@bp.get("/volunteer/review")
@login_required
def review():
    require("validate")
    findings = services.findings_to_review(current_user.id)
    return render_template("volunteers/review.html", findings=findings, button=ButtonForm(), reject=RejectForm(),
                           may_validate=True,
                           changes={f.id: presenters.terms_changes(f) for f in findings},
                           contact={f.id: presenters.contact_rows(f.space) for f in findings}, **WORDS)


def _finding_to_review(finding_id: int) -> Finding:
    """The finding, which the signed-in user may review (:func:`~visa.accounts.permissions.can_review`)."""
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        abort(404)
    if not can_review(current_user, finding):
        abort(403)
    return finding


@bp.post("/volunteer/findings/<int:finding_id>/accept")
@login_required
@limit_volunteer_actions()
def accept(finding_id: int):
    require("validate")
    finding = _finding_to_review(finding_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.accept_finding(finding.id, current_user.id)
    except services.VolunteerError as err:
        db.session.rollback()
        flash(say(err.message))
        return redirect(url_for("volunteers.review"), 303)
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Accepted: the finding about “%(name)s” is live.", name=finding.space.name))
    return redirect(url_for("volunteers.review"), 303)


@bp.post("/volunteer/findings/<int:finding_id>/reject")
@login_required
@limit_volunteer_actions()
def reject(finding_id: int):
    require("validate")
    finding = _finding_to_review(finding_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Say what is wrong: the next volunteer reads it before they start."))
        return redirect(url_for("volunteers.review"), 303)
    try:
        services.reject_finding(finding.id, current_user.id, form.comment.data)
    except services.VolunteerError as err:
        db.session.rollback()
        flash(say(err.message))
        return redirect(url_for("volunteers.review"), 303)
    db.session.commit()
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    flash(_("Rejected: “%(name)s” is back in the queue with your comment.", name=finding.space.name))
    return redirect(url_for("volunteers.review"), 303)


@bp.get("/volunteer/history")
@login_required
def history():
    require("volunteer")
    return render_template("volunteers/history.html", findings=services.history_of(current_user.id),
                           may_validate=can(current_user, "validate"), **WORDS)


@bp.get("/admin/volunteers")
@login_required
def manage():
    require("manage_volunteers")
    return render_template("volunteers/manage.html", volunteers=services.volunteers(), button=ButtonForm(), **WORDS)


@bp.post("/admin/volunteers/<int:user_id>/<any(approve, validator, not_validator):action>")
@login_required
def manage_action(user_id: int, action: str):
    require("manage_volunteers")
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    try:
        if action == "approve":
            services.approve_volunteer(user_id)
        else:
            services.set_validator(user_id, action == "validator")
    except LookupError:
        abort(404)
    db.session.commit()
    # Translators: %(email)s is the e-mail address of the volunteer's account.
    flash(_("Saved for %(email)s.", email=user.email))
    return redirect(url_for("volunteers.manage"), 303)

