"""How photos plug into the app: the photo store, the pages and the published files."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.photos import models  # noqa: F401  (Alembic and create_all see the tables)
    from visa.photos.storage import FolderStore
    from visa.photos.views import bp

    # A deployment may have set another store (visa.photos.storage.PhotoStore) before; the folder is the default.
    app.extensions.setdefault("visa.photo_store", FolderStore(app.config["VISA_PHOTO_DIR"]))
    app.register_blueprint(bp)
