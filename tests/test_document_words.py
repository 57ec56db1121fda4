"""Documents as an officer reads and signs them: the words (numbers with their units, Thai
lists, one date style, the LAO's own ordinance, dated and signed summaries, drafts marked
ร่าง) and the PDF's typography (the memo's form 2 header, justified body text, no break
inside a name or after พ.ศ., landscape margins, the certificate centred, signatures and
headings kept with their lines)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from html import unescape

import docx
import pytest
from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, thai
from formsvc.store import laos as lao_store
from formsvc.store import users as user_store
from formsvc.store import working_group as wg_store
from formsvc.store.programme import get_programme
from tests.conftest import YEAR, login
from tests.docs import docx_blocks, flat, pdf_text
from tests.test_documents import fresh_lao, order_context

CM = 72 / 2.54  # PDF points in a centimetre
DRAFT_REPORT = "ร่าง – ไม่ใช่ฉบับที่ส่งอำเภอ"
DOTS = "." * 40


def words(pdf: bytes) -> list[list[dict]]:
    """Each page's words with their boxes (pdftotext -bbox), in reading order."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdftotext", "-bbox", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        pages.append(
            [
                {"text": unescape(m[4]), "x0": float(m[0]), "y0": float(m[1]), "x1": float(m[2]), "y1": float(m[3])}
                for m in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
                )
            ]
        )
    return pages


def baseline(word: dict) -> float:
    """Sarabun's box is 1.3 em (ascent 1.068, descent 0.232): the baseline lies 0.232/1.3 of
    the box's height above its foot, whatever the type size."""
    return word["y1"] - (word["y1"] - word["y0"]) * 0.232 / 1.3


def docx_headers(content: bytes) -> list[str]:
    sections = docx.Document(io.BytesIO(content)).sections
    return [p.text for s in sections for p in s.first_page_header.paragraphs + s.header.paragraphs]


def today_text() -> str:
    return thai.digits(doc_context.date_text(clock.today()), "thai")


def lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]


# Drafts ------------------------------------------------------------------------------------


def test_an_unsubmitted_report_is_marked_draft_wherever_it_is_downloaded(client, db, db_path, tmp_path):
    # LAO 1 has not sent period 4: the page's link, the generic route and the CLI all mark it
    pdf, name = services.document(db, 1, "report", "pdf", period=4)
    assert name.endswith("draft.pdf") and DRAFT_REPORT in pdf_text(pdf)
    content, _ = services.document(db, 1, "report", "docx", period=4)
    assert DRAFT_REPORT in docx_headers(content)
    login(client, "clerk")
    page = client.get("/laos/1/documents/report.pdf?period=4")
    assert page.status_code == 200 and DRAFT_REPORT in pdf_text(page.data)
    out = tmp_path / "report.docx"
    args = ["render", "report", "--lao", "1", "--period", "4", "--format", "docx", "--out", str(out)]
    result = CliRunner().invoke(main, args, env={"FORMSVC_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    assert DRAFT_REPORT in docx_headers(out.read_bytes())
    # a report that was sent is the archived one, unmarked
    sent, name = services.document(db, 1, "report", "pdf", period=1)
    assert name.endswith("v1.pdf") and DRAFT_REPORT not in pdf_text(sent)


# Words -------------------------------------------------------------------------------------


def test_numbers_carry_their_units_and_nothing_is_a_percentage_of_nothing(db):
    content, _ = services.document(db, 1, "project-list", "pdf")
    text = flat(pdf_text(content))
    assert flat("จำนวน ๔ โครงการ จาก ๑๐ โครงการที่อยู่ในอำนาจหน้าที่ คิดเป็นร้อยละ ๔๐.๐๐") in text
    assert "เกณฑ์ข้อ๔:" not in text  # no ASCII colon after a Thai label
    lao_id = fresh_lao(db)
    empty = flat(pdf_text(services.document(db, lao_id, "project-list", "pdf")[0]))
    assert flat("เกณฑ์ข้อ ๔ ยังไม่มีโครงการที่อยู่ในอำนาจหน้าที่ จึงยังไม่ผ่านเกณฑ์") in empty
    assert "ร้อยละ๐.๐๐" not in empty and "๐จาก๐" not in empty
    report = flat(pdf_text(services.document(db, lao_id, "report", "pdf", period=1)[0]))
    assert flat("ยังไม่มีโครงการที่อยู่ในอำนาจหน้าที่") in report and "ร้อยละ๐.๐๐" not in report


def test_the_budget_ordinance_is_named_for_the_laos_kind(db):
    tao = flat(pdf_text(services.document(db, 1, "report", "pdf", period=4)[0]))
    assert "ร่างข้อบัญญัติงบประมาณรายจ่ายประจำปี" in tao and "ข้อบัญญัติ/เทศบัญญัติ" not in tao
    assert "เทศบัญญัติ" not in tao
    municipality = lao_store.get_lao(db, 3)
    assert municipality["kind"] == "tambon_municipality"
    town = flat(pdf_text(services.document(db, 3, "report", "pdf", period=4)[0]))
    assert "ร่างเทศบัญญัติงบประมาณรายจ่ายประจำปี" in town and "ข้อบัญญัติ" not in town.replace("เทศบัญญัติ", "")
    plist = flat(pdf_text(services.document(db, 3, "project-list", "pdf")[0]))
    assert "บรรจุในร่างเทศบัญญัติงบประมาณรายจ่ายประจำปี" in plist


def test_lists_in_the_minutes_use_thai_punctuation(db):
    ctx = doc_context.minutes_context(lao_store.get_lao(db, 1), services_forum(db, 9), services_organisers())
    for fact in ctx["facts"]:
        assert "," not in fact and ":" not in fact, fact
    data_year = thai.digits(str(YEAR - 1), "thai")  # the demo's forums used the data of the year before
    assert f"ข้อมูลที่ใช้ประกอบการประชุม ข้อมูล จปฐ. ปี {data_year} และ ข้อมูล กชช. ๒ค ปี {data_year}" in ctx["facts"]
    assert doc_context.thai_list(["ก", "ข", "ค"]) == "ก ข และ ค" and doc_context.thai_list(["ก"]) == "ก"


def test_lines_from_the_rules_are_written_as_a_thai_document_writes_them(db):
    reason = (
        "หมู่ที่ 1 บ้านหนองบัว: ไม่ครอบคลุมมิติ เศรษฐกิจ, สังคม, สุขภาพ; "
        "เวทีวันที่ 2 เม.ย. 69 ที่ครอบคลุมมิติเหล่านี้ไม่นับ เพราะไม่ได้ใช้ข้อมูล จปฐ., ไม่ได้ทบทวนแผนชุมชน"
    )
    assert doc_context.thai_punctuation(reason) == (
        "หมู่ที่ 1 บ้านหนองบัว ไม่ครอบคลุมมิติ เศรษฐกิจ สังคม และ สุขภาพ "
        "เวทีวันที่ 2 เมษายน 2569 ที่ครอบคลุมมิติเหล่านี้ไม่นับ เพราะไม่ได้ใช้ข้อมูล จปฐ. และ ไม่ได้ทบทวนแผนชุมชน"
    )
    # in the report: a village forum without จปฐ. data does not count, and the report says why
    lao_id = fresh_lao(db)
    text = pdf_text(services.document(db, lao_id, "report", "pdf", period=1)[0])
    assert "ยังไม่มีเวทีประชาคม" in text
    assert ":" not in text.replace("ร่าง – ", "") and ";" not in text


def services_forum(db, forum_id):
    from formsvc.store import forums as forum_store

    return forum_store.get_forum(db, 1, forum_id)


def services_organisers():
    from formsvc.domain.forums import ORGANISERS

    return ORGANISERS


def test_a_report_has_one_date_style(db):
    text = pdf_text(services.document(db, 1, "report", "pdf", period=4)[0])
    assert flat(f"วันที่ {today_text()}") in flat(text)
    # day, full month, year: no พ.ศ. before one date and not another, no abbreviated months
    assert "พ.ศ.๒" not in flat(text).replace("ปีดำเนินการพ.ศ.", "")
    assert not re.search(r"(?!พ\.ศ\.)[ก-ฮ]\.[ก-ฮ]\. ", text)  # ม.ค. – ก.พ. 2569
    assert "กรกฎาคม – สิงหาคม" in text


def test_a_signer_not_recorded_is_a_dotted_line(db):
    lao_id = 1
    ctx = order_context(db, lao_id, group={**_group(db, lao_id), "signer_name": "", "signer_position": ""})
    text = pdf_text(engine.render_pdf("order", ctx))
    assert "( )" not in text and "()" not in flat(text) and f"({DOTS})" in text
    assert f"({DOTS})" in docx_blocks(engine.render_docx("order", ctx))


def _group(db, lao_id):
    group = wg_store.get_group(db, lao_id, get_programme(db).year_be)
    return {k: group[k] for k in ("reason", "duties", "signer_name", "signer_position")}


def test_an_order_without_members_says_so(db):
    ctx = order_context(db, 1, members=[])
    for content in (
        pdf_text(engine.render_pdf("order", ctx)),
        "\n".join(docx_blocks(engine.render_docx("order", ctx))),
    ):
        text = flat(content)
        said = text.index(flat(doc_context.NO_MEMBERS))
        assert text.index("ประกอบด้วย") < said < text.index("โดยให้คณะทำงานระดับท้องถิ่นมีอำนาจหน้าที่")


def test_summaries_are_dated_and_signed_by_who_compiled_them(client, db):
    user = next(u for u in user_store.list_users(db) if u["username"] == "district")
    user_store.update_profile(db, user["id"], display_name="นางสาวรัตนา ใจงาม", position="ท้องถิ่นอำเภอเมืองอำนาจเจริญ")
    login(client, "district")
    as_of = flat(f"ข้อมูล ณ วันที่ {today_text()}")
    for fmt in ("pdf", "docx"):
        page = client.get(f"/districts/3701/summary.{fmt}?period=1")
        assert page.status_code == 200
        text = flat(pdf_text(page.data) if fmt == "pdf" else "\n".join(docx_blocks(page.data)))
        assert as_of in text
        assert flat("ลงชื่อ ........................ ผู้สรุปข้อมูล (นางสาวรัตนา ใจงาม) ท้องถิ่นอำเภอเมืองอำนาจเจริญ") in text
    # rendered without a user (the CLI, a batch): dotted lines to sign on
    content, _ = services.document(db, None, "district-summary", "pdf", district="3701", period=1)
    text = flat(pdf_text(content))
    assert as_of in text and flat(f"({DOTS}) {DOTS}") in text


# The PDF's typography ---------------------------------------------------------------------


def test_the_memo_puts_labels_and_values_on_one_baseline_and_ti_beside_wanti(db):
    content, _ = services.document(db, 1, "cover-memo", "pdf", period=1)
    page = words(content)[0]
    label = next(w for w in page if w["text"] == "ส่วนราชการ")
    value = next(w for w in page if w["text"].startswith("องค์การบริหาร") and abs(w["y1"] - label["y1"]) < 10)
    assert abs(baseline(label) - baseline(value)) < 0.5
    ti = next(w for w in page if w["text"] == "ที่")
    wanti = next(w for w in page if w["text"] == "วันที่")
    date = page[page.index(wanti) + 1]
    assert abs(baseline(ti) - baseline(wanti)) < 0.5 and abs(baseline(wanti) - baseline(date)) < 0.5
    assert wanti["x0"] > ti["x1"] + 5 * CM  # ที่ at the left, วันที่ in the middle of the same line
    blocks = docx_blocks(services.document(db, 1, "cover-memo", "docx", period=1)[0])
    assert any(b.startswith("ที่ ") and "วันที่ " in b for b in blocks)


def test_the_memo_draws_a_dotted_leader_under_every_line_of_a_value(db):
    from PIL import Image

    # เทศบาลตำบลชานุมาน อำเภอชานุมาน | จังหวัดอำนาจเจริญ: the first line ends short of the margin
    content, _ = services.document(db, 3, "cover-memo", "pdf", period=1)
    page = words(content)[0]
    label = next(w for w in page if w["text"] == "ส่วนราชการ")
    value_lines: dict[int, list[dict]] = {}
    for w in page:
        if w["x0"] > label["x1"] and label["y0"] - 2 < w["y0"] and baseline(w) < baseline(label) + 30:
            value_lines.setdefault(round(baseline(w)), []).append(w)
    assert len(value_lines) == 2, value_lines  # the LAO, district and province wrap to a second line
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "144", "-gray", "-f", "1", "-l", "1", "-png", "-singlefile", "-", f"{tmp}/p"],
            input=content,
            check=True,
        )
        image = Image.open(f"{tmp}/p.png").convert("L")
    scale = 144 / 72
    for base, line in value_lines.items():
        # right of the line's last word, to the right margin, just under the baseline: dots
        left, right = max(w["x1"] for w in line) + 0.3 * CM, 21 * CM - 2 * CM - 0.2 * CM
        assert right - left > 1 * CM, base
        band = image.crop((int(left * scale), int(base * scale), int(right * scale), int((base + 7) * scale)))
        dark = sum(band.histogram()[:128])
        assert dark > (right - left) / 4, (base, dark)  # at least a dot every 4 pt


def test_body_text_is_justified_at_its_spaces(db):
    content = engine.render_pdf("order", order_context(db, 1))
    right_margin = 21 * CM - 2 * CM
    page = words(content)[0]
    by_line: dict[float, list[dict]] = {}
    for w in page:
        by_line.setdefault(round(baseline(w)), []).append(w)
    reason = [line for line in by_line.values() if len(line) > 1 and line[0]["x0"] < 3.2 * CM]
    # lines with spaces to stretch end exactly at the right margin (ragged, none would)
    justified = [line for line in reason if abs(line[-1]["x1"] - right_margin) < 2.5]
    assert len(justified) >= 3, [line[-1]["x1"] for line in reason]
    # distributed as Thai is (justify.py): the extra room goes between the letters first, so
    # a line with one or two spaces does not open a gap of a centimetre at them
    gaps = [b["x0"] - a["x1"] for line in justified for a, b in zip(line, line[1:], strict=False)]
    assert max(gaps) < 0.35 * CM, [round(g / CM, 2) for g in gaps]


def test_no_line_ends_inside_a_name_or_between_po_so_and_its_year(db):
    ctx = order_context(db, 1)
    assert any("พ.ศ. ๒๕๓๗" in p for p in ctx["reason_paragraphs"])
    text_lines = lines(engine.render_pdf("order", ctx))
    assert not any(line.endswith("พ.ศ.") for line in text_lines)
    for m in ctx["members"]:
        assert any(m["name"] in line for line in text_lines), m["name"]
    report = lines(services.document(db, 1, "report", "pdf", period=4)[0])
    for village in ("บ้านหนองบัว", "บ้านหนองแวง", "บ้านโคกกลาง", "บ้านสร้างแก้ว"):
        assert any(village in line for line in report), village
    assert any("ร่างข้อบัญญัติ" in line for line in report)
    assert not any(line.endswith("ร่างข้อ") for line in report)


def test_a_phrase_kept_whole_still_lets_the_line_break_beside_it():
    """A no-break phrase between Thai letters (no space around it) keeps a break
    opportunity on each side: in a 4 cm column every line fits, and each phrase is whole
    on one line. Without them the phrase glues to its neighbours and runs past the
    column ("ที่บ้านหนองบัวลงวันที่ ๑๕" as one 5.6 cm line)."""
    text = "ประชุมที่บ้านหนองบัวลงวันที่ ๑๕ มกราคมจำนวน ๔๑ คนเวทีประชาคมหมู่ที่ ๓"
    context = {"text": text, "nobreak": ["บ้านหนองบัว"]}
    html = engine._html_values(context, engine._nobreak_pattern(context))["text"]
    pdf = engine.html_to_pdf(f'<p style="width: 4cm">{html}</p>')
    page = words(pdf)[0]
    assert max(w["x1"] for w in page) - min(w["x0"] for w in page) <= 4 * CM + 0.5
    text_lines = lines(pdf)
    assert flat("".join(text_lines)) == flat(text)
    for phrase in ("บ้านหนองบัว", "วันที่ ๑๕", "๔๑ คน", "หมู่ที่ ๓"):
        assert any(phrase in line for line in text_lines), phrase


def test_a_phrase_cut_off_by_a_partial_layout_stays_unbreakable_to_its_end():
    """WeasyPrint lays out only the first part of a long text at first: a phrase whose
    closing joiner was cut off is unbreakable up to the end of that part."""
    from formsvc.documents.nobreak import JOINER, phrase, ranges

    data = ("ประชุมที่" + phrase("บ้านหนองบัว") + "ลงวันที่").encode()
    start, end = data.index(JOINER.encode()), data.rindex(JOINER.encode()) + len(JOINER.encode())
    assert ranges(data) == [(start, end)]
    cut = data[: data.index("หนอง".encode())]
    assert ranges(cut) == [(start, len(cut))]
    assert ranges("ไม่มีวลี".encode()) == []


def test_landscape_pages_have_the_official_margins(db):
    for kind in ("operation-plan", "project-list"):
        content, _ = services.document(db, 1, kind, "pdf")
        for page in words(content):
            assert min(w["x0"] for w in page) >= 3 * CM - 0.5, kind
            assert max(w["x1"] for w in page) <= 29.7 * CM - 2 * CM + 0.5, kind


def test_the_certificate_is_centred_on_the_page(db):
    lao = lao_store.get_lao(db, 1)
    ctx = doc_context.certificate_context(
        lao, get_programme(db), "กระทรวงมหาดไทย", "นายทดสอบ ใจดี", "ปลัด", clock.today()
    )
    for citation in (ctx["citation"], "ทดสอบ"):  # however long the text, it sits in the middle
        page = words(engine.render_pdf("certificate", {**ctx, "citation": citation, "wish": ""}))
        assert len(page) == 1
        emblem_slot = 2.7 * CM  # above the issuer, empty when there is no emblem
        above = min(w["y0"] for w in page[0]) - emblem_slot
        below = 21 * CM - max(w["y1"] for w in page[0])
        assert abs(above - below) < 1 * CM, (above / CM, below / CM)


SMALL_PAGE = "<style>@page { size: 12cm 15cm; margin: 2cm 1cm 1cm 1cm; }</style>"


def small_pages(kind: str, ctx: dict) -> list[list[str]]:
    """The document on small pages (a few lines each), each page's lines without its
    page number: so that a few lines more or less move any line to a page's foot."""
    html = engine.render_html(kind, ctx).replace("</head>", SMALL_PAGE + "</head>")
    pages = pdf_text(engine.html_to_pdf(html)).split("\f")
    lines = [[re.sub(r"^-\s?[๐-๙]+\s?-?", "", x).strip() for x in page.splitlines()] for page in pages]
    return [[x for x in page if x] for page in lines]


def test_agenda_headings_never_end_a_page(db):
    """Whatever the length of what comes before, an agenda heading goes with its first
    lines; the recorder's signature with the end time before it."""
    ctx = doc_context.minutes_context(lao_store.get_lao(db, 1), services_forum(db, 9), services_organisers())
    ctx.update(present=[], absent=[], participants=[], projects=[], projects_heading="", facts=[])
    agenda = ctx["agenda"][:3]
    for filler in range(9):
        first = {**agenda[0], "paragraphs": ["ประธานแจ้งที่ประชุม"] * filler}
        pages = small_pages("minutes", {**ctx, "agenda": [first, *agenda[1:]]})
        for number, page in enumerate(p for p in pages if p):
            assert not page[-1].startswith("ระเบียบวาระที่"), (filler, number, page[-2:])
            assert not page[0].startswith(("ลงชื่อ", "(")), (filler, number, page[:2])


def test_no_page_begins_with_a_lone_signature(db):
    group = wg_store.get_group(db, 1, get_programme(db).year_be)
    base = order_context(db, 1, members=group["members"][:2])
    for filler in range(9):
        ctx = {**base, "reason_paragraphs": base["reason_paragraphs"][:1] + ["ตามที่ได้มีคำสั่ง"] * filler, "duties": []}
        pages = [p for p in small_pages("order", ctx) if p]
        for number, page in enumerate(pages):
            assert not page[0].startswith(("สั่ง ณ วันที่", "(")), (filler, number, page[:2])
        signed = next(page for page in pages if any(x.startswith("สั่ง ณ วันที่") for x in page))
        assert any(x.startswith("ทั้งนี้") for x in signed), (filler, signed)  # with the effective clause


@pytest.mark.parametrize("kind", ["cover-memo", "district-summary"])
def test_docx_and_pdf_say_the_same_words(db, kind):
    if kind == "cover-memo":
        asks = {"lao_id": 1, "period": 1}
    else:
        asks = {"lao_id": None, "district": "3701", "period": 1}
    pdf, _ = services.document(db, kind=kind, fmt="pdf", **asks)
    content, _ = services.document(db, kind=kind, fmt="docx", **asks)
    text = pdf_text(pdf) if kind == "cover-memo" else pdf_text(pdf, "-raw")  # the memo's heading is drawn last
    assert flat("".join(docx_blocks(content))) == flat(re.sub(r"^- [๐-๙]+ -$", "", text, flags=re.M))
