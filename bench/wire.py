"""The home page on the wire: its size with all its assets (raw, gzip, br) and its caching headers.

``python -m bench.wire [BASE_URL]`` measures a running server (or starts one on
an empty SQLite database); ``bench/__main__.py`` calls :func:`wire_rows` with
its own server. A first visit is what counts: the HTML, every stylesheet,
script and icon it links, and the basemap that the map script loads.
"""

from __future__ import annotations

import gzip
import http.client
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import brotli

from visa.wire.files import IMMUTABLE

ENCODINGS = ("identity", "gzip", "br")
#: The search page hands the map script its basemap URL as JSON in an inline script.
_BASEMAP = re.compile(r'basemap:\s*"([^"]+)"')


@dataclass
class Fetched:
    path: str
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # as sent, i.e. compressed when Content-Encoding says so


class _AssetLinks(HTMLParser):
    """Local URLs of the stylesheets, icons and scripts a page links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") in ("stylesheet", "icon") and values.get("href"):
            self.urls.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"])


def fetch(conn: http.client.HTTPConnection, path: str, encoding: str, cookie: str | None = None) -> Fetched:
    headers = {"Accept-Encoding": encoding}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return Fetched(path, response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def page_assets(html: str, base: str = "/") -> list[str]:
    """Same-host asset paths of *html*, in order, the basemap included."""
    parser = _AssetLinks()
    parser.feed(html)
    urls = parser.urls + _BASEMAP.findall(html)
    paths = []
    for url in urls:
        parts = urlsplit(urljoin(base, url))
        if parts.netloc:
            continue  # another host: not ours to measure (and the CSP forbids it)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(paths))


def varies_on_cookie(headers: dict[str, str]) -> bool:
    """Whether headers (names in lower case) say the answer varies on Cookie."""
    return "cookie" in [v.strip().lower() for v in headers.get("vary", "").split(",")]


def measure(host: str, port: int, page: str = "/") -> dict:
    """Sizes per encoding and the header checks for *page* and its assets, as one anonymous first visit."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        html = fetch(conn, page, "identity").body.decode()
        paths = [page, *page_assets(html, page)]
        sizes = {enc: 0 for enc in ENCODINGS}
        per_asset: dict[str, dict[str, int]] = {}
        raw_assets: list[bytes] = []
        problems: list[str] = []
        for path in paths:
            per_asset[path] = {}
            for enc in ENCODINGS:
                got = fetch(conn, path, enc)
                if got.status != 200:
                    problems.append(f"{path}: HTTP {got.status}")
                sent = got.headers.get("content-encoding", "identity")
                if enc != "identity" and sent != enc and len(got.body) > 1024:
                    problems.append(f"{path}: asked {enc}, got {sent}")
                sizes[enc] += len(got.body)
                if enc == "identity" and path != page:
                    raw_assets.append(got.body)
                per_asset[path][enc] = len(got.body)
                if varies_on_cookie(got.headers):
                    problems.append(f"{path}: Vary: Cookie")
                if "set-cookie" in got.headers:
                    problems.append(f"{path}: Set-Cookie")
                if path != page and got.headers.get("cache-control") != IMMUTABLE:
                    problems.append(f"{path}: Cache-Control {got.headers.get('cache-control')!r}")
        return {"paths": paths, "sizes": sizes, "per_asset": per_asset, "problems": list(dict.fromkeys(problems)),
                "costs": compression_costs(raw_assets)}
    finally:
        conn.close()


def compression_costs(bodies: list[bytes]) -> dict[str, tuple[float, int]]:
    """(CPU ms, bytes) to compress *bodies* once each: per request on the fly (what Flask-Compress's levels
    would cost every visit) against once at start-up (what visa/wire/files.py stores)."""
    ways = {"br 4 per request": lambda b: brotli.compress(b, quality=4),
            "gzip 6 per request": lambda b: gzip.compress(b, 6),
            "br 11 once per worker": lambda b: brotli.compress(b, quality=11)}
    costs = {}
    for name, squeeze in ways.items():
        started = time.process_time()
        size = sum(len(squeeze(body)) for body in bodies)
        costs[name] = ((time.process_time() - started) * 1000, size)
    return costs


def wire_rows(host: str, port: int) -> list[tuple[str, str, str]]:
    """Bench table rows: the home page's wire size and whether its headers are right."""
    result = measure(host, port)
    raw, gz, br = (result["sizes"][enc] / 1024 for enc in ENCODINGS)
    problems = result["problems"]
    return [
        (f"Home page on the wire with its {len(result['paths']) - 1} assets, first visit",
         f"raw {raw:.0f} KB, gzip {gz:.0f} KB, br {br:.0f} KB", "≤ 150 KB"),
        ("Home page and assets: no Vary: Cookie or Set-Cookie when anonymous, assets hashed and immutable",
         "yes" if not problems else f"no ({len(problems)}): " + "; ".join(problems[:4]), "yes"),
        ("Compressing those assets: CPU and bytes, on the fly per visit vs stored",
         ", ".join(f"{name} {ms:.0f} ms, {size / 1024:.0f} KB" for name, (ms, size) in result["costs"].items()),
         "-"),
    ]


def main() -> None:
    if len(sys.argv) > 1:
        parts = urlsplit(sys.argv[1])
        result = measure(parts.hostname or "127.0.0.1", parts.port or 80)
    else:
        from bench.__main__ import migrate, ours

        with tempfile.TemporaryDirectory(prefix="visa-wire-") as tmp:
            url = f"sqlite:///{tmp}/wire.sqlite"
            migrate(url)
            server = ours(url)
            try:
                started = time.perf_counter()
                result = measure("127.0.0.1", server.port)
                print(f"(measured in {time.perf_counter() - started:.1f} s)")
            finally:
                server.close()
    print(f"{'path':70} {'raw':>8} {'gzip':>8} {'br':>8}")
    for path, sizes in result["per_asset"].items():
        print(f"{path[:70]:70} " + " ".join(f"{sizes[enc]:8d}" for enc in ENCODINGS))
    print(f"{'total':70} " + " ".join(f"{result['sizes'][enc]:8d}" for enc in ENCODINGS))
    for name, (ms, size) in result["costs"].items():
        print(f"assets compressed with {name}: {ms:.0f} ms of CPU, {size:d} bytes")
    print("problems:" if result["problems"] else "no problems", *result["problems"], sep="\n  ")


if __name__ == "__main__":
    main()
