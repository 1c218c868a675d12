"""Account operations shared by the pages and the CLI (they flush, the caller commits)."""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import Role, User
from visa.accounts.tokens import make_token
from visa.extensions import db
from visa.mailer import absolute_url, send_mail


class EmailTaken(ValueError):
    pass


def find_user(email: str) -> User | None:
    return db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())).first()


def create_user(email: str, password: str, role: Role = Role.HOST, is_confirmed: bool = False) -> User:
    if find_user(email) is not None:
        raise EmailTaken(email)
    user = User(email=email.strip().lower(), role=role, is_confirmed=is_confirmed)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def send_confirmation(user: User) -> None:
    link = absolute_url("accounts.confirm", token=make_token("confirm", user.id))
    send_mail(user.email, "Confirm your e-mail for the Coworking Visa Directory",
              f"Welcome!\n\nConfirm your e-mail address by opening this link (valid for 2 days):\n\n{link}\n")


def send_reset(user: User) -> None:
    link = absolute_url("accounts.reset", token=make_token("reset", user.id, user.password_hash))
    send_mail(user.email, "Reset your Coworking Visa Directory password",
              f"To choose a new password, open this link (valid for 2 days, once):\n\n{link}\n\n"
              "If you did not ask for this, ignore this message.")


def password_fingerprint(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.password_hash if user else "?"


def no_fingerprint(_user_id: int) -> str:
    return ""
