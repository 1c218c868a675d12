"""The answer page behind a campaign mail's link (/check/<token>) and the admins' campaign pages.

The answer page needs no account and signs nobody in: the signed token names one listing in one campaign, and
it may be opened again to correct an answer until it expires.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from visa.accounts.permissions import require
from visa.accounts.services import send_reset
from visa.campaigns import services
from visa.campaigns.forms import CampaignForm, CheckForm, ManageForm
from visa.campaigns.models import Answer, Campaign, CampaignEntry
from visa.campaigns.presenters import OUTCOME_LABELS, bar_segments, country_rows
from visa.campaigns.progress import OUTCOMES, progress
from visa.campaigns.tokens import read_check_token
from visa.directory.models import Space, SpaceStatus
from visa.extensions import db, limiter
from visa.i18n import language_name, languages
from visa.l10n import country_name
from visa.moderation.services import hosts_of

bp = Blueprint("campaigns", __name__)
admin_bp = Blueprint("campaign_admin", __name__, url_prefix="/admin/campaigns")


def _check_limit() -> str:
    return current_app.config["VISA_CHECK_LIMIT"]


def _entry_or_404(token: str) -> CampaignEntry:
    """The entry a valid token names, while its listing is listed (or archived by this very link's answer)."""
    data = read_check_token(token)
    entry = db.session.get(CampaignEntry, data["e"]) if data else None
    if entry is None or entry.space_id != data["s"] or entry.campaign_id != data["c"]:
        abort(404)
    space = entry.space
    if space.status != SpaceStatus.APPROVED and not (space.status == SpaceStatus.CLOSED
                                                     and entry.answer == Answer.CLOSED):
        abort(404)
    return entry


@bp.route("/check/<token>", methods=["GET", "POST"])
@limiter.limit(_check_limit)
def check(token: str):
    entry = _entry_or_404(token)
    space = entry.space
    form = CheckForm.from_terms(space.terms) if request.method == "GET" else CheckForm()
    if request.method == "GET" and entry.answer is not None:
        form.still_open.data = "no" if entry.answer == Answer.CLOSED else "yes"
        form.right_address.data = "no" if entry.answer == Answer.WRONG_ADDRESS else "yes"
    if request.method == "POST":
        valid = form.validate()
        if not form.csrf_token.errors and not form.still_open.errors:
            if form.answered_closed():
                services.answer_closed(entry)
                db.session.commit()
                return redirect(url_for("campaigns.answered", token=token))
            if form.answered_wrong_address():
                services.answer_wrong_address(entry)
                db.session.commit()
                return redirect(url_for("campaigns.answered", token=token))
        if valid:
            services.answer_open(entry, form.values())
            db.session.commit()
            return redirect(url_for("campaigns.answered", token=token))
    return render_template("campaigns/check.html", form=form, entry=entry, space=space,
                           country=country_name(space.country_code), opt_out=ManageForm(),
                           ), 400 if request.method == "POST" else 200


@bp.get("/check/<token>/answered")
@limiter.limit(_check_limit)
def answered(token: str):
    entry = _entry_or_404(token)
    return render_template("campaigns/answered.html", entry=entry, space=entry.space, token=token,
                           manage=ManageForm() if _may_manage(entry) else None)


def _may_manage(entry: CampaignEntry) -> bool:
    """The contact confirmed the listing, and nobody hosts it yet."""
    return entry.answer == Answer.CONFIRMED and not hosts_of(entry.space)


@bp.post("/check/<token>/manage")
@limiter.limit(_check_limit)
def manage(token: str):
    """The optional last step: a host account for the mailed address, already linked to the listing."""
    entry = _entry_or_404(token)
    # Checked again on the POST, not only by hiding the button: the link lives 60 days, and the listing may have
    # gained an approved host since; a mailed link never makes a second host without an admin.
    if not ManageForm().validate_on_submit() or not _may_manage(entry):
        abort(400)
    user = services.manage_yourself(entry)
    send_reset(user)  # its owner chooses a password there; the link signed nobody in (queued: goes with the commit)
    db.session.commit()
    return render_template("campaigns/answered.html", entry=entry, space=entry.space, token=token, manage=None,
                           account_email=user.email)


@bp.post("/check/<token>/opt-out")
@limiter.limit(_check_limit)
def opt_out(token: str):
    entry = _entry_or_404(token)
    if not ManageForm().validate_on_submit():
        abort(400)
    services.answer_opt_out(entry)
    db.session.commit()
    return render_template("campaigns/answered.html", entry=entry, space=entry.space, token=token, manage=None,
                           opted_out=True)


# -- Admin pages ------------------------------------------------------------------------------------------------------

@admin_bp.before_request
@login_required
def _admins_only():
    require("moderate")


def _selection(form: CampaignForm) -> services.Selection:
    return services.Selection(countries=form.country_codes(), never_confirmed=form.never_confirmed.data,
                              stale=form.stale.data, not_stated=form.not_stated.data,
                              import_file=(form.import_file.data or "").strip())


@admin_bp.route("/", methods=["GET", "POST"])
def campaigns_page():
    """The campaigns, and a new one: its selection previewed (mails, languages, no address) before it is made."""
    form = CampaignForm()
    seen = None
    if form.validate_on_submit():
        selection = _selection(form)
        seen = services.preview(selection)
        if request.form.get("create"):
            try:
                campaign, added = services.create_campaign(form.name.data, selection, current_user.id)
            except services.CampaignError:
                db.session.rollback()
                form.name.errors = [*form.name.errors, _("A campaign with this name exists with another selection.")]
            else:
                db.session.commit()
                # Translators: %(name)s is the name an admin gave the mail campaign; %(n)d
                # the number of listings it mails.
                flash(_("Campaign “%(name)s” created with %(n)d listing(s).", name=campaign.name, n=added))
                return redirect(url_for("campaign_admin.campaign_page", campaign_id=campaign.id))
    campaigns = list(db.session.scalars(db.select(Campaign).order_by(Campaign.created_at.desc())))
    return render_template("campaigns/admin_list.html", form=form, preview=seen, campaigns=campaigns,
                           language_label=language_name)


@admin_bp.get("/<int:campaign_id>")
def campaign_page(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    result = progress(campaign)
    return render_template("campaigns/admin_campaign.html", campaign=campaign, progress=result, outcomes=OUTCOMES,
                           labels=OUTCOME_LABELS, bar=bar_segments(result.total), rows=country_rows(result),
                           languages=languages(), language_label=language_name)


@admin_bp.get("/<int:campaign_id>/preview/<language>")
def preview_mail(campaign_id: int, language: str):
    """The campaign's mail as it goes out in *language*, written for one of its listings (or any listed one)."""
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    if language not in languages():
        abort(404)
    entry = db.session.scalars(db.select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)
                               .order_by(CampaignEntry.id)).first()
    space = entry.space if entry is not None else db.session.scalars(Space.visible().limit(1)).first()
    if space is None:
        abort(404)
    subject, text = services.render_mail(space, language, link=url_for("campaigns.check", token="TOKEN",
                                                                       _external=True))
    return render_template("campaigns/admin_preview.html", campaign=campaign, subject=subject, body=text,
                           language=language, language_label=language_name)
