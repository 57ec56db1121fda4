"""Long project lists and hostile workbooks: `python -m bench.lists` (not part of `make test`).

Prints seconds (median of ``--runs``) and writes them to bench/results/lists.json:
- the XLSX export of 1,000 and 5,000 projects (the importer's maximum), and the import
  of that 5,000-row export back (scan, one openpyxl read, every row checked);
- how long the two workbook bombs take to be refused (2,000,000 unused shared strings
  in 85 KB; one cell of 20,000,000 characters in 21 KB), and a workbook just inside
  the scan's limits (199,999 shared strings, 5,000 rows);
- the project-list PDF and DOCX by number of rows: what sets
  formsvc.documents.context.PROJECT_LIST_PDF_MAX_ROWS (docs/capacity.md).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def seconds(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples), 2)


def database(path: Path, rows: int):
    from formsvc.demo import init_db_with_demo
    from formsvc.store import connect
    from formsvc.store import programme as programme_store
    from formsvc.store import projects as project_store

    db = connect(path)
    init_db_with_demo(db, demo=True)
    year = programme_store.get_programme(db).year_be
    dims = programme_store.dimensions(db)
    forum = project_store.import_forum(db, 1, year)
    checked = [
        project_store.check_row(
            db,
            1,
            {
                "rank": i,
                "name": f"โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้านนาไปบ้านโคก หมู่ที่ {i % 8 + 1} ช่วงที่ {i}",
                "dimension": dims[i % len(dims)],
                "within_authority": True,
                "in_development_plan": i % 2 == 0,
                "in_budget_draft": i % 3 == 0,
                "budget": 100000 + i,
                "plan_reference": f"ผ.02 หน้า {i}",
            },
        )
        for i in range(1, rows + 1)
    ]
    project_store.replace_all(db, 1, year, checked, forum["id"])
    return db, year


def workbook(strings: bytes, sheet_rows: str = "") -> bytes:
    """A hand-written workbook: the Thai header, ``sheet_rows``, and ``strings`` as raw
    ``<si>`` elements of its shared-strings part."""
    from formsvc.imports import COLUMNS

    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{th}</t></is></c>' for i, (_, th, _, _) in enumerate(COLUMNS)
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org'
        '/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org'
        '/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{NS}"><sheetData><row r="1">{header}</row>{sheet_rows}'
        "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">'.encode() + strings + b"</sst>")
    return out.getvalue()


def refused(data: bytes) -> float:
    from formsvc import imports
    from formsvc.domain.errors import InputError

    start = time.perf_counter()
    try:
        imports.read_rows(data, "bomb.xlsx")
    except InputError:
        return round(time.perf_counter() - start, 2)
    raise AssertionError("the bomb was not refused")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lists")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-rows", default="50,100,200,300,500", help="Row counts of the project-list PDF.")
    parser.add_argument("--only-pdf", action="store_true", help="Only the project-list PDF and DOCX.")
    args = parser.parse_args(argv)

    from formsvc import imports
    from formsvc.documents import context as doc_context
    from formsvc.documents import engine
    from formsvc.services import checklist
    from formsvc.store import laos as lao_store
    from formsvc.store import programme as programme_store
    from formsvc.store import projects as project_store

    results: dict[str, object] = {}

    def show(name: str, value) -> None:
        results[name] = value
        print(f"{name:<58} {value}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        db, year = database(Path(tmp) / "lists.db", imports.MAX_ROWS)
        rows = project_store.list_projects(db, 1, year)
        dims = programme_store.dimensions(db)
        if not args.only_pdf:
            for n in (1000, imports.MAX_ROWS):
                show(f"xlsx export, {n} rows (s)", seconds(lambda n=n: imports.to_xlsx(rows[:n], dims, "x"), args.runs))
            exported = imports.to_xlsx(rows, dims, "x")
            show(
                f"import of that {imports.MAX_ROWS}-row export (s)",
                seconds(lambda: imports.parse(db, 1, exported, "export.xlsx"), args.runs),
            )
            strings_bomb = workbook(b"<si><t>x</t></si>" * 2_000_000)
            cell_bomb = workbook(b"<si><t>" + b"a" * 20_000_000 + b"</t></si>")
            show(f"refusal: 2,000,000 shared strings, {len(strings_bomb) // 1024} KB (s)", refused(strings_bomb))
            show(f"refusal: a 20,000,000-character cell, {len(cell_bomb) // 1024} KB (s)", refused(cell_bomb))
            inside = workbook(
                b"".join(
                    f"<si><t>{i:08x}{i * 7919 % 99991:05d}</t></si>".encode() for i in range(imports.MAX_SHARED_STRINGS)
                ),
                "".join(
                    f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>{r}</v></c></row>'
                    for r in range(2, imports.MAX_ROWS + 2)
                ),
            )
            show(
                f"read: {imports.MAX_SHARED_STRINGS:,} shared strings (the limit), {imports.MAX_ROWS} rows (s)",
                seconds(lambda: imports.read_rows(inside, "inside.xlsx"), args.runs),
            )

        c4, c5, issues = checklist.criteria_4_and_5(db, 1)
        lao = lao_store.get_lao(db, 1)
        prog = programme_store.get_programme(db)
        engine.engine()
        engine.render("project-list", doc_context.project_list_context(lao, rows[:10], prog, c4, c5, issues), "pdf")
        for n in [int(n) for n in args.pdf_rows.split(",") if n]:
            context = doc_context.project_list_context(lao, rows[:n], prog, c4, c5, issues)
            wall, cpu = time.perf_counter(), time.process_time()
            engine.render("project-list", context, "pdf")
            # CPU: what the render costs one core; wall: with the machine as busy as it was
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            show(f"project-list PDF, {n} rows (s wall / s CPU)", f"{wall:.1f} / {cpu:.1f}")
        context = doc_context.project_list_context(lao, rows, prog, c4, c5, issues)
        show(
            f"project-list DOCX, {len(rows)} rows (s)",
            seconds(lambda: engine.render("project-list", context, "docx"), 1),
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lists.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
