"""Translations: English message ids, Thai (default) and English catalogs.

The .po files are the source; the .mo files are compiled from them when missing or
older (at app start), so a fresh checkout needs no separate build step. A wheel or sdist
build compiles them too (setup.py), so an installed formsvc has them and need not write
into its install folder, which the service's user may not be allowed to.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LOCALES = ("th", "en")
# The calls whose first argument is a UI string: what scripts/update-catalogs.py extracts
# and what tests/test_i18n.py checks is translated (one list, so the two cannot differ).
EXTRACT_KEYWORDS = ("_l", "lazy_gettext", "_n:1,2", "lazy_ngettext:1,2", "msg")


def extract_command(output: Path, *options: str) -> list[str]:
    """The pybabel extract command over the source tree (babel.cfg) into ``output``."""
    import sys

    from formsvc.paths import ROOT

    keywords = [arg for keyword in EXTRACT_KEYWORDS for arg in ("-k", keyword)]
    return [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *keywords,
        *options,
        "-o",
        str(output),
        str(ROOT),
    ]


LOG = logging.getLogger(__name__)


def compile_catalogs() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh)
        tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")  # workers may start together
        try:
            with tmp.open("wb") as fh:
                write_mo(fh, catalog)
            tmp.replace(mo)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            if not mo.exists():
                raise
            LOG.warning("translations: keeping %s, cannot rewrite it (%s)", mo, error)
