"""The store's messages are shown in the page's language: English in the English UI,
the same Thai as always in the Thai UI; the CLI prints Thai."""

import html

import pytest
from click.testing import CliRunner

from formsvc import cli, services
from formsvc.domain.errors import InputError
from formsvc.domain.messages import msg
from formsvc.store import exports as job_store
from formsvc.store import forums as forum_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from formsvc.store.programme import dimensions
from tests.conftest import CE, YEAR, arabic, login
from tests.test_forums import form_data as forum_form
from tests.test_reports import DRAFT
from tests.test_versions import person
from tests.test_working_group import confirm_data


def page(response) -> str:
    return arabic(html.unescape(response.get_data(as_text=True)))


def signed_in(client, username: str, locale: str):
    login(client, username)
    if locale == "en":
        client.post("/language", data={"locale": "en", "next": "/"})
    return client


def lao_form(**overrides):
    data = {
        "name": "นาหว้า",
        "kind": "tao",
        "district_code": "3701",
        "subdistrict_codes": [],
        "chief_title": "",
        "has_kamnan": "y",
        "has_coc": "y",
        "digit_style": "thai",
    }
    data.update(overrides)
    return data


# (sign in as, path, form data, the English message, today's Thai message)
CASES = {
    "laos": (
        "district",
        "/laos/new",
        lao_form(name="บุ่ง"),
        "This district already has an LAO with this name.",
        "มี อปท. ชื่อนี้ในอำเภอนี้แล้ว",
    ),
    "villages": (
        "clerk",
        "/laos/1/villages",
        {"number": "100", "name": "บ้านใหม่"},
        "The village number must be between 1 and 99.",
        "หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99",
    ),
    "users": (
        "admin",
        "/admin/users",
        {"username": "clerk", "password": "a-long-password", "role": "national", "lao_id": "0"},
        "This username is already taken.",
        "ชื่อผู้ใช้นี้มีอยู่แล้ว",
    ),
    "programme": (
        "admin",
        "/admin/years/open",
        {"year_be": str(YEAR)},
        f"Programme year {YEAR} is already open.",
        f"ปีดำเนินการ {YEAR} เปิดไว้แล้ว",
    ),
    "reports": (
        "district",
        "/laos/1/reports/4/review",
        {"decision": "return", "comment": ""},
        "Give the reason for returning the report.",
        "กรุณาระบุเหตุผลที่ส่งกลับให้แก้ไข",
    ),
    "exports": (
        "province",
        "/exports/reports",
        {"period": "1", "province": "37", "formats": "pdf"},
        f"You have {job_store.MAX_ACTIVE_PER_USER} unfinished file jobs; wait for them to finish or cancel them first.",
        f"ท่านมีงานจัดทำไฟล์ที่ยังไม่เสร็จ {job_store.MAX_ACTIVE_PER_USER} งาน กรุณารอให้เสร็จหรือยกเลิกก่อน",
    ),
    "working_group": (
        "clerk",
        "/laos/1/working-group/issue",
        lambda db: confirm_data(db, 1, order_date=f"20/02/{YEAR}", effective_date=f"19/02/{YEAR}"),
        "The effective date must not be before the order date.",
        "วันที่มีผลต้องไม่ก่อนวันที่สั่ง",
    ),
    "typed_date": (
        "clerk",
        "/laos/1/working-group/issue",
        {"order_date": f"31/02/{YEAR}", "effective_date": ""},
        "There is no such date in the calendar.",
        "ไม่มีวันที่นี้ในปฏิทิน",
    ),
    "forum_date": (
        "clerk",
        "/laos/1/forums/new?level=village",
        lambda db: forum_form(db, held_on="2569-11-25"),
        "Write the date as day/month/Buddhist year, e.g. 25/11/2569.",
        "วันที่ต้องอยู่ในรูป วัน/เดือน/ปี พ.ศ. เช่น 25/11/2569",
    ),
    "order_number": (
        "clerk",
        "/laos/1/working-group/issue",
        {"order_date": f"20/02/{YEAR}", "effective_date": "", "number": "สิบสอง"},
        "The order number must be written in digits, e.g. 12.",
        "เลขที่คำสั่งต้องเป็นตัวเลข เช่น 12",
    ),
    "operation_plan": (
        "clerk2",
        "/laos/3/operation-plan",
        {
            "action": "save",
            "activities-0-activity": "ประชุมคณะทำงาน",
            "activities-0-start_month": f"{CE}-05",
            "activities-0-end_month": f"{CE}-02",
            "activities-0-responsible": "ปลัด",
            "activities-0-status": "planned",
        },
        "Activity 1: the end month is before the start month.",
        "กิจกรรมที่ 1: เดือนสิ้นสุดอยู่ก่อนเดือนเริ่มต้น",
    ),
    "forums": (
        "clerk",
        "/laos/1/forums/new?level=village",
        lambda db: forum_form(db, head_count="10"),
        "add up to 45, not the 10 people taking part.",
        "รวมกันได้ 45 คน ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 10 คน",
    ),
    "forum_agenda": (
        "clerk",
        "/laos/1/forums/new?level=village",
        lambda db: forum_form(db, **{"agenda-1-title": ""}),
        "Agenda item 2: enter the title.",
        "ระเบียบวาระที่ 2: กรุณากรอกหัวข้อ",
    ),
    "projects": (
        "clerk",
        "/laos/1/projects",
        lambda db: {"name": "ประปาหมู่บ้าน", "rank": "50", "dimension": dimensions(db)[0], "budget": "-3"},
        "The budget must not be negative.",
        "งบประมาณต้องไม่ติดลบ",
    ),
    "project_rank": (
        "clerk",
        "/laos/1/projects",
        lambda db: {"name": "ประปาหมู่บ้าน", "rank": "3", "dimension": dimensions(db)[0], "budget": "100"},
        "Priority 3 is already held by the project '",
        "ลำดับ 3 ซ้ำกับโครงการ '",
    ),
}


def prepare(case, db):
    """What a case needs stored first (by the store, as the pages would)."""
    if case == "reports":  # a sent report, returned without a reason
        report_store.save_draft(db, 1, 4, DRAFT, None)
        services.submit_report(db, 1, 4, None)
    if case == "exports":  # as many unfinished file jobs as one user may have
        user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
        for period in range(1, job_store.MAX_ACTIVE_PER_USER + 1):
            job_store.create(db, user, YEAR, period, "37", "docx")


@pytest.mark.parametrize("case", CASES)
def test_store_message_in_english_ui(client, db, case):
    username, path, data, english, thai = CASES[case]
    prepare(case, db)
    data = data(db) if callable(data) else data
    text = page(signed_in(client, username, "en").post(path, data=data))
    assert english in text
    assert thai not in text


@pytest.mark.parametrize("case", CASES)
def test_store_message_in_thai_ui_is_unchanged(client, db, case):
    username, path, data, english, thai = CASES[case]
    prepare(case, db)
    data = data(db) if callable(data) else data
    text = page(signed_in(client, username, "th").post(path, data=data))
    assert thai in text
    assert english not in text


def test_cli_prints_store_messages_in_thai(db_path):
    result = CliRunner().invoke(cli.main, ["open-year", str(YEAR)], env={"FORMSVC_DB": str(db_path)})
    assert result.exit_code != 0
    assert f"ปีดำเนินการ {YEAR} เปิดไว้แล้ว" in result.output


def test_report_field_labels_in_messages_are_the_thai_labels():
    from formsvc.domain.messages import thai

    assert {key: thai(label) for key, label in report_store.LABEL_MSGS.items()} == report_store.LABELS


def test_forum_field_labels_compose_into_the_same_thai():
    """A forum field's label (a message too) makes the whole message, in Thai as before."""
    with pytest.raises(InputError) as info:
        forum_store._text("ก" * 5, 3, msg("Name in attendee row %(row)s", row=2), "attendees")
    assert info.value.message == "ชื่อผู้ประชุมแถวที่ 2 ยาวเกิน 3 ตัวอักษร"
    assert info.value.text(lambda s, **p: s % p) == "Name in attendee row 2 is too long (at most 3 characters)."
    with pytest.raises(InputError) as info:
        forum_store._text("", 3, msg("Place"), "place", required=True)
    assert info.value.message == "กรุณากรอกสถานที่"


@pytest.mark.parametrize(
    "row, thai",
    [
        ({"name": "", "rank": "1"}, "f.csv แถวที่ 5: กรุณากรอกชื่อโครงการ"),
        ({"name": "ก", "rank": "1", "budget": "-3"}, "f.csv แถวที่ 5: งบประมาณต้องไม่ติดลบ"),
        ({"name": "ก", "rank": "x"}, "f.csv แถวที่ 5: ลำดับความสำคัญต้องเป็นตัวเลข"),
    ],
)
def test_project_messages_for_the_importer_are_prefixed_thai(db, row, thai):
    """The importer prefixes the file and row and rewrites the Thai (formsvc.imports)."""
    with pytest.raises(InputError) as info:
        project_store.check_row(db, 1, row, "f.csv แถวที่ 5: ")
    assert info.value.message == thai


def test_cli_prints_backup_messages_in_the_same_thai(db_path, tmp_path):
    env = {"FORMSVC_DB": str(db_path)}
    result = CliRunner().invoke(cli.main, ["backup", str(tmp_path)], env=env)
    assert result.exit_code == 1 and f"{tmp_path} เป็นโฟลเดอร์ กรุณาระบุชื่อไฟล์สำรอง" in result.output
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli.main, ["restore", str(missing)], env=env)
    assert result.exit_code == 1 and f"ไม่พบไฟล์ {missing}" in result.output


def test_a_stored_message_reads_back_in_either_language():
    from formsvc.domain.messages import from_stored, msg, stored, thai

    kept = stored(msg("The budget must not be negative."))
    again = from_stored(kept)
    assert thai(again) == "งบประมาณต้องไม่ติดลบ" and again.text(lambda m, **p: m) == "The budget must not be negative."
    # rows written before messages were kept this way hold Thai text: shown as it is
    assert from_stored("การจัดทำไฟล์หยุดกลางคัน") == "การจัดทำไฟล์หยุดกลางคัน" and from_stored(None) == ""


# A save from a form someone else saved meanwhile ------------------------------------------

# record: (sign in as, page, the text field changed in both tabs, the checkbox the first tab
#          clears, the field's label and the checkbox's in English and in Thai, what the
#          record is called in the first line)
STALE = {
    "project": (
        "clerk",
        "/laos/1/projects/5",
        "name",
        "within_authority",
        ("Project name", "Within its powers", "this project"),
        ("ชื่อโครงการ", "อยู่ในอำนาจหน้าที่", "โครงการนี้"),
    ),
    "forum": (
        "facilitator",
        "/laos/1/forums/1",
        "place",
        "reviews_community_plan",
        ("Place", "Reviewed the community plan", "this forum"),
        ("สถานที่", "ทบทวนแผนชุมชน", "เวทีนี้"),
    ),
}


def stale_save(client, path: str, field: str, flag: str) -> str:
    """Two tabs of one form: the first saves (a new text, the box cleared), then the
    second (another text, the box as it was); the second's page."""
    from tests.forms import form_data

    first = form_data(client.get(path).get_data(as_text=True))
    second = form_data(client.get(path).get_data(as_text=True))
    assert second.get(flag) == "y"  # the box is ticked in both tabs
    first[field] = "ข้อความแรก"
    del first[flag]
    assert client.post(path, data=first).status_code == 302
    second[field] = "ข้อความที่สอง"
    refused = client.post(path, data=second)
    assert refused.status_code == 400
    return page(refused)


THAI_WORDING = (
    "หลังจากที่ท่านเปิดหน้านี้ ระบบจึงยังไม่ได้บันทึกของท่าน ข้อมูลที่ท่านพิมพ์ยังอยู่ครบ",
    "สิ่งที่เปลี่ยนไป (ค่าเดิม → ค่าที่ผู้อื่นบันทึก) และค่าของท่าน:",
    "บันทึกโดย",
    "ของท่าน:",
    "กรุณาตรวจดูแล้วกดบันทึกอีกครั้งหากต้องการบันทึกทับ",
)


@pytest.mark.parametrize("record", STALE)
def test_a_stale_save_is_told_in_english_in_the_english_ui(client, db, record):
    import re

    username, path, field, flag, (label, flag_label, what), thai_words = STALE[record]
    text = stale_save(signed_in(client, username, "en"), path, field, flag)
    assert (
        f"Someone else saved {what} since you opened this page, so yours has not been saved. "
        "Everything you typed is still here.\nWhat changed (before → saved by the other person), and your values:\n"
    ) in text
    saved = rf"\(saved by {re.escape(person(db, username))} at \d\d:\d\d on \d{{1,2}} [A-Z][a-z]{{2}} \d{{4}}\)"
    assert re.search(rf"• {label}: '[^'\n]+' → 'ข้อความแรก' {saved}, yours: 'ข้อความที่สอง'\n", text), text
    assert re.search(rf"• {flag_label}: 'yes' → 'no' {saved}, yours: 'yes'\n", text)
    assert "\nCheck what changed, then press Save again if you want to save over it." in text
    message = text[text.index("Someone else saved") : text.index("save over it.")]
    for word in (*thai_words, *THAI_WORDING, "'ใช่'", "'ไม่ใช่'"):
        assert word not in message


@pytest.mark.parametrize("record", STALE)
def test_a_stale_save_is_told_as_before_in_the_thai_ui(client, db, record):
    import re

    username, path, field, flag, english_words, (label, flag_label, what) = STALE[record]
    text = stale_save(signed_in(client, username, "th"), path, field, flag)
    assert (
        f"มีผู้อื่นบันทึก{what} หลังจากที่ท่านเปิดหน้านี้ ระบบจึงยังไม่ได้บันทึกของท่าน ข้อมูลที่ท่านพิมพ์ยังอยู่ครบ\n"
        "สิ่งที่เปลี่ยนไป (ค่าเดิม → ค่าที่ผู้อื่นบันทึก) และค่าของท่าน:\n"
    ) in text
    saved = rf"\(บันทึกโดย {re.escape(person(db, username))} เวลา \d\d:\d\d น\. \d{{1,2}} \S+ \d{{4}}\)"
    assert re.search(rf"• {label}: '[^'\n]+' → 'ข้อความแรก' {saved} ของท่าน: 'ข้อความที่สอง'\n", text), text
    assert re.search(rf"• {flag_label}: 'ใช่' → 'ไม่ใช่' {saved} ของท่าน: 'ใช่'\n", text)
    assert "\nกรุณาตรวจดูแล้วกดบันทึกอีกครั้งหากต้องการบันทึกทับ" in text
    message = text[text.index("มีผู้อื่นบันทึก") : text.index("หากต้องการบันทึกทับ")]
    for word in (*english_words, "Someone else saved", "saved by", "yours:", "'yes'", "'no'"):
        assert word not in message


def test_a_refused_save_says_in_thai_for_the_cli_what_the_page_says_in_english(db):
    """The error's ``message`` (the CLI, logs) is today's Thai; the page translates it."""
    from formsvc.domain.errors import ConflictError

    project = project_store.get_project(db, 1, 5)
    row = {k: project[k] for k in ("rank", "name", "dimension", "village_id", "plan_reference")}
    row.update({k: bool(project[k]) for k in project_store.FLAGS}, budget=None)
    project_store.update_project(db, 1, 5, {**row, "name": "ก"}, None, project["version"])
    with pytest.raises(ConflictError) as info:
        project_store.update_project(db, 1, 5, {**row, "name": "ข"}, None, project["version"])
    lines = info.value.message.split("\n")
    assert lines[0] == ("มีผู้อื่นบันทึกโครงการนี้ หลังจากที่ท่านเปิดหน้านี้ ระบบจึงยังไม่ได้บันทึกของท่าน ข้อมูลที่ท่านพิมพ์ยังอยู่ครบ")
    assert lines[2].startswith(f"• ชื่อโครงการ: '{project['name']}' → 'ก' (บันทึกโดย ระบบ เวลา ")
    assert lines[2].endswith(" ของท่าน: 'ข'")
    english = info.value.text(lambda s, **p: s % p if p else s).split("\n")
    assert english[2].startswith(f"• Project name: '{project['name']}' → 'ก' (saved by the system at ")
    assert english[2].endswith(", yours: 'ข'")


def test_choice_names_in_messages_are_the_thai_names():
    """The names a "what changed" message gives stored codes say in Thai what they said."""
    from formsvc.domain.access import ROLE_LABELS_TH
    from formsvc.domain.forums import ORGANISERS
    from formsvc.domain.messages import thai
    from formsvc.domain.model import LAO_KIND_PREFIX
    from formsvc.domain.working_group import ACTIVITY_STATUSES, CATEGORIES, GROUP_ROLES
    from formsvc.store import laos as lao_store
    from formsvc.store import users as user_store
    from formsvc.store import working_group as wg_store

    for names, thai_names in [
        (lao_store.LAO_KIND_NAMES, LAO_KIND_PREFIX),
        (lao_store.DIGIT_STYLE_NAMES, {"thai": "เลขไทย", "arabic": "เลขอารบิก"}),
        (user_store.ROLE_NAMES, ROLE_LABELS_TH),
        (wg_store.GROUP_ROLE_NAMES, GROUP_ROLES),
        (wg_store.CATEGORY_NAMES, CATEGORIES),
        (wg_store.ACTIVITY_STATUS_NAMES, ACTIVITY_STATUSES),
        (forum_store.ORGANISER_NAMES, ORGANISERS),
    ]:
        assert {key: thai(name) for key, name in names.items()} == thai_names
