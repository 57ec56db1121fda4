"""The PDF text layer gives back exactly the Thai that went in (THAI-FORMATS.md)."""
from html import escape
from pathlib import Path

import pytest
import weasyprint

from formsvc import ROOT
from formsvc.documents import engine, pdf_text
from tests.docs import flat, pdf_pages, pdf_text as extract

GUIDELINE = ROOT.parent / "shared" / "programme-guideline-2554.th.txt"
WORDS = ["องค์การบริหารส่วนตำบล", "ทำงาน", "น้ำ", "ค่ำ", "คำสั่ง", "ที่", "หนี้", "ผู้ใหญ่บ้าน", "ปลัด", "ลิ้น",
         "เยิ้ม", "ญุ", "ฐู", "กำนัน", "น้ำท่วม", "ซ้ำ", "ล้ำ", "ค้ำ", "สู่การพัฒนา", "ดำเนินงาน"]


def guideline_lines() -> list[str]:
    path = GUIDELINE if GUIDELINE.exists() else Path("../shared/programme-guideline-2554.th.txt")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_fix_is_pinned_to_the_weasyprint_it_was_made_for():
    assert weasyprint.__version__ in pdf_text.TESTED_VERSIONS


@pytest.mark.parametrize("weight", ["400", "700"])
def test_every_word_comes_back_exactly_on_its_line(weight):
    html = f'<body style="font-weight:{weight}">' + "".join(f"<p>{w}</p>" for w in WORDS) + "</body>"
    lines = [line.strip() for line in extract(engine.html_to_pdf(html)).splitlines() if line.strip()]
    assert lines == WORDS


@pytest.mark.parametrize("weight", ["400", "700"])
def test_the_whole_guideline_round_trips(weight):
    lines = guideline_lines()
    assert len(lines) > 100
    html = f'<body style="font-weight:{weight}">' + "".join(f"<p>{escape(l)}</p>" for l in lines) + "</body>"
    pdf = engine.html_to_pdf(html)
    text = flat(extract(pdf, "-raw"))
    missing = [l for l in lines if flat(l) not in text]
    assert missing == []
    assert text == flat("".join(lines))
    assert pdf_pages(pdf) >= 4


def test_sara_am_leaves_no_gap_that_reads_as_a_space():
    pdf = engine.html_to_pdf("<p>คำสั่งองค์การบริหารส่วนตำบลบางนาค ที่ทำงานน้ำท่วม</p>")
    assert "คำสั่งองค์การบริหารส่วนตำบลบางนาค ที่ทำงานน้ำท่วม" in extract(pdf)


def test_thai_digits_are_real_code_points():
    pdf = engine.html_to_pdf("<p>ที่ ๑๒/๒๕๖๙</p>")
    assert "ที่ ๑๒/๒๕๖๙" in extract(pdf)
