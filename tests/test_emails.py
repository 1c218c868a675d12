"""E-mail addresses: the stored form, the key they are compared by, look-alike skeletons, and RFC 6531 (pure)."""

from __future__ import annotations

import pytest

from visa import emails


@pytest.mark.parametrize(("typed", "stored"), [
    ("Ana@Example.ORG", "ana@example.org"),
    ("ｆｕｌｌ@ｅｘａｍｐｌｅ.org", "full@example.org"),  # full-width letters are the ASCII ones (NFKC)
    ("  Müller@Member.Example ", "müller@member.example"),
    ("Straße@S.example", "straße@s.example"),  # lower case keeps the ß: that is the mailbox
])
def test_the_stored_address_is_nfkc_and_lower_case(typed, stored):
    assert emails.check(typed, smtputf8=True) == stored == emails.normalise(typed)


def test_an_address_beyond_ascii_before_the_at_needs_smtputf8():
    with pytest.raises(emails.AddressError) as refused:
        emails.check("müller@member.example", smtputf8=False)
    assert refused.value.code == "email_needs_smtputf8" and "ü" in str(refused.value)
    # Full-width ASCII is ASCII once normalised, and an international domain is written in ASCII (IDNA).
    assert emails.check("ｆｕｌｌ@example.org", smtputf8=False) == "full@example.org"
    assert emails.check("ana@bücher.example", smtputf8=False) == "ana@bücher.example"
    assert emails.needs_smtputf8("müller@member.example") and not emails.needs_smtputf8("ana@bücher.example")


@pytest.mark.parametrize("typed", ["not-an-address", "boss@", "a b@example.org", "@example.org", ""])
def test_what_is_not_an_address_is_refused(typed):
    with pytest.raises(emails.AddressError) as refused:
        emails.check(typed, smtputf8=True)
    assert refused.value.code == "email_invalid"


def test_addresses_are_compared_nfkc_and_case_folded():
    assert emails.key("Straße@s.example") == emails.key("STRASSE@S.EXAMPLE") == "strasse@s.example"
    assert emails.key("ｆｕｌｌ@example.org") == emails.key("Full@Example.org")
    assert emails.key("maria@example.org") != emails.key("mаria@example.org")  # a Cyrillic а: another address


@pytest.mark.parametrize(("one", "other"), [
    ("maria@example.org", "m\u0430ria@example.org"),  # Cyrillic а
    ("peter@example.org", "p\u0435ter@example.org"),  # Cyrillic е
    ("paypal@example.org", "paypa1@example.org"),  # digit one for l
    ("ana@example.org", "\u0430n\u0430@ex\u0430mple.org"),
])
def test_look_alikes_share_a_skeleton(one, other):
    assert emails.key(one) != emails.key(other)
    assert emails.skeleton(one) == emails.skeleton(other)


def test_different_addresses_keep_different_skeletons():
    assert emails.skeleton("maria@example.org") != emails.skeleton("mario@example.org")
    assert emails.skeleton("ana@example.org") != emails.skeleton("anna@example.org")


def test_spelled_names_every_letter_beyond_ascii():
    assert emails.spelled("m\u0430ria@example.org") == "m[CYRILLIC SMALL LETTER A]ria@example.org"
    assert emails.spelled("maria@example.org") == "maria@example.org"
