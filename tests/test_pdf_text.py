"""The PDF text layer gives back exactly the Thai that went in (docs/domain.md, "Thai documents")."""

from html import escape
from pathlib import Path

import pytest
import weasyprint

from formsvc.documents import engine, pdf_text
from tests.docs import flat, pdf_pages
from tests.docs import pdf_text as extract

# the Ministry's guideline (a public document), kept with the tests so they stand alone
GUIDELINE = Path(__file__).parent / "fixtures" / "programme-guideline-2554.th.txt"
WORDS = [
    "องค์การบริหารส่วนตำบล",
    "ทำงาน",
    "น้ำ",
    "ค่ำ",
    "คำสั่ง",
    "ที่",
    "หนี้",
    "ผู้ใหญ่บ้าน",
    "ปลัด",
    "ลิ้น",
    "เยิ้ม",
    "ญุ",
    "ฐู",
    "กำนัน",
    "น้ำท่วม",
    "ซ้ำ",
    "ล้ำ",
    "ค้ำ",
    "สู่การพัฒนา",
    "ดำเนินงาน",
]


def guideline_lines() -> list[str]:
    return [line.strip() for line in GUIDELINE.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    html = f'<body style="font-weight:{weight}">' + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</body>"
    pdf = engine.html_to_pdf(html)
    text = flat(extract(pdf, "-raw"))
    missing = [line for line in lines if flat(line) not in text]
    assert missing == []
    assert text == flat("".join(lines))
    assert pdf_pages(pdf) >= 4


def test_sara_am_leaves_no_gap_that_reads_as_a_space():
    pdf = engine.html_to_pdf("<p>คำสั่งองค์การบริหารส่วนตำบลบางนาค ที่ทำงานน้ำท่วม</p>")
    assert "คำสั่งองค์การบริหารส่วนตำบลบางนาค ที่ทำงานน้ำท่วม" in extract(pdf)


def test_thai_digits_are_real_code_points():
    pdf = engine.html_to_pdf("<p>ที่ ๑๒/๒๕๖๙</p>")
    assert "ที่ ๑๒/๒๕๖๙" in extract(pdf)


def test_lines_break_between_thai_words():
    """Every line break inside Thai text falls between two dictionary words.

    The PDF's lines are matched back to the paragraphs they came from; at each break the
    text before it must end with a word of pythainlp's Thai dictionary and the text after
    it must start with one (libthai may break between the parts of a compound such as
    ส่วน|ท้องถิ่น, which are words of their own; it must never break inside a word).
    """
    import re

    from pythainlp.corpus import thai_words

    words = thai_words()
    longest = max(map(len, words))
    thai = re.compile(r"[\u0e01-\u0e4e]")
    paragraphs = [flat(line) for line in guideline_lines()]
    pdf = engine.html_to_pdf("".join(f"<p>{escape(line)}</p>" for line in guideline_lines()))
    lines = [flat(line) for line in extract(pdf, "-raw").splitlines() if line.strip()]
    breaks, i = 0, 0
    bad = []
    for paragraph in paragraphs:
        text = ""
        while len(text) < len(paragraph):
            text += lines[i]
            i += 1
            b = len(text)
            if b < len(paragraph) and thai.match(paragraph[b - 1]) and thai.match(paragraph[b]):
                breaks += 1
                ends = any(paragraph[b - k : b] in words for k in range(1, min(longest, b) + 1))
                starts = any(paragraph[b : b + k] in words for k in range(1, longest + 1))
                if not (ends and starts):
                    bad.append(paragraph[b - 10 : b] + "|" + paragraph[b : b + 10])
        assert text == paragraph
    assert breaks > 50
    assert bad == []


def test_stacked_marks_come_from_sarabun_alone():
    """The regression strings of docs/domain.md ("Thai documents") are drawn with Sarabun only: no fallback
    font (which would mean a missing glyph or a dotted circle) is embedded."""
    import subprocess
    import tempfile

    marks = "ที่ น้ำ หนี้ ผู้ใหญ่บ้าน ปลัด ลิ้น เยิ้ม ญุ ฐู"
    pdf = engine.html_to_pdf(f"<p>{marks}</p><p><b>{marks}</b></p>")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        fonts = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("Sarabun" in name for name in names), names
    assert flat(marks) * 2 == flat(extract(pdf, "-raw"))
