"""The glossary's checked renderings hold in every catalogue (docs/GLOSSARY.md, "Checked renderings").

The table is data: a row names an English pattern, a language, what the translation
must use and what it must never say. A reviewer's finding becomes a row, and the
catalogues cannot drift back to the wrong rendering.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from visa.catalogs import TRANSLATIONS, read_catalog, shipped_languages

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "GLOSSARY.md"


def checked_renderings(text: str) -> list[dict[str, str]]:
    """The rows of the "Checked renderings" table; ``\\|`` inside a cell is a literal bar."""
    section = text.split("## Checked renderings", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if cells[0] == "English pattern":
            continue
        english, language, uses, never, _why = cells
        rows.append({"english": english, "language": language, "uses": uses, "never": never})
    return rows


ROWS = checked_renderings(GLOSSARY.read_text(encoding="utf-8"))


def test_the_table_is_read_and_covers_every_language():
    assert {row["language"] for row in ROWS} == set(shipped_languages())


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def misrenderings(rows: list[dict[str, str]], language: str, catalog) -> list[str]:
    found = []
    for row in (r for r in rows if r["language"] == language):
        english = re.compile(row["english"], re.IGNORECASE)
        uses, never = re.compile(row["uses"], re.IGNORECASE), re.compile(row["never"], re.IGNORECASE)
        for message in catalog:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if not msgid or not english.search(msgid):
                continue
            for string in _strings(message):
                if row["uses"] != "—" and not uses.search(string):
                    found.append(f"{msgid!r}: {string!r} does not use {row['uses']!r}")
                if never.search(string):
                    found.append(f"{msgid!r}: {string!r} says {row['never']!r}")
    return found


@pytest.mark.parametrize("language", shipped_languages())
def test_every_catalogue_uses_the_glossary_terms(language):
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    found = misrenderings(ROWS, language, catalog)
    assert not found, "\n".join(found)


def test_a_known_wrong_rendering_is_caught():
    """The check can fail: the Spanish verdict as it was before the review."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="es")
    catalog.add("%(host)s honors your membership.", "%(host)s acepta a tus miembros.")
    assert len(misrenderings(ROWS, "es", catalog)) == 2


def test_a_claim_worded_as_a_request_and_a_state_visa_compound_are_caught():
    """The renderings the review found: a claim called a request, a visa pass read as a state's visa."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="pt")
    catalog.add("Your claim waits for a network admin.", "O seu pedido aguarda um administrador da rede.")
    catalog.add("Your visa pass", "O seu passe do visto")
    catalog.add("Visa requests answered", "Pedidos de visita respondidos")
    found = misrenderings(ROWS, "pt", catalog)
    assert [f.split(":", 1)[0] for f in found] == ["'Your claim waits for a network admin.'"] * 2 + ["'Your visa pass'"]
