"""Survey pages: a space's hosts run waves; members answer through a link; reports; the network's open figures.

Members need no account: a single-use link (mailed) or the wave's shared link is the credential for answering, and
nothing about the person is kept with the answer. Everything a host does is ``run_survey`` (visa.accounts.permissions);
a report is public only once its space publishes it, and then without the open question.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from visa.accounts.permissions import can, require
from visa.directory.models import Space
from visa.extensions import db, limiter
from visa.l10n import say
from visa.mailer import send_message
from visa.surveys import exports, figures, services
from visa.surveys.forms import InviteForm, OpenWaveForm
from visa.surveys.models import SurveyResponse, SurveyWave
from visa.surveys.presenters import option_label, report_context
from visa.surveys.questionnaire import QUESTIONS, SECTIONS, AnswerError, clean
from visa.timeutil import utcnow
from visa.web.forms import ButtonForm

bp = Blueprint("surveys", __name__)


def _space(slug: str) -> Space:
    return db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none() or abort(404)


def _hosted(slug: str) -> Space:
    space = _space(slug)
    require("run_survey", space)
    return space


def _manage_page(space: Space, status: int = 200, shared_link: str | None = None, open_form=None, invite_form=None,
                 invited=None):
    wave = services.open_wave_of(space.id)
    today = utcnow().date()
    return render_template("surveys/manage.html", space=space, wave=wave, waves=services.waves_of(space.id),
                           shared_link=shared_link, invited=invited, today=today, button=ButtonForm(),
                           open_form=open_form or OpenWaveForm(formdata=None, starts_on=today),
                           invite_form=invite_form or InviteForm(formdata=None)), status


@bp.get("/spaces/<slug>/survey")
def manage(slug: str):
    return _manage_page(_hosted(slug))


@bp.post("/spaces/<slug>/survey/open")
def open_wave(slug: str):
    space = _hosted(slug)
    form = OpenWaveForm()
    if form.validate_on_submit():
        try:
            _wave, token = services.open_wave(space.id, form.starts_on.data, form.ends_on.data)
        except services.SurveyError as err:
            form.ends_on.errors = [say(err.message)]
        else:
            db.session.commit()
            return _manage_page(space, shared_link=url_for("surveys.shared", token=token, _external=True))
    return _manage_page(space, 400, open_form=form)


@bp.post("/spaces/<slug>/survey/link")
def new_link(slug: str):
    space = _hosted(slug)
    wave = services.open_wave_of(space.id)
    if not ButtonForm().validate_on_submit() or wave is None:
        abort(400)
    token = services.new_shared_link(wave)
    db.session.commit()
    return _manage_page(space, shared_link=url_for("surveys.shared", token=token, _external=True))


@bp.post("/spaces/<slug>/survey/invite")
def invite(slug: str):
    space = _hosted(slug)
    wave = services.open_wave_of(space.id)
    form = InviteForm()
    if wave is None:
        abort(409)
    if not form.validate_on_submit():
        return _manage_page(space, 400, invite_form=form)
    done = services.invite(wave, form.checked, current_app.config["SECRET_KEY"])
    for address, token in done.links:
        # In the language the host reads the site in: the host knows the members' language, the site does not.
        send_message(address, "survey_invitation", str(get_locale()), space=space, wave=wave,
                     link=url_for("surveys.invited", token=token, _external=True))
    db.session.commit()  # the mails go after the commit; the addresses are not kept anywhere
    return _manage_page(space, invited=done)


@bp.post("/spaces/<slug>/survey/close")
def close(slug: str):
    space = _hosted(slug)
    wave = services.open_wave_of(space.id)
    if not ButtonForm().validate_on_submit() or wave is None:
        abort(400)
    services.close_wave(wave)
    db.session.commit()
    return _manage_page(space)


@bp.post("/spaces/<slug>/survey/<int:wave_id>/publish")
def publish(slug: str, wave_id: int):
    space = _hosted(slug)
    wave = _wave_of(space, wave_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.set_published(wave, not wave.is_published)
    db.session.commit()
    return _manage_page(space)


def _wave_of(space: Space, wave_id: int) -> SurveyWave:
    wave = db.session.get(SurveyWave, wave_id)
    if wave is None or wave.space_id != space.id:
        abort(404)
    return wave


def _readable(slug: str, wave_id: int) -> tuple[Space, SurveyWave, bool]:
    """The wave, if the reader may see its report: published, or run by the reader; and whether the reader runs it."""
    space = _space(slug)
    wave = _wave_of(space, wave_id)
    runs = can(current_user, "run_survey", space)
    if not runs and not wave.is_published:
        require("run_survey", space)  # 401 or 403
    return space, wave, runs


def _report(slug: str, wave_id: int) -> dict:
    space, wave, runs = _readable(slug, wave_id)
    return report_context(space, wave, with_comments=runs)


@bp.get("/spaces/<slug>/survey/<int:wave_id>")
def report(slug: str, wave_id: int):
    return render_template("surveys/report.html", **_report(slug, wave_id))


@bp.get("/spaces/<slug>/survey/<int:wave_id>/print")
def report_print(slug: str, wave_id: int):
    return render_template("surveys/report_print.html", **_report(slug, wave_id))


@bp.get("/spaces/<slug>/survey/<int:wave_id>.csv")
def report_csv(slug: str, wave_id: int):
    space, wave, _runs = _readable(slug, wave_id)
    body = exports.wave_csv(figures.wave_figures(wave, current_app.config["VISA_SURVEY_CO2_KG_PER_KM"]), wave)
    return _download(body, "text/csv", f"{space.slug}-survey-{wave.starts_on:%Y-%m}.csv")


# -- Members answering ------------------------------------------------------------------------------------------------

def _answer_page(wave: SurveyWave, invitation=None, status: int = 200, values=None, error: AnswerError | None = None,
                 saved: bool = False):
    response = None
    if invitation is not None and invitation.response_id and values is None:
        response = db.session.get(SurveyResponse, invitation.response_id)
        values = dict(response.answers, comment=response.comment)
    return render_template("surveys/answer.html", wave=wave, space=wave.space, form=ButtonForm(),
                           questionnaire=QUESTIONS, sections=SECTIONS, option_label=option_label,
                           values=values or {}, error=error, saved=saved, corrected=response is not None,
                           single_use=invitation is not None, today=utcnow().date()), status


def _take(wave: SurveyWave, invitation=None):
    if not ButtonForm().validate_on_submit():
        abort(400)
    values = request.form.to_dict()
    try:
        answers, comment = clean(values)
    except AnswerError as err:
        return _answer_page(wave, invitation, 400, values, err)
    try:
        services.answer(wave, answers, comment, utcnow().date(), invitation)
    except services.SurveyError:
        abort(410)
    db.session.commit()
    return _answer_page(wave, invitation, values=values, saved=True)


def _open_for_answers(wave: SurveyWave | None) -> SurveyWave:
    if wave is None:
        abort(404)
    if not wave.takes_answers(utcnow().date()):
        abort(410)
    return wave


@bp.route("/survey/<token>", methods=["GET", "POST"])
def invited(token: str):
    invitation = services.invitation_for(token) or abort(404)
    wave = _open_for_answers(db.session.get(SurveyWave, invitation.wave_id))
    return _take(wave, invitation) if request.method == "POST" else _answer_page(wave, invitation)


def _link_limit() -> str:
    return current_app.config["VISA_SURVEY_LINK_LIMIT"]


@bp.get("/survey/open/<token>")
def shared(token: str):
    return _answer_page(_open_for_answers(services.wave_for_shared_link(token)))


@bp.post("/survey/open/<token>")
@limiter.limit(_link_limit)
def shared_answer(token: str):
    return _take(_open_for_answers(services.wave_for_shared_link(token)))


# -- Open data and the admins' export ---------------------------------------------------------------------------------

def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/impact/survey.csv")
def open_csv():
    return _download(exports.network_csv(figures.network()), "text/csv", "coworking-visa-survey.csv")


@bp.get("/impact/survey.json")
def open_json():
    body = exports.network_json(figures.network(), utcnow().isoformat(timespec="seconds"))
    return _download(json.dumps(body, ensure_ascii=False), "application/json", "coworking-visa-survey.json")


@bp.get("/admin/survey/answers.csv")
def answers_csv():
    require("export")
    return _download(exports.answers_csv(), "text/csv", f"coworking-visa-survey-answers-{utcnow():%Y-%m-%d}.csv")


def network_section() -> Markup:
    """The survey's part of /impact (registered with the impact page by :mod:`visa.surveys.feature`)."""
    from visa.surveys.presenters import network_context

    return Markup(render_template("surveys/_network.html", **network_context(figures.network())))
