"""Build step of the wheel; the metadata and dependencies are in setup.cfg.

The project keeps ``templates/`` and ``migrations/`` at the top of the
repository, beside the package. A wheel carries packages only, so this build
copies both into ``visa/_bundled/`` of the built package (``visa.app`` looks
there first), and compiles the translation catalogues (``.po``) into the
``.mo`` files Flask-Babel reads: they are build products, never committed.
An editable install (``make install``) copies nothing: the app reads the
checkout's folders and ``make translations`` compiles the catalogues in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folders shipped inside the package, under visa/_bundled/.
BUNDLED = ("templates", "migrations")


class BuildWithBundledFolders(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "visa"
        for name in BUNDLED:
            destination = target / "_bundled" / name
            shutil.rmtree(destination, ignore_errors=True)
            shutil.copytree(ROOT / name, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        _compile_catalogues(ROOT / "visa" / "translations", target / "translations")


def _compile_catalogues(source: Path, target: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.parent.parent.name)
        with mo.open("wb") as f:
            write_mo(f, catalogue)


setup(cmdclass={"build_py": BuildWithBundledFolders})
