"""Extract UI messages and merge them into the Thai and English catalogs.

    .venv/bin/python scripts/update-catalogs.py

Message ids are English; the Thai catalog must translate every one (a test checks),
the English catalog maps each id to itself unless it says otherwise.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from formsvc.i18n import extract_command

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "build" / "messages.pot"
TRANSLATIONS = ROOT / "formsvc" / "translations"


def extract() -> None:
    POT.parent.mkdir(exist_ok=True)
    subprocess.run(extract_command(POT, "--no-location", "--sort-output"), check=True, capture_output=True)


def update(locale: str) -> None:
    with POT.open("rb") as fh:
        template = read_po(fh)
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if po.exists():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        from babel.messages.catalog import Catalog

        catalog = Catalog(locale=locale, project="formsvc")
        catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.project, catalog.version = "formsvc", "0.1"
    catalog.copyright_holder = "formsvc"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)


if __name__ == "__main__":
    extract()
    for locale in ("th", "en"):
        update(locale)
    print("catalogs updated:", ", ".join(str(p.relative_to(ROOT)) for p in TRANSLATIONS.glob("*/LC_MESSAGES/*.po")))
