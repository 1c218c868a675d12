"""Where the published photo files live: a small interface, a folder by default, and the backup's archive of them.

Pure (no Flask). A store keeps files by name (:data:`visa.photos.images.FILE_NAME`); the names are made from
the SHA-256 of the upload, so a file never changes once written and two listings showing the same upload share
it. Another store (an object store, a shared volume) is any object with the four methods of
:class:`PhotoStore`, set as ``app.extensions["visa.photo_store"]`` (see visa.photos.feature).
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from visa.photos.images import FILE_NAME


class PhotoStore(Protocol):
    def put(self, name: str, data: bytes) -> None: ...

    def get(self, name: str) -> bytes | None: ...

    def delete(self, name: str) -> None: ...

    def names(self) -> Iterator[str]: ...


class FolderStore:
    """Files in one folder (by default ``photos`` in the instance folder, ``VISA_PHOTO_DIR``)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        if not FILE_NAME.fullmatch(name):  # never a path: the name is checked before it touches the disk
            raise ValueError(f"not a photo file name: {name!r}")
        return self.root / name

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        if path.exists():  # same name, same bytes
            return
        self.root.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for entry in sorted(self.root.iterdir()):
            if FILE_NAME.fullmatch(entry.name):
                yield entry.name


def write_archive(store: PhotoStore, names: Iterable[str], path: str | os.PathLike) -> int:
    """Write the files *names* of *store* into a tar archive at *path*; how many were found and written."""
    written = 0
    with tarfile.open(path, "w") as archive:
        for name in sorted(set(names)):
            data = store.get(name)
            if data is None:
                continue
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
            written += 1
    return written


def read_archive(store: PhotoStore, path: str | os.PathLike) -> int:
    """Put every photo file of the archive at *path* into *store* (other members are ignored); how many."""
    restored = 0
    with tarfile.open(path, "r") as archive:
        for member in archive:
            if not member.isfile() or not FILE_NAME.fullmatch(member.name):
                continue  # only plain files with a photo's name: no links, folders or paths
            source = archive.extractfile(member)
            if source is not None:
                store.put(member.name, source.read())
                restored += 1
    return restored

