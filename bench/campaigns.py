"""``python -m bench.campaigns [--spaces N]``: queue and render a campaign's mails, then time the answer page.

Builds N listed spaces (10,000 by default) with an address each in a fresh SQLite database, then times
``visa campaign create`` (the queue) and ``send`` with no pause (every mail rendered and written to the file
outbox, one commit per mail as the command does), and the answer page /check/<token> end to end over HTTP
against gunicorn (one worker) on 127.0.0.1: 200 different links, p50 and p95. :func:`main` prints a Markdown
table and returns its rows (figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.network import build_network
from bench.servers import ROOT, Server, percentile, print_rows
from geodata import GAZETTEER_DB

LINKS = 200


def _migrate(url: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True)


def measure(spaces: int) -> list[tuple[str, str, str]]:
    from visa.app import create_app
    from visa.campaigns import cli
    from visa.campaigns.models import CampaignEntry
    from visa.campaigns.services import Selection, create_campaign
    from visa.campaigns.tokens import make_check_token
    from visa.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        _migrate(url)
        engine = sa.create_engine(url)
        build_network(engine, str(GAZETTEER_DB), spaces, progress=lambda _line: None)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE space SET email = 'desk' || id || '@bench.example'"))
        engine.dispose()
        outbox = Path(folder) / "mail"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "VISA_MAIL_DIR": str(outbox),
                          "VISA_CAMPAIGN_RATE": 0})
        with app.app_context():
            started = time.perf_counter()
            campaign, queued = create_campaign("bench", Selection())
            db.session.commit()
            queue_s = time.perf_counter() - started
            started = time.perf_counter()
            sent, _refused = cli.send_queued(campaign)
            send_s = time.perf_counter() - started
            mails = len(list(outbox.glob("*.eml")))
            ids = db.session.scalars(sa.select(CampaignEntry).order_by(CampaignEntry.id).limit(LINKS)).all()
            tokens = [make_check_token(entry) for entry in ids]
            db.session.remove()
            db.engine.dispose()
        server = Server("wsgi:app", {"DATABASE_URL": url, "SECRET_KEY": "bench", "VISA_CHECK_LIMIT": "100000 per hour"},
                        probe="/api/v1/openapi.json")
        try:
            for token in tokens[:10]:
                server.get(f"/check/{token}")  # warm-up: templates compiled, connections open
            times = [server.get(f"/check/{token}?lang=de")[0] * 1000 for token in tokens]
        finally:
            server.close()
    return [
        (f"Queue a campaign of {queued:,} listings (selection, address and language of each), SQLite",
         f"{queue_s:.1f} s", "-"),
        (f"Render and write {mails:,} campaign mails to the file outbox (one commit per mail)",
         f"{send_s:.1f} s ({sent / send_s:,.0f} mails/s)", "-"),
        (f"Answer page /check/<token>, {len(times)} different links, one worker",
         f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms", "-"),
    ]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spaces", type=int, default=10_000, help="listed spaces, each with an address")
    rows = measure(parser.parse_args(argv).spaces)
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
