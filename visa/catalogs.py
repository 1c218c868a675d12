"""Keeping the translation catalogues honest: what each language still lacks, and why.

``make messages`` runs this module after extracting and updating: it prints,
per language, the messages that are untranslated, fuzzy (guessed by
``pybabel update`` and waiting for a translator's review) or whose
placeholders differ from the English, and exits non-zero while any remain.
tests/test_catalogs.py holds the shipped catalogues to the same rules.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"

#: %(name)s, %s, %d, %.1f, %%: what Python's %-formatting reads in a python-format message.
_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*\d*(?:\.\d+)?(?P<kind>[diouxXeEfFgGcrsa%])")


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    why: str

    def __str__(self) -> str:
        return f"{self.language}: {self.why}: {self.msgid!r}"


def placeholders(text: str) -> list[str]:
    """The %-placeholders of ``text``, sorted: named ones by name, positional ones in order ("%%" left out)."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match["kind"] == "%":
            continue
        found.append(f"%({match['name']}){match['kind']}" if match["name"] is not None else f"%{match['kind']}")
    named = sorted(p for p in found if p.startswith("%("))
    return named + [p for p in found if not p.startswith("%(")]


def shipped_languages(directory: Path = TRANSLATIONS) -> list[str]:
    """The languages with a catalogue: the names of ``directory/*/LC_MESSAGES/messages.po``."""
    return sorted(p.parent.parent.name for p in directory.glob("*/LC_MESSAGES/messages.po"))


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _texts(message: Message) -> tuple[list[str], list[str]]:
    ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
    strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
    return ids, strings


def _placeholder_problem(message: Message) -> str | None:
    ids, strings = _texts(message)
    if not message.python_format and not any(placeholders(i) for i in ids):
        return None
    # Every plural form must use the plural msgid's placeholders (a singular may drop %(num)s, so compare sets).
    expected = set(placeholders(ids[-1])) | set(placeholders(ids[0]))
    for string in strings:
        extra = set(placeholders(string)) - expected
        if extra:
            return f"placeholder {', '.join(sorted(extra))} is not in the English"
    used = set().union(*(placeholders(s) for s in strings)) if strings else set()
    missing = {p for p in set(placeholders(ids[0])) if p not in used}
    if missing:
        return f"placeholder {', '.join(sorted(missing))} is missing"
    return None


def problems(language: str, catalog: Catalog, template: Catalog | None = None) -> list[Problem]:
    """What keeps ``catalog`` from being complete: untranslated, fuzzy, or placeholders that differ.

    With ``template``, a message of the template that the catalogue does not have
    at all is reported too (the catalogue was not updated after an extraction).
    """
    found: list[Problem] = []
    if template is not None:
        found += [Problem(language, m.id if isinstance(m.id, str) else m.id[0], "not in the catalogue (run make messages)")
                  for m in template if m.id and catalog.get(m.id, m.context) is None]  # msgctxt is part of the key
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        _ids, strings = _texts(message)
        if not all(s.strip() for s in strings):
            found.append(Problem(language, msgid, "untranslated"))
        elif message.fuzzy:
            found.append(Problem(language, msgid, "fuzzy"))
        else:
            why = _placeholder_problem(message)
            if why:
                found.append(Problem(language, msgid, why))
    return found


def report(directory: Path = TRANSLATIONS) -> int:
    """Print what each language lacks; the number of problems (0: every catalogue is complete)."""
    template = read_catalog(directory / "messages.pot")
    total = 0
    for language in shipped_languages(directory):
        catalog = read_catalog(directory / language / "LC_MESSAGES" / "messages.po")
        found = problems(language, catalog, template)
        total += len(found)
        print(f"{language}: {len(template) - len(found)} of {len(template)} messages ready"
              + ("" if found else " (complete)"))
        for problem in found:
            print(f"  {problem.why}: {problem.msgid!r}")
    return total


if __name__ == "__main__":
    sys.exit(1 if report() else 0)
