"""Visa passes as signed tokens: what a pass says, signing it and checking it. No Flask, no database.

Format: a JWS in compact serialization (RFC 7515) whose payload is a JSON
object of JWT claims (RFC 7519), signed with Ed25519 (RFC 8037), announced as
``"alg": "Ed25519"`` (the fully specified name of RFC 9864, which deprecates the
older ``EdDSA``), ``"typ": "visa-pass+jwt"`` and the key's ``kid``.

Why a compact JWS with Ed25519 rather than a W3C Verifiable Credential:

- it is one short line of text that fits a QR code a phone camera reads at a
  door, where a JSON-LD credential with its proof would need a far denser code;
- any JOSE library (joserfc, PyJWT, jose for JavaScript) and the browser's own
  WebCrypto (Ed25519) verify it with nothing but the published JWKS, so a host can
  check a pass offline, without this application or its database;
- Ed25519 signatures are small (64 bytes), fast to check, and deterministic, so
  no signing step depends on a good random source.

Claims: ``jti`` pass id, ``name`` member name, ``home`` (``slug``, ``name``,
``country`` of the home space), ``valid_from`` and ``valid_to`` (ISO dates, both
days included), ``iat`` issue time, ``nbf``/``exp`` the same validity as epoch
seconds (UTC) for generic JWT tools, ``iss`` the network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from joserfc import jws
from joserfc.errors import BadSignatureError, DecodeError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, OKPKey

ALG = "Ed25519"
TYP = "visa-pass+jwt"
ISSUER = "coworking-visa-directory"
#: A compact JWS: three base64url parts; what a scanned or pasted text is searched for.
_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class PassClaims:
    pass_id: str
    member_name: str
    home_slug: str
    home_name: str
    home_country: str
    valid_from: date
    valid_to: date
    issued_at: datetime

    def to_payload(self) -> dict:
        start = datetime.combine(self.valid_from, time(), UTC)
        end = datetime.combine(self.valid_to + timedelta(days=1), time(), UTC)
        return {"iss": ISSUER, "jti": self.pass_id, "name": self.member_name,
                "home": {"slug": self.home_slug, "name": self.home_name, "country": self.home_country},
                "valid_from": self.valid_from.isoformat(), "valid_to": self.valid_to.isoformat(),
                "iat": int(self.issued_at.timestamp()), "nbf": int(start.timestamp()), "exp": int(end.timestamp())}

    @classmethod
    def from_payload(cls, payload: dict) -> PassClaims:
        home = payload["home"]
        return cls(str(payload["jti"]), str(payload["name"]), str(home["slug"]), str(home["name"]),
                   str(home.get("country", "")), date.fromisoformat(payload["valid_from"]),
                   date.fromisoformat(payload["valid_to"]), datetime.fromtimestamp(int(payload["iat"]), UTC))


class PassRefused(Exception):
    """A token that is not a valid pass; ``code`` says why, ``claims`` are there when the signature held."""

    CODES = ("malformed", "unknown_key", "bad_signature", "not_yet_valid", "expired", "revoked")

    def __init__(self, code: str, claims: PassClaims | None = None, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.claims, self.detail = code, claims, detail


@dataclass(frozen=True)
class CheckedPass:
    claims: PassClaims
    kid: str


def sign(claims: PassClaims, key: OKPKey) -> str:
    """The compact JWS of *claims*, signed with *key* (its kid in the header)."""
    header = {"alg": ALG, "typ": TYP, "kid": key.kid}
    payload = json.dumps(claims.to_payload(), separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, payload, key, algorithms=[ALG])


def extract_token(text: str) -> str:
    """The token in a pasted or scanned text (which may be a link carrying it); '' when there is none."""
    found = _COMPACT.search(text or "")
    return found.group(0) if found else ""


def keyset_from_jwks(jwks: dict) -> KeySet:
    """The Ed25519 keys of a JWKS document; other kinds of key are ignored."""
    keys = [k for k in jwks.get("keys", []) if k.get("kty") == "OKP" and k.get("crv") == "Ed25519"]
    return KeySet.import_key_set({"keys": keys})


def verify(text: str, keys: KeySet, today: date) -> CheckedPass:
    """Check a pass's signature against *keys* and its validity on *today*.

    :raise PassRefused: with the first reason the pass is refused (revocation is the caller's to check).
    """
    token = extract_token(text)
    if not token:
        raise PassRefused("malformed")
    try:
        obj = jws.deserialize_compact(token, keys, algorithms=[ALG])
    except InvalidKeyIdError as err:
        raise PassRefused("unknown_key") from err
    except BadSignatureError as err:
        raise PassRefused("bad_signature") from err
    except (DecodeError, JoseError, ValueError) as err:
        raise PassRefused("malformed", detail=str(err)) from err
    headers = obj.headers()
    if headers.get("typ") != TYP:
        raise PassRefused("malformed", detail="typ")
    try:
        claims = PassClaims.from_payload(json.loads(obj.payload))
    except (KeyError, TypeError, ValueError) as err:
        raise PassRefused("malformed", detail=str(err)) from err
    if today < claims.valid_from:
        raise PassRefused("not_yet_valid", claims)
    if today > claims.valid_to:
        raise PassRefused("expired", claims)
    return CheckedPass(claims, str(headers.get("kid", "")))
