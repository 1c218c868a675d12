"""Campaign operations shared by the admin pages, the CLI and the answer page (they flush; the caller commits).

Sending is split so that each mail is its own unit of work: :func:`mark_sent` (flush), the caller commits,
then :func:`mail_entry` sends. An interrupted run resumes with the entries still queued and never mails an
entry twice.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from babel.languages import get_official_languages

from visa import emails
from visa.accounts.models import SpaceHost, User
from visa.accounts.services import create_user, find_user
from visa.campaigns.models import FOR_VOLUNTEERS, Answer, Campaign, CampaignEntry, EntryState, MailOptOut
from visa.campaigns.tokens import make_check_token
from visa.directory.models import STALE_AFTER, ConfirmedBy, Space, SpaceStatus, VisaTerms
from visa.directory.revisions import record_revision, snapshot
from visa.directory.services import update_terms
from visa.extensions import db
from visa.i18n import SOURCE_LANGUAGE, languages
from visa.mailer import absolute_url, render_message, send_message_now, takes_smtputf8
from visa.timeutil import utcnow
from visa.volunteers.services import cancel_task, open_task

#: An unanswered mail is followed by a reminder after this long, at most twice; then the volunteers take over.
REMIND_AFTER = timedelta(days=14)
MAX_REMINDERS = 2


class CampaignError(ValueError):
    """A campaign cannot be created as asked (an empty name, or a name taken by another selection)."""


@dataclass(frozen=True)
class Selection:
    """Which listings a campaign writes to. Countries and the import narrow it; the three flags add up (a listing
    matching any of the given flags is selected; no flag: every listed space)."""

    countries: tuple[str, ...] = ()
    never_confirmed: bool = False
    stale: bool = False
    not_stated: bool = False
    import_file: str = ""

    def as_json(self) -> dict:
        return asdict(self) | {"countries": sorted(self.countries)}

    @classmethod
    def from_json(cls, data: dict) -> Selection:
        return cls(countries=tuple(data.get("countries") or ()), never_confirmed=bool(data.get("never_confirmed")),
                   stale=bool(data.get("stale")), not_stated=bool(data.get("not_stated")),
                   import_file=data.get("import_file") or "")


def usable_address(address: str | None, smtputf8: bool) -> str:
    """The address as the site writes to it (:func:`visa.emails.check`), or "" when it is none the site can write
    to: not an address, or letters beyond ASCII before the @ while the mail server does not offer SMTPUTF8."""
    try:
        return emails.check(address, smtputf8) if address else ""
    except emails.AddressError:
        return ""


def selected_spaces(selection: Selection, now: datetime | None = None) -> list[Space]:
    """The listed spaces the selection names, by id."""
    now = now or utcnow()
    query = sa.select(Space).where(Space.is_visible)
    if selection.countries:
        query = query.where(Space.country_code.in_([c.upper() for c in selection.countries]))
    if selection.import_file:
        query = query.where(Space.import_file == selection.import_file)
    flags = []
    if selection.never_confirmed:
        flags.append(Space.terms_confirmed_at.is_(None))
    if selection.stale:
        flags.append(Space.unconfirmed_since(now - STALE_AFTER))
    if selection.not_stated:
        flags.append(Space.id.in_(sa.select(VisaTerms.space_id).where(VisaTerms.is_participating.is_(None))))
    if flags:
        query = query.where(sa.or_(*flags))
    return list(db.session.scalars(query.order_by(Space.id)).unique())


def country_language(country_code: str) -> str:
    """The first official language of the country that the site has ("BR" -> "pt_BR" when shipped), else English."""
    shipped = languages()
    for language in get_official_languages(country_code.upper(), de_facto=True):
        regional = f"{language}_{country_code.upper()}"
        if regional in shipped:
            return regional
        if language in shipped:
            return language
    return SOURCE_LANGUAGE


class Recipients:
    """Who to write to about each listing of a batch: the opt-outs, "wrong address" answers and confirmed hosts
    are read once for the batch (a campaign of 10,000 listings asks the database four times, not 40,000)."""

    def __init__(self, space_ids: list[int], smtputf8: bool) -> None:
        self.smtputf8 = smtputf8
        self.opted_out_emails, self.opted_out_spaces = set(), set()
        for email, space_id in db.session.execute(sa.select(MailOptOut.email, MailOptOut.space_id)):
            self.opted_out_emails.add(emails.key(email))
            self.opted_out_spaces.add(space_id)
        self.wrong = {(space_id, emails.key(email)) for space_id, email in db.session.execute(
            sa.select(CampaignEntry.space_id, CampaignEntry.email).where(CampaignEntry.answer == Answer.WRONG_ADDRESS))}
        self.hosts: dict[int, list[User]] = {}
        for _start in range(0, len(space_ids), 500):
            chunk = space_ids[_start:_start + 500]
            for space_id, user in db.session.execute(
                    sa.select(SpaceHost.space_id, User).join(User, User.id == SpaceHost.user_id)
                    .where(SpaceHost.space_id.in_(chunk), SpaceHost.is_confirmed).order_by(User.id)):
                self.hosts.setdefault(space_id, []).append(user)
        self._languages: dict[str, str] = {}

    def barred(self, space_id: int, address: str) -> bool:
        """Asked not to be written to, or answered "wrong address" for this listing (addresses compared by key)."""
        address = emails.key(address)
        return (address in self.opted_out_emails or space_id in self.opted_out_spaces
                or (space_id, address) in self.wrong)

    def language(self, country_code: str) -> str:
        found = self._languages.get(country_code)
        if found is None:
            found = self._languages[country_code] = country_language(country_code)
        return found

    def of(self, space: Space) -> tuple[str, str]:
        """(address, language) to write to about *space*; the address is "" when nothing usable is left.

        A confirmed host's account comes first (its address, its language); else the listing's own address in
        the language of its country among the site's languages; else English.
        """
        for host in self.hosts.get(space.id, ()):
            address = usable_address(host.email, self.smtputf8)
            if address and not self.barred(space.id, address):
                return address, host.language or self.language(space.country_code)
        address = usable_address(space.email, self.smtputf8)
        if address and not self.barred(space.id, address):
            return address, self.language(space.country_code)
        return "", self.language(space.country_code)


@dataclass
class Preview:
    """What a selection would do: how many mails, in which languages, how many listings without an address."""

    to_mail: int = 0
    no_address: int = 0
    languages: Counter = field(default_factory=Counter)
    already: int = 0  # in the campaign already (re-running create adds only the new ones)


def preview(selection: Selection, campaign: Campaign | None = None) -> Preview:
    out = Preview()
    present = _space_ids_in(campaign) if campaign is not None else set()
    spaces = selected_spaces(selection)
    recipients = Recipients([space.id for space in spaces], takes_smtputf8())
    for space in spaces:
        if space.id in present:
            out.already += 1
            continue
        address, language = recipients.of(space)
        if address:
            out.to_mail += 1
            out.languages[language] += 1
        else:
            out.no_address += 1
    return out


def _space_ids_in(campaign: Campaign) -> set[int]:
    return set(db.session.scalars(sa.select(CampaignEntry.space_id).where(CampaignEntry.campaign_id == campaign.id)))


def find_campaign(name: str) -> Campaign | None:
    return db.session.scalars(sa.select(Campaign).where(Campaign.name == name.strip())).first()


def create_campaign(name: str, selection: Selection, user_id: int | None = None) -> tuple[Campaign, int]:
    """The campaign *name* with an entry for each selected listing; returns it and how many entries it gained.

    Safe to run again: an existing campaign with the same selection gains only listings not in it yet.

    :raise CampaignError: an empty name, or the name is taken with another selection.
    """
    name = name.strip()
    if not name or len(name) > 80:
        raise CampaignError("a campaign needs a name of 1 to 80 characters")
    campaign = find_campaign(name)
    if campaign is None:
        campaign = Campaign(name=name, selection=selection.as_json(), created_by_id=user_id)
        db.session.add(campaign)
        db.session.flush()
    elif Selection.from_json(campaign.selection) != selection:
        raise CampaignError(f"campaign {name!r} exists with another selection")
    return campaign, add_entries(campaign, selected_spaces(selection))


def add_entries(campaign: Campaign, spaces: list[Space]) -> int:
    """Queue *spaces* in *campaign* (those not in it yet); a listing with no usable address goes to the volunteers."""
    present = _space_ids_in(campaign)
    recipients = Recipients([space.id for space in spaces if space.id not in present], takes_smtputf8())
    added = 0
    for space in spaces:
        if space.id in present:
            continue
        address, language = recipients.of(space)
        entry = CampaignEntry(campaign_id=campaign.id, space_id=space.id, email=address, language=language,
                              state=EntryState.QUEUED if address else EntryState.NO_ADDRESS)
        db.session.add(entry)
        added += 1
    db.session.flush()
    return added


def queued_entry_ids(campaign: Campaign) -> list[int]:
    return list(db.session.scalars(sa.select(CampaignEntry.id).where(
        CampaignEntry.campaign_id == campaign.id, CampaignEntry.state == EntryState.QUEUED).order_by(CampaignEntry.id)))


def mark_sent(entry: CampaignEntry) -> bool:
    """Take a queued entry for sending (False when another run took it already). The caller commits, then mails."""
    if entry.state != EntryState.QUEUED:
        return False
    if _opted_out_since(entry):
        entry.state = EntryState.NO_ADDRESS
        db.session.flush()
        return False
    # Claimed with a conditional UPDATE: of two `campaign send` runs at once, only one sees its row change.
    now = utcnow()
    claimed = db.session.execute(sa.update(CampaignEntry)
                                 .where(CampaignEntry.id == entry.id, CampaignEntry.state == EntryState.QUEUED)
                                 .values(state=EntryState.SENT, sent_at=now)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(entry)
    return claimed == 1


def _opted_out_since(entry: CampaignEntry) -> bool:
    """The address or the listing asked not to be written to after the entry was queued."""
    return bool(db.session.scalar(sa.select(sa.func.count()).select_from(MailOptOut).where(
        sa.or_(MailOptOut.email == emails.key(entry.email), MailOptOut.space_id == entry.space_id))))


def mark_refused(entry: CampaignEntry, reason: str) -> None:
    """The mail server refused the address: kept with its reason, and the listing goes to the volunteers."""
    entry.state = EntryState.REFUSED
    entry.refused_reason = reason[:2000]
    hand_to_volunteers(entry)


def check_link(entry: CampaignEntry) -> str:
    # The page opens in the mail's language (the reader can switch it there).
    return absolute_url("campaigns.check", token=make_check_token(entry), lang=entry.language)


def mail_entry(entry: CampaignEntry, reminder: bool = False) -> None:
    """Send the campaign's mail (or its reminder) to the entry's address, in its language. Call after the commit.

    :raise smtplib.SMTPException: when the mail server refuses it (the caller records that).
    """
    send_message_now(entry.email, "campaign_check", entry.language,
                     **_mail_context(entry.space, check_link(entry), reminder))


def _mail_context(space: Space, link: str, reminder: bool = False) -> dict:
    return {"space": space, "link": link, "reminder": reminder, "country": space.country_code}


def render_mail(space: Space, language: str, link: str) -> tuple[str, str]:
    """(subject, text) of the campaign's mail about *space* in *language*: the admins' preview (the HTML part says
    the same, with the link as a button)."""
    subject, _summary, text, _html = render_message("campaign_check", language, **_mail_context(space, link))
    return subject, text


def due_reminders(campaign: Campaign, now: datetime | None = None) -> list[CampaignEntry]:
    """Sent, unanswered entries whose last mail is REMIND_AFTER old and that had fewer than MAX_REMINDERS."""
    cutoff = (now or utcnow()) - REMIND_AFTER
    last_mail = sa.func.coalesce(CampaignEntry.reminded_at, CampaignEntry.sent_at)
    return list(db.session.scalars(sa.select(CampaignEntry).where(
        CampaignEntry.campaign_id == campaign.id, CampaignEntry.state == EntryState.SENT,
        CampaignEntry.answered_at.is_(None), CampaignEntry.reminders_sent < MAX_REMINDERS,
        last_mail <= cutoff).order_by(CampaignEntry.id)).unique())


def mark_reminded(entry: CampaignEntry) -> None:
    entry.reminders_sent += 1
    entry.reminded_at = utcnow()
    db.session.flush()


def close_unanswered(campaign: Campaign, now: datetime | None = None) -> list[CampaignEntry]:
    """Entries still silent REMIND_AFTER after their last reminder: unanswered, handed to the volunteers."""
    cutoff = (now or utcnow()) - REMIND_AFTER
    entries = list(db.session.scalars(sa.select(CampaignEntry).where(
        CampaignEntry.campaign_id == campaign.id, CampaignEntry.state == EntryState.SENT,
        CampaignEntry.answered_at.is_(None), CampaignEntry.reminders_sent >= MAX_REMINDERS,
        CampaignEntry.reminded_at <= cutoff)).unique())
    for entry in entries:
        entry.state = EntryState.UNANSWERED
        hand_to_volunteers(entry)
    return entries


def volunteer_entries(campaign: Campaign) -> list[CampaignEntry]:
    """Entries mail cannot settle, not yet handed to the volunteers (a listing with no address, from create)."""
    return list(db.session.scalars(sa.select(CampaignEntry).where(
        CampaignEntry.campaign_id == campaign.id, CampaignEntry.to_volunteers_at.is_(None),
        sa.or_(CampaignEntry.state.in_(FOR_VOLUNTEERS), CampaignEntry.answer == Answer.WRONG_ADDRESS))).unique())


#: Why a listing goes to the volunteers, as their queue names it (visa.volunteers.models.TaskReason).
VOLUNTEER_REASONS = {EntryState.NO_ADDRESS: "no_email", EntryState.REFUSED: "mail_refused",
                     EntryState.UNANSWERED: "no_answer"}


def hand_to_volunteers(entry: CampaignEntry) -> None:
    """Mark the entry as the volunteers' (the entry records it first) and open the listing's task in their queue."""
    if entry.to_volunteers_at is not None:
        return
    entry.to_volunteers_at = utcnow()
    db.session.flush()
    reason = "wrong_address" if entry.answer == Answer.WRONG_ADDRESS else VOLUNTEER_REASONS[entry.state]
    detail = f"campaign {entry.campaign.name}"
    if entry.refused_reason:
        detail += f": {entry.refused_reason}"
    elif reason == "wrong_address":
        detail += f": {entry.email} is not this space's address"
    open_task(entry.space_id, reason, detail)


# -- Answers on /check/<token> ---------------------------------------------------------------------------------------

def answer_open(entry: CampaignEntry, values: dict) -> None:
    """Open, the right address: the terms as the contact gave them, one revision that confirms them."""
    space = entry.space
    if space.status == SpaceStatus.CLOSED and entry.answer == Answer.CLOSED:
        _set_status(space, SpaceStatus.APPROVED, entry)  # a correction of this link's own "we closed"
    update_terms(space, values, None, space.lock_version, source="campaign", by=ConfirmedBy.CONTACT,
                 via=entry.campaign.name, note=entry.campaign.name)
    _answered(entry, Answer.CONFIRMED)
    # The contact settled it: a volunteer need not (a finding already waiting for its validator stays).
    cancel_task(space.id, f"answered the mail of campaign {entry.campaign.name}")


def answer_closed(entry: CampaignEntry) -> None:
    """The space closed: the listing is archived (off search and export, history kept; an admin may restore it)."""
    space = entry.space
    if space.status != SpaceStatus.CLOSED:
        _set_status(space, SpaceStatus.CLOSED, entry)
    _answered(entry, Answer.CLOSED)
    cancel_task(space.id, f"closed, as its contact answered the mail of campaign {entry.campaign.name}")


def answer_wrong_address(entry: CampaignEntry) -> None:
    """Not this space's contact: the address is marked wrong for this listing, which goes to the volunteers."""
    _answered(entry, Answer.WRONG_ADDRESS)
    hand_to_volunteers(entry)


def answer_opt_out(entry: CampaignEntry) -> None:
    """"Do not write to us again": no campaign writes to this address, or about this listing, again."""
    address = emails.key(entry.email)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(MailOptOut).where(
            MailOptOut.email == address, MailOptOut.space_id == entry.space_id)):
        db.session.add(MailOptOut(email=address, space_id=entry.space_id, campaign_id=entry.campaign_id))
    if entry.answer is None:
        _answered(entry, Answer.OPTED_OUT)
    db.session.flush()


def _answered(entry: CampaignEntry, answer: Answer) -> None:
    entry.answer = answer
    entry.answered_at = utcnow()
    entry.state = EntryState.ANSWERED
    db.session.flush()


def _set_status(space: Space, status: SpaceStatus, entry: CampaignEntry) -> None:
    before = snapshot(space)
    space.status = status
    revision = record_revision(space, before, None, "campaign")
    if revision is not None:
        revision.note = entry.campaign.name


def manage_yourself(entry: CampaignEntry) -> User:
    """A host account for the address the mail reached, already linked to the listing (no claim to approve).

    The link proved the address, so the account is confirmed; it has no usable password until its owner sets one
    through the mail the caller sends (:func:`visa.accounts.services.send_reset`) after the commit.
    """
    user = find_user(entry.email)
    if user is None:
        user = create_user(entry.email, secrets.token_urlsafe(32), is_confirmed=True)
        user.language = entry.language
    link = db.session.get(SpaceHost, (entry.space_id, user.id))
    if link is None:
        db.session.add(SpaceHost(space_id=entry.space_id, user_id=user.id, is_confirmed=True))
    else:
        link.is_confirmed = True
    db.session.flush()
    return user
