"""Pages light on the wire: compressed answers, asset URLs cached for a year, and no needless Vary: Cookie.

- Pages and JSON are compressed as the client asks (brotli, else gzip) by
  Flask-Compress; asset files are compressed once and served as stored
  (:mod:`visa.wire.files`), which is cheaper per request.
- Asset URLs carry a hash of their content and are sent immutable.
- ``Vary: Cookie`` and a session cookie only where an answer depends on the
  session (:mod:`visa.wire.session`, :mod:`visa.wire.same_origin`).
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

from visa.wire import files, session

#: What Flask-Compress compresses: every text the app answers with.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "application/geo+json", "image/svg+xml", "text/csv", "text/calendar", "text/plain"]

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Levels for answers made per request: brotli 4 is about as fast as gzip 6 and 10% smaller.
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    # Streamed answers (CSV and GeoJSON exports) go out as they are made, uncompressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    files.init_app(app)
    session.init_app(app)
