"""The development plan's project form (แบบ ผ.02): the plan details a project keeps, the
project page and the spreadsheet that edit them, and the document of the projects in
the plan (PDF, DOCX, XLSX) whose rows are those projects, with totals per plan year."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import docx
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from formsvc import imports, services
from formsvc.cli import main
from formsvc.documents.kinds import Ask
from formsvc.domain import thai
from formsvc.domain.errors import InputError
from formsvc.domain.model import Programme, plan_years
from formsvc.store import projects as project_store
from formsvc.store.programme import dimensions
from tests.conftest import YEAR, arabic, login
from tests.docs import flat, pdf_text

PLAN = plan_years(YEAR + 1)  # the plan period holding "next year"
DETAILS = {
    "strategy": "ยุทธศาสตร์การพัฒนาด้านแหล่งน้ำ",
    "plan_area": "แผนงานการเกษตร",
    "objective": "เพื่อให้มีน้ำใช้ & ไม่ขาดแคลน <ฤดูแล้ง>",
    "target": "ฝายกว้าง 12 เมตร",
    "kpi": "ร้อยละ 80 พึงพอใจ",
    "expected_result": "เกษตรกรมีน้ำใช้ตลอดปี",
    "responsible_unit": "กองช่าง",
}


def in_plan(db, lao_id=1) -> list[dict]:
    return [r for r in project_store.list_projects(db, lao_id, YEAR) if r["in_development_plan"]]


def plan_details(db, project_id: int, amounts=(None, "1,000.50", None, "250000", None), lao_id=1, **texts):
    row = project_store.get_project(db, lao_id, project_id)
    values = {k: row[k] for k in ("rank", "name", "dimension", "village_id", "plan_reference")}
    values |= {k: row[k] for k in project_store.FLAGS}
    values |= {"budget": row["budget"], **DETAILS, **texts, "plan_budgets": list(amounts)}
    return project_store.update_project(db, lao_id, project_id, values)


def th(text: str) -> str:
    return thai.digits(text, "thai")


# The plan period ------------------------------------------------------------------------


def test_the_plan_period_is_the_five_years_holding_next_year():
    assert plan_years(2566) == plan_years(2570) == (2566, 2567, 2568, 2569, 2570)
    assert plan_years(2571) == (2571, 2572, 2573, 2574, 2575)
    assert plan_years(2565) == (2561, 2562, 2563, 2564, 2565)
    assert Programme(2569, 10, 9).plan_years == (2566, 2567, 2568, 2569, 2570)
    assert Programme(2570, 10, 9).plan_years == (2571, 2572, 2573, 2574, 2575)


# Keeping the details ------------------------------------------------------------------------


def test_the_plan_details_are_kept_and_a_form_without_them_keeps_them(db):
    project = project_store.list_projects(db, 1, YEAR)[0]
    plan_details(db, project["id"])
    row = project_store.get_project(db, 1, project["id"])
    assert {k: row[k] for k in DETAILS} == DETAILS
    assert row["plan_budgets"] == [None, Decimal("1000.50"), None, Decimal("250000"), None]
    # the table editor and the marks send no plan details: they stay
    rows = [
        {**{k: r[k] for k in ("id", "rank", "dimension", "village_id", "plan_reference", *project_store.FLAGS)}}
        | {"name": r["name"] + " (แก้)", "budget": r["budget"]}
        for r in project_store.list_projects(db, 1, YEAR)
    ]
    assert project_store.update_many(db, 1, YEAR, rows) == len(rows)
    assert project_store.update_many(db, 1, YEAR, rows) == 0  # the same again changes nothing
    project_store.mark(db, 1, YEAR, [project["id"]], "in_budget_draft", True)
    row = project_store.get_project(db, 1, project["id"])
    assert row["name"].endswith("(แก้)") and {k: row[k] for k in DETAILS} == DETAILS
    assert row["plan_budgets"][3] == Decimal("250000")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"objective": "ก" * 1001}, "objective", "วัตถุประสงค์ยาวเกิน 1,000 ตัวอักษร"),
        ({"responsible_unit": "ข" * 201}, "responsible_unit", "หน่วยงานรับผิดชอบหลักยาวเกิน 200 ตัวอักษร"),
        ({"amounts": (None, None, "สองแสน", None, None)}, "plan_budget_3", "ปีที่ 3 ของแผน"),
        ({"amounts": ("-5", None, None, None, None)}, "plan_budget_1", "ต้องไม่ติดลบ"),
        ({"amounts": (None,) * 6}, "plan_budgets", "แผนมี 5 ปี"),
    ],
)
def test_bad_plan_details_are_refused_in_thai_and_change_nothing(db, change, field, message):
    project = project_store.list_projects(db, 1, YEAR)[0]
    before = project_store.get_project(db, 1, project["id"])
    with pytest.raises(InputError) as refused:
        plan_details(db, project["id"], **change)
    assert refused.value.field == field
    assert message.replace(",", "") in arabic(refused.value.message).replace(",", "")
    assert project_store.get_project(db, 1, project["id"]) == before


# The project page ------------------------------------------------------------------------------


def form_of(row: dict, **changes) -> dict:
    data = {
        "version": str(row["version"]),
        "rank": str(row["rank"]),
        "name": row["name"],
        "dimension": row["dimension"],
        "village_id": str(row["village_id"] or ""),
        "within_authority": "y",
        "in_development_plan": "y",
        **DETAILS,
        "plan_budget_1": "",
        "plan_budget_2": "๑๒,๓๔๕.๕๐",
        "plan_budget_3": "",
        "plan_budget_4": "90000",
        "plan_budget_5": "",
    }
    return data | changes


def test_the_project_page_edits_the_plan_details(client, db):
    login(client, "clerk")
    row = project_store.list_projects(db, 1, YEAR)[5]
    page = client.get(f"/laos/1/projects/{row['id']}").get_data(as_text=True)
    for year in PLAN:  # the budget fields say their years
        assert f"{year}" in arabic(page)
    assert "แบบ ผ.02" in arabic(page)
    response = client.post(f"/laos/1/projects/{row['id']}", data=form_of(row))
    assert response.status_code == 302
    saved = project_store.get_project(db, 1, row["id"])
    assert saved["objective"] == DETAILS["objective"] and saved["responsible_unit"] == "กองช่าง"
    assert saved["plan_budgets"] == [None, Decimal("12345.50"), None, Decimal("90000"), None]
    shown = client.get(f"/laos/1/projects/{row['id']}").get_data(as_text=True)
    assert 'value="12345.50"' in shown and "เพื่อให้มีน้ำใช้ &amp; ไม่ขาดแคลน &lt;ฤดูแล้ง&gt;" in shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"plan_budget_4": "เก้าหมื่น"}, "ปีที่ 4 ของแผน"),
        ({"kpi": "ค" * 501}, "500"),
        ({"plan_area": "ง" * 301}, "300"),
    ],
)
def test_a_refused_plan_detail_keeps_what_was_typed(client, db, changes, message):
    login(client, "clerk")
    row = project_store.list_projects(db, 1, YEAR)[5]
    before = project_store.get_project(db, 1, row["id"])
    response = client.post(f"/laos/1/projects/{row['id']}", data=form_of(row, target="ฝายใหม่ที่พิมพ์ไว้", **changes))
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400 and message in html
    assert "ฝายใหม่ที่พิมพ์ไว้" in html and list(changes.values())[0][:20] in html
    assert project_store.get_project(db, 1, row["id"]) == before


# Import and export ---------------------------------------------------------------------------------


def workbook(header: list, rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BASE_HEADER = ["ลำดับความสำคัญ", "ชื่อโครงการ", "มิติการพัฒนา", "อยู่ในอำนาจหน้าที่", "บรรจุในแผนพัฒนาท้องถิ่น"]
BASE_HEADER += ["บรรจุในร่างข้อบัญญัติ"]


def test_export_then_import_gives_back_the_plan_details(db):
    for project in project_store.list_projects(db, 1, YEAR)[:2]:
        plan_details(db, project["id"], kpi="=1+1")  # a formula is kept as text, both ways
    rows = project_store.list_projects(db, 1, YEAR)
    original = [{k: r[k] for k in project_store.EDITABLE} for r in rows]
    assert any(r["plan_satang_4"] == 25000000 for r in original)
    book = imports.to_xlsx(rows, dimensions(db), plan_years=PLAN)
    header = [c.value for c in load_workbook(io.BytesIO(book)).active[1]]
    assert f"งบประมาณปีที่ 1 ({PLAN[0]})" in header and "ตัวชี้วัด (KPI)" in header
    for data, name in ((book, "x.xlsx"), (imports.to_csv(rows, PLAN), "x.csv")):
        parsed = imports.parse(db, 1, data, name)
        assert parsed.ok, parsed.errors
        assert parsed.rows == original


def test_english_headers_and_a_file_without_plan_columns(db):
    dim = dimensions(db)[0]
    english = ["priority", "name", "dimension", "within_authority", "in_development_plan", "in_budget_draft"]
    english += ["strategy", "plan_area", "objective", "target", "plan_budget_2", "kpi"]
    english += ["expected_result", "responsible_unit"]
    row = [1, "ขุดลอกคลอง", dim, "yes", "yes", "no", "ยุทธศาสตร์ที่ 1", "แผนงานการเกษตร"]
    row += ["เพื่อเก็บน้ำ", "ยาว 1 กม.", "๒๐,๐๐๐.๒๕", "ร้อยละ 80", "มีน้ำใช้", "กองช่าง"]
    parsed = imports.parse(db, 1, workbook(english, [row]), "en.xlsx")
    assert parsed.ok, parsed.errors
    got = parsed.rows[0]
    assert got["strategy"] == "ยุทธศาสตร์ที่ 1" and got["responsible_unit"] == "กองช่าง"
    assert [got[k] for k in project_store.PLAN_BUDGETS] == [None, 2000025, None, None, None]
    # a file of before (no plan columns) still imports; its rows have no plan details
    old = imports.parse(db, 1, workbook(BASE_HEADER, [[1, "ขุดลอกคลอง", dim, "ใช่", "ใช่", "ไม่ใช่"]]), "old.xlsx")
    assert old.ok, old.errors
    assert not any(k in old.rows[0] for k in project_store.PLAN_FIELDS)
    forum = project_store.import_forum(db, 1, YEAR)
    project_store.replace_all(db, 1, YEAR, old.rows, forum["id"])
    stored = project_store.list_projects(db, 1, YEAR)[0]
    assert stored["strategy"] == "" and stored["plan_budgets"] == [None] * 5


def test_a_bad_plan_cell_names_its_row_and_column(db):
    dim = dimensions(db)[0]
    header = [*BASE_HEADER, "งบประมาณปีที่ 2", "วัตถุประสงค์"]
    rows = [
        [1, "ก", dim, "ใช่", "ใช่", "ไม่ใช่", "100", "ดี"],
        [2, "ข", dim, "ใช่", "ใช่", "ไม่ใช่", "หนึ่งร้อย", "ดี"],
        [3, "ค", dim, "ใช่", "ใช่", "ไม่ใช่", "", "ง" * 1001],
    ]
    parsed = imports.parse(db, 1, workbook(header, rows), "bad.xlsx")
    errors = [arabic(str(e)) for e in parsed.errors]
    assert not parsed.ok and len(errors) == 2
    assert "แถวที่ 3" in errors[0] and "งบประมาณปีที่ 2" in errors[0], errors
    assert "แถวที่ 4" in errors[1] and "วัตถุประสงค์" in errors[1], errors


# The document -----------------------------------------------------------------------------------------


def make(db, fmt: str, lao_id: int = 1) -> bytes:
    return services.document_for(db, "plan-projects", Ask(fmt, lao=lao_id))[0]


def amount(value, style="thai") -> str:
    return thai.money(value, style) if value is not None else "-"


def expected_totals(rows: list[dict]) -> list[Decimal]:
    return [sum((r["plan_budgets"][i] or 0 for r in rows), start=Decimal(0)) for i in range(5)]


def test_the_pdf_rows_are_the_projects_in_the_plan_with_totals_per_year(db):
    project = [r for r in project_store.list_projects(db, 1, YEAR) if not r["in_development_plan"]][0]
    project_store.mark(db, 1, YEAR, [project["id"]], "in_development_plan", True)
    plan_details(db, project["id"])  # a strategy and plan area of its own
    rows = in_plan(db)
    assert len(rows) == 5
    text = flat(pdf_text(make(db, "pdf"), "-raw"))
    for r in rows:
        assert flat(th(r["name"])) in text
        for value in r["plan_budgets"]:
            if value is not None:
                assert flat(amount(value)) in text
    outside = [r for r in project_store.list_projects(db, 1, YEAR) if not r["in_development_plan"]]
    assert not any(flat(th(r["name"])) in text for r in outside)
    for year in PLAN:
        assert flat(f"งบประมาณ {th(str(year))} (บาท)") in text
    grand = expected_totals(rows)
    assert flat("รวมทั้งสิ้น ๕ โครงการ " + " ".join(amount(v) for v in grand)) in text
    assert flat(th(DETAILS["objective"])) in text and flat(th("ยุทธศาสตร์การพัฒนาด้านแหล่งน้ำ")) in text
    assert "แบบผ.๐๒" in text and flat(f"แผนพัฒนาท้องถิ่น (พ.ศ. {th(str(PLAN[0]))} - {th(str(PLAN[-1]))})") in text


def test_projects_of_one_plan_area_share_its_table_and_total(db):
    """Two projects of the same strategy and plan area, not next to each other by rank,
    are one group: numbered 1 and 2 under its heading, with one total."""
    rows = in_plan(db)
    first, last = rows[0], rows[-1]
    plan_details(db, last["id"], strategy=first["strategy"], plan_area=first["plan_area"])
    context = services.documents.doc_context.plan_projects_context(
        services.documents.lao_store.get_lao(db, 1),
        project_store.list_projects(db, 1, YEAR),
        services.documents.programme_store.get_programme(db),
    )
    group = next(g for g in context["groups"] if first["plan_area"] in g["area"])
    assert [r["name"] for r in group["rows"]] == [th(first["name"]), th(last["name"])]
    assert [r["no"] for r in group["rows"]] == ["๑", "๒"]
    mine = project_store.get_project(db, 1, last["id"])["plan_budgets"]
    assert group["total"]["values"] == [(a or 0) + (b or 0) for a, b in zip(first["plan_budgets"], mine, strict=True)]
    assert sum(len(g["rows"]) for g in context["groups"]) == len(rows)


def test_the_docx_rows_are_the_projects_in_the_plan(db):
    rows = in_plan(db)
    document = docx.Document(io.BytesIO(make(db, "docx")))
    body = [
        [cell.text for cell in row.cells]
        for table in document.tables
        for row in table.rows[1:]
        if row.cells[0].text.strip() and row.cells[0].text.strip() != "ที่"
    ]
    assert [r[1] for r in body] == [th(r["name"]) for r in rows]  # groups in order of rank here
    for cells, r in zip(body, rows, strict=True):
        assert cells[4:9] == [amount(v) for v in r["plan_budgets"]]
        assert cells[2:4] == [th(r["objective"]), th(r["target"])]
        assert cells[9:] == [th(r["kpi"]), th(r["expected_result"]), th(r["responsible_unit"])]
    grand = document.tables[-1].rows[-1].cells
    assert grand[1].text == th(f"รวมทั้งสิ้น {len(rows)} โครงการ")
    assert [c.text for c in grand[4:9]] == [amount(v) for v in expected_totals(rows)]
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_the_xlsx_rows_are_the_projects_in_the_plan_with_numbers(db):
    rows = in_plan(db)
    sheet = load_workbook(io.BytesIO(make(db, "xlsx"))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, v in enumerate(values) if v[0] == "ที่")
    assert values[header][4:9] == [f"งบประมาณ {th(str(y))} (บาท)" for y in PLAN]
    projects = [v for v in values[header + 1 :] if v[0] and v[0][0] in "๐๑๒๓๔๕๖๗๘๙" and v[1]]
    projects = [v for v in projects if not re.match(r"^[๐-๙]+\.", v[0])]  # not the headings
    assert [v[1] for v in projects] == [th(r["name"]) for r in rows]
    for v, r in zip(projects, rows, strict=True):
        assert v[4:9] == [float(a) if a is not None else "-" for a in r["plan_budgets"]]
    last = values[-1]
    assert last[1] == th(f"รวมทั้งสิ้น {len(rows)} โครงการ")
    assert last[4:9] == [float(t) for t in expected_totals(rows)]
    assert sheet.page_setup.orientation == "landscape"


def test_arabic_digits_and_an_lao_with_nothing_in_the_plan(db):
    db.execute("UPDATE lao SET digit_style = 'arabic' WHERE id = 1")
    text = flat(pdf_text(make(db, "pdf"), "-raw"))
    grand = expected_totals(in_plan(db))
    assert flat("รวมทั้งสิ้น 4 โครงการ " + " ".join(amount(v, "arabic") for v in grand)) in text
    assert not re.search("[๐-๙]", text)
    nothing = [r for r in range(2, 10) if not in_plan(db, r) and db.execute("SELECT 1 FROM lao WHERE id = ?", [r])]
    empty = flat(pdf_text(make(db, "pdf", nothing[0]), "-raw"))
    assert "ยังไม่มีโครงการที่บรรจุในแผนพัฒนาท้องถิ่น" in empty and "รวมทั้งสิ้น" in empty


def test_the_page_and_the_cli_give_the_document(client, db, db_path, tmp_path):
    login(client, "clerk")
    page = client.get("/laos/1/projects").get_data(as_text=True)
    assert "/laos/1/documents/plan-projects.xlsx" in page and "/laos/1/documents/plan-projects.pdf" in page
    response = client.get("/laos/1/documents/plan-projects.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data)).active.title == "ผ.02"
    assert client.get("/laos/1/documents/project-list.xlsx").status_code == 404  # not a table kind
    env = {"FORMSVC_DB": str(db_path)}
    out = tmp_path / "p.xlsx"
    ask = ["--lao", "1", "--format", "xlsx", "--out", str(out)]
    result = CliRunner().invoke(main, ["render", "plan-projects", *ask], env=env)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active.title == "ผ.02"
    refused = CliRunner().invoke(main, ["render", "order", *ask], env=env)
    assert refused.exit_code == 2 and "ไม่มีแบบ xlsx" in refused.output


def test_a_previewed_import_keeps_its_plan_details_until_confirmed(client, db):
    login(client, "clerk")
    dim = dimensions(db)[0]
    header = [*BASE_HEADER, "ยุทธศาสตร์", f"งบประมาณปีที่ 5 ({PLAN[-1]})", "หน่วยงานรับผิดชอบหลัก"]
    row = [1, "ซ่อมแซมฝาย", dim, "ใช่", "ใช่", "ไม่ใช่", "ยุทธศาสตร์ด้านน้ำ", "1,234.56", "กองช่าง"]
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(workbook(header, [row])), "plan.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    action = re.search(r'action="(/laos/1/projects/import/\d+)"', response.get_data(as_text=True)).group(1)
    assert client.post(action).status_code == 302
    (stored,) = project_store.list_projects(db, 1, YEAR)
    assert stored["name"] == "ซ่อมแซมฝาย" and stored["strategy"] == "ยุทธศาสตร์ด้านน้ำ"
    assert stored["responsible_unit"] == "กองช่าง" and stored["plan_budgets"] == [None] * 4 + [Decimal("1234.56")]
