"""Pass tokens and the key store, with no app: sign, verify, refuse, rotate."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from visa.passes import tokens
from visa.passes.keys import KeyStore

CLAIMS = tokens.PassClaims("p-1", "Ana Sousa", "lisbon-hub", "Lisbon Hub", "PT", date(2026, 1, 1),
                           date(2026, 12, 31), datetime(2025, 12, 20, 10, 0, tzinfo=UTC))


@pytest.fixture
def store(tmp_path) -> KeyStore:
    return KeyStore(tmp_path / "keys")


def test_the_first_signature_makes_the_key_and_the_token_verifies(store):
    token = tokens.sign(CLAIMS, store.signing_key())
    assert (store.folder / f"{store.current_kid()}.pem").stat().st_mode & 0o077 == 0  # private key: owner only
    checked = tokens.verify(token, store.keyset(), date(2026, 6, 1))
    assert checked.claims == CLAIMS and checked.kid == store.current_kid()
    header = json.loads(_decoded(token)[0])
    assert header == {"alg": "Ed25519", "typ": "visa-pass+jwt", "kid": store.current_kid()}


@pytest.mark.parametrize(("day", "code"), [(date(2025, 12, 31), "not_yet_valid"), (date(2027, 1, 1), "expired")])
def test_dates_outside_the_validity_are_refused(store, day, code):
    token = tokens.sign(CLAIMS, store.signing_key())
    assert tokens.verify(token, store.keyset(), date(2026, 12, 31)).claims.pass_id == "p-1"  # the last day counts
    with pytest.raises(tokens.PassRefused) as refused:
        tokens.verify(token, store.keyset(), day)
    assert refused.value.code == code and refused.value.claims == CLAIMS


def test_a_key_of_another_network_is_unknown(store, tmp_path):
    other = KeyStore(tmp_path / "other")
    token = tokens.sign(CLAIMS, other.signing_key())
    store.signing_key()
    with pytest.raises(tokens.PassRefused) as refused:
        tokens.verify(token, store.keyset(), date(2026, 6, 1))
    assert refused.value.code == "unknown_key"


@pytest.mark.parametrize("text", ["", "hello", "a.b", "not a pass at all"])
def test_text_that_is_no_token_is_malformed(store, text):
    store.signing_key()
    with pytest.raises(tokens.PassRefused) as refused:
        tokens.verify(text, store.keyset(), date(2026, 6, 1))
    assert refused.value.code == "malformed"


@given(position=st.integers(min_value=0, max_value=10_000), replacement=st.sampled_from("AbQz09-_"))
def test_any_changed_character_is_refused(tmp_path_factory, position, replacement):
    store = _shared_store(tmp_path_factory)
    token = tokens.sign(CLAIMS, store.signing_key())
    position %= len(token)
    if token[position] in ".":
        position -= 1
    if token[position] == replacement:
        replacement = "B" if replacement != "B" else "C"
    changed = token[:position] + replacement + token[position + 1:]
    # A change in the last character's padding bits can leave the decoded bytes equal: then it is the same token.
    if _decoded(changed) == _decoded(token):
        return
    with pytest.raises(tokens.PassRefused) as refused:
        tokens.verify(changed, store.keyset(), date(2026, 6, 1))
    assert refused.value.code in ("bad_signature", "malformed", "unknown_key")


def _decoded(token: str) -> list[bytes]:
    import base64

    return [base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in token.split(".")]


_STORES: dict[str, KeyStore] = {}


def _shared_store(factory) -> KeyStore:
    if "store" not in _STORES:
        _STORES["store"] = KeyStore(factory.mktemp("keys"))
    return _STORES["store"]


def test_a_pass_in_a_link_or_with_spaces_is_found():
    assert tokens.extract_token("  https://x.example/door#aa.bb.cc \n") == "aa.bb.cc"


def test_rotation_keeps_old_tokens_verifiable_and_drops_the_old_private_key(store, tmp_path):
    old_token = tokens.sign(CLAIMS, store.signing_key())
    old_kid = store.current_kid()
    new_kid = store.rotate()
    assert new_kid != old_kid and store.signing_key().kid == new_kid
    assert not (store.folder / f"{old_kid}.pem").exists()
    # Another process's store (same folder) sees the rotation and verifies both.
    elsewhere = KeyStore(store.folder)
    new_token = tokens.sign(CLAIMS, elsewhere.signing_key())
    assert tokens.verify(old_token, elsewhere.keyset(), date(2026, 6, 1)).kid == old_kid
    assert tokens.verify(new_token, store.keyset(), date(2026, 6, 1)).kid == new_kid
    # The published set drops the retired key when the caller says no pass needs it.
    assert [k["kid"] for k in store.public_jwks(lambda kid, rec: False)["keys"]] == [new_kid]
    assert {k["kid"] for k in store.public_jwks(lambda kid, rec: True)["keys"]} == {old_kid, new_kid}
