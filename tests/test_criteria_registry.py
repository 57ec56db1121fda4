"""One home per criterion: formsvc.domain.criteria.CRITERIA. A criterion declared there
shows on the checklist, in the compliance JSON, the roll-up and the summaries without
any other module changed, and no module outside the registry writes out how many
criteria there are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

import formsvc
from formsvc import ROOT, services
from formsvc.documents import engine
from formsvc.domain import criteria
from tests.conftest import arabic, login


def _decide_sixth(facts: criteria.LaoFacts) -> criteria.CriterionResult:
    # reads what it needs, so a need the services left out would show as a crash
    return criteria.CriterionResult(6, False, [f"ยังไม่มีหลักฐานเกณฑ์ข้อหก ({len(facts.projects)} โครงการ)"])


SIXTH = criteria.Criterion(
    6, "เกณฑ์ข้อหกสำหรับทดสอบ", "A sixth criterion for the test", "เกณฑ์ข้อ 6", _decide_sixth, ("projects",)
)


def add_sixth(monkeypatch) -> None:
    monkeypatch.setattr(criteria, "CRITERIA", (*criteria.CRITERIA, SIXTH))
    monkeypatch.setattr(criteria, "COUNT", len(criteria.CRITERIA))


@pytest.fixture
def six(monkeypatch):
    """The registry with a sixth criterion that no LAO meets."""
    add_sixth(monkeypatch)


def test_the_registry_declares_five_criteria_in_order():
    assert [c.number for c in criteria.CRITERIA] == list(range(1, criteria.COUNT + 1))
    assert criteria.COUNT == 5 and criteria.by_number(4).short_th == "เกณฑ์ข้อ 4"


def test_a_sixth_criterion_shows_on_the_checklist(client, six):
    login(client, "clerk")
    html = arabic(client.get("/laos/1").get_data(as_text=True))  # LAO 1 meets the five
    assert html.count('<li class="step ') == 6 and "A sixth criterion for the test" in html
    assert "<h2>เกณฑ์ 6 ข้อ</h2>" in html  # the heading counts the registry
    assert "ยังไม่มีหลักฐานเกณฑ์ข้อหก" in html
    assert "เกณฑ์ข้อ 6 ยังไม่ผ่าน:" in html and 'class="button primary" href="/laos/1/projects"' in html
    assert "ผ่านเกณฑ์ครบทั้ง" not in html  # neither "all met" nor the certificate section


def test_a_sixth_criterion_is_in_the_compliance_json(client, six):
    login(client, "clerk")
    data = client.get("/api/v1/laos/1/compliance").get_json()
    assert [c["number"] for c in data["criteria"]] == [1, 2, 3, 4, 5, 6]
    assert all(c["met"] for c in data["criteria"][:-1]) and not data["all_met"]


def test_a_sixth_criterion_is_counted_in_the_rollup_and_its_pages(client, db, monkeypatch):
    services.rollup(db)  # caches every LAO's criteria, computed under five
    add_sixth(monkeypatch)  # the cached rows are stale now: computed again
    result = services.rollup(db)
    assert all(len(lao["criteria"]) == 6 for lao in result["laos"] if lao["source"] == "live")
    assert len(result["criteria_met"]) == 6 and result["criteria_met"][5] == 0
    assert len(result["funnel"]) == 6 and result["funnel"][5] == 0 and result["passing"] == 0
    login(client, "district")
    html = client.get(f"/districts/{result['laos'][0]['district_code']}").get_data(as_text=True)
    assert '<th scope="col" class="c">ข้อ 6</th>' in html
    login(client, "province")  # with the funnel: a sixth bar
    html = client.get(f"/provinces/{result['laos'][0]['province_code']}").get_data(as_text=True)
    assert '<th scope="col" class="c">ข้อ 6</th>' in html and html.count('class="funnel-bar"') == 6


def test_a_sixth_criterion_is_a_column_of_the_summary(db, six, monkeypatch):
    seen = {}

    def render(kind, context, fmt, **kwargs):
        seen["context"] = context
        return b""

    monkeypatch.setattr(engine, "render", render)
    code = services.rollup(db)["laos"][0]["district_code"]
    services.summary_document(db, "district", code, None, "pdf")
    context = seen["context"]
    assert context["columns"]["criteria"][-1] == "เกณฑ์ข้อ ๖" and len(context["totals"]["criteria"]) == 6
    assert "ผ่านเกณฑ์ครบ ๖ ข้อ" in context["kpi"] and "ข้อ ๑–๖" in context["funnel"]


def test_the_summary_template_has_a_column_per_criterion():
    # summary.docx has fixed columns, made by scripts/make-docx-templates.py from the
    # registry: a criterion added there needs the script run again
    table = Document(str(ROOT / "templates" / "docx" / "summary.docx")).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header.count("{{ columns.criteria[0] }}") == 1
    assert sum("columns.criteria[" in text for text in header) == criteria.COUNT


# Ways to write out the number of criteria, or to list them one by one, that the
# registry replaces (docs: the issue "A codebase a team can carry", point 4).
HARD_CODED = re.compile(
    r"range\(1, 6\)|\[(False|\"\")\] \* 5\b|\(Cm\(1\.7\),\) \* 5|(?<![0-9๐-๙])[5๕] ข้อ|จาก [5๕]\b|len\(results\) == 5"
    r"|\"-----\"|1–5\b|CRITERIA_TITLES|CRITERIA_STEPS|\{1: \[\], 2: \[\]|number in \([1-5], [1-5]\)"
    r"|for i in range\(5\) %\}|colspan=\"5\" class=\"c muted\"|viewBox=\"0 0 520 150\"|number == [1-5]\b"
)


def _sources():
    package = Path(formsvc.__file__).parent
    for path in [
        *package.rglob("*.py"),
        *(ROOT / "templates" / "html").rglob("*.html"),
        *(ROOT / "scripts").glob("*.py"),
    ]:
        if path == package / "domain" / "criteria.py":
            continue
        yield path


def test_nothing_outside_the_registry_writes_out_the_number_of_criteria():
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HARD_CODED.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_scan_finds_a_hard_coded_count():
    # the pattern must catch what it is for, or the test before it proves nothing
    for line in (
        "criteria_of = [lao['criteria'] or [False] * 5 for lao in laos]",
        'f"อปท.ต้นแบบ ผ่านเกณฑ์ครบ 5 ข้อ {passing}"',
        'f"ผ่านเกณฑ์ {passed} จาก 5 ข้อ"',
        "{% for n in range(1, 6) %}<th>",
        '"all_met": len(results) == 5 and all(r.met for r in results),',
        "{% if number in (4, 5) %}",
    ):
        assert HARD_CODED.search(line), line
    assert not HARD_CODED.search("for attempt in range(5):") and not HARD_CODED.search("ผ่านเกณฑ์ 15 ข้อ")
