"""The national summary (guideline §8.3(5)): `formsvc render national-summary --period N`
and /national/summary.pdf|docx: the KPI of the country and of each province as the
roll-up gives it, the funnel, late and missing reports, and the problems and suggestions
of the reports sent, grouped by theme (formsvc.domain.themes).

Demo, period 1: LAOs 2 and 3 wrote "ช่วงเก็บเกี่ยว ประชาชนมาร่วมเวทีได้น้อย" (participation
and time), LAO 3 suggested "ขอให้อำเภอจัดวิทยากรกระบวนการเพิ่ม" (staff); LAO 4 sent
nothing. Tests set the clock to a day when period 1 is gone by.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import docx
import pytest
from click.testing import CliRunner

from formsvc import cli, services
from formsvc.domain import thai, themes
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from tests.conftest import login
from tests.docs import flat, pdf_text

# theme grouping ---------------------------------------------------------------------------


def _keys(text):
    return [t.key for t in themes.themes_of(text)]


@pytest.mark.parametrize(
    "text, keys",
    [
        ("งบประมาณสำหรับจัดเวทีมีจำกัด", ["budget"]),
        ("ขาดงบ", ["budget"]),
        ("หมู่บ้านสงบเรียบร้อย", ["other"]),  # สงบ holds "งบ" but is another word
        ("ขอให้อำเภอจัดวิทยากรกระบวนการเพิ่ม", ["staff"]),
        ("ข้อมูล จปฐ. ไม่เป็นปัจจุบัน", ["data"]),
        ("ขาดการมีส่วนร่วมของประชาชน", ["participation"]),
        ("ช่วงเก็บเกี่ยว ประชาชนมาร่วมเวทีได้น้อย", ["participation", "time"]),
        ("ระยะเวลาสั้น ดำเนินการล่าช้า", ["time"]),
        ("เจ้าหน้าที่ไม่เพียงพอ และงบประมาณไม่พอ", ["budget", "staff"]),
        ("ถนนชำรุด", ["other"]),
        ("", []),
        ("  \n ", []),
        (None, []),
    ],
)
def test_a_text_belongs_to_the_themes_its_words_name(text, keys):
    assert _keys(text) == keys


def test_grouping_counts_each_lao_once_per_field_and_keeps_the_order_met():
    raised = themes.group(
        [
            ("อบต.ก", "งบประมาณไม่พอ", "ขอเพิ่มงบ"),
            ("อบต.ข", "ประชาชนไม่มาร่วม", ""),
            ("อบต.ค", None, "ขอให้มีงบประมาณ"),
            ("อบต.ง", "", ""),
            ("อบต.จ", "ถนนชำรุด", None),
        ]
    )
    by_key = {r.theme.key: r for r in raised}
    assert [r.theme.key for r in raised] == ["budget", "participation", "other"]  # THEMES' order, none empty
    budget = by_key["budget"]
    assert (budget.problems, budget.suggestions) == (["อบต.ก"], ["อบต.ก", "อบต.ค"])
    assert budget.laos == ["อบต.ก", "อบต.ค"]
    assert budget.quotes[0] == ("อบต.ก", "problems", "งบประมาณไม่พอ")
    assert by_key["other"].laos == ["อบต.จ"]


# the document ------------------------------------------------------------------------------


@pytest.fixture
def closed(db, travel):
    """Today is the start of period 4: periods 1 to 3 are gone by."""
    periods = report_store.programme_periods(db)
    travel(periods[3].start)
    return periods


def _th(value) -> str:
    return thai.digits(str(value), "thai")


def _invoke(db_path, *args):
    return CliRunner().invoke(cli.main, list(args), env={"FORMSVC_DB": str(db_path)})


def _render(db_path, tmp_path, fmt, period=1) -> bytes:
    out = tmp_path / f"national.{fmt}"
    result = _invoke(db_path, "render", "national-summary", "--period", str(period), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_the_cli_renders_the_rollups_figures_and_the_themes(db_path, tmp_path, closed):
    rollup = _invoke(db_path, "rollup", "--period", "1", "--json")
    assert rollup.exit_code == 0, rollup.output
    r = json.loads(rollup.output)
    assert (r["selected"], r["passing"], r["kpi_percent"]) == (4, 1, "25.00")  # the demo, as the docstring says
    text = flat(pdf_text(_render(db_path, tmp_path, "pdf")))
    sel, passing, kpi = _th(r["selected"]), _th(r["passing"]), _th(r["kpi_percent"])
    assert flat(f"ผ่านเกณฑ์ครบ ๕ ข้อ จำนวน {passing} แห่ง จาก {sel} แห่ง คิดเป็นร้อยละ {kpi}") in text
    reported = r["sources"]["reported"]
    # the country's row: selected, each criterion, all five, KPI, reported, late, not sent
    figures = [r["selected"], *r["criteria_met"], r["passing"], r["kpi_percent"], reported, r["late"]]
    figures.append(r["selected"] - reported)
    assert flat("รวมทั้งประเทศ " + " ".join(map(_th, figures))) in text
    province = services.group_rollup(r, "province")[0]
    assert flat(f"{province['name']} {_th(province['selected'])}") in text
    assert flat(f"ระดับ อปท. ส่งรายงานแล้ว {_th(reported)} แห่ง") in text
    # the demo's four districts with a model LAO: two sent their report of period 1 on
    # time, two did not (long due); its province sent its own
    assert flat("ระดับอำเภอ ต้องส่งรายงาน ๔ อำเภอ ส่งรายงานแล้ว ๒ อำเภอ ในจำนวนนี้ส่งช้ากว่ากำหนด ๐ อำเภอ") in text
    assert flat("ยังไม่ส่ง ๒ อำเภอ ซึ่งเลยกำหนดส่ง") in text
    assert flat("ระดับจังหวัด ต้องส่งรายงาน ๑ จังหวัด ส่งรายงานแล้ว ๑ จังหวัด ครบทุกจังหวัด") in text
    # the themes with their counts (problems, suggestions, LAOs) and who raised them
    names = {lao["lao_id"]: lao["name"] for lao in r["laos"]}
    ids = sorted(names)
    assert flat("บุคลากรและความรู้ ๐ ๑ ๑") in text
    assert flat("การมีส่วนร่วมของประชาชน ๒ ๐ ๒") in text and flat("ระยะเวลา ๒ ๐ ๒") in text
    assert flat(f"อปท. ที่ระบุ {names[ids[1]]} และ {names[ids[2]]}") in text
    assert flat(f"{names[ids[2]]} (ข้อเสนอแนะ) ขอให้อำเภอจัดวิทยากรกระบวนการเพิ่ม") in text
    assert "งบประมาณ(" not in text  # nobody raised the budget in period 1
    assert flat("(........................................)") in text  # the CLI signs with dotted lines

    document = docx.Document(io.BytesIO(_render(db_path, tmp_path, "docx")))
    total = [c.text for c in document.tables[0].rows[-1].cells]
    assert total == ["รวมทั้งประเทศ", *map(_th, figures)]
    theme_rows = [[c.text for c in row.cells] for row in document.tables[2].rows[1:]]
    assert theme_rows == [
        ["๑. บุคลากรและความรู้", "๐", "๑", "๑"],
        ["๒. การมีส่วนร่วมของประชาชน", "๒", "๐", "๒"],
        ["๓. ระยะเวลา", "๒", "๐", "๒"],
    ]


def test_lao_is_refused_in_thai_and_period_is_required(db_path, tmp_path):
    out = str(tmp_path / "x.pdf")
    args = ("render", "national-summary", "--lao", "1", "--period", "1", "--format", "pdf", "--out", out)
    result = _invoke(db_path, *args)
    assert result.exit_code == 2
    assert "national-summary ไม่รับ --lao (แบบสรุปผลระดับประเทศ ไม่ต้องระบุ อปท.)" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = _invoke(db_path, "render", "national-summary", "--format", "pdf", "--out", out)
    assert result.exit_code == 2 and "national-summary ต้องระบุ --period" in result.output
    result = _invoke(db_path, "render", "national-summary", "--period", "99", "--format", "pdf", "--out", out)
    assert result.exit_code == 1 and "ไม่พบแบบสรุปผลระดับประเทศของ รอบรายงานที่ 99" in result.output


def test_a_closed_periods_summary_stays_as_reported(db, db_path, tmp_path, travel):
    periods = report_store.programme_periods(db)
    closed_period, open_period = periods[3], periods[4]
    draft = {
        "progress": "จัดเวทีครบทุกหมู่บ้าน",
        "problems": "งบประมาณจัดเวทีมีจำกัด",
        "suggestions": "ขอคู่มือการจัดเวที",
        "reporter_name": "นายสมชาย ใจดี",
        "reporter_position": "ปลัด อบต.",
    }
    report_store.save_draft(db, 1, closed_period.number, draft, None)
    services.submit_report(db, 1, closed_period.number, None, closed_period.end)
    travel(open_period.start)
    before = pdf_text(_render(db_path, tmp_path, "pdf", closed_period.number))
    assert flat("งบประมาณ (๑ แห่ง)") in flat(before) and flat("ผ่านเกณฑ์ครบ ๕ ข้อ จำนวน ๑ แห่ง") in flat(before)
    # the others sent nothing for period 4: no figures of theirs, from today's data or any
    assert flat("ผลตามรายงานที่ส่ง ๑ แห่ง ผลตามข้อมูลปัจจุบัน ๐ แห่ง ไม่ได้รายงาน ๓ แห่ง") in flat(before)
    # LAO 1's data changes (no project in its plan any more: it fails criterion 4 today),
    # and LAO 3's, which sent nothing for period 4
    year = programme_store.get_programme(db).year_be
    for lao_id in (1, 3):
        ids = [p["id"] for p in project_store.list_projects(db, lao_id, year)]
        project_store.mark(db, lao_id, year, ids, "in_development_plan", False)
    assert services.compliance(db, 1)["all_met"] is False
    after = pdf_text(_render(db_path, tmp_path, "pdf", closed_period.number))
    assert after == before
    # the open period follows today's data
    live = flat(pdf_text(_render(db_path, tmp_path, "pdf", open_period.number)))
    assert flat("ผ่านเกณฑ์ครบ ๕ ข้อ จำนวน ๐ แห่ง") in live


def test_the_national_page_serves_it_to_national_users_only(client, db, closed):
    login(client, "national")
    page = client.get("/national?period=1").get_data(as_text=True)
    assert "/national/summary.pdf?period=1" in page and "/national/summary.docx?period=1" in page
    response = client.get("/national/summary.pdf?period=1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(pdf_text(response.data))
    assert flat("(เจ้าหน้าที่ สถ.)") in text  # signed by who downloads it
    assert flat("ผ่านเกณฑ์ครบ ๕ ข้อ จำนวน ๑ แห่ง จาก ๔ แห่ง") in text
    docx_response = client.get("/national/summary.docx")
    assert docx_response.status_code == 200 and docx_response.data.startswith(b"PK")
    login(client, "district")
    assert client.get("/national/summary.pdf?period=1").status_code == 403
    assert client.get("/national/summary.docx").status_code == 403


def test_a_themes_quotes_and_names_are_capped_its_counts_are_not():
    """878 LAOs writing on one theme give a summary of a few pages: the first
    THEME_QUOTES texts and THEME_NAMES names, and how many more."""
    from formsvc.documents import context as doc_context
    from formsvc.services.rollups import _totals

    n = 60
    laos = [
        {"name": f"อบต.ที่{i}", "criteria": [True] * 5, "all_met": True, "source": "reported"}
        | {"report_status": "submitted", "late": False, "province_code": "37", "province": "อำนาจเจริญ"}
        for i in range(n)
    ]
    result = {"programme_year": 2569, "period": 1, **_totals(laos)}
    raised = themes.group([(lao["name"], "งบประมาณไม่พอ " + "ก" * 400, "ขอเพิ่มงบ") for lao in laos])
    context = doc_context.national_summary_context(result, [], raised, as_of=dt.date(2026, 1, 1), period_text_="มกราคม")
    (budget,) = context["themes"]
    assert (budget["problems"], budget["suggestions"], budget["laos"]) == (_th(n), _th(n), _th(n))
    quotes = doc_context.THEME_QUOTES
    assert len(budget["quotes"]) == quotes + 1
    assert budget["quotes"][-1] == f"และอีก {_th(2 * n - quotes)} ข้อความ"
    assert all(len(q) < doc_context.QUOTE_CHARS + 40 for q in budget["quotes"])
    assert budget["names"].endswith(
        f"อบต.ที่{_th(doc_context.THEME_NAMES - 1)} และอีก {_th(n - doc_context.THEME_NAMES)} แห่ง"
    )
