"""Impact pages: the network's figures, a space's report (page, print, CSV), the open data, host flags."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from visa.accounts.permissions import require
from visa.directory import search
from visa.directory.models import Space
from visa.extensions import db
from visa.impact import exports, figures
from visa.impact.cache import cached
from visa.impact.maps import corridor_map
from visa.impact.models import HostFlag, ReportFinding
from visa.impact.presenters import month_chart
from visa.moderation.models import Report, ReportKind
from visa.moderation.services import resolve_report
from visa.timeutil import utcnow
from visa.web.forms import ButtonForm

bp = Blueprint("impact", __name__)
#: Parts other features add to /impact after the visits (``app.extensions``: callables returning Markup).
SECTIONS = "visa.impact_sections"


def add_section(app, render) -> None:
    """Show *render()* (Markup) on /impact after the visits' figures: how a higher feature (the members' survey)
    joins the page without this package importing it."""
    app.extensions.setdefault(SECTIONS, []).append(render)


@bp.get("/impact")
def network():
    today = utcnow().date()

    def body() -> Markup:
        impact = figures.network_impact(today)
        return Markup(render_template("impact/_network_body.html", impact=impact,
                                      world=corridor_map(impact.corridors), visits_chart=month_chart(impact.months)))

    # The body (charts, map, tables) is the same for every reader of a language until a check-in changes it.
    return render_template("impact/network.html", body=cached(("network.html", str(get_locale()), today), body),
                           sections=[render() for render in current_app.extensions.get(SECTIONS, ())])


@bp.get("/impact/open-data.csv")
def open_data_csv():
    body = cached(("open.csv",), lambda: exports.open_export_csv(figures.open_export()[0]))
    return _download(body, "text/csv", "coworking-visa-visits.csv")


@bp.get("/impact/open-data.json")
def open_data_json():
    def compute() -> str:
        cells, totals = figures.open_export()
        body = exports.open_export_json(cells, totals, utcnow().isoformat(timespec="seconds"))
        return json.dumps(body, ensure_ascii=False)

    return _download(cached(("open.json",), compute), "application/json", "coworking-visa-visits.json")


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _own_space(slug: str) -> Space:
    """The space, if the signed-in user may see its report (its confirmed hosts, admins). :raise 404, 401, 403:"""
    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one_or_none()
    if space is None:
        abort(404)
    require("edit_space", space)
    return space


def _report(space: Space) -> dict:
    impact = figures.space_impact(space.id)
    return {"space": space, "impact": impact, "record": figures.space_record(space.id),
            "world": corridor_map([(space.country_code, c, n) for c, n in impact.countries_reached]),
            "today": utcnow().date(),
            "visitors_chart": month_chart((m.month, m.visitors_hosted) for m in impact.months),
            "sent_chart": month_chart((m.month, m.members_sent) for m in impact.months)}


@bp.get("/spaces/<slug>/impact")
def space_report(slug: str):
    return render_template("impact/space.html", **_report(_own_space(slug)))


@bp.get("/spaces/<slug>/impact/print")
def space_report_print(slug: str):
    return render_template("impact/space_print.html", **_report(_own_space(slug)))


@bp.get("/spaces/<slug>/impact.csv")
def space_report_csv(slug: str):
    space = _own_space(slug)
    body = exports.space_report_csv(figures.space_impact(space.id), figures.space_record(space.id))
    return _download(body, "text/csv", f"{space.slug}-impact-{utcnow():%Y-%m}.csv")


@bp.get("/spaces/<slug>/record")
def record_fragment(slug: str):
    """The record alone (what the listing shows), for embedding or checking."""
    space = search.get_visible(slug) or abort(404)
    return render_template("impact/_record.html", record=figures.space_record(space.id))


@bp.get("/admin/host-flags")
def host_flags():
    require("moderate")
    flags = db.session.scalars(sa.select(HostFlag).where(HostFlag.cleared_at.is_(None))
                               .order_by(HostFlag.flagged_at.desc())).all()
    spaces = {s.id: s for s in db.session.scalars(
        sa.select(Space).where(Space.id.in_([f.space_id for f in flags]))).unique()}
    undecided = db.session.scalars(
        sa.select(Report).outerjoin(ReportFinding, ReportFinding.report_id == Report.id)
        .where(Report.kind == ReportKind.NOT_HONORED, ReportFinding.report_id.is_(None))
        .order_by(Report.created_at)).all()
    return render_template("impact/host_flags.html", flags=flags, spaces=spaces, reports=undecided,
                           button=ButtonForm())


@bp.post("/admin/host-flags/<int:space_id>/clear")
def clear_flag(space_id: int):
    require("moderate")
    if not ButtonForm().validate_on_submit():
        abort(400)
    flag = db.session.get(HostFlag, space_id) or abort(404)
    flag.cleared_at = utcnow()
    db.session.commit()
    flash(_("Flag cleared: the space is flagged again only if its record grows worse."))
    return redirect(url_for("impact.host_flags"), 303)


@bp.post("/admin/reports/<int:report_id>/finding/<any(upheld, dismissed):finding>")
def report_finding(report_id: int, finding: str):
    require("moderate")
    if not ButtonForm().validate_on_submit():
        abort(400)
    report = db.session.get(Report, report_id) or abort(404)
    if report.kind != ReportKind.NOT_HONORED or db.session.get(ReportFinding, report_id) is not None:
        abort(409)
    db.session.add(ReportFinding(report_id=report.id, is_upheld=finding == "upheld", decided_by_id=current_user.id))
    if report.resolved_at is None:
        resolve_report(report, current_user.id, _("Upheld: the space did not honor the visa.") if finding == "upheld"
                       else _("Not upheld."))
    db.session.commit()
    return redirect(url_for("impact.host_flags"), 303)
