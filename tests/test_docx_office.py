"""Every DOCX kind of the demo as a clerk opens it: converted by LibreOffice Writer
(``soffice --headless --convert-to pdf``) and read back, beside our own PDF of the same
kind and data.

- LibreOffice's page count is within one of our PDF's;
- every table's grid (w:tblGrid) matches its cells and fills the section's text width;
- no Thai word, and no number such as ๑๕๐,๐๐๐.๐๐, is broken across lines in a table
  (each line break inside a cell falls on a pythainlp word boundary of the cell's text);
- page numbers are digits, never the Thai letters (ก ข ค) of ``PAGE \\* ThaiArabic``;
- a signature block never begins a page alone; the emblem paragraph cannot clip it;
- the package says what the document is, in Thai, with the document's date.

All kinds are converted in one soffice call per test process (its own profile, so
xdist workers do not share one), once per module.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import pytest
from fontTools.ttLib import TTFont
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from formsvc import services
from formsvc.documents import fonts
from formsvc.documents.kinds import KINDS
from formsvc.paths import TEMPLATES
from formsvc.store import connect
from tests.docs import flat, pdf_pages, pdf_text

pytestmark = pytest.mark.office

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CERTIFICATE_SIGNER = ("นายผู้ว่า ราชการ", "ปลัดกระทรวงมหาดไทย")

# what each kind of the demo is asked for (LAO 1, its LAO-level forum for the minutes,
# the village forum of หมู่ที่ 1 for the sign-in sheet, the working group's first meeting,
# a period with a full report)
ASKS = {
    "order": {"lao_id": 1},
    "operation-plan": {"lao_id": 1},
    "minutes": {"lao_id": 1, "forum_id": 9},
    "sign-in-sheet": {"lao_id": 1, "forum_id": 1},
    "meeting-minutes": {"lao_id": 1, "meeting_id": 1},
    "project-list": {"lao_id": 1},
    "plan-projects": {"lao_id": 1},
    "report": {"lao_id": 1, "period": 4},
    "cover-memo": {"lao_id": 1, "period": 1},
    "district-summary": {"lao_id": None, "district": "district", "period": 1},
    "district-report": {"lao_id": None, "district": "district", "period": 2},
    "district-cover-memo": {"lao_id": None, "district": "district", "period": 2},
    "province-report": {"lao_id": None, "province": "province", "period": 2},
    "province-cover-memo": {"lao_id": None, "province": "province", "period": 2},
    "province-summary": {"lao_id": None, "province": "province", "period": 1},
    "national-summary": {"lao_id": None, "period": 1},
    "certificate": {"lao_id": 1},
}
# more documents of a kind: the minutes of a village forum (the LAO's forum is in ASKS)
VARIANTS = {"minutes-village": ("minutes", {"lao_id": 1, "forum_id": 1})}
DOCUMENTS = {**{kind: (kind, ask) for kind, ask in ASKS.items()}, **VARIANTS}
# the kinds with tables whose text wraps in the demo (the check must have lines to check)
WRAPPING_TABLES = ("order", "operation-plan", "minutes", "project-list", "report")


def _service_kinds() -> set[str]:
    return {k.name for k in KINDS.values() if k.source is not None and k.templates == TEMPLATES}


@pytest.fixture(scope="module")
def office(demo_template, tmp_path_factory):
    """{name: {"docx": bytes, "pdf": bytes, "office": bytes}} for every kind of ASKS
    (named by its kind) and every document of VARIANTS."""
    if SOFFICE is None:
        pytest.fail("LibreOffice Writer is missing: scripts/system-deps.sh test installs it")
    work = tmp_path_factory.mktemp("office")
    db_path = work / "formsvc.db"
    shutil.copy(demo_template, db_path)
    db = connect(db_path)
    try:
        services.issue_certificate(db, 1, "national", None, *CERTIFICATE_SIGNER)
        district = db.execute("SELECT district_code FROM lao WHERE id = 1").fetchone()[0]
        province = db.execute(
            "SELECT d.province_code FROM lao l JOIN district d ON d.code = l.district_code WHERE l.id = 1"
        ).fetchone()[0]
        out = {}
        for name, (kind, ask) in DOCUMENTS.items():
            ask = dict(ask)
            lao = ask.pop("lao_id")
            ask = {k: {"district": district, "province": province}.get(v, v) for k, v in ask.items()}
            out[name] = {fmt: services.document(db, lao, kind, fmt, **ask)[0] for fmt in ("docx", "pdf")}
            (work / f"{name}.docx").write_bytes(out[name]["docx"])
    finally:
        db.close()
    profile = work / "profile"
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work / "office"),
        *(str(work / f"{name}.docx") for name in DOCUMENTS),
    ]
    subprocess.run(command, capture_output=True, timeout=300, check=True)
    for name in DOCUMENTS:
        out[name]["office"] = (work / "office" / f"{name}.pdf").read_bytes()
    return out


def test_every_kind_of_the_service_is_converted():
    assert set(ASKS) == _service_kinds()


# pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_libreoffice_pages_are_within_one_of_our_pdf(office, kind):
    ours, theirs = pdf_pages(office[kind]["pdf"]), pdf_pages(office[kind]["office"])
    assert abs(ours - theirs) <= 1, f"{kind}: our PDF {ours} pages, LibreOffice {theirs}"


# grids ----------------------------------------------------------------------------------


def _body(content: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return ET.fromstring(zf.read("word/document.xml")).find(f"{W}body")


def _text_width(body: ET.Element) -> int:
    sect = body.find(f"{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    return int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_every_table_grid_matches_its_cells_and_fills_the_text_width(office, kind):
    body = _body(office[kind]["docx"])
    width = _text_width(body)
    # แบบ ผ.02's twelve columns have narrower side margins (2 cm and 1.5 cm: print.css @page plan)
    assert width == (14854 if kind == "plan-projects" else 14003 if KINDS[kind].landscape else 9071)
    for t, tbl in enumerate(body.iter(f"{W}tbl")):
        grid = [int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid")]
        assert sum(grid) == width, f"{kind} table {t}: grid {grid} sums to {sum(grid)}, text width {width}"
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for r, tr in enumerate(tbl.findall(f"{W}tr")):
            col = 0
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                n = int(span.get(f"{W}val")) if span is not None else 1
                cell = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
                assert cell == sum(grid[col : col + n]), f"{kind} table {t} row {r}: cell {cell}, grid {grid}"
                col += n
            assert col == len(grid), f"{kind} table {t} row {r}: {col} columns, grid has {len(grid)}"


# the order the schema (ECMA-376) gives the children of these elements: Word refuses a
# file whose properties come in another order
SCHEMA_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc",
}


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_table_and_paragraph_properties_are_in_the_schemas_order(office, kind):
    body = _body(office[kind]["docx"])
    for parent, order in SCHEMA_ORDER.items():
        rank = {f"{W}{tag}": i for i, tag in enumerate(order.split())}
        for el in body.iter(f"{W}{parent}"):
            seen = [rank[c.tag] for c in el if c.tag in rank]
            assert seen == sorted(seen), f"{kind} {parent}: {[c.tag.removeprefix(W) for c in el]}"


@pytest.mark.parametrize(
    "kind",
    [
        "operation-plan",
        "project-list",
        "minutes",
        "district-summary",
        "district-report",
        "province-report",
        "sign-in-sheet",
    ],
)
def test_table_rows_do_not_split_and_header_rows_repeat(office, kind):
    body = _body(office[kind]["docx"])
    tables = list(body.iter(f"{W}tbl"))
    assert tables
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        gridded = tbl.find(f"{W}tblPr/{W}tblBorders/{W}top").get(f"{W}val") == "single"
        if gridded:
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None


def test_amounts_are_right_aligned_marks_centred_and_table_text_is_14_pt(office):
    document = docx.Document(io.BytesIO(office["project-list"]["docx"]))
    table = document.tables[0]
    first = table.rows[1].cells
    assert first[7].text.endswith(".๐๐") and first[7].paragraphs[0].alignment == 2  # RIGHT
    assert first[4].text in ("/", "-") and first[4].paragraphs[0].alignment == 1  # CENTER
    style = first[1].paragraphs[0].style
    assert style.font.size.pt == 14
    size_cs = style.element.find(f"{W}rPr/{W}szCs")
    assert size_cs is not None and size_cs.get(f"{W}val") == "28"


# words across lines -----------------------------------------------------------------------


def _cells(content: bytes) -> list[str]:
    """The text of every table cell, paragraphs joined by spaces."""
    document = docx.Document(io.BytesIO(content))
    texts = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                text = " ".join(p.text for p in cell.paragraphs).strip()
                if text and text not in texts:
                    texts.append(text)
    return texts


# Thai marks above and below a consonant: a PDF may give them out of order (ครั ง ้),
# so texts are compared without them
MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


WORDS = thai_words()
TRIE = Trie(WORDS)


def norm(text: str) -> str:
    return flat(text).translate(MARKS)


def _lines(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """Every text line of a PDF (pdftotext -bbox-layout): page, xMin, yMin, xMax, yMax, text."""
    out = []
    for page, html in enumerate(re.findall(r"<page .*?</page>", pdf_text(pdf, "-bbox-layout"), re.S)):
        for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", html, re.S):
            box = [float(v) for v in re.findall(r'="([\d.]+)"', attrs)]
            words = re.findall(r"<word [^>]*>(.*?)</word>", body)
            out.append((page, *box, "".join(words).replace("&amp;", "&")))
    return out


def _boundaries(text: str) -> set[int]:
    """Offsets in the normalised text where a line may break: where a pythainlp word (or a
    number) ends, and between the two dictionary words of a compound pythainlp keeps as
    one (ดำเนิน|งาน, อำนาจ|หน้าที่: Word's and LibreOffice's dictionaries break there),
    never inside a word (ธรรมชา|ติ, กิจกร|รม, เห|ล็ก) or a number (๑๕|๐,๐๐๐.๐๐)."""
    ends, at = {0}, 0
    for token in word_tokenize(text, keep_whitespace=False):
        inner = at
        for part in _compound(token)[:-1]:
            inner += len(norm(part))
            ends.add(inner)
        at += len(norm(token))
        ends.add(at)
    return ends


@functools.cache
def _compound(token: str, shortest: int = 2) -> tuple[str, ...]:
    """The dictionary words a pythainlp word is made of, down to words that are not
    compounds themselves (องค์การ บริหาร ส่วน ตำบล; ผู้ เข้า ร่วม), or
    the word itself when it is not made of dictionary words only."""
    if token not in WORDS or len(token) < 4:
        return (token,)
    TRIE.remove(token)
    try:
        parts = word_tokenize(token, custom_dict=TRIE, keep_whitespace=False)
    finally:
        TRIE.add(token)
    if len(parts) < 2 or not all(len(p) >= shortest and p in WORDS for p in parts):
        return (token,)
    # each part may be a compound too (ผู้|เข้าร่วม, then เข้า|ร่วม), of longer words
    # only: ธรรมชาติ is not ธรรมชา + ติ
    return tuple(word for part in parts for word in _compound(part, 3))


def broken_words(cells: list[str], lines) -> tuple[list[str], int]:
    """(the line breaks inside a table cell that split a word, how many breaks were checked).

    Two lines follow each other in a cell when the second starts just below the first,
    they overlap across, and together they are part of one cell's text."""
    bad, checked = [], 0
    texts = [(norm(c), c) for c in cells]
    whole_cells = {t for t, _ in texts}
    for a in lines:
        for b in lines:
            if b[0] != a[0] or b is a or not (-2 < b[2] - a[4] < 0.6 * (a[4] - a[2])):
                continue
            if min(a[3], b[3]) <= max(a[1], b[1]):  # no overlap across
                continue
            first, second = norm(a[5]), norm(b[5])
            if not first or not second or (first in whole_cells and second in whole_cells):
                continue  # two cells, one above the other (rows ๒ and ๓ of a column)
            for whole, cell in texts:
                at = whole.find(first + second)
                if at < 0:
                    continue
                checked += 1
                if at + len(first) not in _boundaries(cell):
                    bad.append(f"{a[5][-8:]}|{b[5][:8]}")
                break
    return bad, checked


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_no_thai_word_is_split_across_lines_in_a_table(office, kind):
    cells = _cells(office[kind]["docx"])
    bad, checked = broken_words(cells, _lines(office[kind]["office"]))
    assert not bad, f"{kind}: words broken inside table cells in LibreOffice: {bad}"
    if kind in WRAPPING_TABLES:
        assert checked, f"{kind}: no wrapped table text was found to check"


def test_the_word_check_sees_a_broken_word_and_a_broken_number():
    cells = ["ก่อสร้างถนนคอนกรีตเสริมเหล็ก", "๑๕๐,๐๐๐.๐๐"]

    def two(first, second):  # two lines of one cell, the second under the first
        return [(0, 100, 100, 160, 118, first), (0, 100, 119, 150, 137, second)]

    assert broken_words(cells, two("ก่อสร้างถนน", "คอนกรีตเสริมเหล็ก")) == ([], 1)
    assert broken_words(cells, two("ก่อสร้างถ", "นนคอนกรีตเสริมเหล็ก"))[0] == ["่อสร้างถ|นนคอนกรี"]
    assert broken_words(cells, two("๑๕", "๐,๐๐๐.๐๐"))[0] == ["๑๕|๐,๐๐๐.๐๐"]
    assert broken_words(["การดำเนินงาน"], two("การดำเนิน", "งาน")) == ([], 1)  # a compound's words
    assert broken_words(["องค์การบริหารส่วนตำบล"], two("องค์การบริหาร", "ส่วนตำบล")) == ([], 1)
    assert broken_words(["ผู้เข้าร่วม ๓๕ คน"], two("ผู้เข้า", "ร่วม ๓๕ คน")) == ([], 1)  # ผู้|เข้า|ร่วม
    assert broken_words(["ผู้เข้าร่วม ๓๕ คน"], two("ผู้เ", "ข้าร่วม ๓๕ คน"))[0] == ["ผู้เ|ข้าร่วม "]
    assert broken_words(["ทรัพยากรธรรมชาติ"], two("ทรัพยากรธรรมชา", "ติ"))[0] == ["กรธรรมชา|ติ"]
    # lines side by side (two cells of a row) are not one cell's
    assert broken_words(cells, [(0, 100, 100, 160, 118, "ก่อสร้างถ"), (0, 170, 119, 220, 137, "นนคอนกรีต")]) == ([], 0)


# page numbers, signatures, emblem ------------------------------------------------------------


def _pages(pdf: bytes) -> list[str]:
    return pdf_text(pdf, "-layout").split("\f")


@pytest.mark.parametrize("kind", ["order", "minutes", "project-list", "report"])
def test_page_numbers_are_digits_not_thai_letters(office, kind):
    pages = _pages(office[kind]["office"])
    assert len(pages) >= 2
    number = re.search(r"^\s*-\s*(\S+)\s*-\s*$", pages[1], re.M)
    assert number, pages[1][:300]
    assert number.group(1) in ("๒", "2"), number.group(0)  # LibreOffice: see the DOCX test below
    body = _body(office[kind]["docx"])
    assert body.find(f"{W}sectPr/{W}pgNumType").get(f"{W}fmt") == "thaiNumbers"


def test_the_page_field_is_plain_and_follows_the_sections_digits(office):
    with zipfile.ZipFile(io.BytesIO(office["order"]["docx"])) as zf:
        headers = [zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header")]
    instructions = [i for h in headers for i in re.findall(r'w:instr="([^"]*)"', h)]
    assert instructions and all(i.strip() == "PAGE" for i in instructions), instructions


@pytest.mark.parametrize("style, fmt", [("arabic", "decimal"), ("thai", "thaiNumbers")])
def test_page_numbers_follow_the_laos_digits(demo_template, tmp_path, style, fmt):
    shutil.copy(demo_template, tmp_path / "db")
    db = connect(tmp_path / "db")
    try:
        db.execute("UPDATE lao SET digit_style = ? WHERE id = 1", [style])
        content, _ = services.document(db, 1, "order", "docx", draft=True)
    finally:
        db.close()
    assert _body(content).find(f"{W}sectPr/{W}pgNumType").get(f"{W}fmt") == fmt


@pytest.mark.parametrize("kind", ["order", "minutes", "minutes-village", "report", "cover-memo"])
def test_no_page_begins_with_a_lone_signature(office, kind):
    body = _body(office[kind]["docx"])
    paragraphs = list(body.iter(f"{W}p"))
    styles = [p.find(f"{W}pPr/{W}pStyle") for p in paragraphs]
    signed = [i for i, s in enumerate(styles) if s is not None and s.get(f"{W}val") == "ThaiSignature"]
    first = signed[0]
    assert paragraphs[first - 1].find(f"{W}pPr/{W}keepNext") is not None  # the line before it stays with it
    texts = ["".join(t.text or "" for t in paragraphs[i].iter(f"{W}t")) for i in signed]
    signature = norm(next(t for t in texts if t.strip()))
    pages = [norm(re.sub(r"^\s*-\s*\S+\s*-\s*$", "", p, flags=re.M)) for p in _pages(office[kind]["office"])]
    page = next(p for p in pages if signature in p)
    assert re.search("[ก-๙]", page[: page.index(signature)]), f"{kind}: a page begins with the signature"


PAGE_NUMBER = re.compile(r"^\s*-\s*\S+\s*-\s*$")


def _last_lines(pdf: bytes) -> list[str]:
    """The last line of text of every page but the document's last (page numbers aside)."""
    pages = [p for p in _pages(pdf) if p.strip()]
    out = []
    for page in pages[:-1]:
        lines = [line.strip() for line in page.splitlines() if line.strip() and not PAGE_NUMBER.match(line)]
        out.append(lines[-1] if lines else "")
    return out


def _headings(content: bytes) -> list[str]:
    """The text of the body's paragraphs that keep with the next (headings, labels,
    agenda items; not the signature block), outside tables."""
    document = docx.Document(io.BytesIO(content))
    out = []
    for p in document.paragraphs:
        keep = p.paragraph_format.keep_with_next
        if keep is None:
            keep = p.style.paragraph_format.keep_with_next
        if keep and p.style.name != "Thai Signature" and p.text.strip():
            out.append(p.text)
    return out


@pytest.mark.parametrize("fmt", ["office", "pdf"])
@pytest.mark.parametrize("name", ["minutes", "minutes-village"])
def test_no_page_of_the_minutes_ends_with_an_agenda_heading(office, name, fmt):
    """LibreOffice left "ระเบียบวาระที่ ๑" alone at the foot of page 1 of the LAO's
    minutes though it keeps with the next, its text on page 2; our PDF left
    "ระเบียบวาระที่ ๔" so."""
    assert len([p for p in _pages(office[name][fmt]) if p.strip()]) >= 2
    for last in _last_lines(office[name][fmt]):
        assert not norm(last).startswith(norm("ระเบียบวาระที่")), f"{name} ({fmt}): a page ends with {last!r}"


@pytest.mark.parametrize("name", ["minutes", "minutes-village", "order", "report"])
def test_no_page_ends_with_a_heading_that_keeps_with_the_next(office, name):
    headings = [norm(h) for h in _headings(office[name]["docx"])]
    assert headings
    for last in map(norm, _last_lines(office[name]["office"])):
        # a heading, or the last line of one that wraps ("-" of an empty table cell aside)
        assert len(last) < 4 or not any(last in h for h in headings), f"{name}: a page ends with {last!r}"
        # nor with the sentence that leads into a list (the order's duties)
        assert not last.endswith(norm("ดังนี้")), f"{name}: a page ends with {last!r}"


def test_agenda_headings_and_labels_keep_with_their_first_lines(office):
    document = docx.Document(io.BytesIO(office["minutes"]["docx"]))
    agenda = [p for p in document.paragraphs if p.text.startswith("ระเบียบวาระที่")]
    assert len(agenda) >= 3
    for p in agenda:
        assert p.paragraph_format.keep_with_next, p.text
    labels = [p for p in document.paragraphs if p.style.name == "Thai Heading"]
    assert labels and all(p.style.paragraph_format.keep_with_next for p in labels)


def test_the_emblem_paragraph_is_not_of_exact_height(demo_template, tmp_path):
    shutil.copy(demo_template, tmp_path / "db")
    db = connect(tmp_path / "db")
    try:
        content, _ = services.document(db, 3, "order", "docx", draft=True)  # LAO 3 has an emblem
    finally:
        db.close()
    body = _body(content)
    emblem = next(p for p in body.iter(f"{W}p") if p.find(f".//{W}drawing") is not None)
    spacing = emblem.find(f"{W}pPr/{W}spacing")
    assert spacing is None or spacing.get(f"{W}lineRule") in (None, "auto", "atLeast")


# the package -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_the_package_says_what_the_document_is_in_thai(office, kind):
    content = office[kind]["docx"]
    props = docx.Document(io.BytesIO(content)).core_properties
    assert props.title == KINDS[kind].title_th
    assert re.search("[ก-๙]", props.author) and re.search("[ก-๙]", props.subject)
    assert props.created.date() != dt.date(2013, 12, 23) and props.created == props.modified
    assert "python-docx" not in (props.comments or "")
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        app = zf.read("docProps/app.xml").decode()
        settings = zf.read("word/settings.xml").decode()
    assert "Macintosh" not in app
    assert re.search(r'<w:themeFontLang w:val="th-TH"', settings)


def test_the_orders_date_is_its_own(office):
    props = docx.Document(io.BytesIO(office["order"]["docx"])).core_properties
    text = pdf_text(office["order"]["pdf"], "-raw")
    assert f"{props.created.day}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in text


@pytest.mark.parametrize("kind", sorted(ASKS))
def test_every_character_is_in_the_documents_font(office, kind):
    """Sarabun (the PDF's font) has every character of the DOCX text: ✓ and the like
    would fall back to another font."""
    cmap = TTFont(str(fonts.FILES["Sarabun-Regular.ttf"])).getBestCmap()
    text = "".join(t.text or "" for t in _body(office[kind]["docx"]).iter(f"{W}t"))
    missing = sorted({c for c in text if ord(c) not in cmap and not c.isspace()})
    assert not missing, f"{kind}: {missing}"


def test_certificate_has_the_pdfs_frame_and_is_centred_on_the_page(office):
    sect = _body(office["certificate"]["docx"]).find(f"{W}sectPr")
    borders = sect.find(f"{W}pgBorders")
    assert borders is not None and len(borders) == 4
    assert {b.get(f"{W}val") for b in borders} == {"double"}
    assert sect.find(f"{W}vAlign").get(f"{W}val") == "center"
    pages = _pages(office["certificate"]["office"])
    assert len([p for p in pages if p.strip()]) == 1


def test_office_files_are_real(office):
    assert Path(SOFFICE).exists()
    assert all(v["office"].startswith(b"%PDF") for v in office.values())
