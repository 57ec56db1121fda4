"""Which LAO was a district's model LAO is kept per reporting period: a replaced LAO
keeps its reports in the periods it served, in every view, and can no longer report a
later period nor be certified. Demo: district 3701's model LAO is LAO 1 (clerk), with
reports sent in periods 1 to 3; LAO 2 is another LAO of the district."""

from __future__ import annotations

import datetime as dt

import pytest

from formsvc import services
from formsvc.domain.errors import InputError
from formsvc.store import laos as lao_store
from formsvc.store import reports as report_store
from tests.conftest import YEAR, arabic, login
from tests.test_model_lao_selection import selection_form

DISTRICT = "3701"
DRAFT = {
    "progress": "ดำเนินการต่อเนื่อง",
    "problems": "",
    "suggestions": "",
    "reporter_name": "นายก ข",
    "reporter_position": "ปลัด",
}


def terms(db):
    return [
        tuple(r)
        for r in db.execute(
            "SELECT lao_id, from_period, to_period FROM model_lao_term WHERE district_code = ? AND programme_year = ?"
            " ORDER BY from_period, id",
            [DISTRICT, YEAR],
        )
    ]


def row(result, lao_id):
    return next(r for r in result["laos"] if r["lao_id"] == lao_id)


def replace_on_the_page(client, db, lao_id):
    version = db.execute(
        "SELECT version FROM model_lao WHERE district_code = ? AND programme_year = ?", [DISTRICT, YEAR]
    ).fetchone()[0]
    data = {"lao_id": str(lao_id), "version": str(version), **selection_form()}
    return client.post(f"/districts/{DISTRICT}/model-lao", data=data)


def test_a_replaced_lao_keeps_its_periods_and_the_new_one_serves_the_rest(client, db, travel):
    fourth = report_store.period(db, 4)
    travel(fourth.start + dt.timedelta(days=3))  # period 4 is open; LAO 1 has not reported it
    assert terms(db) == [(1, 1, None)]
    login(client, "district")
    assert replace_on_the_page(client, db, 2).status_code == 302
    assert terms(db) == [(1, 1, 3), (2, 4, None)]

    # every view of period 2 still shows LAO 1 as it reported; period 4 shows LAO 2
    second = services.rollup(db, district_code=DISTRICT, period=2)
    assert [r["lao_id"] for r in second["laos"]] == [1]
    assert row(second, 1)["source"] == "reported" and row(second, 1)["report_status"] == "acknowledged"
    fourth_view = services.rollup(db, district_code=DISTRICT, period=4)
    assert [r["lao_id"] for r in fourth_view["laos"]] == [2] and row(fourth_view, 2)["source"] == "live"
    national = services.rollup(db, period=2)
    assert 1 in [r["lao_id"] for r in national["laos"]] and 2 not in [r["lao_id"] for r in national["laos"]]

    # the district page says who changed it, when, and from which period
    page = arabic(client.get(f"/districts/{DISTRICT}").get_data(as_text=True))
    assert "แทน องค์การบริหารส่วนตำบลบุ่ง" in page and "ตั้งแต่รอบรายงานที่ 4" in page
    assert "โดย ท้องถิ่นอำเภอ" in page and "โดย district" not in page  # the officer's name, not a username

    # the replaced LAO's own page says which periods it served
    clerk = client.__class__(client.application)
    login(clerk, "clerk")
    lao_page = arabic(clerk.get("/laos/1").get_data(as_text=True))
    assert "เป็น อปท.ต้นแบบ ในรอบรายงานที่ 1–3" in lao_page and "ตั้งแต่รอบที่ 4" in lao_page

    # ... and it cannot report period 4: a Thai refusal, nothing saved
    response = clerk.post("/laos/1/reports/4", data={**DRAFT, "action": "submit"})
    assert response.status_code == 400
    assert "ไม่ได้เป็น อปท.ต้นแบบ ในรอบรายงานที่ 4" in arabic(response.get_data(as_text=True))
    assert report_store.get_report(db, 1, 4)["status"] is None
    report_store.save_draft(db, 1, 4, DRAFT, None)
    with pytest.raises(InputError, match="รอบรายงานที่ 4"):
        services.submit_report(db, 1, 4, None, fourth.start + dt.timedelta(days=3))
    assert report_store.get_report(db, 1, 4)["submissions"] == []

    # its reports of the periods it served are still downloadable as sent
    assert clerk.get("/laos/1/documents/report.pdf?period=2").status_code == 200

    # the new model LAO reports period 4
    report_store.save_draft(db, 2, 4, DRAFT, None)
    assert services.submit_report(db, 2, 4, None, fourth.start + dt.timedelta(days=3)) == 1
    assert row(services.rollup(db, district_code=DISTRICT, period=4), 2)["source"] == "reported"


def test_a_period_the_replaced_lao_already_reported_stays_its_own(db, travel):
    third = report_store.period(db, 3)
    travel(third.end - dt.timedelta(days=2))  # period 3 open; LAO 1 already sent it
    assert lao_store.select_model_lao(db, DISTRICT, YEAR, 2, None)
    assert terms(db) == [(1, 1, 3), (2, 4, None)]
    assert [r["lao_id"] for r in services.rollup(db, district_code=DISTRICT, period=3)["laos"]] == [1]


def test_a_choice_undone_in_the_same_period_leaves_no_empty_term(db, travel):
    travel(report_store.period(db, 4).start)
    lao_store.select_model_lao(db, DISTRICT, YEAR, 2, None)
    lao_store.select_model_lao(db, DISTRICT, YEAR, 1, None)  # changed back at once: LAO 2 served nothing
    assert terms(db) == [(1, 1, 3), (1, 4, None)]
    assert [r["lao_id"] for r in services.rollup(db, district_code=DISTRICT, period=4)["laos"]] == [1]
    changes = lao_store.model_lao_changes(db, DISTRICT, YEAR)
    assert [(c["lao_id"], c["previous_lao_id"], c["from_period"]) for c in changes][:2] == [(1, 2, 4), (2, 1, 4)]


def test_only_the_years_model_lao_is_certified_by_what_it_reported(db, travel):
    sign = ("นายผู้ว่า ราชการ", "ผู้ว่าราชการจังหวัด")
    with pytest.raises(InputError, match="อปท.ต้นแบบ"):
        services.issue_certificate(db, 2, "national", None, *sign)  # never the model LAO
    travel(report_store.period(db, 4).start)
    lao_store.select_model_lao(db, DISTRICT, YEAR, 2, None)
    with pytest.raises(InputError, match="ถูกเปลี่ยน"):
        services.issue_certificate(db, 1, "national", None, *sign)  # replaced during the year
    with pytest.raises(InputError, match="ยังไม่เคยส่งรายงาน"):
        services.issue_certificate(db, 2, "national", None, *sign)  # the model LAO now, nothing reported yet
    assert db.execute("SELECT count(*) FROM issued_document WHERE kind = 'certificate'").fetchone()[0] == 0


def test_the_certificate_follows_the_latest_report_not_todays_data(db):
    # LAO 1's latest report (period 3) met all five; its project list changes afterwards
    db.execute("UPDATE project SET in_development_plan = 0 WHERE lao_id = 1")
    assert not services.compliance(db, 1)["all_met"]
    services.issue_certificate(db, 1, "national", None, "นายผู้ว่า ราชการ", "ผู้ว่าราชการจังหวัด")
    assert (
        db.execute("SELECT count(*) FROM issued_document WHERE kind = 'certificate' AND lao_id = 1").fetchone()[0] == 2
    )
    # LAO 3's latest report (period 3, returned) did not meet all five: refused, naming it
    with pytest.raises(InputError, match="รอบที่ 3 ฉบับที่ 1 ยังไม่ผ่านข้อ 1"):
        services.issue_certificate(db, 3, "national", None, "นายผู้ว่า ราชการ", "ผู้ว่าราชการจังหวัด")


def test_terms_are_built_from_the_change_log_of_an_older_database(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=18)
    year = 2500 + 69  # any year: the test reads nothing from the calendar
    db.execute("INSERT INTO programme (id, year_be, start_month, end_month, late_days) VALUES (1, ?, 1, 9, 15)", [year])
    db.execute("PRAGMA foreign_keys = OFF")
    ce = year - 543
    log = [
        ("A", 1, None, dt.datetime(ce, 1, 3, 3)),  # first choice: the whole year
        ("A", 2, 1, dt.datetime(ce, 5, 10, 3)),  # replaced in period 3 (May–June)
        ("A", 3, 2, dt.datetime(ce, 6, 20, 3)),  # replaced again in period 3: 2 served nothing
        ("B", 7, None, dt.datetime(ce, 8, 1, 3)),
    ]
    for district, lao_id, previous, moment in log:
        db.execute(
            "INSERT INTO model_lao_change (programme_year, district_code, lao_id, previous_lao_id,"
            " changed_at) VALUES (?, ?, ?, ?, ?)",
            [year, district, lao_id, previous, moment.replace(tzinfo=dt.UTC).isoformat()],
        )
    db.execute(
        "INSERT INTO model_lao (programme_year, district_code, lao_id, selected_at) VALUES"
        " (?, 'A', 3, ''), (?, 'B', 7, ''), (?, 'C', 9, '')",
        [year, year, year],
    )
    migrate(db)
    assert [
        tuple(r)
        for r in db.execute(
            "SELECT district_code, lao_id, from_period, to_period"
            " FROM model_lao_term ORDER BY district_code, from_period"
        )
    ] == [("A", 1, 1, 2), ("A", 3, 3, None), ("B", 7, 1, None), ("C", 9, 1, None)]
    db.close()
