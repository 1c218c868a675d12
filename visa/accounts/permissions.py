"""Who may do what: every write is authorised here, and nowhere else.

The rules, by action:

| action         | anonymous | host (confirmed e-mail)       | admin |
|----------------|-----------|-------------------------------|-------|
| report         | yes       | yes                           | yes   |
| submit_space   | no        | yes                           | yes   |
| claim_space    | no        | yes, if not already its host  | yes   |
| edit_space     | no        | only a confirmed host of it   | yes   |
| moderate       | no        | no                            | yes   |
| import, export | no        | no                            | yes   |
| manage_passes  | no        | only a confirmed host of it   | only as a confirmed host of it |
| host_visits    | no        | only a confirmed host of it   | only as a confirmed host of it |
| apply_volunteer| no        | yes (a host account asks)     | no (admins do it already) |
| volunteer      | no        | approved volunteers only      | yes   |
| validate       | no        | volunteers an admin made validators | yes |
| manage_volunteers | no     | no                            | yes   |
| run_survey     | no        | only a confirmed host of it   | yes   |

Volunteers (``Role.VOLUNTEER``, once an admin approved them) take tasks from the volunteers' queue and
record what they found (``volunteer``); validators and admins accept or reject others' findings
(``validate``, and :func:`can_review` for one finding: never one's own). A volunteer is otherwise a
plain account: hosting comes from being a confirmed host of a space, never from a role, so volunteering
adds no right over members, passes or other people's accounts, and the volunteer pages show a listing's
public contact details only.

``manage_passes``: issue, approve and revoke the passes of a home space's members
(and see their names and e-mails). ``host_visits``: answer visit requests to a
space, check visitors in and use its door check.

Views call :func:`require`, which answers 401 (sign in) or 403.

Members have no account: the secret link of their pass is their credential for its
page and for cancelling their own visit requests there (``passes.cancel_visit``).
No account stands in for it, an admin's included: without the link, 404.

A campaign's answer page (``/check/<token>``) works the same way: its signed link names one listing in one
campaign and is the only credential for answering about that listing; it signs nobody in. The campaigns'
admin pages need ``moderate``.

``run_survey``: open, invite to, close and publish a space's members' survey, and read its report while it is not
published (its open question included). Members answer through their single-use or shared link, with no account.

A member's name and e-mail (on their pass) are seen only by the confirmed hosts of
their home space and of the spaces they asked for days: :func:`can_see_member`.
Admins are not among them: moderating listings never needs a member's name.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from visa.accounts.models import Role, SpaceHost, User
from visa.extensions import db

#: Actions that show members' names and e-mails: only the hosts of the spaces concerned, admins included
#: (:func:`can_see_member`; moderating listings never needs a member's name).
MEMBER_ACTIONS = ("manage_passes", "host_visits")

ACTIONS = ("report", "submit_space", "claim_space", "edit_space", "moderate", "import", "export", "manage_passes",
           "host_visits", "apply_volunteer", "volunteer", "validate", "manage_volunteers", "run_survey")


def is_host_of(user: User, space_id: int, confirmed: bool = True) -> bool:
    query = sa.select(SpaceHost).where(SpaceHost.user_id == user.id, SpaceHost.space_id == space_id)
    if confirmed:
        query = query.where(SpaceHost.is_confirmed)
    return db.session.scalars(query).first() is not None


def can(user, action: str, space=None) -> bool:
    """May *user* (a User, or an anonymous user) do *action* (on *space*)?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "report":
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_confirmed:
        return False
    if action == "apply_volunteer":
        return user.role == Role.HOST
    if user.is_admin and action not in MEMBER_ACTIONS:
        return True
    if action == "volunteer":
        return user.is_volunteer
    if action == "validate":
        return user.is_volunteer and user.is_validator
    if action == "submit_space":
        return True
    if action == "claim_space":
        return space is not None and not is_host_of(user, space.id, confirmed=False)
    if action in ("edit_space", "manage_passes", "host_visits", "run_survey"):
        return space is not None and is_host_of(user, space.id)
    return False


def can_review(user, finding) -> bool:
    """May *user* accept or reject *finding*? A validator or an admin, never the volunteer who recorded it."""
    return can(user, "validate") and finding.volunteer_id != user.id


def require(action: str, space=None) -> None:
    """:raise 401: when signing in could help; 403 when it cannot."""
    if can(current_user, action, space):
        return
    if not current_user.is_authenticated:
        abort(401)
    abort(403)


def can_see_member(user, home_space_id: int | None, asked_space_ids: Iterable[int]) -> bool:
    """May *user* see the name and e-mail of a member of *home_space_id* who asked *asked_space_ids*?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_confirmed:
        return False
    spaces = {home_space_id, *asked_space_ids} - {None}
    if not spaces:
        return False
    query = sa.select(SpaceHost.space_id).where(SpaceHost.user_id == user.id, SpaceHost.is_confirmed,
                                                 SpaceHost.space_id.in_(spaces))
    return db.session.scalars(query).first() is not None
