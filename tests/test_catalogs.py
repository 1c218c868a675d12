"""The catalogues are honest: complete, reviewed, the same placeholders as the English, and they compile."""

from __future__ import annotations

import contextlib
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo

from visa.catalogs import TEMPLATE, TRANSLATIONS, placeholders, problems, read_catalog, shipped_languages

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = shipped_languages()


def test_the_promised_languages_are_shipped():
    assert set(LANGUAGES) >= {"pt", "es", "fr", "de", "it"}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(TEMPLATE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_reviewed_and_keeps_its_placeholders(language, template):
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    assert catalog.locale is not None and str(catalog.locale) == language
    found = problems(language, catalog, template)
    assert not found, "\n".join(map(str, found[:30]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_compiles_and_formats(language):
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    for message in catalog:
        if not message.id or not message.python_format:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        values = {p[2:-2]: 1 for p in placeholders(" ".join(strings)) if p.startswith("%(")}
        for string in strings:
            string % values  # raises on a broken placeholder such as "%(num)" or a stray "%"
    singular, plural = "%(num)d space near %(place)s", "%(num)d spaces near %(place)s"
    assert translations.ngettext(singular, plural, 1) != translations.ngettext(singular, plural, 5)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """The texts of the code as `make messages` extracts them now (keywords and comment tag from the Makefile)."""
    fresh = tmp_path_factory.mktemp("extract") / "messages.pot"
    # The options of `make messages`, read from the Makefile so the two cannot drift apart.
    options = re.search(r"pybabel extract -F babel.cfg (.*?) \\", (ROOT / "Makefile").read_text()).group(1).split()
    with contextlib.chdir(ROOT):
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", *options, "-o", str(fresh), "."])
    return read_catalog(fresh)


def test_the_template_holds_every_text_of_the_code(extracted):
    """Nobody wrapped a text without running `make messages`: extracting again finds nothing new."""
    fresh = {m.id for m in extracted if m.id}
    committed = {m.id for m in read_catalog(TEMPLATE) if m.id}
    assert not fresh - committed, f"run make messages, then translate: {sorted(fresh - committed)[:10]}"


#: English words with two meanings on this site: each comes with its meaning as msgctxt ("From" a date or a
#: country, a host's "Claims" or a complaint, a member's "Pass" or to pass, a trip's "Stop" or to stop).
TWO_MEANINGS = {"From", "To", "Claim", "Claims", "Pass", "Pass card", "Pass token", "Pass %(id)s, issued %(day)s",
                "Stop", "Stop %(n)d"}


def test_a_word_with_two_meanings_carries_its_meaning(extracted):
    bare = sorted(m.id for m in extracted if m.id in TWO_MEANINGS and not m.context)
    assert not bare, f"use pgettext (lazy_pgettext) with a context saying what is meant: {bare}"
    assert {m.id for m in extracted if m.context} >= {"From", "To", "Claims", "Pass card", "Stop %(n)d"}


def without_translator_comment(catalog: Catalog) -> list[str]:
    """The messages with a placeholder and no ``# Translators:`` comment saying what it holds.

    Extraction keeps only the comments tagged ``Translators:`` (``-c``), so any extracted comment is one.
    """
    found = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.id and any(placeholders(i) for i in ids) and not message.auto_comments:
            found.append(f"{ids[0]!r} ({', '.join(f'{f}:{n}' for f, n in message.locations[:2])})")
    return found


def test_every_sentence_with_a_placeholder_tells_the_translator_what_it_holds(extracted):
    """A `# Translators:` comment (`{# Translators: ... #}` in a template) right before the call, one per message:
    "%(name)s is the name of a coworking space", "%(days)s the day or days of the visit, written by Babel"."""
    missing = without_translator_comment(extracted)
    assert not missing, "add a Translators: comment before:\n" + "\n".join(missing[:20])


def test_a_placeholder_without_a_comment_is_found():
    catalog = Catalog(locale="de")
    catalog.add("Impact of %(name)s", auto_comments=["%(name)s is the name of a coworking space."])
    catalog.add("Back to %(name)s", locations=[("templates/x.html", 3)])
    catalog.add("Back")
    assert without_translator_comment(catalog) == ["'Back to %(name)s' (templates/x.html:3)"]


def _catalog(*messages: tuple) -> Catalog:
    catalog = Catalog(locale="de")
    for msgid, string, *flags in messages:
        catalog.add(msgid, string, flags=flags)
    return catalog


def test_the_check_finds_each_kind_of_problem():
    catalog = _catalog(("Save", ""), ("Search", "Suche", "fuzzy"),
                       ("Spaces near %(place)s", "Spaces in der Nähe von %(ort)s", "python-format"),
                       ("Stop %(n)d", "Station", "python-format"),
                       (("%(num)d day", "%(num)d days"), ("%(num)d Tag", "%(num)d Tage"), "python-format"),
                       ("Back", "Zurück"))
    found = {p.msgid: p.why for p in problems("de", catalog)}
    assert found == {"Save": "untranslated", "Search": "fuzzy",
                     "Spaces near %(place)s": "placeholder %(ort)s is not in the English",
                     "Stop %(n)d": "placeholder %(n)d is missing"}


def test_a_template_message_missing_from_a_catalogue_is_reported():
    template = _catalog(("Back", ""), ("Map", ""))
    found = problems("de", _catalog(("Back", "Zurück")), template)
    assert [(p.msgid, p.why) for p in found] == [("Map", "not in the catalogue (run make messages)")]


def test_placeholders_are_read_as_python_formats_them():
    assert placeholders("%(b)s and %(a)d, 100%% of %s") == ["%(a)d", "%(b)s", "%s"]
