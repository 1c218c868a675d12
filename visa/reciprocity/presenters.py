"""Verdicts in words: each reason and condition code becomes a translated sentence."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext

from visa.directory import terms_schema
from visa.directory.presenters import WEEKDAY_LABELS, allowance_text, headline
from visa.l10n import date_label, distance_label, isolate, month_day, short_day_label, weekday_name, weekdays_in_words
from visa.reciprocity.rules import Finding, Verdict


def _days(names: list[str]) -> str:
    return ", ".join(str(WEEKDAY_LABELS[n]) for n in names)


def reason_text(f: Finding) -> str:
    # Names and contacts are the hosts' own words: isolated, so that their direction cannot turn the sentence.
    d = {k: isolate(v) if k in ("host", "home", "contact") else v for k, v in f.data.items()}
    texts = {
        # Translators: %(host)s is the name of the space the traveller may visit.
        # The verdict: this space hosts members of the traveller's home space; the
        # traveller runs no space (see docs/GLOSSARY.md).
        "honored": lambda: _("%(host)s honors your membership.", host=d.get("host", "")),
        "home_not_listed": lambda: _("Your home space is not an approved listing of the directory."),
        "host_not_listed": lambda: _("This space is not an approved listing of the directory."),
        # Translators: %(home)s is the name of the traveller's home space.
        "home_not_participating": lambda: _("%(home)s does not take part in the Coworking Visa at the moment.",
                                            home=d.get("home", "")),
        # Translators: %(host)s is the name of the space the traveller may visit.
        "host_not_participating": lambda: _("%(host)s does not host visa visitors at the moment.", host=d.get("host", "")),
        "host_terms_unknown": lambda: _ask_before_going(
            # Translators: %(host)s is the name of the space the traveller may visit.
            _("%(host)s has not said whether it takes part in the Coworking Visa.", host=d.get("host", "")),
            d.get("contact")),
        # Translators: %(home)s is the name of the traveller's home space.
        "home_terms_unknown": lambda: _("%(home)s has not confirmed that it takes part in the Coworking Visa.",
                                        home=d.get("home", "")),
        "same_space": lambda: _("This is your home space: you work here as a member, not as a visitor."),
        # Translators: %(home)s is the name of the traveller's home space.
        "excluded_space": lambda: _("This host does not host members of %(home)s.", home=d.get("home", "")),
        # Translators: %(distance)s is the distance between the traveller's home
        # space and this host; %(min)s the smallest distance the host asks for.
        # Both with their unit (“120 km”).
        "too_close": lambda: _("Your home space is %(distance)s away and this host only hosts members from more than "
                               "%(min)s.", distance=distance_label(d["distance_km"]),
                               min=distance_label(d["min_distance_km"])),
        # Translators: %(distance)s is the distance between the traveller's home
        # space and this host; %(min)s the smallest distance the host asks for.
        # Both with their unit (“120 km”).
        "far_enough": lambda: _("Your home space is %(distance)s away; this host asks for at least %(min)s.",
                                distance=distance_label(d["distance_km"]), min=distance_label(d["min_distance_km"])),
        "same_city": lambda: _("This host does not host members from its own city."),
        # Translators: %(home)s is the name of the traveller's home space.
        "not_reciprocal": lambda: _("This host only hosts members of spaces that would host its own members, and "
                                    "%(home)s would not.", home=d.get("home", "")),
        # Translators: %(home)s is the name of the traveller's home space.
        "reciprocal": lambda: _("This host only hosts members of spaces that would host its own members; %(home)s "
                                "would.", home=d.get("home", "")),
        # Translators: %(date)s is a date written by Babel; %(day)s its weekday in
        # full (“Saturday”); %(days)s the weekdays the host is open to visitors,
        # in full, as a list (“Monday, Tuesday and Wednesday”).
        "closed_weekday": lambda: _("%(date)s is a %(day)s; visitors are hosted on %(days)s.", date=_date(d["date"]),
                                    day=weekday_name(date.fromisoformat(d["date"])),
                                    days=weekdays_in_words([_WEEK.index(n) for n in d["open_days"]])),
        # Translators: %(date)s is a date written by Babel; %(start)s and %(end)s
        # the first and last day of the host's season, as month and day
        # (“September 1”).
        "out_of_season": lambda: _("%(date)s is outside the visa season (%(start)s to %(end)s).",
                                   date=_date(d["date"]), start=_month_day(d["season_start"]),
                                   end=_month_day(d["season_end"])),
        # Translators: %(date)s is a date; %(start)s and %(end)s the first and
        # last day of the closed period. All written by Babel.
        "blackout": lambda: _("%(date)s falls in a period closed to visitors (%(start)s to %(end)s).",
                              date=_date(d["date"]), start=_date(d["start"]), end=_date(d["end"])),
        # Translators: %(date)s is a date written by Babel.
        "open_on_date": lambda: _("Visitors are hosted on %(date)s.", date=_date(d["date"])),
    }
    return texts[f.code]() if f.code in texts else f.code


def _date(iso: str) -> str:
    """The findings carry ISO dates (the API gives them as they are); people read "Dec 24, 2026"."""
    return date_label(date.fromisoformat(iso))


def _month_day(text: str) -> str:
    """A season bound "09-01" as "September 1"."""
    month, day = text.split("-")
    return month_day(int(month), int(day))


def _ask(text: str, contact: str | None) -> str:
    """*text*, then whom to ask."""
    # Translators: %(contact)s is the space's contact as its host wrote it: an
    # e-mail address, a phone number or a web address.
    return f"{text} " + (_("Ask the space: %(contact)s.", contact=contact) if contact else _("Ask the space."))


def _ask_before_going(text: str, contact: str | None) -> str:
    """*text*, then whom to ask before a trip: an unknown is a question for the host, not a refusal."""
    # Translators: %(contact)s is the space's contact as its host wrote it: an
    # e-mail address, a phone number or a web address.
    return f"{text} " + (_("Ask before going: %(contact)s.", contact=contact) if contact
                         else _("Ask the space before going."))


def _term_label(rule: str) -> str:
    """The label of the terms field behind a rules' term name, as the "not stated" condition names it."""
    field = terms_schema.BY_RULE.get(rule)
    return _(field.shown_label).lower() if field else rule


def condition_text(f: Finding, with_contact: bool = True) -> str:
    d = {k: isolate(v) if k == "contact" else v for k, v in f.data.items()}
    if f.code == "free_days":
        return allowance_text(d["per_visit"], d.get("per_month"), d.get("per_year"))
    if f.code == "request":
        how = {"email": _("email the host"), "form": _("use the host's form"), "phone": _("phone the host"),
               None: _("ask the host")}.get(d["method"], d["method"])
        contact = f" ({d['contact']})" if with_contact and d.get("contact") else ""
        if d["notice_hours"] is None:
            return f"{how}{contact}"
        # Translators: %(h)d is a number of hours: how long ahead the host wants
        # to be asked.
        when = (_("%(h)d hours ahead", h=d["notice_hours"]) if d["notice_hours"] else _("no notice needed"))
        return f"{how} {when}{contact}" if d["notice_hours"] else f"{how}, {when}{contact}"
    if f.code == "membership_proof":
        return _("bring proof of your membership")
    if f.code == "capacity":
        # Translators: %(num)d is the number of visitors the host takes on one
        # day.
        return ngettext("at most %(num)d visitor a day", "at most %(num)d visitors a day", d["per_day"])
    if f.code == "weekdays":
        # Translators: %(days)s is the weekdays the host is open to visitors,
        # abbreviated (“Mon, Tue, Wed”).
        return _("visitors hosted on %(days)s", days=_days(d["open_days"]))
    if f.code == "season":
        # Translators: %(start)s and %(end)s are the first and last day of the
        # host's season, as month and day (“September 1”).
        return _("visitors hosted from %(start)s to %(end)s", start=_month_day(d["start"]), end=_month_day(d["end"]))
    if f.code == "blackouts":
        # Translators: %(periods)s is a list of periods (“Dec 24, 2026 to Jan 2,
        # 2027; …”).
        return _("closed %(periods)s", periods="; ".join(_("%(start)s to %(end)s", start=_date(s), end=_date(e))
                                                         for s, e in d["periods"]))
    if f.code == "not_stated":
        # Translators: %(terms)s is a list of the terms the host has not stated
        # (“free days per visit; advance notice”).
        return _ask(_("not stated by the host: %(terms)s.", terms="; ".join(_term_label(t) for t in d["terms"])),
                    d.get("contact"))
    return f.code


def summary(verdict: Verdict) -> str:
    """One sentence: "Honors your membership: 3 free days a month, email the host 48 hours ahead ..."."""
    if is_closed_day(verdict):
        return closed_day_text(verdict)
    if verdict.honored:
        by_code = {c.code: c for c in verdict.conditions}
        days = condition_text(by_code["free_days"])
        request_text = condition_text(by_code["request"], with_contact=False)
        # Translators: %(days)s is the free days (“3 free days per visit”);
        # %(request)s how to ask (“email the host 48 hours ahead”). The verdict:
        # this space hosts members of the traveller's home space (see
        # docs/GLOSSARY.md).
        text = _("Honors your membership: %(days)s, %(request)s", days=days, request=request_text)
        if "membership_proof" in by_code:
            text += _(" with your membership card")
        return text
    if verdict.honored is None:
        # Translators: %(why)s is one or more sentences saying why the verdict is
        # unknown.
        return _("Unknown: %(why)s", why=" ".join(reason_text(r) for r in verdict.reasons))
    # Translators: %(why)s is one or more sentences saying why this space does
    # not host members of the traveller's home space.
    return _("Does not honor your membership: %(why)s",
             why=" ".join(reason_text(r) for r in verdict.reasons))


def verdict_state(honored: bool | None) -> str:
    """The CSS class and data value of a verdict: "yes", "unknown" or "no" (never unknown shown as no)."""
    return "yes" if honored else "unknown" if honored is None else "no"


#: The order of "Show all" with a home space: the hosts that honor it, then the unknown, then the refusals.
STATE_ORDER = {True: 0, None: 1, False: 2}


def verdict_json(verdict: Verdict) -> dict:
    body = verdict.as_dict()
    body["summary"] = summary(verdict)
    body["reasons"] = [{"code": r.code, "text": reason_text(r), **r.data} for r in verdict.reasons]
    body["conditions"] = [{"code": c.code, "text": condition_text(c), **c.data} for c in verdict.conditions]
    return body


#: Reasons that concern only the day asked about: the membership is honored on the host's other days.
DAY_CODES = frozenset({"closed_weekday", "out_of_season", "blackout"})
#: "Not on Sundays": a weekday in the plural, as a sentence about every such day.
WEEKDAYS_PLURAL = {
    "mon": lazy_gettext("Mondays"), "tue": lazy_gettext("Tuesdays"), "wed": lazy_gettext("Wednesdays"),
    "thu": lazy_gettext("Thursdays"), "fri": lazy_gettext("Fridays"), "sat": lazy_gettext("Saturdays"),
    "sun": lazy_gettext("Sundays"),
}
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_closed_day(verdict: Verdict) -> bool:
    """Refused only because of the day asked about: not a refusal of the membership."""
    return not verdict.honored and bool(verdict.reasons) and all(r.code in DAY_CODES for r in verdict.reasons)


def weekday_span_text(names: list[str]) -> str:
    """ "Mon–Fri" for a run of three days or more, else "Mon, Wed, Fri"."""
    picked = [d for d in _WEEK if d in names]
    runs: list[list[str]] = []
    for day in picked:
        if runs and _WEEK.index(runs[-1][-1]) + 1 == _WEEK.index(day):
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{WEEKDAY_LABELS[run[0]]}–{WEEKDAY_LABELS[run[-1]]}")
        else:
            words.extend(str(WEEKDAY_LABELS[d]) for d in run)
    return ", ".join(words)


def closed_day_text(verdict: Verdict) -> str:
    """ "Not on Sundays: this host hosts Mon–Fri", once, for a day the host does not host on."""
    first = verdict.reasons[0]
    d = first.data
    if first.code == "closed_weekday":
        # Translators: %(days)s is a weekday in the plural (“Sundays”); %(open)s
        # the days the host is open to visitors, abbreviated (“Mon–Fri”).
        return _("Not on %(days)s: this host hosts %(open)s", days=str(WEEKDAYS_PLURAL[d["weekday"]]),
                 open=weekday_span_text(d["open_days"]))
    if first.code == "out_of_season":
        # Translators: %(date)s is a date; %(start)s and %(end)s the first and
        # last day of the host's season, as month and day (“September 1”).
        return _("Not on %(date)s: this host hosts from %(start)s to %(end)s", date=_date(d["date"]),
                 start=_month_day(d["season_start"]), end=_month_day(d["season_end"]))
    # Translators: %(date)s is a date; %(start)s and %(end)s the first and
    # last day of the closed period. All written by Babel.
    return _("Not on %(date)s: this host is closed to visitors from %(start)s to %(end)s", date=_date(d["date"]),
             start=_date(d["start"]), end=_date(d["end"]))


def visitor_headline(terms, verdict: Verdict | None) -> str:
    """The headline a visitor reads: the space's terms, unless its verdict gives them no free day at all."""
    if verdict is None or verdict.honored is not False or is_closed_day(verdict):
        return headline(terms)
    return _("No free days for members of your home space")


def possible_days_text(days: list[date] | None) -> str | None:
    """ "Possible: Mon, Dec 7, Tue, Dec 8 and 3 more" for a planned visit's days; None when no dates were given."""
    if days is None:
        return None
    if not days:
        return _("No possible day in these dates.")
    # Translators: %(days)s is a list of days, written by Babel (“Tue, Nov 10;
    # Wed, Nov 11”).
    text = _("Possible: %(days)s", days="; ".join(short_day_label(d) for d in days[:_DAYS_SHOWN]))
    if len(days) > _DAYS_SHOWN:
        # Translators: %(n)d is a number of further days not shown. Follows the
        # list of possible days.
        text += " " + _("and %(n)d more", n=len(days) - _DAYS_SHOWN)
    return text


_DAYS_SHOWN = 10
