"""The project import to the letter: a blank "within powers" is an error, the marks
clerks type for yes, and the LAO-level forum whose ranked list the file is (page and
CLI), all or nothing."""

from __future__ import annotations

import datetime as _dt
import io
import re

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from formsvc import imports, services
from formsvc.cli import main
from formsvc.store import forums as forum_store
from formsvc.store import projects as project_store
from formsvc.store.programme import dimensions, get_programme
from tests.conftest import arabic, login

HEADER = [
    "ลำดับความสำคัญ",
    "ชื่อโครงการ",
    "มิติการพัฒนา",
    "หมู่ที่",
    "อยู่ในอำนาจหน้าที่",
    "บรรจุในแผนพัฒนาท้องถิ่น",
    "บรรจุในร่างข้อบัญญัติ",
    "งบประมาณ",
]


def year(db) -> int:
    return get_programme(db).year_be


@pytest.fixture
def nothing_yet(db) -> int:
    """The demo's model LAO that has recorded nothing yet (no forum at all)."""
    return db.execute(
        "SELECT lao_id FROM model_lao m WHERE programme_year = ? AND NOT EXISTS"
        " (SELECT 1 FROM forum f WHERE f.lao_id = m.lao_id) ORDER BY lao_id",
        [year(db)],
    ).fetchone()[0]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    return ("\n".join(",".join("" if c is None else str(c) for c in r) for r in [HEADER, *rows]) + "\n").encode()


def rows(db, n=5):
    dims = dimensions(db)
    return [
        [i, f"นำเข้า {i}", dims[i % len(dims)], None, "ใช่", "ใช่" if i == 1 else "ไม่ใช่", "", None]
        for i in range(1, n + 1)
    ]


def snapshot(db, lao_id=1):
    return [(p["rank"], p["name"], p["forum_id"]) for p in project_store.list_projects(db, lao_id, year(db))]


def second_lao_forum(db, lao_id=1) -> int:
    first = next(f for f in forum_store.forums(db, lao_id, year(db)) if f["level"] == "lao")
    return forum_store.create_forum(
        db,
        lao_id,
        forum_store.ForumInput(
            level="lao",
            held_on=_dt.date.fromisoformat(first["held_on"]),
            start_time="13:00",
            end_time="16:00",
            place="หอประชุม",
            title="เวทีประชาคมระดับตำบล ครั้งที่สอง",
            organisers=["ctc", "coc", "plan_leaders"],
            used_bmn=True,
            used_village_data=True,
            bmn_year=first["bmn_year"],
            village_data_year=first["village_data_year"],
            dimensions=dimensions(db),
            agenda=[{"title": "จัดลำดับโครงการ"}],
        ),
        None,
    )


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_blank_within_powers_is_an_error_naming_file_row_and_column(client, db, kind):
    data = rows(db)
    data[2][4] = None  # row 4 of the file (the header is row 1)
    content = xlsx(data) if kind == "xlsx" else csv_bytes(data)
    parsed = imports.parse(db, 1, content, f"บัญชี.{kind}")
    assert not parsed.ok and len(parsed.errors) == 1
    assert parsed.errors[0].startswith(f"บัญชี.{kind} แถวที่ 4 คอลัมน์ อยู่ในอำนาจหน้าที่: ว่างอยู่ ต้องระบุ ใช่ หรือ ไม่ใช่")
    before = snapshot(db)
    login(client, "clerk")
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(content), f"บัญชี.{kind}")},
        content_type="multipart/form-data",
    )
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400 and f"บัญชี.{kind} แถวที่ 4 คอลัมน์ อยู่ในอำนาจหน้าที่: ว่างอยู่" in html
    assert "นำเข้าโครงการเหล่านี้" not in html and snapshot(db) == before


def test_blank_in_plan_and_in_budget_read_as_no(db):
    data = rows(db)
    data[0][5] = None
    parsed = imports.parse(db, 1, xlsx(data), "x.xlsx")
    assert parsed.ok, parsed.errors
    assert parsed.rows[0]["in_development_plan"] == 0 and parsed.rows[0]["in_budget_draft"] == 0


@pytest.mark.parametrize("mark", ["ใช่", "✓", "/", "√", "yes", "1", "มี"])
def test_the_marks_clerks_type_for_yes(db, mark):
    data = rows(db, 1)
    data[0][4:7] = [mark, mark, mark]
    parsed = imports.parse(db, 1, csv_bytes(data), "x.csv")
    assert parsed.ok, parsed.errors
    assert (
        parsed.rows[0]["within_authority"],
        parsed.rows[0]["in_development_plan"],
        parsed.rows[0]["in_budget_draft"],
    ) == (1, 1, 1)


def test_the_only_lao_forum_adopts_the_imported_rows(client, db):
    forum = next(f for f in forum_store.forums(db, 1, year(db)) if f["level"] == "lao")
    login(client, "clerk")
    page = client.get("/laos/1/projects").get_data(as_text=True)
    assert f"แถวในไฟล์จะเป็นบัญชีโครงการที่จัดลำดับโดย {forum['title']}" in page and 'name="forum_id"' not in page
    html = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    action = re.search(r'action="(/laos/1/projects/import/\d+)"', html).group(1)
    assert client.post(action).status_code == 302
    assert {p[2] for p in snapshot(db)} == {forum["id"]}
    c4 = services.compliance(db, 1)["criteria"][3]
    assert (c4["numerator"], c4["denominator"]) == (1, 5)  # every imported row counts


def test_with_several_lao_forums_the_page_asks_which(client, db):
    other = second_lao_forum(db)
    before = snapshot(db)
    login(client, "clerk")
    page = arabic(client.get("/laos/1/projects").get_data(as_text=True))
    assert '<select id="forum_id" name="forum_id" required>' in page and f'<option value="{other}">' in page
    response = client.post(
        "/laos/1/projects/import",
        data={"file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "มีเวทีประชาคมระดับท้องถิ่น 2 เวที กรุณาเลือกเวทีที่จัดลำดับบัญชีโครงการนี้" in arabic(response.get_data(as_text=True))
    village = next(f for f in forum_store.forums(db, 1, year(db)) if f["level"] == "village")
    response = client.post(
        "/laos/1/projects/import",
        data={"forum_id": str(village["id"]), "file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "ไม่ใช่เวทีประชาคมระดับท้องถิ่นของ อปท. นี้" in arabic(
        response.get_data(as_text=True)
    )
    assert snapshot(db) == before
    html = client.post(
        "/laos/1/projects/import",
        data={"forum_id": str(other), "file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "เวทีประชาคมระดับตำบล ครั้งที่สอง" in html
    action = re.search(r'action="(/laos/1/projects/import/\d+)"', html).group(1)
    assert client.post(action).status_code == 302
    assert {p[2] for p in snapshot(db)} == {other}


def test_confirming_after_the_chosen_forum_was_removed_changes_nothing(client, db):
    other = second_lao_forum(db)
    login(client, "clerk")
    html = client.post(
        "/laos/1/projects/import",
        data={"forum_id": str(other), "file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    action = re.search(r'action="(/laos/1/projects/import/\d+)"', html).group(1)
    forum_store.delete_forum(db, 1, other)
    before = snapshot(db)
    response = client.post(action, follow_redirects=True)
    assert f"เวทีประชาคมรหัส {other} ไม่ใช่เวทีประชาคมระดับท้องถิ่นของ อปท. นี้" in arabic(response.get_data(as_text=True))
    assert snapshot(db) == before


def test_without_an_lao_forum_the_import_is_refused_with_what_to_do(client, db, nothing_yet):
    login(client, "admin")
    page = arabic(client.get(f"/laos/{nothing_yet}/projects").get_data(as_text=True))
    assert "กรุณาบันทึกเวทีประชาคมระดับท้องถิ่นก่อน" in page and 'name="file"' not in page
    response = client.post(
        f"/laos/{nothing_yet}/projects/import",
        data={"file": (io.BytesIO(xlsx(rows(db))), "ok.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert f"ยังไม่มีเวทีประชาคมระดับท้องถิ่นของปี {year(db)}" in arabic(response.get_data(as_text=True))
    assert snapshot(db, nothing_yet) == []


def test_cli_import_chooses_the_forum_or_refuses_in_thai(db_path, tmp_path, db, nothing_yet):
    env = {"FORMSVC_DB": str(db_path)}
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(rows(db)))

    def run(*args):
        return CliRunner().invoke(main, ["import-projects", *args, str(good)], env=env)

    result = run("--lao", str(nothing_yet))
    assert result.exit_code == 1 and "กรุณาบันทึกเวทีประชาคมระดับท้องถิ่นก่อน" in result.output
    first = next(f for f in forum_store.forums(db, 1, year(db)) if f["level"] == "lao")["id"]
    other = second_lao_forum(db)
    db.conn.commit()
    before = snapshot(db)
    result = run("--lao", "1")
    assert result.exit_code == 1 and "มีเวทีประชาคมระดับท้องถิ่น 2 เวที" in result.output
    assert f"  {first}  " in result.output and f"  {other}  " in result.output  # the ids to choose from
    village = next(f for f in forum_store.forums(db, 1, year(db)) if f["level"] == "village")["id"]
    for wrong in (village, 999999):
        result = run("--lao", "1", "--forum", str(wrong))
        assert result.exit_code == 1 and f"เวทีประชาคมรหัส {wrong} ไม่ใช่เวทีประชาคมระดับท้องถิ่น" in result.output
    result = run("--lao", "3", "--forum", str(first))  # another LAO's forum
    assert result.exit_code == 1
    assert snapshot(db) == before
    result = run("--lao", "1", "--forum", str(other))
    assert result.exit_code == 0, result.output
    assert [p[2] for p in snapshot(db)] == [other] * 5
