"""The members' questionnaire, versioned (pure: no Flask, no database).

Each question, its scale and its source are described in docs/IMPACT.md; a change of wording or of a scale is a
new :data:`VERSION`, so that figures of different versions are never added up. Every question may be skipped:
an answer holds only the questions answered, and never a name, an e-mail or an address.

Texts are English msgids marked with :func:`~visa.messages.N_`; pages translate them where they are shown.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from visa.messages import N_, MessageError, define

#: The questionnaire's version, kept with every wave and published with every figure.
VERSION = "2026.1"
#: The open question's longest answer, in characters.
MAX_COMMENT = 2000

define({
    # Translators: %(value)r is the answer received, as sent (a code), in quotes.
    "survey_not_an_option": N_("%(value)r is not one of the answers to this question."),
    # Translators: %(count)s is the longest answer accepted, in characters (2000).
    "survey_comment_too_long": N_("Please keep this answer under %(count)s characters."),
})


class Kind(enum.StrEnum):
    AGREEMENT = "agreement"  # a 5-point scale from "strongly disagree" to "strongly agree"
    RANGE = "range"  # ranges or categories, never amounts
    TEXT = "text"  # the open question: its space's hosts only


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # an English msgid; digits alone are shown as they are


@dataclass(frozen=True)
class Reference:
    """A published figure of the field for the same indicator, shown beside the space's own."""

    source: str  # who published it, as the report names it
    share: float  # the proportion published


@dataclass(frozen=True)
class Question:
    key: str
    section: str  # a key of SECTIONS
    kind: Kind
    text: str  # an English msgid
    options: tuple[Option, ...] = ()
    #: Options that count as the indicator's "yes" (its headline proportion); empty: no headline.
    positive: frozenset[str] = frozenset()
    #: The headline, said of the share of members who gave a positive answer ("felt less isolated").
    headline: str = ""
    references: tuple[Reference, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def is_indicator(self) -> bool:
        return bool(self.positive)


AGREEMENT = (
    Option("strongly_disagree", N_("Strongly disagree")),
    Option("disagree", N_("Disagree")),
    Option("neutral", N_("Neither agree nor disagree")),
    Option("agree", N_("Agree")),
    Option("strongly_agree", N_("Strongly agree")),
)
AGREED = frozenset({"agree", "strongly_agree"})
HOW_MANY = (Option("none", N_("None")), Option("one", "1"), Option("two_to_five", N_("2 to 5")),
            Option("more_than_five", N_("More than 5")))
SOME = frozenset({"one", "two_to_five", "more_than_five"})
DISTANCES = (
    Option("home", N_("I work from home")),
    Option("under_2", N_("Under 2 km")),
    Option("2_5", N_("2 to 5 km")),
    Option("5_10", N_("5 to 10 km")),
    Option("10_20", N_("10 to 20 km")),
    Option("20_40", N_("20 to 40 km")),
    Option("40_80", N_("40 to 80 km")),
    Option("over_80", N_("More than 80 km")),
)
#: The distance counted for each range, one way (its middle; 100 km for "more than 80").
DISTANCE_KM = {"home": 0.0, "under_2": 1.0, "2_5": 3.5, "5_10": 7.5, "10_20": 15.0, "20_40": 30.0, "40_80": 60.0,
               "over_80": 100.0}
MODES = (
    Option("car_alone", N_("Driving alone")),
    Option("car_shared", N_("Sharing a car")),
    Option("public_transport", N_("Public transport")),
    Option("bike_walk", N_("Cycling or walking")),
    Option("other", N_("Other")),
)
#: The share of a car's emissions a kilometre by each mode is counted for (a shared car: two people in it).
CAR_SHARE = {"car_alone": 1.0, "car_shared": 0.5, "public_transport": 0.0, "bike_walk": 0.0, "other": 0.0}
DAYS = (Option("1", "1"), Option("2", "2"), Option("3", "3"), Option("4", "4"), Option("5", N_("5 or more")))
DAYS_A_WEEK = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}

SECTIONS = {
    "wellbeing": N_("Since you joined this space"),
    "work": N_("Work and income"),
    "commute": N_("Getting to work"),
    "about": N_("About you"),
    "open": N_("Anything else"),
}

DESKMAG = "Deskmag, Global Coworking Survey 2011"
GCUC = "GCUC / Emergent Research"

QUESTIONS: tuple[Question, ...] = (
    Question("isolation", "wellbeing", Kind.AGREEMENT, N_("I feel less isolated."), AGREEMENT, AGREED,
             N_("feel less isolated"), (Reference(DESKMAG, 0.88), Reference(GCUC, 0.83))),
    Question("social_circle", "wellbeing", Kind.AGREEMENT, N_("My social circle has grown."), AGREEMENT, AGREED,
             N_("have a larger social circle"), (Reference(DESKMAG, 0.93),)),
    Question("professional_network", "wellbeing", Kind.AGREEMENT, N_("My professional network has grown."),
             AGREEMENT, AGREED, N_("have a larger professional network"),
             (Reference(DESKMAG, 0.86), Reference(GCUC, 0.82))),
    Question("productivity", "wellbeing", Kind.AGREEMENT, N_("I am more productive."), AGREEMENT, AGREED,
             N_("are more productive"), (Reference(DESKMAG, 0.76),)),
    Question("engagement", "wellbeing", Kind.AGREEMENT, N_("I feel more engaged in my work."), AGREEMENT, AGREED,
             N_("feel more engaged in their work"), (Reference(GCUC, 0.84),)),
    Question("work_found", "work", Kind.RANGE,
             N_("In the last 12 months, how many jobs or clients came to you through people you met here?"),
             HOW_MANY, SOME, N_("found work or clients through the space")),
    Question("collaborations", "work", Kind.RANGE,
             N_("In the last 12 months, how many people you met here did you hire or work with?"),
             HOW_MANY, SOME, N_("hired or worked with someone they met here")),
    Question("income_change", "work", Kind.RANGE, N_("How has your income changed since you joined?"),
             (Option("fell", N_("It fell")), Option("same", N_("About the same")),
              Option("up_to_10", N_("It rose by up to 10%")), Option("10_to_25", N_("It rose by 10% to 25%")),
              Option("over_25", N_("It rose by more than 25%"))),
             frozenset({"up_to_10", "10_to_25", "over_25"}), N_("earn more than before")),
    Question("commute_before_km", "commute", Kind.RANGE,
             N_("Before you joined: how far was your usual place of work from home, one way?"), DISTANCES),
    Question("commute_before_mode", "commute", Kind.RANGE, N_("How did you usually travel there?"), MODES),
    Question("commute_now_km", "commute", Kind.RANGE, N_("Now: how far is this space from your home, one way?"),
             DISTANCES),
    Question("commute_now_mode", "commute", Kind.RANGE, N_("How do you usually travel here?"), MODES),
    Question("days_per_week", "commute", Kind.RANGE, N_("How many days a week do you usually work here?"), DAYS),
    Question("tenure", "about", Kind.RANGE, N_("How long have you been a member of this space?"),
             (Option("under_6_months", N_("Under 6 months")), Option("6_12_months", N_("6 to 12 months")),
              Option("1_2_years", N_("1 to 2 years")), Option("2_5_years", N_("2 to 5 years")),
              Option("over_5_years", N_("More than 5 years")))),
    Question("status", "about", Kind.RANGE, N_("What is your working status?"),
             (Option("freelancer", N_("Freelancer or self-employed")), Option("founder", N_("Founder or employer")),
              Option("remote_employee", N_("Employee of a company based elsewhere")),
              Option("local_employee", N_("Employee of a local company")), Option("student", N_("Student")),
              Option("other", N_("Other")))),
    Question("comment", "open", Kind.TEXT,
             N_("Anything else you would like to tell the hosts of this space? Only they read it.")),
)
BY_KEY = {question.key: question for question in QUESTIONS}
INDICATORS = tuple(question for question in QUESTIONS if question.is_indicator)
#: The questions whose answers are counted and published (all but the open one).
CLOSED_QUESTIONS = tuple(question for question in QUESTIONS if question.kind != Kind.TEXT)
COMMENT = "comment"


class AnswerError(MessageError):
    """An answer that is not one of the question's (a tampered form) or too long; ``field`` names the question."""

    def __init__(self, field: str, code: str, /, **params: object) -> None:
        self.field = field
        super().__init__(code, **params)


def clean(form: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """(answers, comment) from a submitted form: blank or missing questions are skipped.

    :raise AnswerError: a value that is not one of its question's options, or a comment over :data:`MAX_COMMENT`.
    """
    answers: dict[str, str] = {}
    for question in CLOSED_QUESTIONS:
        value = (form.get(question.key) or "").strip()
        if not value:
            continue
        if value not in question.values:
            raise AnswerError(question.key, "survey_not_an_option", value=value[:40])
        answers[question.key] = value
    comment = (form.get(COMMENT) or "").strip()
    if len(comment) > MAX_COMMENT:
        raise AnswerError(COMMENT, "survey_comment_too_long", count=MAX_COMMENT)
    return answers, comment
