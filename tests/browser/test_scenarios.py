"""The main tasks of each role, from sign-in, in a real browser (see conftest.py)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.browser.ui import arabic, in_page_digits, main_text, th
from tests.docs import flat, pdf_text

pytestmark = pytest.mark.browser

MEMBER_NAMES = [
    "นายทดสอบ ใจงาม",
    "นางสาวพิมพ์ใจ รักถิ่น",
    "นายสมปอง ดวงแก้ว",
    "นางบัวผัน ศรีสุข",
    "นายวิชัย มั่นคง",
    "นางกาญจนา ทองดี",
    "นายประยูร แสงทอง",
    "นางสาวอรุณี ชัยมงคล",
    "นายบุญเลิศ คำภา",
    "นางทองใบ พรหมมา",
    "นายเกียรติ ศักดิ์ดี",
    "นางละเอียด บุญมี",
    "นายสุพจน์ ยอดยิ่ง",
    "นางพเยาว์ สายสุข",
    "นายชูชาติ มีสุข",
    "นางสาวดวงใจ ภูผา",
    "นายอดุลย์ ทองมาก",
    "นางสมจิต ใจบุญ",
    "นายธนพล แก้วใส",
    "นางอำไพ ศรีงาม",
]


def test_clerk_issues_order_from_guideline(open_ui):
    ui = open_ui()
    page = ui.page
    ui.goto("/login")
    ui.shot("sign-in")
    ui.login("clerk")
    ui.shot("checklist")
    with page.expect_navigation():
        page.get_by_role("link", name=th("Working group and orders")).click()
    ui.shot("working-group")

    page.get_by_label(th("Replace the rows already entered")).check()
    ui.submit(page.get_by_role("button", name=th("Start from the guideline")))
    count = page.locator("table.rows tbody tr").count()
    assert 8 <= count <= len(MEMBER_NAMES)
    typed = MEMBER_NAMES[:count]
    for i, name in enumerate(typed, 1):
        field = page.get_by_label(f"{th('Name')} {i}", exact=True)
        assert field.input_value() == ""  # the guideline gives positions, the clerk the names
        field.fill(name)
    ui.shot("prefilled-with-names")
    ui.submit(page.get_by_role("button", name=th("Save"), exact=True))
    assert th("Working group saved.") in main_text(ui)

    ui.submit(page.get_by_role("button", name=th("Save and issue the order…")))
    ui.shot("order-confirm")
    ui.submit(page.get_by_role("button", name=th("Confirm and issue the order")))
    ui.shot("order-issued")
    orders = page.locator("main table").first.locator("tbody tr")
    assert orders.count() == 2
    new = orders.filter(has_text=re.compile(r"^\s*[2๒]/"))
    assert th("replaced") in orders.filter(has_text=re.compile(r"^\s*[1๑]/")).inner_text()
    pdf = ui.open_pdf(new.get_by_role("link", name="PDF"), "order")
    words = flat(pdf_text(pdf))
    assert "คำสั่ง" in words
    for name in typed:
        assert flat(name) in words, name


ATTENDEES = [
    ("นายสมบัติ ทองคำ", "ผู้ใหญ่บ้านโนนสูง"),
    ("นางสาวมาลี ศรีบุญ", "กรรมการหมู่บ้าน"),
    ("นายเฉลิม พรหมดี", "อาสาสมัครสาธารณสุข"),
]
AGENDA = (
    "ทบทวนแผนชุมชนบ้านโนนสูง",
    "ที่ประชุมทบทวนปัญหาน้ำอุปโภคบริโภคในฤดูแล้ง",
    "เห็นชอบให้บรรจุโครงการขุดลอกหนองน้ำสาธารณะในแผนชุมชน",
)


def test_facilitator_records_village_forum_on_phone(open_ui):
    ui = open_ui(phone=True)
    page = ui.page
    ui.login("facilitator")
    ui.shot("home")
    with page.expect_navigation():
        page.get_by_role("link", name=th("LAOs"), exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="องค์การบริหารส่วนตำบลบุ่ง").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name=th("Forums"), exact=True).first.click()
    ui.shot("forums")

    page.get_by_label(th("Village/community")).select_option(label=in_page_digits(page, "หมู่ที่ 2 บ้านโนนสูง"))
    ui.submit(page.get_by_role("button", name=th("New village forum")))
    page.get_by_label(th("Place")).fill("ศาลากลางบ้านโนนสูง")
    present = page.get_by_role("group", name=th("Members present"))
    for i, (name, position) in enumerate(ATTENDEES, 1):
        present.get_by_label(f"{th('Name')} {i}", exact=True).fill(name)
        present.get_by_label(f"{th('Position')} {i}", exact=True).fill(position)
    agenda = page.get_by_role("group", name=th("Agenda (ระเบียบวาระ)"))
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    agenda.get_by_role("button", name=th("Add an agenda item")).click()  # rows.js: no reload
    row = agenda.locator("tbody tr").count()
    assert row == 6 and loads == []  # five usual items and the one added, in the page
    for column, text in zip(("Agenda item", "Discussion", "Resolution"), AGENDA, strict=False):
        agenda.get_by_label(f"{th(column)} {row}", exact=True).fill(text)
    ui.shot("forum-filled")
    # leaving with unsaved changes asks first; staying keeps everything typed
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("header").get_by_role("link", name=th("LAOs"), exact=True).click(no_wait_after=True)
    page.wait_for_timeout(500)
    page.remove_listener("dialog", stay)
    assert dialogs == ["beforeunload"] and "/forums/" in page.url
    assert agenda.get_by_label(f"{th('Agenda item')} {row}", exact=True).input_value() == AGENDA[0]
    ui.submit(page.get_by_role("button", name=th("Save"), exact=True))
    assert th("Forum saved.") in main_text(ui), main_text(ui)[:500]
    ui.shot("forum-saved")

    pdf = ui.open_pdf(page.locator("main").get_by_role("link", name=f"{th('Minutes')} PDF"), "minutes")
    words = flat(pdf_text(pdf))
    assert "รายงานการประชุม" in words
    for name, position in ATTENDEES:
        assert flat(name) in words and flat(position) in words, name
    for text in AGENDA:
        assert flat(text) in words, text


def _projects_xlsx(path, bad_row: bool) -> None:
    """Ten projects within the LAO's powers, one of them in the plan and none in the
    budget: criteria 4 (1 of 10) and 5 (0 of 1) are then not met. With ``bad_row`` the
    third project (sheet row 4) has a dimension that is not in the list."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "ลำดับความสำคัญ",
            "ชื่อโครงการ",
            "มิติการพัฒนา",
            "หมู่ที่",
            "อยู่ในอำนาจหน้าที่",
            "บรรจุในแผนพัฒนาท้องถิ่น",
            "บรรจุในร่างข้อบัญญัติ",
            "งบประมาณ",
        ]
    )
    for rank in range(1, 11):
        dimension = "ท่องเที่ยว" if bad_row and rank == 3 else "เศรษฐกิจ"
        sheet.append(
            [
                rank,
                f"โครงการนำเข้าที่ {rank}",
                dimension,
                rank % 8 + 1,
                "ใช่",
                "ใช่" if rank == 1 else "ไม่ใช่",
                "ไม่ใช่",
                50000 * rank,
            ]
        )
    book.save(path)


def _criteria_4_5(ui) -> list[str]:
    lines = ui.page.locator("main p.status-line")
    return [lines.nth(i).get_attribute("class").split()[-1] for i in range(lines.count())]


def test_clerk_imports_project_list(open_ui, tmp_path):
    ui = open_ui()
    page = ui.page
    ui.login("clerk")
    assert page.locator("ol.steps > li").nth(3).get_attribute("class") == "step met"
    with page.expect_navigation():
        page.get_by_role("link", name=th("Project list")).first.click()
    assert _criteria_4_5(ui) == ["met", "met"]
    ui.shot("projects-before")

    workbook = tmp_path / "โครงการ.xlsx"
    _projects_xlsx(workbook, bad_row=True)
    page.locator("#file").set_input_files(workbook)
    ui.submit(page.get_by_role("button", name=th("Check the file")), status=400)
    errors = page.get_by_role("alert")
    assert "โครงการ.xlsx แถวที่ 4 คอลัมน์ มิติการพัฒนา" in arabic(errors.inner_text())
    assert "ท่องเที่ยว" in errors.inner_text()
    assert page.get_by_role("button", name=th("Import these projects")).count() == 0
    ui.shot("import-refused")

    with page.expect_navigation():
        page.get_by_role("link", name=th("Back to the project list")).click()
    assert _criteria_4_5(ui) == ["met", "met"]  # nothing changed
    _projects_xlsx(workbook, bad_row=False)
    page.locator("#file").set_input_files(workbook)
    ui.submit(page.get_by_role("button", name=th("Check the file")))
    assert page.get_by_role("alert").count() == 0
    assert page.locator("main tbody tr").count() == 10
    ui.shot("import-preview")
    ui.submit(page.get_by_role("button", name=th("Import these projects")))
    assert th("%(n)s projects imported from %(file)s.", n=10, file="โครงการ.xlsx") in main_text(ui)
    assert _criteria_4_5(ui) == ["unmet", "unmet"]
    assert "โครงการนำเข้าที่ 10" in main_text(ui)
    ui.shot("projects-after")

    with page.expect_navigation():
        page.get_by_role("link", name=th("Back to the checklist")).click()
    steps = page.locator("ol.steps > li")
    assert [steps.nth(i).get_attribute("class") for i in (3, 4)] == ["step unmet", "step unmet"]
    assert "1 / 10" in arabic(steps.nth(3).inner_text())
    ui.shot("checklist-after")


def test_district_acknowledges_report(open_ui):
    ui = open_ui()
    page = ui.page
    ui.login("district")
    page.get_by_label(th("Reporting period")).select_option(value="1")
    ui.submit(page.get_by_role("button", name=th("Show"), exact=True))
    ui.shot("district")
    rollup = page.locator("main section", has=page.get_by_role("heading", name=th("Model LAO: criteria and report")))
    row = rollup.locator("tr", has=page.get_by_role("link", name="องค์การบริหารส่วนตำบลบุ่ง"))
    with page.expect_navigation():
        row.get_by_role("link", name="ส่งแล้ว รอตรวจรับ").click()
    assert "/laos/1/reports/1" in page.url
    ui.shot("report-submitted")

    ui.submit(page.get_by_role("button", name=th("Acknowledge"), exact=True))
    assert th("Report acknowledged.") in main_text(ui)
    assert "อำเภอรับทราบแล้ว" in page.locator("main section.status").inner_text()
    assert page.get_by_role("button", name=th("Acknowledge"), exact=True).count() == 0
    ui.shot("report-acknowledged")

    with page.expect_navigation():
        page.locator("header").get_by_role("link", name=th("My district")).click()
    page.get_by_label(th("Reporting period")).select_option(value="1")
    ui.submit(page.get_by_role("button", name=th("Show"), exact=True))
    assert "อำเภอรับทราบแล้ว" in row.first.inner_text()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_district_works_through_its_inbox(open_ui, phone):
    ui = open_ui(phone=phone)
    page = ui.page
    ui.login("district")
    badge = page.locator("header nav").get_by_role("link", name=th("To review"))
    assert badge.inner_text().split() == [th("To review"), "2"]  # periods 1 and 3 of its model LAO
    badge.click()
    assert page.url.endswith("#inbox")
    inbox = page.locator("#inbox")
    rows = inbox.locator("tbody tr")
    assert rows.count() == 2
    assert "รอบที่ 1" in rows.nth(0).inner_text() and "รอบที่ 3" in rows.nth(1).inner_text()  # oldest first
    ui.shot("inbox")

    with page.expect_navigation():
        rows.nth(0).get_by_role("link", name=re.compile("^รอบที่ 1")).click()
    assert page.url.endswith("/laos/1/reports/1")
    ui.submit(page.get_by_role("button", name=th("Acknowledge"), exact=True))
    assert th("Report acknowledged.") in main_text(ui)
    assert arabic(page.locator("header nav").get_by_role("link", name=th("To review")).inner_text()).split()[-1] == "1"

    with page.expect_navigation():
        page.locator("header nav").get_by_role("link", name=th("To review")).click()
    rows = page.locator("#inbox tbody tr")
    assert rows.count() == 1 and "รอบที่ 3" in rows.nth(0).inner_text()
    ui.shot("inbox-after")


def test_province_downloads_period_zip(open_ui):
    ui = open_ui()
    page = ui.page
    ui.login("province")
    assert page.url.endswith("/provinces/37")
    ui.shot("province")

    form = page.locator("form.export-start")
    form.get_by_label(th("Reporting period")).select_option(value="1")
    form.get_by_label(th("File format")).select_option(value="pdf")
    ui.submit(form.get_by_role("button", name=th("Make the ZIP file")))
    assert "/exports/" in page.url
    bar = page.locator("#export-bar")
    assert bar.is_visible()
    ui.shot("export-progress", axe=False)  # the page reloads itself when the file is ready

    link = page.get_by_role("link", name=th("Download the ZIP file"))
    link.wait_for(timeout=90_000)
    # period 1 is gone by: the three LAOs that reported it have their reports as sent;
    # the fourth never reported, so the list says so and no form is made up for it
    assert bar.get_attribute("value") == bar.get_attribute("max") == "3"
    assert "(100%)" in page.locator("#export-count").inner_text()
    ui.shot("export-ready")
    name, content = ui.download(link)
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 3, archive.namelist()
        [manifest] = [n for n in archive.namelist() if n.endswith("สรุปสถานะรายงาน.csv")]
        assert "ไม่ได้รายงาน" in archive.read(manifest).decode("utf-8-sig")
        assert all(archive.read(n).startswith(b"%PDF") for n in pdfs)
