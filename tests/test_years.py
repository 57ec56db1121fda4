"""Programme years: settings and dimensions per year, opening the next year, reading a
closed one (docs/domain.md, "Programme years")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.errors import InputError, NotFound
from tests.conftest import YEAR, arabic, csrf_token, ids, login


def cli(db_path, *args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"FORMSVC_DB": str(db_path)})


def global_stamp(db) -> int:
    return db.execute("SELECT coalesce(max(stamp), 0) FROM lao_stamp WHERE lao_id = 0").fetchone()[0]


# Per-year settings ----------------------------------------------------------------------


def test_the_single_settings_row_becomes_its_year(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=18)
    db.execute(
        "INSERT INTO programme (id, year_be, start_month, end_month, late_days, version) VALUES (1, ?, 2, 8, 21, 4)",
        [YEAR],
    )
    db.conn.executemany("INSERT INTO dimension (position, name) VALUES (?, ?)", [(2, "สุขภาพ"), (1, "เศรษฐกิจ")])
    migrate(db)
    assert [
        tuple(r) for r in db.execute("SELECT year_be, start_month, end_month, late_days, version FROM programme")
    ] == [(YEAR, 2, 8, 21, 4)]
    assert programme_store.dimensions(db) == programme_store.dimensions(db, YEAR) == ["เศรษฐกิจ", "สุขภาพ"]
    assert programme_store.get_programme(db).late_days == 21
    # the stamp triggers were made again on the new tables
    before = global_stamp(db)
    db.execute("UPDATE programme SET late_days = 22")
    db.execute("INSERT INTO dimension (programme_year, position, name) VALUES (?, 3, 'การศึกษา')", [YEAR])
    assert global_stamp(db) == before + 2
    db.close()


def test_an_unknown_year_is_not_found(db):
    assert programme_store.get_programme(db, YEAR).year_be == YEAR
    with pytest.raises(NotFound):
        programme_store.get_programme(db, YEAR + 1)


# Opening a year ---------------------------------------------------------------------------


def test_opening_the_next_year_copies_settings_and_model_laos_not_the_records(db):
    models = [
        tuple(r)
        for r in db.execute("SELECT district_code, lao_id FROM model_lao WHERE programme_year = ? ORDER BY 1", [YEAR])
    ]
    villages = [tuple(r) for r in db.execute("SELECT * FROM village ORDER BY id")]
    forums = ids(db, "SELECT id FROM forum WHERE programme_year = ?", [YEAR])
    assert models and forums
    stamp = global_stamp(db)
    result = programme_store.open_new_year(db, YEAR + 1, None)
    assert result == {
        "year_be": YEAR + 1,
        "from_year": YEAR,
        "dimensions": len(programme_store.dimensions(db, YEAR)),
        "model_laos": len(models),
    }
    assert programme_store.open_year(db) == YEAR + 1 == programme_store.get_programme(db).year_be
    assert programme_store.dimensions(db) == programme_store.dimensions(db, YEAR)
    assert programme_store.get_programme(db).late_days == programme_store.get_programme(db, YEAR).late_days
    assert [
        tuple(r)
        for r in db.execute(
            "SELECT district_code, lao_id FROM model_lao WHERE programme_year = ? ORDER BY 1", [YEAR + 1]
        )
    ] == models
    assert [tuple(r) for r in db.execute("SELECT * FROM village ORDER BY id")] == villages
    for table in ("forum", "project", "working_group", "lao_order", "report"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE programme_year = ?", [YEAR + 1]).fetchone()[0] == 0
    assert ids(db, "SELECT id FROM forum WHERE programme_year = ?", [YEAR]) == forums
    assert global_stamp(db) > stamp  # every cached criterion is computed again


@pytest.mark.parametrize(
    "year, message",
    [
        (YEAR, f"ปีดำเนินการ {YEAR} เปิดไว้แล้ว"),
        (YEAR + 2, f"เปิดได้เฉพาะปีถัดจากปีล่าสุด คือปี {YEAR + 1}"),
        (YEAR - 1, f"เปิดได้เฉพาะปีถัดจากปีล่าสุด คือปี {YEAR + 1}"),
        ("ปีหน้า", "ต้องเป็นตัวเลขปี พ.ศ."),
    ],
)
def test_only_the_year_after_the_latest_can_be_opened(db, year, message):
    with pytest.raises(InputError) as error:
        programme_store.open_new_year(db, year, None)
    assert message in error.value.message
    assert programme_store.years(db) == [YEAR]


def test_admin_opens_a_year_after_a_confirmation(client, db):
    login(client, "admin")
    assert f"เปิดปีดำเนินการ {YEAR + 1}" in client.get("/admin").get_data(as_text=True)
    page = client.get("/admin/years/open").get_data(as_text=True)
    assert programme_store.years(db) == [YEAR]  # asking is not doing
    assert f"เปิดปีดำเนินการ {YEAR + 1}" in page and "หมู่บ้านและชุมชนเป็นของ อปท." in page
    assert "แต่ละอำเภอคง อปท.ต้นแบบเดิมไว้" in page
    token = csrf_token(client, "/admin/years/open")
    response = client.post("/admin/years/open", data={"csrf_token": token, "year_be": str(YEAR + 2)})
    assert response.status_code == 400 and f"คือปี {YEAR + 1}" in response.get_data(as_text=True)
    assert programme_store.years(db) == [YEAR]
    response = client.post("/admin/years/open", data={"csrf_token": token, "year_be": str(YEAR + 1)})
    assert response.status_code == 302
    assert programme_store.years(db) == [YEAR, YEAR + 1]
    assert (
        db.execute("SELECT opened_by FROM programme WHERE year_be = ?", [YEAR + 1]).fetchone()[0]
        == db.execute("SELECT id FROM user WHERE username = 'admin'").fetchone()[0]
    )
    assert f"เปิดปีดำเนินการ {YEAR + 1} แล้ว" in client.get("/admin").get_data(as_text=True)


def test_cli_opens_the_next_year_and_refuses_others(db_path, db):
    result = cli(db_path, "open-year", YEAR + 2)
    assert result.exit_code == 1 and f"คือปี {YEAR + 1}" in result.output
    result = cli(db_path, "open-year", YEAR + 1)
    assert result.exit_code == 0, result.output
    assert f"เปิดปีดำเนินการ {YEAR + 1} แล้ว" in result.output
    assert programme_store.years(db) == [YEAR, YEAR + 1]
    result = cli(db_path, "open-year", YEAR + 1)
    assert result.exit_code == 1 and "เปิดไว้แล้ว" in result.output


def test_after_opening_the_clerk_works_in_the_new_year(app, db):
    programme_store.open_new_year(db, YEAR + 1, None)
    client = app.test_client()
    login(client, "clerk")
    assert client.get("/laos/1").status_code == 200
    old_projects = db.execute("SELECT count(*) FROM project WHERE lao_id = 1").fetchone()[0]
    old_name = db.execute("SELECT name FROM project WHERE lao_id = 1 ORDER BY rank LIMIT 1").fetchone()[0]
    assert old_projects and old_name not in client.get("/laos/1/projects").get_data(as_text=True)
    response = client.post(
        "/laos/1/projects", data={"rank": "1", "name": "ถนนปีใหม่", "dimension": programme_store.dimensions(db)[0]}
    )
    assert response.status_code == 302
    assert db.execute("SELECT programme_year FROM project WHERE name = 'ถนนปีใหม่'").fetchone()[0] == YEAR + 1
    assert db.execute("SELECT count(*) FROM project WHERE lao_id = 1").fetchone()[0] == old_projects + 1
    result = services.compliance(db, 1)
    assert result["programme_year"] == YEAR + 1 and not result["all_met"]


# Reading a year: ?year= and --year ----------------------------------------------------------


@pytest.fixture
def opened(db):
    """The demo year's roll-up of period 1 and LAO 1's criteria, then the next year opened."""
    before = {"rollup": services.rollup(db, period=1), "compliance": services.compliance(db, 1)}
    programme_store.open_new_year(db, YEAR + 1, None)
    return before


def test_api_reads_a_closed_year_as_it_is(client, db, opened):
    login(client, "national")
    closed = client.get(f"/api/v1/rollup?year={YEAR}&period=1").get_json()
    assert closed["programme_year"] == YEAR and closed["open_period"] is None
    assert {row["source"] for row in closed["laos"]} <= {"reported", None}
    reported = [row for row in opened["rollup"]["laos"] if row["source"] == "reported"]
    assert reported and all(row in closed["laos"] for row in reported)
    # a closed year's default period is its last
    assert client.get(f"/api/v1/rollup?year={YEAR}").get_json()["period"] == len(
        report_store.programme_periods(db, YEAR)
    )
    current = client.get("/api/v1/rollup").get_json()
    assert current["programme_year"] == YEAR + 1 and current["selected"] == closed["selected"]
    assert {row["source"] for row in current["laos"]} <= {"live", None}
    assert client.get(f"/api/v1/laos/1/compliance?year={YEAR}").get_json() == opened["compliance"]
    fresh = client.get("/api/v1/laos/1/compliance").get_json()
    assert fresh["programme_year"] == YEAR + 1 and not fresh["all_met"]


@pytest.mark.parametrize("year", [str(YEAR + 5), "abc", "๒๕๖๙", f"{YEAR}.0", "-1", "9" * 30])
def test_a_year_not_opened_answers_404(client, year):
    login(client, "national")
    for path in (
        "/api/v1/rollup",
        "/api/v1/laos/1/compliance",
        "/national",
        "/provinces/37",
        "/districts/3701",
        "/laos/1",
    ):
        assert client.get(f"{path}?year={year}").status_code == 404, path


def test_pages_offer_the_years_and_keep_the_period(client, db, opened):
    login(client, "national")
    for path in ("/national", "/provinces/37", "/districts/3701", "/laos/1"):
        html = arabic(client.get(f"{path}?year={YEAR}&period=2").get_data(as_text=True))
        assert f'<option value="{YEAR}" selected>{YEAR}</option>' in html, path
        assert f'<option value="{YEAR + 1}">{YEAR + 1} (เปิดอยู่)</option>' in html, path
        assert f"ปีดำเนินการ {YEAR} ปิดแล้ว" in html, path
        html = arabic(client.get(path).get_data(as_text=True))
        assert f'<option value="{YEAR + 1}" selected>' in html and f"ปีดำเนินการ {YEAR} ปิดแล้ว" not in html, path
    html = arabic(client.get(f"/provinces/37?year={YEAR}&period=2").get_data(as_text=True))
    assert '<input type="hidden" name="period" value="2">' in html  # choosing a year keeps the period
    assert f'<input type="hidden" name="year" value="{YEAR}">' in html  # choosing a period keeps the year
    assert f"/districts/3701?year={YEAR}" in html
    # the closed year's model LAO and criteria, not the open year's empty ones
    assert opened["compliance"]["all_met"]
    html = arabic(client.get(f"/laos/1?year={YEAR}").get_data(as_text=True))
    assert f"อปท.ต้นแบบ ปีดำเนินการ {YEAR}" in html and "ผ่านเกณฑ์ครบทั้ง 5 ข้อ" in html and "ขั้นต่อไป" not in html
    html = arabic(client.get("/laos/1").get_data(as_text=True))
    assert f"อปท.ต้นแบบ ปีดำเนินการ {YEAR + 1}" in html and "ผ่านเกณฑ์ครบทั้ง 5 ข้อ" not in html


def test_a_closed_year_model_lao_cannot_be_changed_from_its_page(client, db, opened):
    login(client, "district")
    assert "model-lao" not in client.get(f"/districts/3701?year={YEAR}").get_data(as_text=True)
    assert "model-lao" in client.get("/districts/3701").get_data(as_text=True)


def test_cli_commands_take_a_year(db_path, db, opened):
    result = cli(db_path, "rollup", "--year", YEAR, "--period", 1, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["programme_year"] == YEAR and {r["source"] for r in data["laos"]} <= {"reported", None}
    assert json.loads(cli(db_path, "rollup", "--json").output)["programme_year"] == YEAR + 1
    assert json.loads(cli(db_path, "compliance", "--lao", 1, "--year", YEAR, "--json").output) == opened["compliance"]
    assert json.loads(cli(db_path, "forums", "--lao", 1, "--json").output) == []
    old_forums = json.loads(cli(db_path, "forums", "--lao", 1, "--year", YEAR, "--json").output)
    assert old_forums and {f["programme_year"] for f in old_forums} == {YEAR}
    laos = json.loads(cli(db_path, "laos", "--year", YEAR, "--json").output)
    assert {r["programme_year"] for r in laos} == {YEAR} and any(r["model"] for r in laos)
    for command in (
        ["rollup"],
        ["laos"],
        ["forums", "--lao", 1],
        ["compliance", "--lao", 1],
        ["export-reports", "--period", 1, "--out", db_path.parent / "x.zip"],
    ):
        for bad in (YEAR + 5, "ปีก่อน"):
            result = cli(db_path, *command, "--year", bad)
            assert result.exit_code == 1 and f"ไม่มีปีดำเนินการ {bad}" in result.output, command


def test_export_reports_of_a_closed_year_are_the_reports_sent(db_path, db, opened):
    out = db_path.parent / "closed.zip"
    result = cli(db_path, "export-reports", "--year", YEAR, "--period", 1, "--out", out)
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    reported = [r for r in opened["rollup"]["laos"] if r["source"] == "reported"]
    assert len([n for n in names if n.endswith(".pdf")]) == len(reported)
    assert all(f"-{YEAR}" in n for n in names)


# A change applies from the open period on ------------------------------------------------------


def test_a_closed_year_settings_cannot_be_changed(client, db, opened):
    with pytest.raises(InputError) as error:
        programme_store.update_programme(db, YEAR, 1, 9, ["เศรษฐกิจ"], None, late_days=3)
    assert f"ปีดำเนินการ {YEAR} ปิดแล้ว" in error.value.message
    login(client, "admin")
    html = client.get(f"/admin/settings?year={YEAR}").get_data(as_text=True)
    assert f"ปีดำเนินการ {YEAR} ปิดแล้ว" in html and '<button type="submit" class="primary">' not in html
    before = programme_store.settings(db, YEAR)
    token = csrf_token(client, "/admin/settings")
    response = client.post(
        f"/admin/settings?year={YEAR}",
        data={
            "csrf_token": token,
            "year_be": str(YEAR),
            "start_month": "1",
            "end_month": "9",
            "late_days": "3",
            "dimensions": "เศรษฐกิจ",
            "version": str(before["version"]),
        },
    )
    assert response.status_code == 400 and f"ปีดำเนินการ {YEAR} ปิดแล้ว" in response.get_data(as_text=True)
    assert programme_store.settings(db, YEAR) == before
    # the open year's settings can be changed, and only its own
    response = client.post(
        "/admin/settings",
        data={
            "csrf_token": token,
            "year_be": str(YEAR + 1),
            "start_month": "1",
            "end_month": "9",
            "late_days": "3",
            "dimensions": "เศรษฐกิจ",
            "version": str(programme_store.settings(db)["version"]),
        },
    )
    assert response.status_code == 302
    assert programme_store.dimensions(db) == ["เศรษฐกิจ"] and programme_store.get_programme(db).late_days == 3
    assert programme_store.settings(db, YEAR) == before


def test_a_late_days_change_leaves_reports_already_sent_as_they_were(db, opened):
    before = {r["lao_id"]: r for r in services.rollup(db, period=1, year=YEAR)["laos"]}
    sent = [r for r in before.values() if r["source"] == "reported"]
    assert sent
    programme_store.update_programme(db, YEAR + 1, 1, 9, programme_store.dimensions(db), None, late_days=0)
    after = {r["lao_id"]: r for r in services.rollup(db, period=1, year=YEAR)["laos"]}
    assert all(after[r["lao_id"]]["days_late"] == r["days_late"] for r in sent)
