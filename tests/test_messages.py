"""Every sentence pure code writes for people is declared, English when printed, and said in every language.

A code raised but never declared would fail only when that error happens; a
declared code whose msgid has no translation would reach a French page in
English. Both are found here, before either ships.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from flask_babel import force_locale

import visa
import visa.moderation.importer  # declares the codes the samples below use
from visa.catalogs import placeholders, shipped_languages
from visa.l10n import say
from visa.messages import MSGIDS, AllOf, Distance, Message, MessageError, Place, define

PACKAGE = Path(visa.__file__).resolve().parent

#: Values for the placeholders that take a wrapper; any other placeholder gets a word.
SAMPLES = {
    "distance": Distance(1571.3),
    "place": Place("Duluth, Minnesota, United States", "Duluth", "Minnesota", "US"),
    "fixed": Place("Lisbon, Lisbon, Portugal", "Lisbon", "Lisbon", "PT"),
    "differences": AllOf([Message("different_website"), Message("different_address")]),
    "problem": Message("not_a_number", value="x"),
}


def _all_modules() -> None:
    """Import every module under visa/, so every define() has run."""
    for found in pkgutil.walk_packages(visa.__path__, "visa."):
        importlib.import_module(found.name)


def _message(code: str) -> Message:
    names = {p[2:-2] for p in placeholders(MSGIDS[code]) if p.startswith("%(")}
    return Message(code, **{name: SAMPLES.get(name, 42 if name in ("line", "number", "count") else "Xyz")
                            for name in names})


def _error_classes() -> set[str]:
    found, todo = set(), [MessageError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def test_every_declared_code_is_said_in_every_language(app):
    _all_modules()
    assert len(MSGIDS) > 50
    untranslated = []
    for code in sorted(MSGIDS):
        english = say(_message(code))  # the English page (towns and distances as the l10n helpers write them)
        for language in shipped_languages():
            with force_locale(language):
                said = say(_message(code))
            if said == english:
                untranslated.append((language, code, said))
    assert not untranslated, untranslated[:10]


def test_every_code_raised_is_declared(app):
    """Message("code", ...) and SomeError("code", ...) in the source: each code must be declared."""
    _all_modules()
    builders = {"Message"} | _error_classes()
    unknown = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            code = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            if name in builders and code is not None and code not in MSGIDS:
                unknown.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {code!r}")
    assert not unknown, unknown
    assert {"CleaningError", "InvalidWebsite", "MergeError"} <= builders


def test_a_message_is_its_english_sentence():
    message = Message("not_yes_no", value="maybe")
    assert message == "expected yes or no, found 'maybe'" and isinstance(message, str)
    assert (message.code, message.params) == ("not_yes_no", {"value": "maybe"})
    far = Message("far_from_city", distance=Distance(1571.3), place=SAMPLES["place"])
    assert far == "coordinates are 1,571 km from Duluth, Minnesota, United States"
    assert str(AllOf(["a", "b", "c"])) == "a and b and c"


def test_a_code_means_one_sentence():
    define({"not_yes_no": MSGIDS["not_yes_no"]})  # declaring it again with the same words is harmless
    with pytest.raises(ValueError, match="declared twice"):
        define({"not_yes_no": "yes or no, please"})


def test_values_are_written_for_the_reader(app):
    """Distances, towns, numbers and lists by the l10n helpers; what the user typed stays as typed."""
    far = Message("far_from_city", distance=Distance(1571.3), place=SAMPLES["place"])
    with force_locale("de"):
        assert say(far) == "die Koordinaten liegen 1.571 km von Duluth, Minnesota, Vereinigte Staaten entfernt"
        assert say(Message("not_a_whole_number", low=1, high=1000, value="2000")) == (
            "erwartet wurde eine ganze Zahl von 1 bis 1.000, nicht '2000'")
    with force_locale("fr"):
        assert say(SAMPLES["differences"].items[0]) == "un site web différent"
        assert say(Message("possible_duplicate", name="A", other="B", slug="b", differences=SAMPLES["differences"])) == (
            "« A » est proche de « B » (b), mais s’en distingue par un site web différent et une adresse différente")
    with force_locale("en_US"):
        assert "976 mi from Duluth, Minnesota, United States" in say(far)
    assert say("a header as it is") == "a header as it is"
