"""Rendering: one context feeds the DOCX (docxtpl) and the PDF (WeasyPrint) template.

Per process, once: the print stylesheet and its fonts are parsed (a FontConfiguration
shared by every render), each kind's templates read and compiled on its first render,
and the PDF text-layer fix is applied. A render only fills templates. Which kinds there
are, and where their templates are, is the registry's (``formsvc.documents.kinds``).

Nothing renders inside a write transaction: ``html_to_pdf`` and ``render_docx`` refuse
to (``store.db.refuse_in_transaction``), as a render takes from a tenth of a second to
seconds and the write lock would make every other save wait that long.

The PDF renderer fetches nothing but the service's own fonts and, per render, the
emblem it was given: every URL in a document must be ``formsvc:fonts/<file>``,
``formsvc:emblem`` or one of its own images (the draft mark, the memo's dotted leader);
file://, http(s)://, data: and anything else from data is refused.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import logging
import re
import shutil
import threading
from pathlib import Path

import jinja2
import markupsafe
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from formsvc.documents import fonts, justify, nobreak, pdf_text, render_cache
from formsvc.documents.context import NOBREAK_ALWAYS
from formsvc.documents.kinds import KINDS, Kind, register  # noqa: F401 (the registry, as before)
from formsvc.domain import clock
from formsvc.paths import TEMPLATES
from formsvc.store.db import refuse_in_transaction

LOG = logging.getLogger(__name__)
DOCX_DIR = TEMPLATES / "docx"
HTML_DIR = TEMPLATES / "html"
STYLESHEET = HTML_DIR / "documents" / "print.css"
EMBLEM_URL = "formsvc:emblem"
DRAFT_MARK = HTML_DIR / "documents" / "draft-mark.svg"
DRAFT_MARK_URL = "formsvc:draft-mark.svg"
LEADER = HTML_DIR / "documents" / "leader.svg"  # the memo's dotted leader, one line tall
LEADER_URL = "formsvc:leader.svg"


class RefusedURL(ValueError):
    pass


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ServiceFetcher(URLFetcher):
        """Serves the service's own fonts and the render's emblem; refuses all else."""

        def __init__(self, emblem: tuple[bytes, str] | None = None):
            super().__init__(allowed_protocols=("formsvc",), fail_on_errors=False)
            self.emblem = emblem

        def fetch(self, url, headers=None):
            if url.startswith("formsvc:fonts/"):
                name = url.removeprefix("formsvc:fonts/")
                path = fonts.FILES.get(name)
                if path is not None:
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
            elif url == DRAFT_MARK_URL:
                return URLFetcherResponse(url, DRAFT_MARK.read_bytes(), {"Content-Type": "image/svg+xml"})
            elif url == LEADER_URL:
                return URLFetcherResponse(url, LEADER.read_bytes(), {"Content-Type": "image/svg+xml"})
            elif url == EMBLEM_URL and self.emblem is not None:
                content, mime = self.emblem
                return URLFetcherResponse(url, content, {"Content-Type": mime})
            LOG.warning("refused a fetch from a document: %.200s", url)
            raise RefusedURL(f"refused: {url[:200]}")

    return ServiceFetcher


def _remove_font_folder(config) -> None:
    """Remove the folder where WeasyPrint copied the @font-face fonts. Its own __del__
    does that, but for the process-wide configuration it may run only in the last
    collection at interpreter shutdown, when its ``rmtree`` is already gone: the suite's
    workers left a folder each in the temp directory and printed "TypeError: 'NoneType'
    object is not callable"."""
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None


class _Engine:
    """Process-wide state, built on first use (each worker process builds its own)."""

    def __init__(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        pdf_text.apply()
        justify.apply()  # Thai distributed justification (after pdf_text's version check)
        nobreak.apply()  # no line break inside a marked phrase (likewise)
        self.fetcher_class = _fetcher_class()
        self.font_config = FontConfiguration()
        atexit.register(_remove_font_folder, self.font_config)
        self.stylesheet = CSS(
            string=STYLESHEET.read_text(encoding="utf-8"),
            base_url="formsvc:",
            url_fetcher=self.fetcher_class(),
            font_config=self.font_config,
        )
        self.html_env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HTML_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.docx_env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_docx_value)
        self.docx_bytes: dict[str, bytes] = {}  # by kind, read on a kind's first DOCX
        self.html_envs: dict[Path, jinja2.Environment] = {TEMPLATES: self.html_env}

    def docx_template(self, kind: Kind) -> bytes:
        if kind.name not in self.docx_bytes:
            self.docx_bytes[kind.name] = kind.docx_template.read_bytes()
        return self.docx_bytes[kind.name]

    def html_template(self, kind: Kind) -> jinja2.Template:
        """The kind's HTML template; a kind with templates of its own still extends
        the service's documents/_base.html."""
        env = self.html_envs.get(kind.templates)
        if env is None:
            loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(kind.templates / "html")), self.html_env.loader])
            env = self.html_envs[kind.templates] = self.html_env.overlay(loader=loader)
        return env.get_template(kind.html_template)


def _docx_value(value):
    """A value as it goes into the DOCX XML: escaped, and safe from docxtpl's clean-up.

    After rendering, docxtpl turns every ``{_{``, ``}_}``, ``{_%`` and ``%_}`` in the
    whole XML into ``{{``, ``}}``, ``{%``, ``%}`` (its escape for literal tags in a
    template), so a clerk's ``{_{`` would come out as ``{{``. The underscore of ``{_``
    and ``_}`` in data is written as the character reference ``&#95;``: XML reads it
    back as "_", and docxtpl's plain-text replace no longer sees the pair.
    """
    if isinstance(value, str) and not hasattr(value, "__html__"):
        escaped = str(markupsafe.escape(value))
        if "{_" in escaped or "_}" in escaped:
            escaped = escaped.replace("{_", "{&#95;").replace("_}", "&#95;}")
        return markupsafe.Markup(escaped)
    return value


_engine: _Engine | None = None
_lock = threading.Lock()
# WeasyPrint lays out and draws every PDF of this process through one FontConfiguration
# (its Pango font map, parsed once with the stylesheet), and Pango's font maps are not
# safe to use from two threads at once. The web server runs several threads per worker
# process (formsvc/gunicorn_conf.py), so PDFs are made one at a time per process; other
# processes render in parallel, and the threads meanwhile answer pages. (A DOCX is plain
# XML work and needs no lock.)
_pdf_lock = threading.Lock()


def engine() -> _Engine:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = _Engine()
    return _engine


def forget(name: str) -> None:
    """Drop a kind's cached DOCX template (when it is unregistered)."""
    if _engine is not None:
        _engine.docx_bytes.pop(name, None)


# Phrases a PDF line never breaks inside: a name or place from the document's data (its
# context's "nobreak" list), "พ.ศ. 2569", "ร่างข้อบัญญัติ". A phrase longer than NOBREAK_MAX
# characters may break (it could not fit a line); in a table cell, one longer than
# NOBREAK_CELL_MAX (print.css: ``td .nw.long``), as a cell is narrow.
NOBREAK_MAX = 40
NOBREAK_CELL_MAX = 20
_NOT_TEXT = {"emblem_png", "nobreak", "kind", "digit_style", "page_field_switch"}


def _nobreak_pattern(context: dict) -> re.Pattern:
    phrases = {
        str(markupsafe.escape(p.strip()))
        for p in context.get("nobreak") or ()
        if isinstance(p, str) and 1 < len(p.strip()) <= NOBREAK_MAX
    }
    alternatives = [re.escape(p) for p in sorted(phrases, key=len, reverse=True)]
    return re.compile("|".join([*alternatives, *NOBREAK_ALWAYS]))


def _nobreak_span(match: re.Match) -> str:
    """The phrase kept on one line, with a break opportunity (a zero-width space, which
    the text layer leaves out) on each side: next to Thai letters an unbreakable phrase
    would else glue to its neighbours into one unbreakable run.

    A phrase of at most NOBREAK_CELL_MAX characters is plain text between two word
    joiners, which ``nobreak`` turns into a Pango attribute: no element, so no box of its
    own to lay out and draw again on every line (such boxes, with a ``<wbr>`` on each
    side, were about 60 % of a report PDF's CPU). A longer one is a ``span.nw.long``, which
    print.css lets break in a narrow table cell only."""
    text = match.group(0)
    if len(text) <= NOBREAK_CELL_MAX:
        return nobreak.phrase(text)
    return f'{nobreak.ZWSP}<span class="nw long">{text}</span>{nobreak.ZWSP}'


def _html_values(value, pattern: re.Pattern, key: str = ""):
    """The context's text escaped for HTML, each no-break phrase in a ``span.nw`` (the
    text itself unchanged: the PDF's text layer and the DOCX say the same words)."""
    if key in _NOT_TEXT:
        return value
    if isinstance(value, str):
        return markupsafe.Markup(pattern.sub(_nobreak_span, str(markupsafe.escape(value))))
    if isinstance(value, dict):
        return {k: _html_values(v, pattern, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_html_values(v, pattern) for v in value]
    return value


def render_html(kind: str, context: dict, *, draft: bool = False) -> str:
    template = engine().html_template(KINDS[kind])
    # a draft order has no number yet; a draft report is not what was sent to the district
    # (print.css carries the same words as DRAFT_NOTES, which the DOCX uses)
    draft = ("draft-unsent" if kind == "report" else "draft") if draft else ""
    return template.render(
        ctx=_html_values(context, _nobreak_pattern(context)),
        draft=draft,
        landscape=KINDS[kind].landscape,
        emblem_url=EMBLEM_URL if context.get("emblem_png") else None,
    )


def render_pdf(kind: str, context: dict, *, draft: bool = False) -> bytes:
    emblem = (context["emblem_png"], "image/png") if context.get("emblem_png") else None
    return html_to_pdf(render_html(kind, context, draft=draft), emblem)


def html_to_pdf(html: str, emblem: tuple[bytes, str] | None = None) -> bytes:
    """PDF of an HTML document with the service's stylesheet, fonts and URL fetcher."""
    from weasyprint import HTML

    refuse_in_transaction("rendering a PDF")
    eng = engine()
    with _pdf_lock:  # one layout at a time in this process: see _pdf_lock
        document = HTML(string=html, base_url="formsvc:", url_fetcher=eng.fetcher_class(emblem))
        return document.write_pdf(stylesheets=[eng.stylesheet], font_config=eng.font_config)


DRAFT_NOTES = {"report": "ร่าง – ไม่ใช่ฉบับที่ส่งอำเภอ"}
DRAFT_NOTE = "ร่าง – ยังไม่ได้ออกเลขที่"


def _mark_draft(document, note: str) -> None:
    """The draft note at the top right of every page of a DOCX (the PDF has it from
    print.css, with the ร่าง watermark)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for section in document.sections:
        for header in (section.header, section.first_page_header):
            header.is_linked_to_previous = False
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph = first.insert_paragraph_before()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(note)
            run.font.size = Pt(12)
            size_cs = run._r.get_or_add_rPr().makeelement(qn("w:szCs"), {qn("w:val"): "24"})
            run._r.get_or_add_rPr().append(size_cs)  # Thai is sized by szCs


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _w(tag: str) -> str:
    return W + tag


def _child(parent, tag: str, first: bool = False):
    el = parent.find(_w(tag))
    if el is None:
        el = parent.makeelement(_w(tag), {})
        if first:
            parent.insert(0, el)
        else:
            parent.append(el)
    return el


def _text_width(sect_pr) -> int:
    """Twips between the margins of a section."""
    size, margins = sect_pr.find(_w("pgSz")), sect_pr.find(_w("pgMar"))
    return int(size.get(_w("w"))) - int(margins.get(_w("left"))) - int(margins.get(_w("right")))


# w:tblPr's children in the order the schema gives them (Word refuses others)
TBL_PR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
TC_PR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
).split()
CELL_MARGIN = 68  # twips: 0.12 cm left and right, the PDF's cell padding


TC_RANK = {_w(tag): i for i, tag in enumerate(TC_PR_ORDER)}


def fit_tables(document) -> None:
    """Every table on a real grid that fills the text width, as LibreOffice needs it.

    The templates have one (scripts/make-docx-templates.py); a column repeated by
    docxtpl's {%tc for %} (the operation plan's months) leaves the grid with other
    columns than the rows, so each table's grid is made again from its widest row's
    cell widths (w:tcW), scaled to the text width; every cell gets its column's width
    and the layout is fixed. (Which rows may not split, w:cantSplit, the template says:
    docxtpl copies a row's properties with it.)"""
    body = document.element.body
    sect_pr = body.find(_w("sectPr"))
    if sect_pr is None:
        return
    total = _text_width(sect_pr)
    for tbl in body.iter(_w("tbl")):
        rows = tbl.findall(_w("tr"))
        if not rows:
            continue
        widest = max(rows, key=lambda tr: len(tr.findall(_w("tc"))))
        raw = []
        for tc in widest.findall(_w("tc")):
            width = tc.find(f"{_w('tcPr')}/{_w('tcW')}")
            raw.append(max(int(width.get(_w("w"), "0")) if width is not None else 0, 1))
        cols = [total * w // sum(raw) for w in raw]
        cols[-1] += total - sum(cols)
        grid = tbl.find(_w("tblGrid"))
        for col in list(grid):
            grid.remove(col)
        for width in cols:
            grid.append(grid.makeelement(_w("gridCol"), {_w("w"): str(width)}))
        tbl_pr = tbl.find(_w("tblPr"))
        width = _child(tbl_pr, "tblW")
        width.set(_w("w"), str(total))
        width.set(_w("type"), "dxa")
        _child(tbl_pr, "tblLayout").set(_w("type"), "fixed")
        margins = _child(tbl_pr, "tblCellMar")
        for side in ("left", "right"):
            edge = _child(margins, side)
            edge.set(_w("w"), str(CELL_MARGIN))
            edge.set(_w("type"), "dxa")
        rank = {_w(tag): i for i, tag in enumerate(TBL_PR_ORDER)}
        tbl_pr[:] = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(rank)))
        for tr in rows:
            i = 0
            for tc in tr.findall(_w("tc")):
                tc_pr = _child(tc, "tcPr", first=True)
                span = tc_pr.find(_w("gridSpan"))
                n = int(span.get(_w("val"))) if span is not None else 1
                tc_w = _child(tc_pr, "tcW", first=True)
                tc_w.set(_w("w"), str(sum(cols[i : i + n])))
                tc_w.set(_w("type"), "dxa")
                # docxtpl's cellbg puts w:shd first; Word wants the schema's order
                tc_pr[:] = sorted(tc_pr, key=lambda el: TC_RANK.get(el.tag, len(TC_RANK)))
                i += n


def keep_signatures(document) -> None:
    """No page begins with a lone signature: the line before a signature block stays
    with it (the block's own paragraphs keep with the next by their style)."""
    previous = None
    for el in document.element.body.iterchildren():
        style = el.find(f"{_w('pPr')}/{_w('pStyle')}") if el.tag == _w("p") else None
        signature = style is not None and style.get(_w("val")) == "ThaiSignature"
        if signature and previous is not None and previous.tag == _w("p"):
            p_pr = _child(previous, "pPr", first=True)
            prev_style = p_pr.find(_w("pStyle"))
            if prev_style is None or prev_style.get(_w("val")) != "ThaiSignature":
                at = 1 if prev_style is not None else 0  # after pStyle, as the schema orders pPr
                for tag in ("keepNext", "keepLines"):
                    if p_pr.find(_w(tag)) is None:
                        p_pr.insert(at, p_pr.makeelement(_w(tag), {}))
                    at += 1
        previous = el


def separate_tables(document) -> None:
    """A 1 pt empty paragraph after every table of the body, so that a heading after a
    table keeps with its next lines in LibreOffice too.

    LibreOffice (7.4) leaves a keep-with-next paragraph alone at the foot of a page when
    the paragraphs before it are tables and headings with no plain paragraph between
    (the minutes' lists of members under their labels): "ระเบียบวาระที่ ๑" ended page 1
    while its text began page 2. A plain paragraph after each table lets it move the
    heading on. The paragraph is 1 pt high, empty, and changes nothing in Word."""
    body = document.element.body
    for tbl in body.findall(_w("tbl")):
        spacer = tbl.makeelement(_w("p"), {})
        p_pr = _child(spacer, "pPr")
        _child(p_pr, "spacing").attrib.update(
            {_w("before"): "0", _w("after"): "0", _w("line"): "20", _w("lineRule"): "exact"}
        )
        tbl.addnext(spacer)


def page_number_digits(document, digit_style: str | None) -> None:
    """Page numbers in the LAO's digits: the sections' w:pgNumType (a plain PAGE field
    follows it), thaiNumbers for ๒, decimal for 2."""
    fmt = "decimal" if digit_style == "arabic" else "thaiNumbers"
    for numbering in document.element.body.iter(_w("pgNumType")):
        numbering.set(_w("fmt"), fmt)


def set_properties(document, kind: str, context: dict) -> None:
    """Core properties in Thai: the kind's name, the document's heading, its issuer,
    and the document's own date (never the machine's, never python-docx's 2013)."""
    day = context.get("doc_date") or clock.today()
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    when = dt.datetime(day.year, day.month, day.day)
    props = document.core_properties
    props.title = KINDS[kind].title_th if kind in KINDS else context.get("heading", "")
    props.subject = " ".join(str(context.get(k) or "") for k in ("heading", "subheading")).strip()
    props.author = props.last_modified_by = str(context.get("doc_author") or "")
    props.language = "th-TH"
    props.created = props.modified = when
    props.comments = ""


def render_docx(kind: str, context: dict, *, draft: bool = False) -> bytes:
    refuse_in_transaction("rendering a DOCX")
    eng = engine()
    template = DocxTemplate(io.BytesIO(eng.docx_template(KINDS[kind])))
    values = dict(context)
    png = values.pop("emblem_png", None)
    height = values.get("emblem_height_cm", 3)
    values["emblem"] = InlineImage(template, io.BytesIO(png), height=Cm(height)) if png else ""
    template.render(values, eng.docx_env, autoescape=True)
    document = template.docx
    fit_tables(document)
    separate_tables(document)
    keep_signatures(document)
    page_number_digits(document, context.get("digit_style"))
    set_properties(document, kind, context)
    if draft:
        _mark_draft(template.docx, DRAFT_NOTES.get(kind, DRAFT_NOTE))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render(kind: str, context: dict, fmt: str, *, draft: bool = False, cache_folder: Path | None = None) -> bytes:
    """The document, rendered; with ``cache_folder``, read from the render cache when the
    same kind, format and context were rendered before (``render_cache``)."""
    if fmt not in ("pdf", "docx") and not (fmt == "xlsx" and KINDS[kind].sheet is not None):
        raise ValueError(f"unknown format {fmt!r}")
    cache = render_cache.for_folder(cache_folder)
    name = render_cache.key(kind, fmt, draft, context) if cache is not None else ""
    if cache is not None:
        content = cache.get(name)
        if content is not None:
            return content
    if fmt == "pdf":
        content = render_pdf(kind, context, draft=draft)
    elif fmt == "docx":
        content = render_docx(kind, context, draft=draft)
    else:
        content = KINDS[kind].sheet(context)
    if cache is not None:
        cache.put(name, content)
    return content


# Warming a worker before it serves -------------------------------------------------------

_WARM_HTML = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>warm</title></head>
<body class="draft"><p class="center"><img class="emblem" src="formsvc:emblem" alt=""></p>
<p class="title">รายงานการประชุม คณะทำงานระดับท้องถิ่น ๑๒๓ 456</p>
<p><strong>เรื่อง</strong> การนำแผนชุมชนสู่การพัฒนาท้องถิ่น <em>ปีงบประมาณ พ.ศ. ๒๕๖๙</em></p>
<table class="grid"><thead><tr><th>ที่</th><th>โครงการ</th><th>งบประมาณ (บาท)</th></tr></thead>
<tbody><tr><td class="c">๑</td><td>ก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๓</td>
<td class="num">150,000.00</td></tr></tbody></table>
<div class="landscape"><p class="signature">(นายสมชาย ใจดี) ผู้ใหญ่บ้าน</p></div></body></html>"""


def warm() -> dict[str, float]:
    """Make this process ready to render at once: the engine (fonts, stylesheet, the
    text-layer fix), every kind's HTML template compiled and DOCX template read and
    parsed, and one throw-away PDF of Thai text in the fonts, weights and table layout
    the documents use (Pango's font map and shaping caches, WeasyPrint's and pydyf's
    imports). Called by each gunicorn worker before it accepts a request
    (formsvc/gunicorn_conf.py); returns the seconds each step took."""
    import time

    times: dict[str, float] = {}
    start = time.perf_counter()
    eng = engine()
    times["engine"] = time.perf_counter() - start
    start = time.perf_counter()
    for kind in list(KINDS.values()):
        if kind.source is None:
            continue
        try:
            eng.html_template(kind)
            DocxTemplate(io.BytesIO(eng.docx_template(kind))).get_undeclared_template_variables(eng.docx_env)
        except (OSError, jinja2.TemplateError):  # a kind without templates renders nothing here
            LOG.warning("warm: templates of %s could not be read", kind.name, exc_info=True)
    times["templates"] = time.perf_counter() - start
    start = time.perf_counter()
    from PIL import Image  # an emblem is a PNG: the image decoders' first use too

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, "PNG")
    html_to_pdf(_WARM_HTML, (png.getvalue(), "image/png"))
    times["render"] = time.perf_counter() - start
    return times
