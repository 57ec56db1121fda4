"""The project list: import (all or nothing), export, the page, the document, the CLI."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from formsvc import imports, services
from formsvc.cli import main
from formsvc.domain.errors import InputError
from formsvc.store import projects as project_store
from formsvc.store.programme import dimensions
from tests.conftest import TH_NEXT, YEAR, arabic, login
from tests.docs import docx_blocks, flat, pdf_text, without_page_numbers

HEADER_TH = [
    "ลำดับความสำคัญ",
    "ชื่อโครงการ",
    "มิติการพัฒนา",
    "หมู่ที่",
    "อยู่ในอำนาจหน้าที่",
    "บรรจุในแผนพัฒนาท้องถิ่น",
    "บรรจุในร่างข้อบัญญัติ",
    "งบประมาณ",
]


def xlsx(rows: list[list], header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER_TH)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def good_rows(db, n=5):
    dims = dimensions(db)
    return [
        [
            i,
            f"โครงการทดสอบ {i}",
            dims[i % len(dims)],
            (i % 8) + 1,
            "ใช่",
            "ใช่" if i <= 2 else "ไม่ใช่",
            "ใช่" if i == 1 else "ไม่ใช่",
            100000 + i,
        ]
        for i in range(1, n + 1)
    ]


def names(db, lao_id=1):
    return [p["name"] for p in project_store.list_projects(db, lao_id, YEAR)]


def test_import_replaces_the_list_and_criteria_follow(db):
    parsed = imports.parse(db, 1, xlsx(good_rows(db)), "list.xlsx")
    assert parsed.ok, parsed.errors
    project_store.replace_all(db, 1, YEAR, parsed.rows, project_store.import_forum(db, 1, YEAR)["id"])
    assert names(db) == [f"โครงการทดสอบ {i}" for i in range(1, 6)]
    c4, c5, _ = services.criteria_4_and_5(db, 1)
    assert (c4.numerator, c4.denominator, c4.met) == (2, 5, True)
    assert (c5.numerator, c5.denominator, c5.met) == (1, 2, True)
    row = project_store.list_projects(db, 1, YEAR)[0]
    assert row["budget_satang"] == 10000100 and row["village_number"] == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda rows: rows[2].__setitem__(0, 1), "ลำดับ 1 ซ้ำกับแถวที่ 2"),
        (lambda rows: rows[1].__setitem__(7, -5), "ติดลบ"),
        (lambda rows: rows[1].__setitem__(7, "ห้าพัน"), "งบประมาณต้องเป็นตัวเลข"),
        (lambda rows: rows[1].__setitem__(3, 42), "ไม่มีหมู่ที่/ชุมชน"),
        (lambda rows: rows[1].__setitem__(2, "มิติที่ไม่มี"), "ไม่อยู่ในรายการมิติ"),
        (lambda rows: rows[1].__setitem__(4, "บางที"), "ต้องเป็น ใช่/ไม่ใช่"),
        (lambda rows: rows[1].__setitem__(1, ""), "กรุณากรอกชื่อโครงการ"),
    ],
)
def test_a_bad_row_is_named_and_the_old_list_stays(client, db, change, message):
    before = names(db)
    rows = good_rows(db)
    change(rows)
    login(client, "clerk")
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(xlsx(rows)), "รายการ.xlsx")},
        content_type="multipart/form-data",
    )
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in html and "รายการ.xlsx แถวที่" in html
    assert "นำเข้าโครงการเหล่านี้" not in html  # nothing to confirm
    assert names(db) == before


def test_a_bad_row_at_the_end_of_3000_leaves_the_old_list(db):
    before = names(db)
    rows = good_rows(db, 3000)
    rows[-1][2] = "มิติที่ไม่มี"
    parsed = imports.parse(db, 1, xlsx(rows), "big.xlsx")
    assert not parsed.ok and parsed.errors == ["big.xlsx แถวที่ 3001 คอลัมน์ มิติการพัฒนา: 'มิติที่ไม่มี' ไม่อยู่ในรายการมิติที่ใช้"]
    assert names(db) == before


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7 not a list", "ไม่ใช่ CSV หรือ XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "รหัสผ่าน"),
        (b"PK\x03\x04 broken zip", "XLSX เสีย"),
        (b"x" * (5 * 1024 * 1024 + 10), "ใหญ่เกิน 5 MB"),
        ("ชื่อโครงการ,มิติการพัฒนา\nก,ข\n".encode(), "ไม่พบคอลัมน์ ลำดับความสำคัญ"),
    ],
)
def test_bad_files_are_refused_whole_in_thai(db, data, message):
    with pytest.raises(Exception) as info:
        imports.parse(db, 1, data, "file.bin")
    assert message in str(info.value)


def test_a_zip_bomb_is_refused_before_it_is_opened(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"\0" * (80 * 1024 * 1024))
    with pytest.raises(Exception) as info:
        imports.parse(db, 1, out.getvalue(), "bomb.xlsx")
    assert "ขยายตัวใหญ่ผิดปกติ" in str(info.value)


def test_english_headers_in_any_order_thai_digits_and_extra_columns(db):
    dims = dimensions(db)
    text = (
        "Notes,name,priority,dimension,village,within_authority,in_development_plan,in_budget_draft,budget_baht\n"
        f'x,ถนน,๒,{dims[0]},หมู่ที่ ๓,yes,true,1,"๑๒,๕๐๐.๕๐"\n'
        f"y,ประปา,1,{dims[1]},,✓,no,0,\n"
    )
    parsed = imports.parse(db, 1, text.encode("utf-8-sig"), "list.csv")
    assert parsed.ok, parsed.errors
    assert parsed.notices and "Notes" in parsed.notices[0]
    first = sorted(parsed.rows, key=lambda r: r["rank"])[1]
    assert first["name"] == "ถนน" and first["budget_satang"] == 1250050 and first["in_budget_draft"] == 1


def test_a_thai_windows_csv_is_read(db):
    text = ",".join(HEADER_TH) + "\n1,ถนนลาดยาง," + dimensions(db)[5] + ",1,ใช่,ใช่,ไม่ใช่,\n"
    parsed = imports.parse(db, 1, text.encode("cp874"), "thai.csv")
    assert parsed.ok and parsed.rows[0]["name"] == "ถนนลาดยาง"


def test_export_then_import_gives_back_the_same_list_and_formulas_are_defused(db):
    project_store.add_project(
        db,
        1,
        YEAR,
        {
            "name": '=HYPERLINK("http://x")',
            "dimension": dimensions(db)[0],
            "within_authority": True,
            "plan_reference": "+1",
            "budget": "0.29",
        },
    )
    rows = project_store.list_projects(db, 1, YEAR)
    keys = project_store.EDITABLE  # the plan details too (an export carries every column)
    original = [{k: r[k] for k in keys} for r in rows]
    workbook = imports.to_xlsx(rows, dimensions(db))
    sheet = load_workbook(io.BytesIO(workbook)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    assert '\'=HYPERLINK("http://x")' in cells
    csv_bytes = imports.to_csv(rows)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert not any(
        cell.startswith(("=", "+", "@"))
        for line in csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))
        for cell in line
    )
    for data, name in ((workbook, "x.xlsx"), (csv_bytes, "x.csv")):
        parsed = imports.parse(db, 1, data, name)
        assert parsed.ok, parsed.errors
        assert parsed.rows == original


def test_the_template_workbook_has_headers_and_drop_downs(client):
    login(client, "clerk")
    response = client.get("/laos/1/projects/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:8] == HEADER_TH
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert any("$B$1:$B$2" in f for f in formulas) and any("$A$1" in f for f in formulas)


def test_import_preview_then_confirm_through_the_page(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(xlsx(good_rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    )
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 200 and "นำเข้าโครงการเหล่านี้" in html and "โครงการทดสอบ 3" in html
    assert "โครงการทดสอบ 3" not in names(db)  # nothing changes before the confirmation
    import re

    action = re.search(r'action="(/laos/1/projects/import/\d+)"', html).group(1)
    assert client.post(action).status_code == 302
    assert names(db)[:2] == ["โครงการทดสอบ 1", "โครงการทดสอบ 2"]
    again = client.post(action, follow_redirects=True)
    assert "ไม่พบรายการนำเข้า" in arabic(again.get_data(as_text=True))


def list_versions(db, lao_id=1) -> dict:
    """The hidden versions the list page sends with a mark or a move."""
    return {f"v{r['id']}": str(r["version"]) for r in project_store.list_projects(db, lao_id, YEAR)}


def test_bulk_marks_reorder_and_edit(client, db):
    login(client, "clerk")
    rows = project_store.list_projects(db, 1, YEAR)
    ids = [str(r["id"]) for r in rows[-3:]]
    assert (
        client.post("/laos/1/projects/mark", data={"ids": ids, "action": "plan-on", **list_versions(db)}).status_code
        == 302
    )
    marked = {r["id"]: r for r in project_store.list_projects(db, 1, YEAR)}
    assert all(marked[int(i)]["in_development_plan"] == 1 for i in ids)
    last = rows[-1]["id"]
    client.post(f"/laos/1/projects/{last}/move", data={"direction": "up", **list_versions(db)})
    order = [r["id"] for r in project_store.list_projects(db, 1, YEAR)]
    assert order.index(last) == len(order) - 2
    version = str(project_store.get_project(db, 1, last)["version"])
    response = client.post(
        f"/laos/1/projects/{last}",
        data={"name": "แก้ชื่อ", "rank": "5", "dimension": dimensions(db)[0], "budget": "-3", "version": version},
    )
    assert response.status_code == 400 and "ติดลบ" in arabic(response.get_data(as_text=True))
    taken = client.post(
        f"/laos/1/projects/{last}",
        data={
            "name": "แก้ชื่อ",
            "rank": "5",
            "dimension": dimensions(db)[0],
            "budget": "1,234.5",
            "within_authority": "y",
            "version": version,
        },
    )
    assert taken.status_code == 400 and "ลำดับ 5 ซ้ำกับโครงการ" in arabic(taken.get_data(as_text=True))
    assert (
        client.post(
            f"/laos/1/projects/{last}",
            data={
                "name": "แก้ชื่อ",
                "rank": "50",
                "dimension": dimensions(db)[0],
                "budget": "1,234.5",
                "within_authority": "y",
                "version": version,
            },
        ).status_code
        == 302
    )
    assert project_store.get_project(db, 1, last)["budget_satang"] == 123450


def test_the_chain_and_criteria_on_the_pages(client):
    login(client, "clerk2")
    html = arabic(client.get("/laos/3/projects").get_data(as_text=True))
    assert f"บรรจุในแผนพัฒนาท้องถิ่นปี {YEAR + 1} 1 จาก 8" in html and "อีกอย่างน้อย 1 โครงการ" in html
    assert "<svg" in html and 'class="bar-mark"' in html
    checklist = arabic(client.get("/laos/3").get_data(as_text=True))
    assert "อีกอย่างน้อย 1 โครงการ" in checklist


def test_project_list_document_in_both_formats(db):
    content, _ = services.document(db, 1, "project-list", "pdf")
    text = pdf_text(content, "-raw")
    for words in (
        f"แผนพัฒนาท้องถิ่น ปี {TH_NEXT}",
        f"ร่างข้อบัญญัติ ปี {TH_NEXT}",
        "งบประมาณ (บาท)",
        "รวม ๑๒ โครงการ",
        "เกณฑ์ข้อ ๔",
        "คิดเป็นร้อยละ ๔๐.๐๐",
        "เกณฑ์ข้อ ๕",
        "ผ่านเกณฑ์",
    ):
        assert flat(words) in flat(text), words
    docx_content, _ = services.document(db, 1, "project-list", "docx")
    # the PDF repeats the table header on each page; Word repeats it too, but as one row
    header = flat(f"ลำดับโครงการ/กิจกรรมมิติหมู่ที่อยู่ในอำนาจหน้าที่แผนพัฒนาท้องถิ่น ปี {TH_NEXT}ร่างข้อบัญญัติ ปี {TH_NEXT}งบประมาณ (บาท)")
    pdf_words = flat(without_page_numbers(text))
    first = pdf_words.index(header) + len(header)
    assert pdf_words.count(header) == 2  # two pages, a header on each
    assert flat("".join(docx_blocks(docx_content))) == pdf_words[:first] + pdf_words[first:].replace(header, "")


def test_cli_import_projects_and_compliance(db_path, tmp_path, db):
    env = {"FORMSVC_DB": str(db_path)}
    bad = tmp_path / "bad.xlsx"
    rows = good_rows(db)
    rows[3][0] = "สี่"
    bad.write_bytes(xlsx(rows))
    result = CliRunner().invoke(main, ["import-projects", "--lao", "1", str(bad)], env=env)
    assert result.exit_code == 1 and "bad.xlsx แถวที่ 5 คอลัมน์ ลำดับความสำคัญ" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(good_rows(db)))
    result = CliRunner().invoke(main, ["import-projects", "--lao", "1", str(good)], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(CliRunner().invoke(main, ["compliance", "--lao", "1", "--json"], env=env).output)
    assert [c["number"] for c in data["criteria"]] == [1, 2, 3, 4, 5]
    assert data["criteria"][3] == {
        "number": 4,
        "met": True,
        "numerator": 2,
        "denominator": 5,
        "percent": 40.0,
        "threshold_percent": 20.0,
        "shortfall": 0,
        "reasons": [],
    }
    out = tmp_path / "list.pdf"
    assert (
        CliRunner()
        .invoke(main, ["render", "project-list", "--lao", "1", "--format", "pdf", "--out", str(out)], env=env)
        .exit_code
        == 0
    )
    assert "โครงการทดสอบ ๑" in pdf_text(out.read_bytes())


def test_the_whole_table_is_edited_at_once_and_a_bad_cell_keeps_everything(client, db):
    login(client, "clerk")
    rows = project_store.list_projects(db, 1, YEAR)
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
                f"rows-{i}-budget": "",
            }
        )
        if r["within_authority"]:
            data[f"rows-{i}-within_authority"] = "y"
    data["rows-0-name"] = "ชื่อที่แก้ในตาราง"
    data["rows-1-in_development_plan"] = "y"
    data["rows-2-budget"] = "abc"
    response = client.post("/laos/1/projects/edit", data=data)
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400 and "แถวที่ 3: งบประมาณต้องเป็นตัวเลข" in html and "ชื่อที่แก้ในตาราง" in html
    assert project_store.list_projects(db, 1, YEAR)[0]["name"] == rows[0]["name"]
    data["rows-2-budget"] = "2,500"
    assert client.post("/laos/1/projects/edit", data=data).status_code == 302
    after = project_store.list_projects(db, 1, YEAR)
    assert after[0]["name"] == "ชื่อที่แก้ในตาราง" and after[1]["in_development_plan"] == 1
    assert after[2]["budget_satang"] == 250000
    data["rows-1-rank"] = data["rows-0-rank"]
    response = client.post("/laos/1/projects/edit", data=data)
    assert response.status_code == 400 and "ลำดับความสำคัญซ้ำกัน" in arabic(response.get_data(as_text=True))


def raw_xlsx(cell_xml: str) -> bytes:
    """A minimal workbook with one hand-written cell in row 2 (to test broken cells)."""
    header = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABCDEFGH", HEADER_TH, strict=False)
    )
    sheet = (
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{header}</row><row r="2">{cell_xml}</row></sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell, message",
    [
        ('<c r="H2" t="n"><v>abc</v></c>', "เปิดไฟล์ XLSX ไม่ได้"),
        ('<c r="H2" t="s"><v>99</v></c>', "เปิดไฟล์ XLSX ไม่ได้"),
        ('<c r="H2"><f>SUM(1,2)</f></c>', "เป็นสูตรที่ยังไม่มีค่า"),
    ],
)
def test_broken_cells_are_a_thai_error_not_a_500(client, db, cell, message):
    login(client, "clerk")
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(raw_xlsx(cell)), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_csv_oddities(db):
    with pytest.raises(Exception) as info:
        imports.parse(db, 1, (",".join(HEADER_TH) + "\n1," + "ก" * 200000 + "\n").encode(), "long.csv")
    assert "อ่านไฟล์ CSV ไม่ได้" in str(info.value)
    dims = dimensions(db)
    titled = (
        "บัญชีโครงการ อบต.บุ่ง\n"
        + ",".join(HEADER_TH)
        + "\n\n\n"
        + f"1,ถนน,{dims[0]},1,ใช่,ใช่,ไม่ใช่,\n\n2,ประปา,บางมิติ,1,ใช่,ใช่,ไม่ใช่,\n"
    )
    parsed = imports.parse(db, 1, titled.encode(), "t.csv")
    assert parsed.errors == ["t.csv แถวที่ 7 คอลัมน์ มิติการพัฒนา: 'บางมิติ' ไม่อยู่ในรายการมิติที่ใช้"]
    twice = ",".join(HEADER_TH + ["งบประมาณ"]) + "\n"
    with pytest.raises(Exception) as info:
        imports.parse(db, 1, twice.encode(), "d.csv")
    assert "มีคอลัมน์ งบประมาณ ซ้ำกัน" in str(info.value)


@pytest.mark.parametrize("text, expected", [("150,000.50", 15000050), ("1,234", 123400), ("1234.5", 123450)])
def test_grouped_amounts(text, expected):
    assert project_store.parse_budget(text) == expected


@pytest.mark.parametrize("text", ["1,5", "1,2,3", "NaN", "inf", "12.345"])
def test_ambiguous_amounts_are_refused(text):
    with pytest.raises(InputError):
        project_store.parse_budget(text)


def test_confirming_after_a_village_was_removed_is_a_thai_message(client, db):
    login(client, "clerk")
    rows = good_rows(db)
    rows[0][3] = 8
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(xlsx(rows)), "ok.xlsx")},
        content_type="multipart/form-data",
    )
    import re

    action = re.search(r'action="(/laos/1/projects/import/\d+)"', response.get_data(as_text=True)).group(1)
    db.execute("UPDATE project SET village_id = NULL WHERE village_id = 8")
    db.execute("DELETE FROM forum WHERE village_id = 8")
    db.execute("DELETE FROM village WHERE id = 8")
    db.conn.commit()
    before = names(db)
    response = client.post(action, follow_redirects=True)
    assert "หมู่บ้าน/ชุมชนไม่ใช่ของ อปท. นี้" in response.get_data(as_text=True)
    assert names(db) == before


def test_an_import_is_the_ranked_list_of_the_lao_forum(client, db):
    # (earlier an import kept each row's forum link by name or rank; now every row is
    # the list of the year's LAO-level forum, so retyped names lose nothing)
    before = services.compliance(db, 1)
    assert before["all_met"]
    rows = project_store.list_projects(db, 1, YEAR)
    retyped = [dict(r, name="โครงการ" + r["name"]) for r in rows]
    parsed = imports.parse(db, 1, imports.to_csv(retyped), "retyped.csv")
    forum = project_store.import_forum(db, 1, YEAR)
    assert parsed.ok and project_store.links_lost(db, 1, YEAR, forum["id"]) == 0
    project_store.replace_all(db, 1, YEAR, parsed.rows, forum["id"])
    assert services.compliance(db, 1)["all_met"]
    assert {r["forum_id"] for r in project_store.list_projects(db, 1, YEAR)} == {forum["id"]}


def test_percent_never_rounds_up_to_a_threshold_it_misses():
    from formsvc.domain import criteria

    c4, _ = criteria.criteria_4_and_5(projects_for(800, 4001), 2570)
    assert not c4.met and c4.to_json()["percent"] == 19.99 and "ร้อยละ 19.99" in c4.reasons[0]


def projects_for(in_plan, total):
    from formsvc.domain import criteria

    return [criteria.ProjectFacts(i, i, "p", True, i < in_plan, False) for i in range(total)]


def test_document_totals_count_what_the_criteria_count(db):
    rows = project_store.list_projects(db, 1, YEAR)
    db.execute("UPDATE project SET in_budget_draft = 1, budget_satang = 2000000 WHERE id = ?", [rows[-1]["id"]])
    db.conn.commit()  # a project in the budget but not in the plan: reported, not counted
    content, _ = services.document(db, 1, "project-list", "pdf")
    text = flat(pdf_text(content, "-raw"))
    assert flat("รวม ๑๒ โครงการ ๑๐ ๔ ๑ ๑๕๐,๐๐๐.๐๐") in text
    assert flat("บรรจุในร่างข้อบัญญัติแต่ไม่อยู่ในแผนพัฒนาท้องถิ่น") in text
    assert flat("จำนวน ๑ โครงการ จาก ๔ โครงการที่อยู่ในแผนพัฒนาท้องถิ่น") in text


def test_a_municipality_has_a_tessaban_ordinance_and_communities(db):
    content, _ = services.document(db, 3, "project-list", "pdf")
    text = flat(pdf_text(content, "-raw"))
    assert flat(f"ร่างเทศบัญญัติ ปี {TH_NEXT}") in text and flat("ชุมชน") in text
    assert "ร่างข้อบัญญัติ" not in text
