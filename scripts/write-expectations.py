"""Write tests/expectations/<kind>.json (page count and text of the demo LAO's documents).

    .venv/bin/python scripts/write-expectations.py

Run after a deliberate layout or wording change, look at the PNG pages it leaves in
build/expectations/ and commit the JSON with the change.
"""

import json
import subprocess
import tempfile
from pathlib import Path

from formsvc import services
from formsvc.demo import init_db_with_demo
from formsvc.domain import thai
from formsvc.store import connect
from formsvc.store.laos import LaoInput, create_lao
from formsvc.store.programme import get_programme

ROOT = Path(__file__).resolve().parent.parent
KINDS = (("order", None), ("operation-plan", None), ("minutes", 9), ("sign-in-sheet", 1), ("project-list", None))

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(Path(tmp) / "demo.db")
        init_db_with_demo(db, demo=True)
        create_lao(db, LaoInput("หอคำ", "tao", "3801"))  # as tests/conftest.py does
        out_dir = ROOT / "build" / "expectations"
        out_dir.mkdir(parents=True, exist_ok=True)
        for kind, forum in KINDS:
            pdf, _ = services.document(db, 1, kind, "pdf", forum_id=forum)
            path = out_dir / f"{kind}.pdf"
            path.write_bytes(pdf)
            text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
            pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
            # the demo's year follows the clock: the files name it, the test fills it in
            year = get_programme(db).year_be
            text = text.replace(thai.digits(str(year), "thai"), "{ปีดำเนินการ}").replace(
                thai.digits(str(year + 1), "thai"), "{ปีถัดไป}"
            )
            subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(out_dir / kind)], check=True)
            (ROOT / "tests" / "expectations" / f"{kind}.json").write_text(
                json.dumps({"pages": pages, "text": text}, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            print(kind, pages, "pages")
