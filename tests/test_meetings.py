"""Meetings of the working group (guideline §4.1(4)): recorded like forums by the LAO's
clerk and the facilitators of its district, read by the district, province and national
offices; versioned, audited, deleted with undo; the first meeting may choose the chair,
which the working group then shows; minutes as regulation form 11 (PDF and DOCX).

Demo scopes: clerk → LAO 1 (district 3701); facilitator and district → 3701; province →
37. The demo's programme months are January to September of YEAR."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import docx
import pytest

from formsvc.domain import thai
from tests.conftest import CE, YEAR, arabic, login
from tests.docs import flat, pdf_text

PLACE = "ห้องประชุมทดสอบคณะทำงาน"
DISCUSSION = "เลขานุการเสนอปฏิทินเวทีประชาคมหมู่บ้านทุกหมู่"
RESOLUTION = "ที่ประชุมเห็นชอบปฏิทินเวทีประชาคม"
CHAIR = "นายประธานใหม่ ทดสอบระบบ"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def meeting_form(**changes) -> dict:
    data = {
        "version": "0",
        "meeting_no": "2",
        "held_on": thai.date_input(dt.date(CE, 3, 10)),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": PLACE,
        "chair_member": "",
        "chair_name": "",
        "chair_position": "",
        "present-0-name": "นายสมาชิก หนึ่ง",
        "present-0-position": "นายก อบต.",
        "present-1-name": "นางสมาชิก สอง",
        "present-1-position": "พัฒนาการอำเภอ",
        "present-1-substitute_for": "นายพัฒนา อำเภอ",
        "absent-0-name": "นายขาด ประชุม",
        "absent-0-position": "กำนัน",
        "absent-0-absence_reason": "ติดภารกิจ",
        "participants-0-name": "นางผู้ร่วม สังเกตการณ์",
        "participants-0-position": "วิทยากรกระบวนการ",
        "agenda-0-title": "เรื่องเพื่อพิจารณา",
        "agenda-0-discussion": DISCUSSION,
        "agenda-0-resolution": RESOLUTION,
        "recorder_name": "นายจด รายงาน",
        "recorder_position": "เลขานุการคณะทำงาน",
        "checker_name": "",
        "checker_position": "",
    }
    return {**data, **changes}


@pytest.fixture(autouse=True)
def no_demo_meetings(db):
    """These tests number the meetings they record: the demo's first meeting is set aside."""
    db.execute("DELETE FROM working_group_meeting")


@pytest.fixture
def spring(travel):
    travel(dt.date(CE, 3, 20))


def _create(client, lao_id: int = 1, **changes):
    return client.post(f"/laos/{lao_id}/meetings/new", data=meeting_form(**changes))


def _row(db, meeting_id: int) -> dict:
    row = db.execute("SELECT * FROM working_group_meeting WHERE id = ?", [meeting_id]).fetchone()
    return dict(row) if row is not None else None


def _only_id(db) -> int:
    return db.execute("SELECT id FROM working_group_meeting").fetchone()[0]


def _chairs(db, lao_id: int = 1) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT m.name FROM working_group_member m JOIN working_group g ON g.id = m.working_group_id"
            " WHERE g.lao_id = ? AND g.programme_year = ? AND m.group_role = 'chair'",
            [lao_id, YEAR],
        )
    ]


def _group_version(db, lao_id: int = 1) -> int:
    return db.execute(
        "SELECT version FROM working_group WHERE lao_id = ? AND programme_year = ?", [lao_id, YEAR]
    ).fetchone()[0]


def test_the_clerk_records_a_meeting_shown_on_the_working_group_page(client, db, spring):
    login(client, "clerk")
    response = _create(client)
    assert response.status_code == 302, _text(response.get_data(as_text=True))[:500]
    meeting_id = _only_id(db)
    row = _row(db, meeting_id)
    assert (row["meeting_no"], row["meeting_year_be"], row["held_on"], row["place"], row["version"]) == (
        2,
        YEAR,
        f"{CE}-03-10",
        PLACE,
        1,
    )
    attendees = json.loads(row["attendees"])
    assert [(a["kind"], a["name"]) for a in attendees] == [
        ("present", "นายสมาชิก หนึ่ง"),
        ("present", "นางสมาชิก สอง"),
        ("absent", "นายขาด ประชุม"),
        ("participant", "นางผู้ร่วม สังเกตการณ์"),
    ]
    assert attendees[1]["substitute_for"] == "นายพัฒนา อำเภอ" and attendees[2]["absence_reason"] == "ติดภารกิจ"
    assert json.loads(row["agenda"]) == [{"title": "เรื่องเพื่อพิจารณา", "discussion": DISCUSSION, "resolution": RESOLUTION}]
    page = arabic(client.get("/laos/1/working-group").get_data(as_text=True))
    assert f"/laos/1/meetings/{meeting_id}" in page and f"2/{YEAR}" in page and PLACE in page
    # the meeting is audited, naming its LAO
    entry = db.execute(
        "SELECT action, lao_id FROM audit_log WHERE table_name = 'working_group_meeting' AND row_id = ?",
        [str(meeting_id)],
    ).fetchone()
    assert tuple(entry) == ("insert", 1)


def test_a_new_meeting_lists_the_groups_members_as_present(client, db, spring):
    login(client, "clerk")
    page = client.get("/laos/1/meetings/new").get_data(as_text=True)
    members = [
        r[0]
        for r in db.execute(
            "SELECT name FROM working_group_member m JOIN working_group g"
            " ON g.id = m.working_group_id WHERE g.lao_id = 1 AND m.name != ''"
        )
    ]
    assert members and all(name in page for name in members)
    assert 'name="meeting_no"' in page and 'value="1"' in arabic(page)


def test_an_edit_is_saved_and_a_stale_form_is_refused(client, db, spring):
    login(client, "clerk")
    _create(client)
    meeting_id = _only_id(db)
    edited = meeting_form(version="1", place="ศาลาประชาคมกลาง")
    assert client.post(f"/laos/1/meetings/{meeting_id}", data=edited).status_code == 302
    assert (_row(db, meeting_id)["place"], _row(db, meeting_id)["version"]) == ("ศาลาประชาคมกลาง", 2)
    # a form opened at version 1 would overwrite that change: refused, nothing written
    stale = meeting_form(version="1", place="ที่อื่น")
    response = client.post(f"/laos/1/meetings/{meeting_id}", data=stale)
    assert response.status_code == 400
    assert "ศาลาประชาคมกลาง" in _text(response.get_data(as_text=True))  # what the other save made
    assert (_row(db, meeting_id)["place"], _row(db, meeting_id)["version"]) == ("ศาลาประชาคมกลาง", 2)


def test_a_refusal_keeps_what_was_typed_and_writes_nothing(client, db, spring):
    login(client, "clerk")
    typed = "นายพิมพ์ ไว้ไม่หาย"
    response = _create(client, **{"end_time": "08:00", "participants-0-name": typed})
    assert response.status_code == 400
    text = _text(response.get_data(as_text=True))
    assert "เลิก" in text or "ends" in text or "end" in text  # the message says what is wrong
    assert typed in response.get_data(as_text=True) and PLACE in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM working_group_meeting").fetchone()[0] == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"place": "ก" * 301},
        {"agenda-0-title": "ก" * 301},
        {"present-0-name": "ก" * 121},
        {"absent-0-absence_reason": "ก" * 201},
        {"meeting_no": "0"},
        {"meeting_no": "abc"},
        {"held_on": thai.date_input(dt.date(CE + 1, 3, 10))},
        {"agenda-0-title": "", "agenda-0-discussion": "", "agenda-0-resolution": ""},
        {"present-0-name": "", "present-1-name": ""},
        {"chair_member": "99999"},
        {"chair_member": "other"},
        {"chair_name": CHAIR},  # typed without choosing "another person"
    ],
)
def test_bad_input_is_refused_in_thai_and_writes_nothing(client, db, spring, changes):
    login(client, "clerk")
    response = _create(client, **changes)
    assert response.status_code == 400
    assert re.search("[\u0e01-\u0e5b]", _text(response.get_data(as_text=True)))
    assert db.execute("SELECT count(*) FROM working_group_meeting").fetchone()[0] == 0


def test_too_many_agenda_rows_are_refused(client, db, spring):
    login(client, "clerk")
    rows = {f"agenda-{i}-title": f"วาระ {i}" for i in range(51)}
    response = _create(client, **rows)
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM working_group_meeting").fetchone()[0] == 0


def test_a_meeting_number_is_not_recorded_twice_in_a_year(client, db, spring):
    login(client, "clerk")
    assert _create(client).status_code == 302
    response = _create(client)
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM working_group_meeting").fetchone()[0] == 1


def test_delete_then_undo_brings_the_meeting_back(client, db, spring):
    login(client, "clerk")
    _create(client)
    meeting_id = _only_id(db)
    response = client.post(f"/laos/1/meetings/{meeting_id}/delete", follow_redirects=True)
    assert response.status_code == 200
    assert _row(db, meeting_id) is None
    entry = db.execute("SELECT id, kind FROM deleted_record WHERE record_id = ? AND kind = 'meeting'", [meeting_id])
    entry_id, kind = entry.fetchone()
    page = response.get_data(as_text=True)
    assert f"/laos/1/deleted/{entry_id}/restore" in page  # the undo button
    assert "การประชุมคณะทำงาน" in client.get("/laos/1/deleted").get_data(as_text=True)
    assert client.post(f"/laos/1/deleted/{entry_id}/restore").status_code == 302
    assert _row(db, meeting_id)["place"] == PLACE
    assert db.execute("SELECT count(*) FROM deleted_record WHERE id = ?", [entry_id]).fetchone()[0] == 0


def test_the_first_meeting_chooses_a_new_chair_for_the_group(client, db, spring):
    login(client, "clerk")
    before = _group_version(db)
    old_chairs = _chairs(db)
    assert old_chairs and CHAIR not in old_chairs
    response = _create(client, meeting_no="1", chair_member="other", chair_name=CHAIR, chair_position="ผู้นำชุมชน")
    assert response.status_code == 302
    assert _chairs(db) == [CHAIR]
    assert _group_version(db) == before + 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert CHAIR in _text(page) and ("ประธาน" in page or "chair" in page)
    group_page = client.get("/laos/1/working-group").get_data(as_text=True)
    assert CHAIR in group_page
    # the audit log shows the group's change
    assert (
        db.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'working_group_member' AND action = 'insert'"
            " AND after LIKE ?",
            [f"%{CHAIR}%"],
        ).fetchone()[0]
        == 1
    )


def test_the_chair_may_be_a_member_of_the_list(client, db, spring):
    login(client, "clerk")
    member_id, name = db.execute(
        "SELECT m.id, m.name FROM working_group_member m JOIN working_group g ON g.id = m.working_group_id"
        " WHERE g.lao_id = 1 AND m.group_role != 'chair' AND m.name != '' ORDER BY m.position_no DESC"
    ).fetchone()
    assert _create(client, meeting_no="1", chair_member=str(member_id)).status_code == 302
    assert _chairs(db) == [name]
    assert _row(db, _only_id(db))["chair_name"] == name


def test_the_current_chair_chosen_again_leaves_the_group_unchanged(client, db, spring):
    login(client, "clerk")
    before, chairs = _group_version(db), _chairs(db)
    member_id = db.execute(
        "SELECT m.id FROM working_group_member m JOIN working_group g ON g.id = m.working_group_id"
        " WHERE g.lao_id = 1 AND m.group_role = 'chair'"
    ).fetchone()[0]
    assert _create(client, meeting_no="1", chair_member=str(member_id)).status_code == 302
    assert (_group_version(db), _chairs(db)) == (before, chairs)


def test_only_the_first_meeting_chooses_the_chair(client, db, spring):
    login(client, "clerk")
    chairs = _chairs(db)
    response = _create(client, meeting_no="2", chair_member="other", chair_name=CHAIR)
    assert response.status_code == 400
    assert _chairs(db) == chairs


def test_facilitators_record_district_reads(make_app, db, spring):
    app = make_app(WTF_CSRF_ENABLED=False)
    facilitator = app.test_client()
    login(facilitator, "facilitator")
    assert _create(facilitator).status_code == 302
    meeting_id = _only_id(db)
    district = app.test_client()
    login(district, "district")
    page = district.get(f"/laos/1/meetings/{meeting_id}")
    assert page.status_code == 200 and PLACE in page.get_data(as_text=True)
    assert district.post(f"/laos/1/meetings/{meeting_id}", data=meeting_form(version="1")).status_code == 403
    assert district.post(f"/laos/1/meetings/{meeting_id}/delete").status_code == 403
    assert _row(db, meeting_id)["version"] == 1


def test_the_minutes_say_what_the_meeting_said(client, db, spring):
    login(client, "clerk")
    _create(client, meeting_no="1", chair_member="other", chair_name=CHAIR)
    meeting_id = _only_id(db)
    pdf = client.get(f"/laos/1/documents/meeting-minutes.pdf?meeting={meeting_id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = flat(pdf_text(pdf.data))
    for words in ("รายงานการประชุมคณะทำงานระดับท้องถิ่น", PLACE, DISCUSSION, RESOLUTION, "นายขาด ประชุม", CHAIR):
        assert flat(words) in text, words
    assert flat("ติดภารกิจ") in text and flat("มาประชุมแทน") in text
    response = client.get(f"/laos/1/documents/meeting-minutes.docx?meeting={meeting_id}")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    words = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    for expected in (PLACE, DISCUSSION, RESOLUTION, "นางผู้ร่วม สังเกตการณ์", CHAIR, "ระเบียบวาระที่"):
        assert expected in words, expected


def test_minutes_of_a_meeting_of_another_lao_are_not_found(client, db, spring):
    login(client, "admin")
    _create(client, lao_id=1)
    meeting_id = _only_id(db)
    assert client.get(f"/laos/3/documents/meeting-minutes.pdf?meeting={meeting_id}").status_code == 404
    assert client.get(f"/laos/1/documents/meeting-minutes.pdf?meeting={meeting_id + 1}").status_code == 404


def test_the_cli_renders_the_demo_meetings_minutes(db, db_path, tmp_path):
    from click.testing import CliRunner

    from formsvc.cli import main

    env = {"FORMSVC_DB": str(db_path)}
    out = tmp_path / "minutes.pdf"
    _create_in_store(db)
    meeting_id = _only_id(db)
    args = ["render", "meeting-minutes", "--lao", "1", "--meeting", str(meeting_id), "--format", "pdf"]
    result = CliRunner().invoke(main, [*args, "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(out.read_bytes()))
    assert flat(PLACE) in text and flat(RESOLUTION) in text
    missing = CliRunner().invoke(main, [*args[:4], "--format", "pdf", "--out", str(out)], env=env)
    assert missing.exit_code == 2 and "meeting-minutes ต้องระบุ --meeting" in missing.output
    absent = ["render", "meeting-minutes", "--lao", "1", "--meeting", "999", "--format", "pdf", "--out", str(out)]
    result = CliRunner().invoke(main, absent, env=env)
    assert result.exit_code == 1 and "การประชุมคณะทำงานรหัส 999" in result.output


def _create_in_store(db) -> None:
    from formsvc.store import meetings as meeting_store
    from formsvc.store import programme as programme_store

    start, _ = meeting_store.window(db, programme_store.get_programme(db).year_be)
    meeting_store.create_meeting(
        db,
        1,
        meeting_store.MeetingInput(
            held_on=start,
            start_time="09:00",
            end_time="10:00",
            place=PLACE,
            meeting_no=3,
            attendees=[{"kind": "present", "name": "นายสมาชิก หนึ่ง", "position": "นายก"}],
            agenda=[{"title": "เรื่องแจ้ง", "discussion": DISCUSSION, "resolution": RESOLUTION}],
        ),
        None,
    )


def test_facilitators_reach_the_meetings_from_the_laos_page(client, db):
    login(client, "facilitator")
    page = client.get("/laos/1").get_data(as_text=True)
    assert "/laos/1/meetings" in page
    assert "/laos/1/working-group" not in page  # the group's page is not theirs


def test_saving_the_meeting_again_leaves_a_chair_changed_since_alone(client, db, spring):
    from formsvc.store import working_group as wg_store

    login(client, "clerk")
    _create(client, meeting_no="1", chair_member="other", chair_name=CHAIR)
    meeting_id = _only_id(db)
    other = db.execute(
        "SELECT m.name FROM working_group_member m JOIN working_group g ON g.id = m.working_group_id"
        " WHERE g.lao_id = 1 AND m.group_role != 'chair' AND m.name != '' ORDER BY m.position_no DESC"
    ).fetchone()[0]
    wg_store.set_chair(db, 1, YEAR, name=other)  # the group changed its chair later
    edited = meeting_form(version="1", meeting_no="1", chair_member="other", chair_name=CHAIR, place="ที่ใหม่")
    assert client.post(f"/laos/1/meetings/{meeting_id}", data=edited).status_code == 302
    assert _chairs(db) == [other]


def test_a_chair_without_a_member_list_is_refused_and_nothing_is_written(client, db, spring):
    db.execute(
        "DELETE FROM working_group_member WHERE working_group_id IN (SELECT id FROM working_group WHERE lao_id = 1)"
    )
    login(client, "clerk")
    response = _create(client, meeting_no="1", chair_member="other", chair_name=CHAIR)
    assert response.status_code == 400
    assert "คณะทำงาน" in _text(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM working_group_meeting").fetchone()[0] == 0
    assert _chairs(db) == []
