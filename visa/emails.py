"""E-mail addresses as the site takes them in: checked, written one way, compared by a key, and told apart from
their look-alikes by a skeleton (pure).

Three forms of one address:

- :func:`check` and :func:`normalise` give the address that is stored and mailed to: NFKC (full-width
  ``ｆｕｌｌ@example.org`` is ``full@example.org``) and lower case, as the site has always kept addresses.
  An address with letters beyond ASCII before the @ (RFC 6531, ``müller@member.example``) can only be
  delivered by a mail server that offers SMTPUTF8, so :func:`check` takes it only when told the server does.
- :func:`key` is what two addresses are compared by: NFKC and case-folded (``Straße`` and ``strasse`` are one
  account; lower case alone keeps the ß).
- :func:`skeleton` maps each character to the one it is confused with (Unicode's confusables, UTS #39), so that
  ``mаria@example.org`` with a Cyrillic "а" and ``maria@example.org`` share one: a different key with the
  same skeleton is a look-alike, flagged to the admins rather than taken as a second person.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from visa.messages import N_, MessageError, define

define({
    "email_invalid": N_("Enter an e-mail address such as name@example.org."),
    # Translators: %(letters)s are the letters before the @ that the mail
    # server cannot deliver to, separated by commas.
    "email_needs_smtputf8": N_("This site's mail server cannot deliver to an address with %(letters)s before the "
                               "@. Please give an address written in ASCII letters."),
})


class AddressError(MessageError):
    """An address the site cannot take (codes ``email_invalid``, ``email_needs_smtputf8``)."""


def normalise(address: str) -> str:
    """The address as it is stored and mailed to (no check: see :func:`check`)."""
    return unicodedata.normalize("NFKC", address.strip()).lower()


def check(address: str, smtputf8: bool) -> str:
    """The address as it is stored, once it is one the site can write to.

    *smtputf8*: whether the mail server delivers to an address with letters beyond ASCII before the @.

    :raise AddressError: when it is not an address, or needs SMTPUTF8 and the server does not offer it.
    """
    try:
        found = validate_email(normalise(address), check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        raise AddressError("email_invalid") from None
    if found.smtputf8 and not smtputf8:
        letters = sorted({c for c in found.local_part if not c.isascii()})
        raise AddressError("email_needs_smtputf8", letters=", ".join(letters))
    return normalise(found.normalized)


def needs_smtputf8(address: str) -> bool:
    """Whether the part before the @ has a character beyond ASCII (an IDN domain alone is written in ASCII)."""
    return not address.rpartition("@")[0].isascii()


def key(address: str) -> str:
    """What addresses are compared by: NFKC, case-folded, NFKC again (folding can undo the first)."""
    return unicodedata.normalize("NFKC", normalise(address).casefold())


def skeleton(address: str) -> str:
    """The address with every character replaced by its confusables prototype (UTS #39's skeleton).

    Prototypes come from confusable_homoglyphs' table of Unicode's confusables.txt, loaded on first use (about
    9 MB, so not in workers that never compare addresses).
    """
    text = unicodedata.normalize("NFD", key(address))
    return unicodedata.normalize("NFD", "".join(_prototype(c) for c in text))


def spelled(address: str) -> str:
    """The address with every character beyond ASCII named, for an admin comparing look-alikes:
    ``m[CYRILLIC SMALL LETTER A]ria@example.org``."""
    return "".join(c if c.isascii() else f"[{unicodedata.name(c, f'U+{ord(c):04X}')}]" for c in address)


def _prototype(char: str) -> str:
    from confusable_homoglyphs.confusables import confusables_data

    # The table maps a prototype to everything confused with it, and everything else to its one prototype. Two
    # characters confused only with each other each list the other: the smaller one stands for both.
    found = [_bare(h["c"]) for h in confusables_data.get(char, ())]
    if len(found) != 1:
        return char
    target = found[0]
    back = [_bare(h["c"]) for h in confusables_data.get(target, ())] if len(target) == 1 else []
    return min(char, target) if back == [char] else target


def _bare(text: str) -> str:
    # The table wraps right-to-left characters in LEFT-TO-RIGHT MARKs for display.
    return text.replace("\u200e", "")
