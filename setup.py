"""Build step: the top-level ``templates/`` folder goes into the package.

The Word and HTML templates stay at the top of the source tree (``templates/docx``,
``templates/html``), where the people who edit them look for them. At build time
(``pip install .``, ``pip wheel .``, ``python -m build``) this copies that folder to
``formsvc/templates/`` in the build, and compiles the translation catalogs (``.po``)
to ``.mo`` beside them, so an installed formsvc carries everything it reads at run time
and never writes into its own install folder. ``formsvc.TEMPLATES`` takes the installed
copy when present, else the source tree's (editable install, tests). The sdist carries
``templates/`` through MANIFEST.in. Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class build_py_with_templates(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree itself
        package = Path(self.build_lib) / "formsvc"
        target = package / "templates"
        if target.exists():
            shutil.rmtree(target)  # no stale template from an earlier build
        shutil.copytree(HERE / "templates", target)
        self._compile_catalogs(package / "translations")

    @staticmethod
    def _compile_catalogs(translations: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(translations.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": build_py_with_templates})
