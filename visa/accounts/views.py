"""Sign up, confirm, sign in and out, reset a password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from visa.accounts.forms import LoginForm, ResetForm, ResetRequestForm, SignupForm
from visa.accounts.models import User, check_password_evenly
from visa.accounts.services import (
    confirm_fingerprint,
    find_user,
    request_reset,
    reset_fingerprint,
    send_confirmation,
    sign_up,
)
from visa.accounts.tokens import read_token
from visa.extensions import db, limiter, login_manager
from visa.redirects import safe_next
from visa.web.forms import ButtonForm

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session, unless their password changed since it began (see User.get_id)."""
    user_id, _sep, version = session_id.partition(":")
    if not (session_id.isascii() and user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_version == int(version) else None


def _limit(name: str):
    return lambda: current_app.config[name]


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_limit("VISA_SIGNUP_LIMIT"), methods=["POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        sign_up(form.email.data, form.password.data)
        db.session.commit()
        # The same answer whether the address is new or taken (its owner gets a mail saying so).
        flash(_("Check your e-mail: we sent a link to confirm your address."))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/signup.html", form=form), 400 if form.errors else 200


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm the address and sign its account in; a browser signed in as someone else is asked first."""
    user_id = read_token("confirm", token, confirm_fingerprint)
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        flash(_("This confirmation link is invalid, used or expired. Sign in to get a new one."))
        return redirect(url_for("accounts.login"))
    form = ButtonForm()
    if current_user.is_authenticated and current_user.id != user.id and not form.validate_on_submit():
        return render_template("accounts/switch.html", current=current_user.email, other=user.email, form=form,
                               stay_url=url_for("hosts.dashboard"))
    user.is_confirmed = True
    db.session.commit()
    login_user(user)
    flash(_("Your e-mail is confirmed. Welcome!"))
    return redirect(url_for("hosts.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("VISA_LOGIN_LIMIT"), methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if check_password_evenly(user, form.password.data):
            if not user.is_confirmed:
                send_confirmation(user)
                db.session.commit()
                form.email.errors.append(_("Confirm your e-mail first: we have sent the link again."))
            else:
                login_user(user)
                return redirect(safe_next(request.args.get("next"), url_for("hosts.dashboard")))
        else:
            form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    current_user.end_sessions()  # a copy of this session's cookie stops working too
    db.session.commit()
    logout_user()
    return redirect(url_for("directory.search_page"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_limit("VISA_SIGNUP_LIMIT"), methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        db.session.commit()
        # The same answer either way, so the form does not reveal who has an account.
        flash(_("If an account uses this e-mail, a link to reset its password is on its way."))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user_id = read_token("reset", token, reset_fingerprint)
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."))
        return redirect(url_for("accounts.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)  # ends every other session
        user.is_confirmed = True  # the link reached their mailbox
        db.session.commit()
        login_user(user)
        flash(_("Your password is changed."))
        return redirect(url_for("hosts.dashboard"))
    return render_template("accounts/reset.html", form=form)
