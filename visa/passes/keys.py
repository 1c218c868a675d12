"""The network's pass-signing keys, kept in a folder of the instance (never in git).

Layout of the folder::

    index.json      {"current": KID, "keys": {KID: {"created": ISO, "retired": ISO or null, "public": JWK}}}
    KID.pem         the private key of the current key only (PKCS#8, mode 0600)

A key's id (``kid``) is its RFC 7638 thumbprint, so a verifier can tell keys
apart and a published key names itself. The first signature creates the first
key; :meth:`KeyStore.rotate` makes a new current key and deletes the private half
of the old one, whose public half stays in the index so passes it signed still
verify (the JWKS endpoint publishes it until the last of them expires).

Several processes may share the folder: creation and rotation hold a lock, and
every read notices a changed index (its modification time), so a worker never
signs with a key another process has retired.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from joserfc.jwk import KeySet, OKPKey

CURVE = "Ed25519"


class KeyStore:
    """Signing keys in *folder*; cheap to make, reads are cached until the index changes."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._index_path = self.folder / "index.json"
        self._cache_stamp: tuple[int, int] | None = None
        self._index: dict = {}
        self._signing: OKPKey | None = None
        self._keyset: KeySet | None = None
        self._mutex = threading.Lock()

    # -- reading -------------------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self._index_path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def _load(self) -> dict:
        stamp = self._stamp()
        with self._mutex:
            if stamp is not None and stamp == self._cache_stamp:
                return self._index
            index = json.loads(self._index_path.read_text()) if stamp else {"current": None, "keys": {}}
            self._index, self._cache_stamp, self._signing, self._keyset = index, stamp, None, None
            return index

    def current_kid(self) -> str:
        """The id of the key new passes are signed with (made on first use)."""
        index = self._load()
        if not index["current"]:
            self.rotate(only_if_none=True)
            index = self._load()
        return index["current"]

    def signing_key(self) -> OKPKey:
        """The current private key (made on first use)."""
        kid = self.current_kid()
        with self._mutex:
            if self._signing is None or self._signing.kid != kid:
                pem = (self.folder / f"{kid}.pem").read_bytes()
                self._signing = OKPKey.import_key(pem, {"kid": kid})
            return self._signing

    def keys(self) -> dict[str, dict]:
        """Every key's record (created, retired, public JWK), current and retired, by kid."""
        return dict(self._load()["keys"])

    def public_jwks(self, keep: Callable[[str, dict], bool] | None = None) -> dict:
        """A JWKS (RFC 7517) of the public keys; *keep(kid, record)* chooses among the retired ones."""
        index = self._load()
        chosen = [rec["public"] for kid, rec in index["keys"].items()
                  if kid == index["current"] or keep is None or keep(kid, rec)]
        return {"keys": chosen}

    def keyset(self) -> KeySet:
        """Every public key, current and retired, for verifying here."""
        index = self._load()
        with self._mutex:
            if self._keyset is None:
                self._keyset = KeySet.import_key_set({"keys": [rec["public"] for rec in index["keys"].values()]})
            return self._keyset

    # -- writing -------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def rotate(self, only_if_none: bool = False) -> str:
        """Make a new current key; the old one keeps only its public half. Returns the new kid."""
        with self._locked():
            index = json.loads(self._index_path.read_text()) if self._index_path.exists() else {
                "current": None, "keys": {}}
            if only_if_none and index["current"]:
                return index["current"]  # another process made the first key meanwhile
            key = OKPKey.generate_key(CURVE, private=True)
            kid = key.thumbprint()
            now = datetime.now(UTC).isoformat(timespec="seconds")
            pem_path = self.folder / f"{kid}.pem"
            fd = os.open(pem_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(key.as_pem(private=True))
            public = {**key.as_dict(private=False), "kid": kid, "alg": "Ed25519", "use": "sig"}
            old = index["current"]
            if old:
                index["keys"][old]["retired"] = now
            index["keys"][kid] = {"created": now, "retired": None, "public": public}
            index["current"] = kid
            tmp = self._index_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(index, indent=1))
            tmp.replace(self._index_path)
            if old:
                # A retired key signs nothing more: its private half has no further use.
                (self.folder / f"{old}.pem").unlink(missing_ok=True)
            return kid
