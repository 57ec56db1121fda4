"""Long project lists and hostile workbooks: bombs refused before openpyxl opens them,
bounded preview pages, exports of any LAO name, the paged table editor."""

from __future__ import annotations

import io
import random
import string
import time
import zipfile

import pytest

from formsvc import imports
from formsvc.store import projects as project_store
from tests.conftest import YEAR, arabic, login
from tests.test_projects import HEADER_TH, good_rows, names

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'  # noqa: E501
    "</Types>"
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'  # noqa: E501
    "</Relationships>"
)


def _cell(ref: str, value) -> str:
    if isinstance(value, tuple):  # ("s", n): the n-th shared string
        return f'<c r="{ref}" t="s"><v>{value[1]}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def workbook(rows: list[list], *, strings: bytes = b"", sst_attrs: str = "", extra_rows: bytes = b"") -> bytes:
    """A workbook written by hand: ``rows`` under the Thai header as inline strings,
    ``strings`` (raw ``<si>`` elements) in its shared-strings part, and ``extra_rows``
    (raw ``<row>`` elements) after the data."""
    body = "".join(
        f'<row r="{r}">' + "".join(_cell(f"{col}{r}", v) for col, v in zip("ABCDEFGH", row, strict=False)) + "</row>"
        for r, row in enumerate([HEADER_TH, *rows], start=1)
    )
    sheet = f'<worksheet xmlns="{NS}"><sheetData>{body}'.encode() + extra_rows + b"</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}" {sst_attrs}>'.encode() + strings + b"</sst>")
    return out.getvalue()


def noise(n: int, seed: int) -> str:
    """Text that does not compress much (so only the limit under test refuses it)."""
    rng = random.Random(seed)
    return "".join(rng.choices(string.ascii_letters + string.digits, k=n))


def pending_imports(db) -> int:
    return db.execute("SELECT count(*) FROM project_import").fetchone()[0]


def post_import(client, data: bytes, name: str = "list.xlsx"):
    return client.post(
        "/laos/1/projects/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_the_hand_written_workbook_is_read(db):
    """The builder below makes workbooks openpyxl reads, so a refusal is the limit's."""
    parsed = imports.parse(db, 1, workbook(good_rows(db, 3), strings=b"<si><t>unused</t></si>"), "ok.xlsx")
    assert parsed.ok and len(parsed.rows) == 3


# The two workbooks of the finding: small files, each would keep a worker busy for long.


def two_million_unused_strings() -> bytes:
    return workbook([], strings=b"<si><t>x</t></si>" * 2_000_000)


def one_cell_of_twenty_million_characters(db) -> bytes:
    row = good_rows(db, 1)[0]
    return workbook([row], strings=b"<si><t>" + b"a" * 20_000_000 + b"</t></si>")


@pytest.mark.parametrize("bomb", ["strings", "cell"])
def test_the_bombs_are_refused_in_thai_quickly_and_nothing_is_imported(client, db, bomb):
    data = two_million_unused_strings() if bomb == "strings" else one_cell_of_twenty_million_characters(db)
    assert len(data) < 100_000
    login(client, "clerk")
    before, pending = names(db), pending_imports(db)
    start = time.perf_counter()
    response = post_import(client, data, "bomb.xlsx")
    elapsed = time.perf_counter() - start
    assert response.status_code == 400
    assert "bomb.xlsx: ไฟล์ XLSX นี้ขยายตัวใหญ่ผิดปกติ ระบบไม่เปิดไฟล์นี้" in response.get_data(as_text=True)
    assert elapsed < 5  # generous: well under a second here; the worker timeout is 30 s
    assert names(db) == before and pending_imports(db) == pending


# Each limit on its own, with content that does not compress much (the ratio passes).


def test_too_many_shared_strings_are_refused_by_counting_them(db):
    strings = "".join(f"<si><t>{noise(8, i)}</t></si>" for i in range(imports.MAX_SHARED_STRINGS + 1)).encode()
    data = workbook(good_rows(db, 1), strings=strings)
    start = time.perf_counter()
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, data, "many.xlsx")
    assert "many.xlsx: สมุดงานนี้มีข้อความต่างกันเกิน 50,000 รายการ ระบบไม่เปิดไฟล์นี้" in info.value.message
    assert time.perf_counter() - start < 5


def test_a_unique_count_that_says_too_many_is_believed(db):
    data = workbook(good_rows(db, 1), sst_attrs='count="5" uniqueCount="3000000"')
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, data, "claims.xlsx")
    assert "ข้อความต่างกันเกิน" in info.value.message


@pytest.mark.parametrize("where", ["shared", "inline"])
def test_a_cell_longer_than_excel_allows_is_refused(db, where):
    long = noise(imports.MAX_CELL_CHARS + 1, 7)
    row = good_rows(db, 1)[0]
    if where == "shared":
        data = workbook([row], strings=f"<si><r><t>{long[:20000]}</t></r><r><t>{long[20000:]}</t></r></si>".encode())
    else:
        data = workbook([[*row[:1], long, *row[2:]]])
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, data, "long.xlsx")
    assert "long.xlsx: มีเซลล์ที่ยาวเกิน 32,767 ตัวอักษร" in info.value.message


def test_a_cell_as_long_as_excel_allows_is_read_and_cut_in_the_preview(db):
    row = good_rows(db, 1)[0]
    long = noise(imports.MAX_CELL_CHARS, 8)
    parsed = imports.parse(db, 1, workbook([[*row[:1], long, *row[2:]]]), "long.xlsx")
    shown = parsed.preview[0]["shown"]["name"]
    assert not parsed.ok and len(shown) == imports.PREVIEW_CELL + 1 and shown.endswith("…")


def test_too_many_cells_are_refused(db):
    rng = random.Random(3)  # cells without a reference, as some programs write them
    extra = b"".join(
        f'<row r="{r}">'.encode()
        + "".join(f"<c><v>{n}</v></c>" for n in rng.choices(range(10**5), k=100)).encode()
        + b"</row>"
        for r in range(3, 3 + imports.MAX_CELLS // 100 + 1)
    )
    data = workbook(good_rows(db, 1), extra_rows=extra)
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, data, "cells.xlsx")
    assert "cells.xlsx: สมุดงานนี้มีเกิน 200,000 เซลล์ ระบบไม่เปิดไฟล์นี้" in info.value.message


def test_a_part_that_inflates_a_thousandfold_is_refused_by_its_ratio(db):
    data = workbook(good_rows(db, 1), strings=b"<si><t>" + b"a" * 3_000_000 + b"</t></si>")
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, data, "ratio.xlsx")
    assert "ขยายตัวใหญ่ผิดปกติ" in info.value.message


def test_a_doctype_is_refused(db):
    data = workbook(good_rows(db, 1))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                content = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaa">]>' + content
            z.writestr(info.filename, content)
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, out.getvalue(), "dtd.xlsx")
    assert "โครงสร้างที่ Excel ไม่ได้เขียน" in info.value.message


def test_the_sheet_is_read_once(db, monkeypatch):
    import openpyxl

    opened = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        opened.append(kwargs.get("data_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    parsed = imports.parse(db, 1, workbook(good_rows(db, 2)), "once.xlsx")
    assert parsed.ok and opened == [True]


def test_a_formula_without_its_value_is_still_named(db):
    row = good_rows(db, 1)[0]
    extra = b'<row r="3"><c r="A3"><v>2</v></c><c r="H3"><f>SUM(1,2)</f></c></row>'
    with pytest.raises(imports.InputError) as info:
        imports.parse(db, 1, workbook([row], extra_rows=extra), "f.xlsx")
    assert "f.xlsx แถวที่ 3 คอลัมน์ที่ 8: เป็นสูตรที่ยังไม่มีค่า" in info.value.message
    # with its saved value, the formula's value is read
    extra = b'<row r="3"><c r="A3"><v>2</v></c><c r="H3"><f>SUM(1,2)</f><v>3</v></c></row>'
    table = imports.read_rows(workbook([row], extra_rows=extra), "f.xlsx")
    assert table[2][0] == 2 and table[2][7] == 3


def test_the_preview_page_is_bounded(client, db):
    """5,000 rows, each with an error and a cell as long as Excel allows (one shared
    string): a page of a bounded size, the first rows shown, each cell cut."""
    row = good_rows(db, 1)[0]
    rows = [[i, f"โครงการ {i}", ("s", 0), *row[3:]] for i in range(1, imports.MAX_ROWS + 1)]
    strings = f"<si><t>{noise(imports.MAX_CELL_CHARS, 9)}</t></si>".encode()
    login(client, "clerk")
    before = names(db)
    response = post_import(client, workbook(rows, strings=strings), "\u202elist\x07.xlsx")
    page = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert len(page) < 1_000_000, len(page)
    assert page.count('class="invalid-row"') == imports.PREVIEW_ROWS
    assert "5,000" in page or "5000" in page
    assert "\u202e" not in page and "\x07" not in page and "list.xlsx" in page
    assert names(db) == before


# Exports of any LAO name ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, title",
    [
        ("อบต./\\?*[]:ทดสอบ", "โครงการ อบต. ทดสอบ"),
        ("'ทดสอบ'", "โครงการ 'ทดสอบ"),
        ("ก" * 40, "โครงการ " + "ก" * 23),
        ("/\\?*[]:", "โครงการ"),
    ],
)
def test_any_lao_name_is_a_valid_sheet_title(name, title):
    assert imports.sheet_title(f"โครงการ {name}") == title
    assert imports.sheet_title("/\\?*[]:'") == "โครงการ"


def test_every_export_works_for_an_lao_named_with_forbidden_characters(client, db):
    from openpyxl import load_workbook

    db.execute("UPDATE lao SET name = ? WHERE id = 1", ["อบต./\\?*[]:ทดสอบ"])
    login(client, "clerk")
    response = client.get("/laos/1/projects.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet.title == "โครงการ อบต. ทดสอบ" and sheet.max_row == len(names(db)) + 1
    assert "projects-1-" in response.headers["Content-Disposition"]
    for path in ("/laos/1/projects.csv", "/laos/1/projects/template.xlsx", "/laos/1/documents/project-list.docx"):
        assert client.get(path).status_code == 200, path


# Long lists -----------------------------------------------------------------------------


def long_list(db, n: int) -> None:
    """The LAO's list replaced by ``n`` projects of its LAO-level forum."""
    from formsvc.store.programme import dimensions

    dims = dimensions(db)
    forum = project_store.import_forum(db, 1, YEAR)
    rows = [
        project_store.check_row(
            db,
            1,
            {
                "rank": i,
                "name": f"โครงการซ่อมแซมถนนลูกรัง สายที่ {i}",
                "dimension": dims[i % len(dims)],
                "within_authority": True,
                "in_development_plan": i % 2,
                "in_budget_draft": i % 3 == 0,
                "budget": 100000 + i,
            },
        )
        for i in range(1, n + 1)
    ]
    project_store.replace_all(db, 1, YEAR, rows, forum["id"])


def test_the_xlsx_export_of_the_longest_list_imports_again(client, db):
    long_list(db, imports.MAX_ROWS)
    login(client, "clerk")
    response = client.get("/laos/1/projects.xlsx")
    assert response.status_code == 200
    parsed = imports.parse(db, 1, response.data, "export.xlsx")
    assert parsed.ok and len(parsed.rows) == imports.MAX_ROWS and not parsed.errors
    assert parsed.read == imports.MAX_ROWS and len(parsed.preview) == imports.PREVIEW_ROWS


def test_a_list_too_long_for_the_pdf_is_refused_with_the_excel_offered(client, db):
    from formsvc.documents.context import PROJECT_LIST_PDF_MAX_ROWS

    long_list(db, PROJECT_LIST_PDF_MAX_ROWS + 1)
    login(client, "clerk")
    start = time.perf_counter()
    response = client.get("/laos/1/documents/project-list.pdf")
    assert response.status_code == 302 and time.perf_counter() - start < 5
    page = arabic(client.get(response.headers["Location"]).get_data(as_text=True))
    assert f"บัญชีนี้มี {PROJECT_LIST_PDF_MAX_ROWS + 1:,} โครงการ ยาวเกินกว่าจะพิมพ์เป็น PDF ได้" in page
    assert "/laos/1/projects.xlsx" in page and "/laos/1/documents/project-list.pdf" not in page
    assert client.get("/laos/1/documents/project-list.docx").status_code == 200


def table_data(rows: list[dict]) -> dict:
    """The table editor's fields for ``rows``, as the page showed them."""
    data = {}
    for i, r in enumerate(rows):
        data.update(
            {
                f"rows-{i}-id": str(r["id"]),
                f"rows-{i}-version": str(r["version"]),
                f"rows-{i}-rank": str(r["rank"]),
                f"rows-{i}-name": r["name"],
                f"rows-{i}-dimension": r["dimension"],
                f"rows-{i}-village_id": str(r["village_id"] or ""),
                f"rows-{i}-plan_reference": r["plan_reference"],
                f"rows-{i}-budget": "" if r["budget"] is None else f"{r['budget']:.2f}",
            }
        )
        for flag in ("within_authority", "in_development_plan", "in_budget_draft"):
            if r[flag]:
                data[f"rows-{i}-{flag}"] = "y"
    return data


def test_the_editor_of_a_long_list_shows_a_page_and_saving_page_2_leaves_page_1(client, db):
    long_list(db, imports.MAX_ROWS)
    page_size = 100
    login(client, "clerk")
    response = client.get("/laos/1/projects/edit")
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 200
    assert len(response.data) < 1_000_000, len(response.data)  # 22.7 MB with every row
    assert f'name="rows-{page_size - 1}-id"' in html and f'name="rows-{page_size}-id"' not in html
    assert 'name="goto" value="50"' in html and 'name="goto" value="51"' not in html
    before = project_store.list_projects(db, 1, YEAR)
    page_1 = [(r["id"], r["version"], r["name"]) for r in before[:page_size]]
    second = before[page_size : 2 * page_size]
    assert f'value="{second[0]["id"]}"' in client.get("/laos/1/projects/edit?page=2").get_data(as_text=True)

    data = table_data(second)
    data["rows-0-name"] = "แก้ในหน้าที่สอง"
    data["rows-2-budget"] = "abc"  # an error first: the page comes back with what was typed
    response = client.post("/laos/1/projects/edit?page=2", data=data)
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400 and f"แถวที่ {page_size + 3}: งบประมาณต้องเป็นตัวเลข" in html
    assert "แก้ในหน้าที่สอง" in html and 'name="rows-0-id"' in html

    data["rows-2-budget"] = "2,500"
    data["goto"] = "3"
    response = client.post("/laos/1/projects/edit?page=2", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/laos/1/projects/edit?page=3")
    after = project_store.list_projects(db, 1, YEAR)
    assert len(after) == imports.MAX_ROWS
    assert [(r["id"], r["version"], r["name"]) for r in after[:page_size]] == page_1
    assert after[page_size]["name"] == "แก้ในหน้าที่สอง" and after[page_size + 2]["budget_satang"] == 250000
    assert [r["name"] for r in after[2 * page_size :]] == [r["name"] for r in before[2 * page_size :]]


def test_a_page_may_not_carry_more_rows_than_a_page(client, db):
    long_list(db, 150)
    login(client, "clerk")
    data = table_data(project_store.list_projects(db, 1, YEAR))
    response = client.post("/laos/1/projects/edit", data=data)
    assert response.status_code == 400 and "จำนวนแถวเกินกำหนด (ไม่เกิน 100 แถว)" in arabic(response.get_data(as_text=True))
