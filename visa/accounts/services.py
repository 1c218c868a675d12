"""Account operations shared by the pages and the CLI (they flush, the caller commits).

No operation here tells its caller whether an address has an account: sign-up
and reset requests do the same work and send their mail either way.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from visa import emails
from visa.accounts.models import Role, User, hash_password
from visa.accounts.tokens import make_token
from visa.extensions import db
from visa.mailer import absolute_url, in_language, send_mail, send_message


class EmailTaken(ValueError):
    pass


def find_user(email: str) -> User | None:
    """The account of *email*, written in any case or width (``Straße@`` finds ``strasse@``)."""
    return db.session.scalars(sa.select(User).where(User.email_key == emails.key(email))).first()


def create_user(email: str, password: str, role: Role = Role.HOST, is_confirmed: bool = False) -> User:
    if find_user(email) is not None:
        raise EmailTaken(email)
    user = User(email=emails.normalise(email), email_key=emails.key(email), email_skeleton=emails.skeleton(email),
                role=role, is_confirmed=is_confirmed)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def lookalike_accounts() -> list[list[User]]:
    """Accounts whose addresses look alike but differ (``maria@`` and ``mаria@`` with a Cyrillic а), in groups of
    two or more, oldest account first: one person may be passing as another, so the admins are shown them."""
    shared = (sa.select(User.email_skeleton).group_by(User.email_skeleton)
              .having(sa.func.count(sa.distinct(User.email_key)) > 1))
    groups: dict[str, list[User]] = {}
    for user in db.session.scalars(sa.select(User).where(User.email_skeleton.in_(shared))
                                   .order_by(User.email_skeleton, User.created_at, User.id)):
        groups.setdefault(user.email_skeleton, []).append(user)
    return list(groups.values())


def sign_up(email: str, password: str) -> None:
    """A new account waiting for its confirmation link; for a taken address, a mail to its owner instead.

    Both paths hash the password and send one message, so neither the answer
    nor its timing says whether the address has an account.
    """
    existing = find_user(email)
    if existing is None:
        send_confirmation(create_user(email, password))
        return
    hash_password(password)  # the same work as creating the account
    with in_language(existing.language):
        send_mail(existing.email, _("Someone tried to sign up with your e-mail"),
                  # Translators: %(login)s is the web address of the sign-in page; %(reset)s
                  # the web address where a new password can be chosen.
                  _("Someone (maybe you) tried to open an account on the Coworking Visa Directory with this address, "
                    "which already has one.\n\nSign in: %(login)s\nForgot the password? %(reset)s\n\n"
                    "If it was not you, you can ignore this message.",
                    login=absolute_url("accounts.login"), reset=absolute_url("accounts.reset_request")))


def confirm_fingerprint(user_id: int) -> str | None:
    """A confirmation link is good while the address is unconfirmed and the password unchanged."""
    user = db.session.get(User, user_id)
    return None if user is None or user.is_confirmed else user.password_hash


def reset_fingerprint(user_id: int) -> str | None:
    """A reset link is good until the password changes (so it works once)."""
    user = db.session.get(User, user_id)
    return None if user is None else user.password_hash


def send_confirmation(user: User) -> None:
    link = absolute_url("accounts.confirm", token=make_token("confirm", user.id, user.password_hash))
    send_message(user.email, "confirm_email", user.language, link=link)


def send_reset(user: User) -> None:
    link = absolute_url("accounts.reset", token=make_token("reset", user.id, user.password_hash))
    send_message(user.email, "reset_password", user.language, link=link)


def request_reset(email: str) -> None:
    """Mail a reset link when the address has an account (the page says the same either way)."""
    user = find_user(email)
    if user is not None:
        send_reset(user)
