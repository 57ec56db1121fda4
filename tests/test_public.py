"""The public page (/public) and its open data: without signing in, the KPI of the nation
and of each province as the LAOs reported them (the figures of ``formsvc rollup --json``
for a period gone by), the honours list, no person's name or contact anywhere, and a
year an admin hid answers 404 with nothing of its data."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.services import public as public_service
from formsvc.store import reports as report_store
from tests.conftest import YEAR, arabic, login
from tests.test_english_ui import thai_outside_user_data, user_data

FORMATS = ("", "/rollup.csv", "/rollup.json")
ROLE_WORDS = ("admin", "national", "province", "district", "facilitator", "clerk")  # demo usernames


@pytest.fixture(autouse=True)
def _fresh_cache():
    public_service.clear_cache()
    yield
    public_service.clear_cache()


def _start(db, number: int):
    return report_store.programme_periods(db)[number - 1].start


def _json(client, query: str = "") -> dict:
    response = client.get(f"/public/rollup.json{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.get_data(as_text=True))


def _cli_rollup(db_path, period: int) -> dict:
    result = CliRunner().invoke(main, ["rollup", "--period", str(period), "--json"], env={"FORMSVC_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_anonymous_page_shows_the_reported_kpi_of_the_cli(client, db, db_path, travel):
    travel(_start(db, 4))  # period 1 is gone by
    cli = _cli_rollup(db_path, 1)
    assert cli["sources"]["reported"] >= 1 and cli["selected"] >= 2
    response = client.get("/public?period=1")
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = arabic(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))
    assert f"ร้อยละ {cli['kpi_percent']}" in text
    assert f"{cli['passing']} จาก {cli['selected']}" in text
    data = _json(client, "?period=1")
    assert data["period"] == 1 and data["programme_year"] == YEAR and data["open_period"] is False
    national = data["national"]
    for key in ("selected", "passing", "kpi_percent", "criteria_met", "funnel"):
        assert national[key] == cli[key], key
    assert national["reported"] == cli["sources"]["reported"]
    groups = {g["code"]: g for g in services.group_rollup(cli, "province")}
    assert {p["code"]: (p["selected"], p["passing"], p["kpi_percent"]) for p in data["provinces"]} == {
        code: (g["selected"], g["passing"], g["kpi_percent"]) for code, g in groups.items()
    }
    by_lao = {lao["lao_id"]: lao for lao in cli["laos"]}
    for lao in data["laos"]:
        assert lao["criteria"] == by_lao[lao["lao_id"]]["criteria"]
        assert lao["report_version"] == by_lao[lao["lao_id"]]["report_version"]


def test_a_later_change_of_an_lao_does_not_change_a_closed_period(client, db, travel):
    travel(_start(db, 4))
    before = _json(client, "?period=1")
    reported = [lao for lao in before["laos"] if lao["reported"] and lao["criteria"][3]]
    assert reported, "an LAO that reported criterion 4 met"
    lao_id = reported[0]["lao_id"]
    # its projects are no longer in the plan: criterion 4 fails on today's data
    db.execute("UPDATE project SET in_development_plan = 0 WHERE lao_id = ?", [lao_id])
    assert services.compliance(db, lao_id)["criteria"][3]["met"] is False
    after = _json(client, "?period=1")
    assert after == before
    page = client.get("/public?period=1").get_data(as_text=True)
    assert f"ร้อยละ {before['national']['kpi_percent']}" in arabic(page)


def test_the_open_period_shows_only_what_was_reported_so_far(client, db, travel):
    travel(_start(db, 1))  # period 1 open: LAOs without a report have only today's data
    live = services.rollup(db, period=1)
    assert live["sources"]["live"] >= 1
    data = _json(client)
    assert data["period"] == 1 and data["open_period"] is True
    assert all(lao["criteria"] is None for lao in data["laos"] if not lao["reported"])
    reported_passing = sum(1 for lao in live["laos"] if lao["source"] == "reported" and lao["all_met"])
    assert data["national"]["passing"] == reported_passing
    assert data["national"]["reported"] == live["sources"]["reported"]
    html = client.get("/public").get_data(as_text=True)
    assert "ยังไม่ปิด" in html and "ยังไม่รายงาน" in html


def test_a_period_not_begun_or_malformed_is_404(client, db, travel):
    travel(_start(db, 2))
    for query in ("?period=3", "?period=99", "?period=x", "?period=-1", "?year=1999", "?year=abc"):
        for fmt in FORMATS:
            assert client.get(f"/public{fmt}{query}").status_code == 404, (fmt, query)


def test_the_honours_list_shows_an_issued_certificate(client, db):
    signer = "นายสมศักดิ์ ผู้ลงนามทดสอบ"
    html = client.get("/public").get_data(as_text=True)
    assert "ยังไม่มีการมอบเกียรติบัตร" in html
    services.issue_certificate(db, 1, "national", None, signer, "ผู้ว่าราชการจังหวัดอำนาจเจริญ")
    data = _json(client)
    assert [(h["lao_id"], h["name"]) for h in data["honours"]] == [(1, "องค์การบริหารส่วนตำบลบุ่ง")]
    html = client.get("/public").get_data(as_text=True)
    honours = html[html.index('id="honours-title"') :]
    assert "องค์การบริหารส่วนตำบลบุ่ง" in honours[: honours.index("</section>")]
    for fmt in FORMATS:
        assert signer not in client.get(f"/public{fmt}").get_data(as_text=True)


def _people(db) -> list[str]:
    """Every person's name, username, e-mail and position the database holds."""
    queries = (
        "SELECT display_name FROM user UNION SELECT email FROM user UNION SELECT position FROM user",
        "SELECT name FROM working_group_member UNION SELECT position FROM working_group_member",
        "SELECT signer_name FROM working_group",
        "SELECT name FROM forum_attendee",
        "SELECT recorder_name FROM forum UNION SELECT checker_name FROM forum",
        "SELECT reporter_name FROM report",
    )
    found = {row[0].strip() for sql in queries for row in db.execute(sql).fetchall() if row[0] and row[0].strip()}
    return sorted(found)


def test_no_personal_name_or_contact_anywhere(client, db, travel):
    # distinctive people: a user with a username, an e-mail and a name, a member, an attendee
    db.execute(
        "UPDATE user SET username = 'somsak.k', display_name = 'นายสมศักดิ์ รักดี', email = 'somsak@example.go.th'"
        " WHERE username = 'clerk'"
    )
    db.execute(
        "UPDATE working_group_member SET name = 'นางมาลี ทองสุข' WHERE id = (SELECT min(id) FROM working_group_member)"
    )
    db.execute("UPDATE forum_attendee SET name = 'นายบุญมี ศรีงาม' WHERE id = (SELECT min(id) FROM forum_attendee)")
    national = db.execute("SELECT id FROM user WHERE username = 'national'").fetchone()[0]
    services.issue_certificate(db, 1, "national", national, "นายผู้ว่า ราชการ", "ผู้ว่าราชการจังหวัด")
    travel(_start(db, 4))
    people = _people(db)
    assert {"นายสมศักดิ์ รักดี", "somsak@example.go.th", "นางมาลี ทองสุข", "นายบุญมี ศรีงาม"} <= set(people)
    assert len(people) > 30
    usernames = [row[0] for row in db.execute("SELECT username FROM user").fetchall()]
    outputs = {}
    for locale in ("th", "en"):
        client.post("/language", data={"locale": locale})
        for period in (1, 2, 3, 4):
            for fmt in FORMATS:
                response = client.get(f"/public{fmt}?period={period}")
                assert response.status_code == 200
                outputs[f"{locale} /public{fmt}?period={period}"] = response.get_data(as_text=True)
    for url, body in outputs.items():
        found = [name for name in people if name in body]
        assert found == [], url
        # usernames, as whole words (the demo's role words, 'district' say, are column names too)
        others = [u for u in usernames if u not in ROLE_WORDS]
        assert [u for u in others if re.search(rf"(?<![\w.]){re.escape(u)}(?![\w.])", body)] == [], url
        assert "somsak" not in body and "@" not in body, url


def _hide(client, year, shown: str = "0"):
    return client.post(f"/admin/public-page?year={year}", data={"shown": shown})


def test_an_admin_hides_a_years_page_and_its_data(client, db):
    anon = client.application.test_client()
    assert anon.get("/public").status_code == 200
    login(client, "admin")
    assert "ซ่อนหน้าสาธารณะ" in client.get("/admin/settings").get_data(as_text=True)
    assert _hide(client, YEAR).status_code == 302
    for fmt in FORMATS:
        response = anon.get(f"/public{fmt}")
        assert response.status_code == 404, fmt
        body = response.get_data(as_text=True)
        assert "บุ่ง" not in body and "ร้อยละ" not in body and "kpi_percent" not in body
    page = anon.get("/public").get_data(as_text=True)
    assert "ไม่เปิดเผย" in page  # a Thai page saying why
    assert anon.get(f"/public/rollup.json?year={YEAR}").get_json()["error"]
    assert "ให้ประชาชนดู" in client.get("/admin/settings").get_data(as_text=True)  # the button to show it again
    assert _hide(client, YEAR, "1").status_code == 302
    assert anon.get("/public").status_code == 200
    refused = _hide(client, YEAR, "maybe")  # not a choice: said in Thai, nothing changed
    assert refused.status_code == 302
    assert "ยังไม่ได้เปลี่ยนการแสดงหน้าสาธารณะ" in client.get(refused.location).get_data(as_text=True)
    assert anon.get("/public").status_code == 200
    assert _hide(client, 1999).status_code == 404


@pytest.mark.parametrize(("username", "status"), [("national", 404), ("clerk", 404), ("province", 404)])
def test_only_admins_hide_the_page(client, username, status):
    login(client, username)
    assert _hide(client, YEAR).status_code == status
    assert client.application.test_client().get("/public").status_code == 200


def test_hiding_needs_the_csrf_token(make_app):
    client = make_app().test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page)[1]
    client.post("/login", data={"username": "admin", "password": "demo-pass-2569", "csrf_token": token})
    assert client.post(f"/admin/public-page?year={YEAR}", data={"shown": "0"}).status_code == 400
    assert client.get("/public").status_code == 200


def test_the_csv_parses_with_its_licence(client, db, travel):
    travel(_start(db, 4))
    response = client.get("/public/rollup.csv?period=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8 Thai
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["level", "programme_year", "period"]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:] if len(row) == len(header)]
    data = _json(client, "?period=1")
    national = [r for r in records if r["level"] == "national"]
    assert national[0]["kpi_percent"] == data["national"]["kpi_percent"]
    laos = [r for r in records if r["level"] == "lao"]
    assert len(laos) == len(data["laos"]) and "องค์การบริหารส่วนตำบลบุ่ง" in {r["lao"] for r in laos}
    assert any(r["level"] == "province" and r["province"] == "อำนาจเจริญ" for r in records)
    assert "CC BY 4.0" in rows[-1][0] and "creativecommons.org/licenses/by/4.0" in rows[-1][0]
    assert data["licence"].endswith("(CC BY 4.0)") and data["licence_url"].startswith("https://creativecommons.org")


def test_the_page_is_get_only_and_escaped(client, db):
    assert client.post("/public").status_code == 405
    db.execute("UPDATE lao SET name = '<script>x</script>' WHERE id = 1")
    html = client.get("/public").get_data(as_text=True)
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_the_english_page_has_no_thai_outside_data(client, db, travel):
    services.issue_certificate(db, 1, "national", None, "นายผู้ว่า ราชการ", "ผู้ว่าราชการจังหวัด")
    client.post("/language", data={"locale": "en"})
    stored = user_data(db)
    for query in ("", "?period=1"):
        html = client.get(f"/public{query}").get_data(as_text=True)
        assert "Model LAOs: public report" in html and "Honours list" in html
        assert thai_outside_user_data(html, stored) == [], query
    travel(_start(db, 4))
    html = client.get("/public?period=1").get_data(as_text=True)
    assert thai_outside_user_data(html, stored) == []
