"""The folder store and the backup's archive of photo files."""

from __future__ import annotations

import io
import tarfile

import pytest

from visa.photos.storage import FolderStore, read_archive, write_archive

NAME = "a" * 64 + "-320.webp"
OTHER = "b" * 64 + "-800.jpg"


def test_a_folder_store_keeps_files_by_name_only(tmp_path):
    store = FolderStore(tmp_path / "photos")
    assert list(store.names()) == [] and store.get(NAME) is None
    store.put(NAME, b"one")
    store.put(NAME, b"two")  # a name is its content's: written once
    assert store.get(NAME) == b"one" and list(store.names()) == [NAME]
    for bad in ("../secret_key", "x.webp", NAME + "/..", "/etc/passwd"):
        with pytest.raises(ValueError):
            store.put(bad, b"x")
        assert store.get(bad) is None
    store.delete(NAME)
    store.delete(NAME)
    assert list(store.names()) == []


def test_the_archive_round_trip_takes_photo_files_only(tmp_path):
    source = FolderStore(tmp_path / "source")
    source.put(NAME, b"webp bytes")
    source.put(OTHER, b"jpeg bytes")
    archive = tmp_path / "backup.photos.tar"
    assert write_archive(source, [NAME, OTHER, "c" * 64 + "-320.jpg"], archive) == 2
    with tarfile.open(archive, "a") as tar:  # what a tampered archive could hold
        for name in ("../../evil", "secret_key"):
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
    target = FolderStore(tmp_path / "target")
    assert read_archive(target, archive) == 2
    assert target.get(NAME) == b"webp bytes" and target.get(OTHER) == b"jpeg bytes"
    assert sorted(p.name for p in (tmp_path / "target").iterdir()) == sorted([NAME, OTHER])
    assert not (tmp_path / "evil").exists()
