"""Pass verifications per second: what one core checks from the token and the published keys alone.

    python -m bench.passes [--seconds 2]

Signs a pass with a fresh key (in a temporary folder), then verifies it in a
loop for a fixed time: the signature (Ed25519 through joserfc and cryptography),
the claims and the dates, as ``visa verify-pass`` and the door check do. Also
with a key set of 10 keys (nine rotations' worth) and, for comparison, the rate
of signing. :func:`main` prints a Markdown table and returns its rows
(figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bench.servers import print_rows
from visa.passes import tokens
from visa.passes.keys import KeyStore


def _rate(work: Callable[[], object], seconds: float) -> float:
    """Calls per second of *work* over about *seconds* (after a short warm-up)."""
    for _ in range(50):
        work()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            work()
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def measure(seconds: float = 2.0) -> list[tuple[str, str, str]]:
    today = date.today()
    claims = tokens.PassClaims("bench-pass", "Ana Sousa", "lisbon-hub", "Lisbon Hub", "PT", today,
                               today + timedelta(days=365), datetime.now(UTC))
    with tempfile.TemporaryDirectory() as folder:
        store = KeyStore(folder)
        key = store.signing_key()
        token = tokens.sign(claims, key)
        one_key = store.keyset()
        verify_rate = _rate(lambda: tokens.verify(token, one_key, today), seconds)
        for _ in range(9):
            store.rotate()
        ten_keys = store.keyset()
        rotated_rate = _rate(lambda: tokens.verify(token, ten_keys, today), seconds)
        sign_rate = _rate(lambda: tokens.sign(claims, key), seconds)
    return [
        ("Pass verifications per second, one core (Ed25519 signature, claims, dates)", f"{verify_rate:,.0f} /s", "-"),
        ("Pass verifications per second with 10 published keys (after 9 rotations)", f"{rotated_rate:,.0f} /s", "-"),
        ("Pass signatures per second, one core", f"{sign_rate:,.0f} /s", "-"),
    ]


def main(seconds: float = 2.0) -> list[tuple[str, str, str]]:
    rows = measure(seconds)
    print_rows(rows)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per figure")
    main(parser.parse_args().seconds)
