"""Orders and operation plans as a reader checks them: PDF text, DOCX text and styles."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import docx
import pytest

from formsvc import services
from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.documents.engine import RefusedURL
from formsvc.domain import thai
from formsvc.store import laos as lao_store
from formsvc.store import working_group as wg_store
from formsvc.store.programme import get_programme
from tests.conftest import TH_NEXT, TH_YEAR, YEAR
from tests.docs import docx_blocks, docx_xml, flat, pdf_images, pdf_pages, pdf_text, without_page_numbers

EXPECTATIONS = __import__("pathlib").Path(__file__).parent / "expectations"
HOSTILE = 'นาง <img src="file:///etc/passwd"> & "ทดสอบ" \'x\' </w:t>'
DAY = dt.date(2026, 1, 15)


def fill_group(db, lao_id, names=None, **overrides):
    year = get_programme(db).year_be
    rows = wg_store.guideline_members(db, lao_id)
    for i, row in enumerate(rows):
        row["name"] = (names or {}).get(i, f"นายทดสอบ ลำดับ{i + 1}")
    group = wg_store.get_group(db, lao_id, year)
    wg_store.save_group(
        db,
        lao_id,
        year,
        reason=overrides.get("reason", group["reason"]),
        duties=group["duties"],
        signer_name=overrides.get("signer_name", "นายสมชาย ใจดี"),
        signer_position=rows[0]["position"],
        members=rows,
        user_id=None,
    )
    return rows


def fresh_lao(db, name="นาหว้า"):
    lao_id = lao_store.create_lao(db, lao_store.LaoInput(name, "tao", "3701", ["370102"]))
    for i in range(3):
        lao_store.add_village(db, lao_id, i + 1, f"บ้านทดสอบ{i + 1}")
    return lao_id


def order_context(db, lao_id, **facts):
    year = get_programme(db).year_be
    group = wg_store.get_group(db, lao_id, year)
    base = {
        "number": 7,
        "year_be": 2569,
        "order_date": DAY.isoformat(),
        "effective_date": DAY.isoformat(),
        "replaces": None,
        "members": group["members"],
        "group": {k: group[k] for k in ("reason", "duties", "signer_name", "signer_position")},
    }
    base.update(facts)
    return doc_context.order_context(lao_store.get_lao(db, lao_id), base, None)


# DOCX templates -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["order", "operation-plan"])
def test_docx_template_styles_carry_thai_complex_script_settings(kind):
    content = (engine.DOCX_DIR / f"{kind}.docx").read_bytes()
    styles = docx_xml(content, "word/styles.xml")
    assert re.search(r'<w:rFonts [^>]*w:cs="[^"]+"', styles)
    assert '<w:szCs w:val="32"/>' in styles
    assert 'w:bidi="th-TH"' in styles
    title = re.search(r'<w:style [^>]*w:styleId="ThaiTitle".*?</w:style>', styles, re.S).group(0)
    assert "<w:b/>" in title and "<w:bCs/>" in title
    body = re.search(r'<w:style [^>]*w:styleId="ThaiBody".*?</w:style>', styles, re.S).group(0)
    assert '<w:jc w:val="thaiDistribute"/>' in body
    document = docx_xml(content)
    margins = re.search(r"<w:pgMar [^>]*/>", document).group(0)
    # twips: 3 cm = 1701, 2 cm = 1134, 2.5 cm = 1417/1418
    assert 'w:left="1701"' in margins and 'w:right="1134"' in margins and 'w:bottom="1134"' in margins
    assert re.search(r'w:top="141[78]"', margins)


def test_order_docx_text_equals_the_context(db):
    lao_id = 1
    ctx = order_context(db, lao_id)
    blocks = [b for b in docx_blocks(engine.render_docx("order", ctx)) if b.strip()]
    expected = [ctx["heading"], f"ที่ {ctx['number_text']}", f"เรื่อง {ctx['subject']}", *ctx["reason_paragraphs"]]
    for m in ctx["members"]:
        expected += [f"{m['no']}.", f"{m['name']} {m['position']}", m["role_label"]]
    expected += [
        ctx["duties_intro"],
        *[f"{d['label']} {d['text']}" for d in ctx["duties"]],
        ctx["effective_text"],
        ctx["signed_text"],
        f"({ctx['signer_name']})",
        ctx["signer_position"],
    ]
    assert blocks == expected
    assert ctx["number_text"] == "๗/๒๕๖๙"
    assert ctx["signed_text"] == "สั่ง ณ วันที่ ๑๕ มกราคม พ.ศ. ๒๕๖๙"


@pytest.mark.parametrize("kind", ["order", "operation-plan"])
def test_docx_and_pdf_carry_the_same_words(db, kind):
    lao_id = 1
    if kind == "order":
        ctx = order_context(db, lao_id)
    else:
        ctx = doc_context.operation_plan_context(
            lao_store.get_lao(db, lao_id), wg_store.get_group(db, lao_id, get_programme(db).year_be), get_programme(db)
        )
        assert ctx["activities"], "the demo LAO 1 has an operation plan"
    docx_words = flat("".join(docx_blocks(engine.render_docx(kind, ctx))))
    pdf_words = flat(without_page_numbers(pdf_text(engine.render_pdf(kind, ctx), "-raw")))
    assert docx_words == pdf_words


@pytest.mark.parametrize(
    "kind, forum",
    [("order", None), ("operation-plan", None), ("minutes", 9), ("sign-in-sheet", 1), ("project-list", None)],
)
def test_reference_render(db, kind, forum):
    """Text content and page count of the demo LAO's document, kept in tests/expectations
    (each was looked at as PNG pages when it was written). The demo's year follows the
    clock, so the files name it {ปีดำเนินการ}, the year after it {ปีถัดไป} and the year
    before it {ปีก่อน} (the year of the data the demo's forums used)."""
    content, _ = services.document(db, 1, kind, "pdf", forum_id=forum)
    expected = json.loads((EXPECTATIONS / f"{kind}.json").read_text(encoding="utf-8"))
    text = expected["text"].replace("{ปีดำเนินการ}", TH_YEAR).replace("{ปีถัดไป}", TH_NEXT)
    text = text.replace("{ปีก่อน}", thai.digits(str(YEAR - 1), "thai"))
    assert pdf_pages(content) == expected["pages"]
    assert flat(pdf_text(content, "-raw")) == flat(text)


def test_hostile_input_comes_out_literally_and_the_docx_stays_valid(db):
    lao_id = fresh_lao(db)
    fill_group(db, lao_id, names={2: HOSTILE}, signer_name="นาย A&B <b>")
    ctx = order_context(db, lao_id)
    content = engine.render_docx("order", ctx)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        assert zf.testzip() is None
    text = "\n".join(docx_blocks(content))
    assert HOSTILE in text and "(นาย A&B <b>)" in text
    pdf = engine.render_pdf("order", ctx)
    assert flat(HOSTILE) in flat(pdf_text(pdf, "-raw"))
    assert pdf_images(pdf) == []  # the <img> in a name was never an image


def test_the_url_fetcher_serves_only_the_services_own_files():
    fetcher = engine.engine().fetcher_class()
    assert fetcher.fetch("formsvc:fonts/Sarabun-Regular.ttf").read()[:4] in (b"\x00\x01\x00\x00", b"true")
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/x.png",
        "https://example.com/a.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "formsvc:fonts/../../secret_key",
        "formsvc:emblem",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


@pytest.fixture
def local_server():
    """A web server on 127.0.0.1 that records every request and answers with a
    stylesheet that would print its own marker."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'body::after { content: "HTTP-MARKER-5b1e" }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_document_cannot_make_the_renderer_fetch(tmp_path, local_server):
    """A document whose HTML points at a local file and at a web server: the PDF made
    the way every document is made (engine.html_to_pdf, as render_pdf calls it) shows
    neither, and the server was never asked."""
    base, hits = local_server
    css = tmp_path / "marker.css"
    css.write_text('body::before { content: "FILE-MARKER-9c4d" }', encoding="utf-8")
    svg = tmp_path / "marker.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        '<text x="0" y="30">SVG-MARKER-77aa</text></svg>',
        encoding="utf-8",
    )
    html = (
        f'<link rel="stylesheet" href="file://{css}">'
        f'<link rel="stylesheet" href="{base}/a.css">'
        f'<style>@import url("{base}/b.css");</style>'
        f'<p>เนื้อความ</p><img src="file://{svg}"><img src="{base}/c.png">'
    )
    # the same page is read when the fetcher allows it: the markers would show
    pdf = engine.html_to_pdf(html)
    text = pdf_text(pdf, "-raw")
    assert "เนื้อความ" in text
    assert "FILE-MARKER" not in text and "SVG-MARKER" not in text and "HTTP-MARKER" not in text
    assert pdf_images(pdf) == []
    assert hits == []


def test_an_over_long_name_wraps_inside_the_page(db):
    lao_id = fresh_lao(db)
    fill_group(db, lao_id, names={1: "นาย" + "ก" * 110})
    pdf = engine.render_pdf("order", order_context(db, lao_id))
    boxes = pdf_text(pdf, "-bbox")
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edge = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right_edge <= page_width - 2 / 2.54 * 72 + 2  # inside the 2 cm right margin


def test_digits_follow_the_lao_setting(db):
    lao = lao_store.get_lao(db, 1)
    lao_store.update_lao(
        db,
        1,
        lao_store.LaoInput(
            lao["name"],
            lao["kind"],
            lao["district_code"],
            [s["code"] for s in lao["subdistricts"]],
            lao["chief_title"],
            True,
            True,
            "arabic",
        ),
    )
    ctx = order_context(db, 1)
    assert ctx["number_text"] == "7/2569"
    assert "15 มกราคม พ.ศ. 2569" in ctx["signed_text"]


def test_draft_pdf_has_a_watermark_and_no_number(db):
    pdf = services.draft_order(db, 1, "pdf", DAY)
    text = pdf_text(pdf)
    assert "ร่าง" in text and "ที่ ......../๒๕๖๙" in text


def test_operation_plan_shades_the_months_of_each_activity(db):
    ctx = doc_context.operation_plan_context(
        lao_store.get_lao(db, 1), wg_store.get_group(db, 1, get_programme(db).year_be), get_programme(db)
    )
    assert ctx["month_labels"][0] == "ม.ค." and len(ctx["month_labels"]) == 9
    first = ctx["activities"][0]
    assert [c["on"] for c in first["cells"]][:2] == [True, False]
    content = engine.render_docx("operation-plan", ctx)
    table = docx.Document(io.BytesIO(content)).tables[0]
    assert len(table.columns) == 2 + 9 + 2
    assert 'w:fill="BFBFBF"' in docx_xml(content)
