"""Sentences that pure code writes for people, kept so that pages can say them in the reader's language (pure).

A pure module (no Flask) cannot know the reader's language, yet its errors
and report lines reach the web pages. It builds a :class:`Message`: the
English sentence itself (a ``str``, for logs, the CLI and tests), which also
keeps its stable code, its msgid and the values it names. A page passes it to
:func:`visa.l10n.say`, which translates the msgid and writes the values with
the l10n helpers (numbers, distances, country names, lists).

Every code is declared once with :func:`define`, its English msgid marked with
:func:`N_` so that ``make messages`` extracts it; tests/test_messages.py
renders each declared code in every shipped language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Every declared code and its msgid (English, with %(name)s placeholders).
MSGIDS: dict[str, str] = {}


def N_(text: str) -> str:  # the conventional name of a "translate later" marker
    """Mark *text* for extraction; it is translated where it is shown."""
    return text


def define(msgids: Mapping[str, str]) -> None:
    """Declare codes and their msgids; a code means one sentence everywhere."""
    for code, msgid in msgids.items():
        if MSGIDS.setdefault(code, msgid) != msgid:
            raise ValueError(f"message code {code!r} is declared twice with different words")


class Message(str):
    """An English sentence that remembers its code, msgid and values (``visa.l10n.say`` translates it)."""

    code: str
    msgid: str
    params: dict[str, object]

    def __new__(cls, code: str, /, **params: object) -> Message:
        msgid = MSGIDS[code]  # a KeyError here is a code nobody declared: tests/test_messages.py finds them
        self = super().__new__(cls, msgid % {name: english(value) for name, value in params.items()})
        self.code, self.msgid, self.params = code, msgid, params
        return self


class MessageError(ValueError):
    """An error said by a :class:`Message`: ``str(err)`` is English, ``visa.l10n.say(err.message)`` translated."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.message = Message(code, **params)
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.message.code


@dataclass(frozen=True)
class Distance:
    """A distance in a message: "1,571 km" in English, ``visa.l10n.distance_label`` on pages."""

    km: float

    def __str__(self) -> str:
        return f"{self.km:,.0f} km"


@dataclass(frozen=True)
class Place:
    """A town in a message: the gazetteer's English label, ``visa.l10n.place_label`` on pages."""

    label: str  # "Duluth, Georgia, United States"
    name: str = ""
    region: str = ""
    country: str = ""  # ISO 3166-1 alpha-2

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class AllOf:
    """Several things in a message: "a and b and c" in English, Babel's list pattern on pages ("a, b et c")."""

    items: tuple[object, ...]

    def __init__(self, items: Iterable[object]) -> None:
        object.__setattr__(self, "items", tuple(items))

    def __str__(self) -> str:
        return " and ".join(map(str, self.items))


def english(value: object) -> object:
    """A value as the English sentence writes it: wrappers by their ``str``, other values left to %-formatting."""
    return str(value) if isinstance(value, Distance | Place | AllOf) else value
