"""Forums: recording through the page, criteria 2 and 3, minutes and sign-in sheets."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain.errors import InputError
from formsvc.domain.forums import ORGANISERS
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store.programme import dimensions
from tests.conftest import CE, TH_YEAR, YEAR, arabic, login
from tests.docs import docx_blocks, flat, pdf_pages, pdf_text, without_page_numbers

REGULATION_ORDER = [
    "รายงานการประชุม",
    "ครั้งที่",
    "เมื่อ",
    "ณ ",
    "ผู้มาประชุม",
    "ผู้ไม่มาประชุม",
    "ผู้เข้าร่วมประชุม",
    "เริ่มประชุมเวลา",
    "ระเบียบวาระที่ ๑",
    "มติที่ประชุม",
    "เลิกประชุมเวลา",
    "ผู้จดรายงานการประชุม",
]
LOOK_ALIKES = ["เปิดประชุมเวลา", "ปิดประชุมเวลา", "ผู้บันทึกรายงานการประชุม", "บันทึกการประชุม", "วาระการประชุม"]


def form_data(db, **changes):
    data = {
        "version": "0",
        "village_id": "1",
        "title": "เวทีประชาคมหมู่ที่ 1 บ้านหนองบัว ทบทวนแผนชุมชน",
        "meeting_no": "2",
        "held_on": f"10/03/{YEAR}",
        "start_time": "09:00",
        "end_time": "12:30",
        "place": "ศาลากลางบ้าน",
        "organisers": ["village_committee"],
        "reviews_community_plan": "y",
        "used_bmn": "y",
        "used_village_data": "y",
        "bmn_year": str(YEAR - 1),
        "village_data_year": str(YEAR - 2),
        "dimensions": dimensions(db),
        "head_count": "45",
        "head_count_male": "20",
        "head_count_female": "25",
        "recorder_name": "นางจดดี มีระเบียบ",
        "recorder_position": "เลขานุการ",
        "action": "save",
        "present-0-name": "นายมา ประชุม",
        "present-0-position": "ผู้ใหญ่บ้าน",
        "present-0-substitute_for": "",
        "present-1-name": "นายแทน ให้",
        "present-1-position": "กรรมการ",
        "present-1-substitute_for": "นายติด ธุระ",
        "absent-0-name": "นายไม่ ว่าง",
        "absent-0-position": "กรรมการ",
        "absent-0-absence_reason": "ป่วย",
        "participants-0-name": "นางสาวพัฒนา กร",
        "participants-0-position": "พัฒนากร",
    }
    for i, title in enumerate(["เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "เรื่องเพื่อพิจารณา"]):
        data.update(
            {
                f"agenda-{i}-title": title,
                f"agenda-{i}-discussion": f"รายละเอียดวาระ {i + 1} & <ทดสอบ>",
                f"agenda-{i}-resolution": f"มติวาระ {i + 1} เห็นชอบ",
            }
        )
    data.update(changes)
    return data


def test_a_facilitator_records_a_village_forum(client, db):
    login(client, "facilitator")
    before = db["forum"].count
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    forum_id = int(response.location.rsplit("/", 1)[1])
    forum = forum_store.get_forum(db, 1, forum_id)
    assert db["forum"].count == before + 1
    assert forum["held_on"] == f"{CE}-03-10" and forum["start_time"] == "09:00" and forum["head_count"] == 45
    assert [a["name"] for a in forum["attendees"] if a["kind"] == "present"] == ["นายมา ประชุม", "นายแทน ให้"]
    assert [a["title"] for a in forum["agenda"]] == ["เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "เรื่องเพื่อพิจารณา"]
    page = client.get(response.location).get_data(as_text=True)
    assert "นายแทน ให้" in page and "นายติด ธุระ" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"held_on": f"10/03/{YEAR - 1}"}, "วันที่จัดเวทีต้องอยู่ในช่วงปีดำเนินการ"),
        ({"held_on": f"10/12/{YEAR}"}, "วันที่จัดเวทีต้องอยู่ในช่วงปีดำเนินการ"),
        ({"end_time": "08:00"}, "เวลาเลิกประชุมต้องหลังเวลาเริ่มประชุม"),
        ({"start_time": "25:00"}, "ชั่วโมง:นาที"),
        ({"village_id": "14"}, "หมู่บ้าน/ชุมชนของ อปท. นี้"),
        (
            {
                "agenda-0-title": "",
                "agenda-0-discussion": "",
                "agenda-0-resolution": "",
                "agenda-1-title": "",
                "agenda-1-discussion": "",
                "agenda-1-resolution": "",
            },
            "ระเบียบวาระอย่างน้อยหนึ่งวาระ",
        ),
        ({"organisers": []}, "ผู้จัดเวที"),
        ({"head_count": "10"}, "ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 10 คน"),
        ({"dimensions": ["มิติที่ไม่มี"]}, "ไม่อยู่ในรายการ"),
    ],
)
def test_bad_forums_get_thai_errors_keep_input_and_save_nothing(client, db, changes, message):
    login(client, "clerk")
    before = db["forum"].count
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db, **changes))
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in html
    assert "ศาลากลางบ้าน" in html and "นายแทน ให้" in html
    assert db["forum"].count == before


def test_an_lao_forum_adopts_the_ranked_project_list(client, db):
    login(client, "clerk")
    dims = dimensions(db)
    data = form_data(
        db,
        title="เวทีประชาคมระดับตำบล",
        organisers=["ctc", "plan_leaders"],
        **{
            "projects-0-rank": "102",
            "projects-0-name": "ถนนคอนกรีต",
            "projects-0-dimension": dims[5],
            "projects-0-village_id": "2",
            "projects-1-rank": "101",
            "projects-1-name": "ประปาหมู่บ้าน",
            "projects-1-dimension": dims[5],
            "projects-1-village_id": "",
        },
    )
    response = client.post("/laos/1/forums/new?level=lao", data=data)
    assert response.status_code == 302
    forum_id = int(response.location.rsplit("/", 1)[1])
    projects = [p for p in forum_store.projects(db, 1, YEAR) if p["forum_id"] == forum_id]
    assert [(p["rank"], p["name"]) for p in projects] == [(101, "ประปาหมู่บ้าน"), (102, "ถนนคอนกรีต")]
    duplicate = dict(data, **{"projects-1-rank": "102"})
    response = client.post("/laos/1/forums/new?level=lao", data=duplicate)
    assert response.status_code == 400 and "ไม่ซ้ำกัน" in response.get_data(as_text=True)
    clash = dict(data, **{"projects-1-rank": "3"})  # rank 3 is already in the LAO's list
    response = client.post("/laos/1/forums/new?level=lao", data=clash)
    assert response.status_code == 400 and "ซ้ำกับโครงการ" in response.get_data(as_text=True)


def test_criteria_2_and_3_follow_the_forums(db):
    c2, c3 = services.criteria_2_and_3(db, 1)
    assert c2.met and c3.met and (c2.numerator, c2.denominator) == (8, 8)
    forum_store.delete_forum(db, 1, 3)
    c2, _ = services.criteria_2_and_3(db, 1)
    assert not c2.met and c2.numerator == 7 and c2.reasons == ["หมู่ที่ 3 บ้านดอนแดง: ยังไม่มีเวทีประชาคม"]
    c2, c3 = services.criteria_2_and_3(db, 5)  # the demo LAO whose LAO forum had no ศอช.ต./สอช.
    assert c2.met and not c3.met and "ศอช.ต." in c3.reasons[0]
    c2, _ = services.criteria_2_and_3(db, 3)  # a municipality: communities need no กชช. ๒ค
    assert c2.numerator == 5 and c2.denominator == 6


def test_meeting_numbers_are_suggested_per_organiser_and_year(db):
    day = dt.date(CE, 4, 1)
    assert forum_store.suggest_meeting_no(db, 1, "village", 1, "village_committee", day) == 2
    assert forum_store.suggest_meeting_no(db, 1, "village", 1, "lao", day) == 1
    assert forum_store.suggest_meeting_no(db, 1, "lao", None, "ctc", day) == 2


def test_a_village_with_forums_cannot_be_removed(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/villages/1/delete", follow_redirects=True)
    assert "มีเวทีประชาคม" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM village WHERE id = 1").fetchone()[0] == 1


# Documents -------------------------------------------------------------------------------


def minutes(db, forum_id, lao_id=1):
    return doc_context.minutes_context(
        lao_store.get_lao(db, lao_id), forum_store.get_forum(db, lao_id, forum_id), ORGANISERS
    )


def test_minutes_follow_regulation_form_11_without_look_alikes(db):
    ctx = minutes(db, 9)
    text = pdf_text(engine.render_pdf("minutes", ctx), "-raw")
    positions = [text.find(label) for label in REGULATION_ORDER]
    assert all(p >= 0 for p in positions), dict(zip(REGULATION_ORDER, positions, strict=False))
    assert positions == sorted(positions)
    for word in LOOK_ALIKES:
        assert word not in text
    for fact in (
        "ข้อมูล จปฐ.",
        "ข้อมูล กชช. ๒ค",
        "มิติการพัฒนาที่ครอบคลุม",
        "จำนวนผู้เข้าร่วมเวทีประชาคม ๘๐ คน",
        "บัญชีโครงการ/กิจกรรมที่ที่ประชุมเห็นชอบ",
    ):
        assert flat(fact) in flat(text)


def test_names_and_resolutions_round_trip_and_docx_says_the_same(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db))
    forum_id = int(response.location.rsplit("/", 1)[1])
    ctx = minutes(db, forum_id)
    pdf = flat(pdf_text(engine.render_pdf("minutes", ctx), "-raw"))
    for value in (
        "นายแทน ให้",
        "มาประชุมแทน นายติด ธุระ",
        "นายไม่ ว่าง",
        "ป่วย",
        "รายละเอียดวาระ ๒ & <ทดสอบ>",
        "มติวาระ ๒ เห็นชอบ",
        "นางจดดี มีระเบียบ",
        f"ครั้งที่ ๒/{TH_YEAR}",
        "เริ่มประชุมเวลา ๐๙.๐๐ น.",
        "เลิกประชุมเวลา ๑๒.๓๐ น.",
    ):
        assert flat(value) in pdf, value
    docx = flat("".join(docx_blocks(engine.render_docx("minutes", ctx))))
    assert docx == flat(without_page_numbers(pdf_text(engine.render_pdf("minutes", ctx), "-raw")))


def test_a_large_forum_paginates_inside_the_margins(db):
    data = forum_store.ForumInput(
        level="lao",
        held_on=dt.date(CE, 5, 1),
        start_time="08:30",
        end_time="16:30",
        place="หอประชุม",
        title="เวทีใหญ่",
        organisers=["ctc", "plan_leaders"],
        dimensions=dimensions(db),
        attendees=[{"kind": "participant", "name": f"ผู้เข้าร่วม คนที่{i}", "position": "ผู้แทนครัวเรือน"} for i in range(200)],
        agenda=[
            {"title": f"วาระย่อยที่ {i}", "discussion": "ที่ประชุมอภิปรายอย่างกว้างขวาง " * 3, "resolution": "เห็นชอบ"}
            for i in range(40)
        ],
        projects=[
            {"rank": 100 + i, "name": f"โครงการที่ {i + 1}", "dimension": dimensions(db)[i % 8]} for i in range(60)
        ],
    )
    forum_id = forum_store.create_forum(db, 1, data, None)
    ctx = minutes(db, forum_id)
    pdf = engine.render_pdf("minutes", ctx)
    pages = pdf_pages(pdf)
    assert pages >= 10
    boxes = pdf_text(pdf, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    height = float(re.search(r'height="([\d.]+)"', boxes).group(1))
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)) <= width - 2 / 2.54 * 72 + 2
    assert max(float(y) for y in re.findall(r'yMax="([\d.]+)"', boxes)) <= height - 2 / 2.54 * 72 + 2
    text = pdf_text(pdf, "-raw")
    assert f"- {pages} -".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in text
    assert text.count(ctx["project_columns"]["dimension"]) >= 2  # the project table's header repeats
    sheet = engine.render_pdf(
        "sign-in-sheet",
        doc_context.sign_in_context(lao_store.get_lao(db, 1), forum_store.get_forum(db, 1, forum_id), 200),
    )
    sheet_text = pdf_text(sheet, "-raw")
    assert pdf_pages(sheet) >= 8 and sheet_text.count("ลายมือชื่อ") == pdf_pages(sheet)


def test_sign_in_sheet_lists_expected_members_then_blank_rows(db):
    forum = forum_store.get_forum(db, 1, 1)
    ctx = doc_context.sign_in_context(lao_store.get_lao(db, 1), forum, 12)
    assert len(ctx["rows"]) == 12
    present = [a["name"] for a in forum["attendees"] if a["kind"] == "present"]
    assert [r["name"] for r in ctx["rows"][: len(present)]] == present
    assert all(r["name"] == "" for r in ctx["rows"][len(present) + 1 :])
    assert [c for c in ctx["columns"].values()] == ["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง/หมู่ที่", "ลายมือชื่อ"]
    docx = docx_blocks(engine.render_docx("sign-in-sheet", ctx))
    assert docx.count("ลายมือชื่อ") == 1 and "๑๒" in docx
    assert flat("".join(docx)) == flat(without_page_numbers(pdf_text(engine.render_pdf("sign-in-sheet", ctx), "-raw")))


def test_documents_through_the_page_and_the_cli(client, db_path, tmp_path):
    login(client, "facilitator")
    response = client.get("/laos/1/documents/sign-in-sheet.pdf?forum=1&rows=40")
    assert response.status_code == 200 and "ลายมือชื่อ" in pdf_text(response.data)
    assert client.get("/laos/1/documents/minutes.docx?forum=1").status_code == 200
    env = {"FORMSVC_DB": str(db_path)}
    listed = CliRunner().invoke(main, ["forums", "--lao", "1", "--json"], env=env)
    rows = json.loads(listed.output)
    assert len(rows) == 9 and {r["level"] for r in rows} == {"village", "lao"}
    out = tmp_path / "m.pdf"
    result = CliRunner().invoke(
        main, ["render", "minutes", "--lao", "1", "--forum", "9", "--format", "pdf", "--out", str(out)], env=env
    )
    assert result.exit_code == 0 and "ผู้จดรายงานการประชุม" in pdf_text(out.read_bytes())
    assert (
        CliRunner()
        .invoke(main, ["render", "minutes", "--lao", "1", "--format", "pdf", "--out", str(out)], env=env)
        .exit_code
        == 2
    )
    assert (
        CliRunner()
        .invoke(
            main, ["render", "minutes", "--lao", "1", "--forum", "10", "--format", "pdf", "--out", str(out)], env=env
        )
        .exit_code
        == 1
    )


def test_store_refuses_a_village_of_another_lao(db):
    with pytest.raises(InputError):
        forum_store.create_forum(
            db,
            1,
            forum_store.ForumInput(
                level="village",
                village_id=14,
                held_on=dt.date(CE, 3, 1),
                start_time="09:00",
                end_time="10:00",
                place="x",
                title="x",
                organisers=["village_committee"],
                agenda=[{"title": "x"}],
            ),
            None,
        )


def test_checklist_shows_criteria_2_and_3(client):
    login(client, "clerk2")
    html = arabic(client.get("/laos/3").get_data(as_text=True))
    assert "ชุมชนหลังอำเภอ: ยังไม่มีเวทีประชาคม" in html and "5 จาก 6 หมู่บ้าน/ชุมชน" in html


def test_re_saving_an_lao_forum_keeps_the_plan_and_budget_marks(client, db):
    from formsvc.store import projects as project_store

    before = {p["id"]: p for p in project_store.list_projects(db, 1, YEAR)}
    login(client, "clerk")
    forum = forum_store.get_forum(db, 1, 9)
    data = {
        "version": str(forum["version"]),
        "title": forum["title"],
        "held_on": f"20/05/{YEAR}",
        "start_time": forum["start_time"],
        "end_time": forum["end_time"],
        "place": forum["place"],
        "organisers": forum["organisers"],
        "dimensions": forum["dimensions"],
        "used_bmn": "y",
        "used_village_data": "y",
        "bmn_year": str(YEAR - 1),
        "village_data_year": str(YEAR - 1),
        "reviews_community_plan": "y",
        "action": "save",
    }
    for i, item in enumerate(forum["agenda"]):
        data.update({f"agenda-{i}-{k}": item[k] for k in ("title", "discussion", "resolution")})
    for i, p in enumerate(forum["projects"]):
        data.update(
            {
                f"projects-{i}-id": str(p["id"]),
                f"projects-{i}-version": str(p["version"]),
                f"projects-{i}-rank": str(p["rank"]),
                f"projects-{i}-name": p["name"],
                f"projects-{i}-dimension": p["dimension"],
                f"projects-{i}-village_id": str(p["village_id"] or ""),
            }
        )
    data["projects-0-name"] = "ชื่อใหม่ของโครงการแรก"
    response = client.post("/laos/1/forums/9", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    after = {p["id"]: p for p in project_store.list_projects(db, 1, YEAR)}
    assert set(after) == set(before)
    first = min(after.values(), key=lambda p: p["rank"])
    assert first["name"] == "ชื่อใหม่ของโครงการแรก"
    assert all(after[i]["in_development_plan"] == before[i]["in_development_plan"] for i in before)
    assert forum_store.get_forum(db, 1, 9)["used_village_data"] == 1


def test_removing_a_forum_keeps_its_projects_in_the_list(db):
    from formsvc.store import projects as project_store

    count = len(project_store.list_projects(db, 1, YEAR))
    forum_store.delete_forum(db, 1, 9)
    assert len(project_store.list_projects(db, 1, YEAR)) == count


def test_changing_the_village_renames_a_default_title(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/forums/new?level=village",
        data=form_data(db, village_id="3", title="เวทีประชาคมหมู่ที่ 1 บ้านหนองบัว ทบทวนแผนชุมชน"),
    )
    forum = forum_store.get_forum(db, 1, int(response.location.rsplit("/", 1)[1]))
    assert forum["title"] == "เวทีประชาคมหมู่ที่ 3 บ้านดอนแดง ทบทวนแผนชุมชน"


def test_huge_ids_in_forum_forms_are_not_a_500(client, db):
    login(client, "clerk")
    assert client.get("/laos/1/forums/new?level=village&village=99999999999999999999").status_code == 200
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db, village_id="99999999999999999999"))
    assert response.status_code == 400


def test_row_fields_are_labelled_with_their_row(client):
    login(client, "facilitator")
    html = client.get("/laos/1/forums/new?level=village").get_data(as_text=True)
    for label in ("ชื่อ 1", "ชื่อ 3", "ตำแหน่ง 3", "ระเบียบวาระ 5"):
        assert f'aria-label="{label}"' in html, label
