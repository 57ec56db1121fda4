"""Fill Thai translations into the Thai catalog from a small JSON file of id → Thai.

    .venv/bin/python scripts/translate.py new-strings.json

Used after scripts/update-catalogs.py; prints the ids still untranslated.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "formsvc/translations/th/LC_MESSAGES/messages.po"

with PO.open("rb") as fh:
    catalog = read_po(fh, locale="th")
pairs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")) if len(sys.argv) > 1 else {}
for message in catalog:
    key = message.id[0] if isinstance(message.id, tuple) else message.id
    if key in pairs:
        message.string = (pairs[key],) if isinstance(message.id, tuple) else pairs[key]
with PO.open("wb") as fh:
    write_po(fh, catalog, no_location=True, sort_output=True)
missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
print("untranslated:", missing or "none")
