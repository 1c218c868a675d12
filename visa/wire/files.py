"""Asset files served precompressed, under URLs that carry a hash of their content.

Every ``url_for`` of a file endpoint gets ``?v=HASH`` (a ``url_defaults`` hook),
and so does every ``url()`` of a stylesheet that names a file beside it. A
request that names the current hash is answered ``public, max-age=31536000,
immutable``: new content has a new URL, so a browser never asks twice. A URL
without the hash, or with an old one, still works and is revalidated
(``no-cache`` with an ETag).

Each file is compressed once per process, gzip at level 9 and brotli at quality
11, and kept in memory beside its hash; a request only picks the bytes. Measured
on this machine, that is cheaper per request than compressing on the fly:
brotli 4 or gzip 6 (Flask-Compress) cost 12-17 ms for Leaflet's 147 KB script
on every request, and brotli 4 sends 19% more bytes than the stored brotli 11;
picking the stored bytes costs nothing beside the request's own 1-2 ms. The first load of a large
file takes about 0.5 s, paid by :func:`warm` when a worker starts. The files are
small: the home page's are 350 KB raw, about 550 KB kept with both encodings.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import brotli
import rjsmin
from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

#: Cache-Control of a URL whose hash names the current content.
IMMUTABLE = "public, max-age=31536000, immutable"
HASH_ARG = "v"
#: Below this a compressed body would save less than its headers cost.
MIN_COMPRESS_BYTES = 500
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "application/json",
                "application/geo+json", "image/svg+xml", "text/plain", "text/html"}
JAVASCRIPT = {"text/javascript", "application/javascript"}
#: Types the stdlib does not know: TopoJSON is JSON.
EXTRA_TYPES = {".topojson": "application/json", ".geojson": "application/geo+json"}
_EXTENSION_KEY = "visa.wire.file_endpoints"
_DIGESTS_KEY = "visa.wire.file_digests"


@dataclass(frozen=True)
class AssetFile:
    """One file's bytes in each encoding worth sending, and the hash of its content."""

    digest: str
    mimetype: str
    bodies: dict[str, bytes]  # "identity", and "br" / "gzip" when they are smaller


LOADED_KEY = "visa.wire.loaded_files"
#: ``url(...)`` in a stylesheet, quoted or not.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'"()\s]+)\1\s*\)""")


def mimetype_of(path: Path) -> str:
    return EXTRA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class LoadedFiles:
    """The files read and compressed so far, each with the modification time and size it was read at."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[tuple[int, int], AssetFile]] = {}
        self.lock = threading.RLock()  # re-entered: loading a stylesheet loads the images it names


def loaded_files(app: Flask) -> LoadedFiles:
    """*app*'s :class:`LoadedFiles`, kept on the app for as long as it serves."""
    found = app.extensions.get(LOADED_KEY)
    if found is None:
        found = app.extensions.setdefault(LOADED_KEY, LoadedFiles())
    return found


def load(path: Path) -> AssetFile:
    """*path*'s AssetFile, read and compressed on first use and again only when the file changes."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    loaded = loaded_files(current_app)
    cached = loaded.files.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with loaded.lock:  # one thread compresses; the others wait for its result rather than repeat it
        cached = loaded.files.get(path)
        if cached is None or cached[0] != stamp:
            raw = stored = path.read_bytes()
            mimetype = mimetype_of(path)
            if mimetype == "text/css":
                raw = stored = _hash_css_urls(raw, path.parent)
            elif mimetype in JAVASCRIPT:
                raw = minified_script(raw)
            # A script's hash is its file's as stored: behind nginx, which sends it from disk as it is (see
            # deploy/nginx), the URL must name those bytes; the app's minified copy changes with them.
            cached = (stamp, _encode(raw, mimetype, hashlib.sha256(stored).hexdigest()[:16]))
            loaded.files[path] = cached
    return cached[1]


def minified_script(source: bytes) -> bytes:
    """*source* without its comments and needless white space (rjsmin: it renames nothing, so it breaks nothing).

    The app's own scripts are written to be read, a third of them comments: on a slow network their bytes
    come before the map's first markers (visa-map.js: 9.7 KB compressed as written, 6.5 KB minified).
    A script shipped minified (Leaflet, TopoJSON) would lose under 1%, its licence comment among it: it is
    sent as it came.
    """
    packed = rjsmin.jsmin(source.decode(), keep_bang_comments=True).encode()
    return packed if len(packed) < len(source) * 0.9 else source


def _hash_css_urls(css: bytes, folder: Path) -> bytes:
    """*css* with each ``url()`` of a file in *folder* carrying that file's hash, as the pages' own URLs do.

    The stylesheet's hash then covers its images: a new image gives the stylesheet a new URL.
    """

    def hashed(match: re.Match) -> str:
        quote, target = match.groups()
        if ":" in target or "?" in target or target.startswith(("#", "/")):
            return match.group(0)  # data: URIs, fragments, absolute and already-hashed URLs stay
        joined = safe_join(str(folder), target)
        if joined is None or not Path(joined).is_file():
            return match.group(0)
        return f"url({quote}{target}?{HASH_ARG}={load(Path(joined)).digest}{quote})"

    return _CSS_URL.sub(hashed, css.decode()).encode()


def _encode(raw: bytes, mimetype: str, digest: str) -> AssetFile:
    bodies = {"identity": raw}
    if mimetype in COMPRESSIBLE and len(raw) >= MIN_COMPRESS_BYTES:
        for name, packed in (("br", brotli.compress(raw, quality=11)), ("gzip", gzip.compress(raw, 9, mtime=0))):
            if len(packed) < len(raw):
                bodies[name] = packed
    return AssetFile(digest, mimetype, bodies)


def _choose_encoding(asset: AssetFile) -> str:
    accepted = request.accept_encodings
    for name in ("br", "gzip"):  # brotli first: 8-15% smaller on these files
        if name in asset.bodies and accepted.quality(name) > 0:
            return name
    return "identity"


def send(path: Path, mimetype: str | None = None) -> Response:
    """*path* precompressed as the client accepts, cached for a year when the URL names its hash.

    :raise 404: no such file.
    """
    if not path.is_file():
        abort(404)
    asset = load(path)
    encoding = _choose_encoding(asset)
    response = Response(asset.bodies[encoding], mimetype=mimetype or asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if len(asset.bodies) > 1:
        response.vary.add("Accept-Encoding")
    response.set_etag(asset.digest if encoding == "identity" else f"{asset.digest}-{encoding}")
    if request.args.get(HASH_ARG) == asset.digest:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def send_from(directory: str | Path, filename: str, mimetype: str | None = None) -> Response:
    """:func:`send` for *filename* inside *directory*, never outside it.

    :raise 404: no such file, or a name that leaves *directory*.
    """
    joined = safe_join(str(directory), filename)
    if joined is None:
        abort(404)
    return send(Path(joined), mimetype)


@dataclass(frozen=True)
class FileRoute:
    """Where a file endpoint reads: a directory (the endpoint takes ``filename``) or one file."""

    directory: Path | None = None
    single: Path | None = None

    def path(self, values: dict) -> Path | None:
        if self.single is not None:
            return self.single
        joined = safe_join(str(self.directory), values.get("filename") or "")
        return Path(joined) if joined and values.get("filename") else None

    def linked_files(self) -> list[Path]:
        """The files a page may link: the single file, or the directory's own scripts and styles.

        Source maps and unminified ``-src`` builds are for developers and are left to be compressed on demand.
        """
        if self.single is not None:
            return [self.single]
        return sorted(p for p in self.directory.rglob("*") if p.is_file() and mimetype_of(p) in COMPRESSIBLE
                      and "-src" not in p.name)


def _routes(app: Flask) -> dict[str, FileRoute]:
    return app.extensions.setdefault(_EXTENSION_KEY, {})


def serves_files(app: Flask, endpoint: str | None) -> bool:
    """Whether *endpoint* sends one of the app's files (a script, a style, the geodata), not a page."""
    return endpoint in _routes(app)


def file_endpoint(bp: Blueprint, endpoint: str, route: FileRoute | Callable[[Flask], FileRoute]) -> None:
    """Declare that *bp*'s *endpoint* serves the files of *route*, so that its URLs carry their hash.

    *route* may be a function of the app, for files whose folder is configured (the built geodata).
    """

    def record(state) -> None:
        _routes(state.app)[f"{bp.name}.{endpoint}"] = route(state.app) if callable(route) else route

    bp.record_once(record)


def _hash_url(endpoint: str, values: dict) -> None:
    app = current_app._get_current_object()
    route = _routes(app).get(endpoint)
    if route is None or HASH_ARG in values:
        return
    # A page links some 30 files: each hash is looked up once per process rather than with two stat calls and a
    # safe_join on every url_for. A file changed under a running process keeps its old URL until the next start
    # (that URL still works, revalidated); in debug mode every url_for looks again.
    digests = app.extensions.setdefault(_DIGESTS_KEY, {})
    key = (endpoint, values.get("filename"))
    digest = None if app.debug else digests.get(key)
    if digest is None:
        path = route.path(values)
        if path is None or not path.is_file():
            return  # not kept: a file built later (the geodata) gets its hash once it is there
        digest = digests[key] = load(path).digest
    values[HASH_ARG] = digest


def warm(app: Flask) -> int:
    """Hash and compress the files that pages link, so that no visitor waits for it; returns how many."""
    files = {path for route in _routes(app).values() for path in route.linked_files()}
    for path in files:
        load(path)
    return len(files)


def init_app(app: Flask) -> None:
    if app.static_folder:
        static = Path(app.static_folder)
        _routes(app)["static"] = FileRoute(directory=static)
        # Flask's own static view streams files and sends them no-cache; this one is precompressed and hashed.
        app.view_functions["static"] = lambda filename: send_from(static, filename)
    app.url_defaults(_hash_url)
