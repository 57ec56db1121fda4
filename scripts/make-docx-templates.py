"""Write the Word templates under templates/docx/ (docxtpl tags inside ordinary DOCX).

    .venv/bin/python scripts/make-docx-templates.py

The files are committed; a clerk's office may open and adjust them in Word. This script
is how they were made and how to make them again after a layout change: styles carry
the Thai complex-script settings (w:rFonts/@w:cs, w:szCs, w:bCs, w:lang/@w:bidi="th-TH")
and body paragraphs use Thai distributed justification.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "docx"
FONT = "TH Sarabun New"
SIZE_HALF_POINTS = 32  # 16 pt
CELL_HALF_POINTS = 28  # 14 pt, the PDF's table text


def _set(parent, tag: str, **attrs):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(key), str(value))
    return el


def thai_run_properties(rpr, bold: bool = False, size: int = SIZE_HALF_POINTS) -> None:
    """Fonts, sizes, bold and language for Thai as Word reads them (complex script)."""
    for child in list(rpr):
        if child.tag in (qn("w:rFonts"), qn("w:b"), qn("w:bCs"), qn("w:sz"), qn("w:szCs"), qn("w:lang")):
            rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
        rpr.append(OxmlElement("w:bCs"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(size))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:eastAsia"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def set_justification(paragraph_format_element, value: str) -> None:
    ppr = paragraph_format_element
    _set(ppr, "w:jc", **{"w:val": value})


def new_document(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.header_distance = section.footer_distance = Cm(1.25)
    # document defaults and the Normal style
    styles = doc.styles
    normal = styles["Normal"]
    thai_run_properties(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    thai_run_properties(rpr_default)
    for name, bold, align, indent in (
        ("Thai Body", False, "thaiDistribute", Cm(2.5)),
        ("Thai Plain", False, "left", None),
        ("Thai Center", False, "center", None),
        ("Thai Title", True, "center", None),
        ("Thai Heading", True, "left", None),
        ("Thai Signature", False, "center", None),
    ):
        style = styles.add_style(name, 1)  # paragraph style
        style.base_style = normal
        style.quick_style = True
        thai_run_properties(style.element.get_or_add_rPr(), bold=bold)
        set_justification(style.element.get_or_add_pPr(), align)
        if indent is not None:
            style.paragraph_format.first_line_indent = indent
        if name == "Thai Signature":
            style.paragraph_format.left_indent = Cm(6)
    for name, bold, align in (
        ("Thai Cell", False, "left"),  # table text: 14 pt as print.css table.grid
        ("Thai Cell Bold", True, "left"),
        ("Thai Cell Head", True, "center"),
    ):
        style = styles.add_style(name, 1)
        style.base_style = normal
        thai_run_properties(style.element.get_or_add_rPr(), bold=bold, size=CELL_HALF_POINTS)
        set_justification(style.element.get_or_add_pPr(), align)
    for name in ("Thai Heading", "Thai Signature"):
        # a heading stays with its first lines, a signature block with itself (and
        # render_docx ties it to the line before it)
        styles[name].paragraph_format.keep_with_next = True
        styles[name].paragraph_format.keep_together = True
    strong = styles.add_style("Thai Strong", 2)  # character style
    thai_run_properties(strong.element.get_or_add_rPr(), bold=True)
    return doc


def para(doc, text: str, style: str = "Thai Plain", **fmt):
    p = doc.add_paragraph(text, style=style)
    for key, value in fmt.items():
        setattr(p.paragraph_format, key, value)
    return p


def cell_text(cell, text: str, style: str = "Thai Plain") -> None:
    cell.paragraphs[0].text = text
    cell.paragraphs[0].style = style


def short_rule(doc) -> None:
    """The short line under a heading (practice): an empty paragraph with a bottom border."""
    rule = para(doc, "", "Thai Center", space_after=Pt(6))
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Cm(6)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # before the paragraph's spacing, indents and alignment, as the schema orders them
    successors = ("w:shd", "w:tabs", "w:bidi", "w:spacing", "w:ind", "w:jc", "w:rPr")
    rule._p.get_or_add_pPr().insert_element_before(borders, *successors)


def table_borders(table, **attrs) -> None:
    """All six edges of a table's borders: val="nil" for none, or single lines."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, value in attrs.items():
            el.set(qn(f"w:{key}"), value)
        borders.append(el)
    table._tbl.tblPr.append(borders)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def text_width(doc) -> int:
    """Twips between the section's margins (portrait 9071, landscape 14003)."""
    section = doc.sections[0]
    return round((section.page_width - section.left_margin - section.right_margin) / 635)


def fit_table(table, widths, aligns=None, cell_style: str | None = None, split: bool = False) -> None:
    """A real grid: w:tblGrid columns equal to the cells' widths, in the proportions of
    ``widths`` and summing to the text width, with a fixed layout (LibreOffice lays a
    table out by its grid, not by w:tcW); rows that never split across pages; each
    column's paragraphs aligned as ``aligns`` says (None: as their style); ``split`` lets
    long rows run on to the next page (the report's evidence). A column the
    document repeats (docxtpl's {%tc for %}) is fitted again by render_docx."""
    total = text_width(table.part.document)
    raw = [int(w) for w in widths]
    twips = [total * w // sum(raw) for w in raw]
    twips[-1] += total - sum(twips)
    tbl = table._tbl
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in twips:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)
    tbl_pr = tbl.tblPr
    _set(tbl_pr, "w:tblW", **{"w:w": total, "w:type": "dxa"})
    _set(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
    margins = _set(tbl_pr, "w:tblCellMar")
    for side in ("w:left", "w:right"):
        _set(margins, side, **{"w:w": 68, "w:type": "dxa"})  # 0.12 cm, the PDF's cell padding
    order = "tblStyle tblpPr tblOverlap bidiVisual tblW jc tblInd tblBorders shd tblLayout tblCellMar tblLook"
    rank = {qn("w:" + tag): i for i, tag in enumerate(order.split())}
    tbl_pr[:] = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(rank)))
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if not split and tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))
        header = tr_pr.find(qn("w:tblHeader")) is not None
        for i, tc in enumerate(row._tr.tc_lst):
            tc.get_or_add_tcPr()
            _set(tc.tcPr, "w:tcW", **{"w:w": twips[i], "w:type": "dxa"})
            for p in tc.iterchildren(qn("w:p")):
                if cell_style and not header:
                    _set(p.get_or_add_pPr(), "w:pStyle", **{"w:val": cell_style.replace(" ", "")})
                if aligns and aligns[i] and not header:
                    set_justification(p.get_or_add_pPr(), aligns[i])


def order_template() -> Document:
    doc = new_document()
    page_numbers(doc)
    # Garuda 3 cm tall, centred; the space is kept when the LAO has no emblem yet
    emblem = para(doc, "{{ emblem }}", "Thai Center")
    emblem.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    emblem.paragraph_format.line_spacing = Cm(3.1)
    para(doc, "{{ heading }}", "Thai Title", space_before=Pt(6))
    para(doc, "ที่ {{ number_text }}", "Thai Center")
    para(doc, "เรื่อง {{ subject }}", "Thai Center")
    short_rule(doc)
    para(doc, "{%p for text in reason_paragraphs %}", "Thai Body")
    para(doc, "{{ text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    table = doc.add_table(rows=2, cols=3)
    table_borders(table, val="nil")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_text(table.rows[0].cells[0], "{%tr for m in members %}")
    cell_text(table.rows[1].cells[0], "{{ m.no }}.")
    cell_text(table.rows[1].cells[1], "{{ m.name }} {{ m.position }}")
    cell_text(table.rows[1].cells[2], "{{ m.role_label }}")
    row = table.add_row()
    cell_text(row.cells[0], "{%tr endfor %}")
    fit_table(table, (Cm(1.3), Cm(9.2), Cm(5.5)), aligns=("right", None, None))
    # the sentence that leads into the duties ("... ดังนี้") stays with the first duty
    para(doc, "{{ duties_intro }}", "Thai Body", space_before=Pt(6), keep_with_next=True, keep_together=True)
    para(doc, "{%p for d in duties %}", "Thai Body")
    para(doc, "{{ d.label }} {{ d.text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    para(doc, "{%p if replaces_text %}", "Thai Body")
    para(doc, "{{ replaces_text }}", "Thai Body")
    para(doc, "{%p endif %}", "Thai Body")
    para(doc, "{{ effective_text }}", "Thai Body")
    para(doc, "{{ signed_text }}", "Thai Signature", space_before=Pt(12))
    for _ in range(3):
        para(doc, "", "Thai Signature")
    para(doc, "({{ signer_name }})", "Thai Signature")
    para(doc, "{{ signer_position }}", "Thai Signature")
    return doc


def operation_plan_template() -> Document:
    doc = new_document(landscape=True)
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center")
    para(doc, "{{ month_caption }}", "Thai Center", space_after=Pt(6))
    # a month column is repeated by docxtpl's column loop: the cells holding the
    # {%tc for %} and {%tc endfor %} tags are removed when the document is rendered
    table = doc.add_table(rows=4, cols=7)
    table_borders(table, val="single", sz="4", color="000000")
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(
        header.cells,
        (
            "{{ columns.no }}",
            "{{ columns.activity }}",
            "{%tc for label in month_labels %}",
            "{{ label }}",
            "{%tc endfor %}",
            "{{ columns.responsible }}",
            "{{ columns.status }}",
        ),
        strict=False,
    ):
        cell_text(cell, text, "Thai Cell Head")
    cell_text(table.rows[1].cells[0], "{%tr for a in activities %}")
    row = table.rows[2]
    for cell, text, style in zip(
        row.cells,
        (
            "{{ a.no }}",
            "{{ a.activity }}",
            "{%tc for c in a.cells %}",
            "{% cellbg c.bg %}",
            "{%tc endfor %}",
            "{{ a.responsible }}",
            "{{ a.status_label }}",
        ),
        ("Thai Cell",) * 7,
        strict=False,
    ):
        cell_text(cell, text, style)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    # the tag cells go when rendered: 1.5 + 7.2 + 12 × 0.9 + 2.9 + 2.3 = 24.7 cm, the text width
    widths = (Cm(1.5), Cm(7.2), Cm(0.3), Cm(0.9), Cm(0.3), Cm(2.9), Cm(2.3))
    fit_table(table, widths, aligns=("center", None, None, "center", None, None, "center"))
    for r in table.rows:  # a month cell has no padding (print.css td.month): ม.ค. fits 0.9 cm
        margins = _set(r.cells[3]._tc.get_or_add_tcPr(), "w:tcMar")
        for side in ("w:left", "w:right"):
            _set(margins, side, **{"w:w": 0, "w:type": "dxa"})
    para(doc, "{{ footnote }}", "Thai Plain", space_before=Pt(6))
    return doc


def page_numbers(doc) -> None:
    """'- ๒ -' centred at the top of every page but the first (Thai official practice).

    A plain PAGE field in the digits of the section's page numbering (w:pgNumType):
    thaiNumbers here, decimal when render_docx is given an LAO that writes Arabic digits.
    (The field switch \\* ThaiArabic shows Thai letters, ก ข ค, in LibreOffice.)"""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.style = doc.styles["Thai Center"]
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:fmt"), "thaiNumbers")
    section._sectPr.find(qn("w:pgMar")).addnext(numbering)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def rows_table(
    doc,
    loop: str,
    cells: list[str],
    widths,
    header: list[str] | None = None,
    grid: bool = False,
    empty: str | None = None,
    aligns=None,
    small: bool | None = None,
    split: bool = False,
):
    """A table whose body rows repeat with docxtpl's {%tr for %}; ``empty`` adds a row
    shown when the list is empty, so a table never has no rows. A grid's text is 14 pt
    (``small``) as in the PDF unless told otherwise."""
    small = grid if small is None else small
    count = 1 + (1 if header else 0) + 2 + (3 if empty else 0)
    table = doc.add_table(rows=count, cols=len(cells))
    if grid:
        table_borders(table, val="single", sz="4", color="000000")
    else:
        table_borders(table, val="nil")
    i = 0
    if header:
        repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, header, strict=False):
            cell_text(cell, text, "Thai Cell Head" if small else "Thai Title")
        i = 1
    cell_text(table.rows[i].cells[0], "{%tr for " + loop + " %}")
    for cell, text in zip(table.rows[i + 1].cells, cells, strict=False):
        cell_text(cell, text)
    cell_text(table.rows[i + 2].cells[0], "{%tr endfor %}")
    if empty:
        list_name = loop.split(" in ")[1]
        cell_text(table.rows[i + 3].cells[0], "{%tr if not " + list_name + " %}")
        cell_text(table.rows[i + 4].cells[0], empty)
        cell_text(table.rows[i + 5].cells[0], "{%tr endif %}")
    fit_table(table, widths, aligns, "Thai Cell" if small else None, split)
    return table


def label(doc, text: str):
    return para(doc, text, "Thai Heading", space_before=Pt(4))


def minutes_template() -> Document:
    doc = new_document()
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{%p if meeting_text %}", "Thai Center")
    para(doc, "{{ meeting_text }}", "Thai Center")
    para(doc, "{%p endif %}", "Thai Center")
    para(doc, "{{ when_text }}", "Thai Center")
    para(doc, "{{ place_text }}", "Thai Center")
    short_rule(doc)
    widths = (Cm(1.0), Cm(5.6), Cm(6.4), Cm(3.0))
    for name in ("present", "absent", "participants"):
        label(doc, "{{ labels." + name + " }}")
        rows_table(
            doc,
            f"r in {name}",
            ["{{ r.no }}", "{{ r.name }}", "{{ r.position }}", "{{ r.note }}"],
            widths,
            empty="{{ empty_mark }}",
            aligns=("right", None, None, None),
        )
    label(doc, "{{ start_text }}")
    para(doc, "{%p for a in agenda %}", "Thai Plain")
    agenda = para(doc, "", "Thai Plain", space_before=Pt(4), keep_with_next=True, keep_together=True)
    agenda.add_run("{{ a.label }}", style="Thai Strong")
    agenda.add_run(" {{ a.title }}")
    para(doc, "{%p for text in a.paragraphs %}", "Thai Body")
    para(doc, "{{ text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    resolution = para(doc, "", "Thai Body")
    resolution.add_run("{{ labels.resolution }}", style="Thai Strong")
    resolution.add_run(" {{ a.resolution }}")
    para(doc, "{%p endfor %}", "Thai Plain")
    label(doc, "{{ facts_heading }}")
    para(doc, "{%p for text in facts %}", "Thai Body")
    para(doc, "{{ text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    para(doc, "{%p if projects_heading %}", "Thai Plain")
    label(doc, "{{ projects_heading }}")
    rows_table(
        doc,
        "p in projects",
        ["{{ p.rank }}", "{{ p.name }}", "{{ p.dimension }}", "{{ p.village }}"],
        (Cm(1.5), Cm(6.5), Cm(4.2), Cm(3.8)),
        grid=True,
        aligns=("center", None, None, None),
        header=[
            "{{ project_columns.rank }}",
            "{{ project_columns.name }}",
            "{{ project_columns.dimension }}",
            "{{ project_columns.village }}",
        ],
    )
    para(doc, "{%p endif %}", "Thai Plain")
    label(doc, "{{ end_text }}")
    para(doc, "", "Thai Signature")
    para(doc, "{{ labels.signed }} ........................ {{ recorder_label }}", "Thai Signature")
    para(doc, "({{ recorder_name }})", "Thai Signature")
    para(doc, "{{ recorder_position }}", "Thai Signature")
    para(doc, "{%p if checker_label %}", "Thai Signature")
    para(doc, "", "Thai Signature")
    para(doc, "{{ labels.signed }} ........................ {{ checker_label }}", "Thai Signature")
    para(doc, "({{ checker_name }})", "Thai Signature")
    para(doc, "{{ checker_position }}", "Thai Signature")
    para(doc, "{%p endif %}", "Thai Signature")
    return doc


def sign_in_template() -> Document:
    doc = new_document()
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center")
    para(doc, "{{ when_text }}", "Thai Center", space_after=Pt(6))
    table = rows_table(
        doc,
        "r in rows",
        ["{{ r.no }}", "{{ r.name }}", "{{ r.position }}", "{{ r.signature }}"],
        (Cm(1.6), Cm(5.5), Cm(4.5), Cm(4.4)),
        grid=True,
        small=False,
        aligns=("center", None, None, None),
        header=["{{ columns.no }}", "{{ columns.name }}", "{{ columns.position }}", "{{ columns.signature }}"],
    )
    row = table.rows[2]._tr
    tr_pr = row.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), "540")  # 0.95 cm, room to sign
    height.set(qn("w:hRule"), "atLeast")
    tr_pr.append(height)
    return doc


# rank and marks centred, the amount right-aligned (print.css table.plist)
PLIST_ALIGNS = ("center", None, None, "center", "center", "center", "center", "right")


def project_list_template() -> Document:
    doc = new_document(landscape=True)
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center", space_after=Pt(6))
    cols = ("rank", "name", "dimension", "village", "within", "plan", "budget_flag", "amount")
    widths = (Cm(1.5), Cm(5.8), Cm(4.2), Cm(1.6), Cm(2.6), Cm(2.6), Cm(3.0), Cm(3.4))
    table = rows_table(
        doc,
        "r in rows",
        ["{{ r." + c + " }}" for c in cols],
        widths,
        grid=True,
        header=["{{ columns." + c + " }}" for c in cols],
        empty="{{ empty }}",
        aligns=PLIST_ALIGNS,
    )
    # the empty-list row says so in the name column (header, for, row, endfor, if, row, endif)
    empty_row = table.rows[5]
    cell_text(empty_row.cells[0], "")
    cell_text(empty_row.cells[1], "{{ empty }}")
    total = table.add_row()
    for cell, text in zip(
        total.cells,
        (
            "",
            "{{ totals.label }} {{ totals.count }}",
            "",
            "",
            "{{ totals.within }}",
            "{{ totals.plan }}",
            "{{ totals.budget_flag }}",
            "{{ totals.amount }}",
        ),
        strict=False,
    ):
        cell_text(cell, text, "Thai Cell Bold")
    fit_table(table, widths, PLIST_ALIGNS)
    para(doc, "{%p for text in figures %}", "Thai Plain")
    para(doc, "{{ text }}", "Thai Plain", space_before=Pt(4))
    para(doc, "{%p endfor %}", "Thai Plain")
    para(doc, "{%p for text in notes %}", "Thai Plain")
    para(doc, "{{ text }}", "Thai Plain")
    para(doc, "{%p endfor %}", "Thai Plain")
    return doc


PLAN_CELL_HALF_POINTS = 22  # 11 pt, as print.css table.plan
PLAN_AMOUNT_HALF_POINTS = 20  # 10 pt, as print.css table.plan td.amount


def plan_projects_template() -> Document:
    """The development plan's project form (แบบ ผ.02): per plan area (under its strategy)
    a table of its projects with a total row, then the grand total, as the PDF."""
    doc = new_document(landscape=True)
    # 12 columns: narrower side margins than other documents (print.css @page plan)
    doc.sections[0].left_margin, doc.sections[0].right_margin = Cm(2), Cm(1.5)
    for name, bold, align, size in (
        ("Thai Cell Small", False, "left", PLAN_CELL_HALF_POINTS),
        ("Thai Cell Small Bold", True, "left", PLAN_CELL_HALF_POINTS),
        ("Thai Cell Small Head", True, "center", PLAN_CELL_HALF_POINTS),
        ("Thai Cell Amount", False, "right", PLAN_AMOUNT_HALF_POINTS),
        ("Thai Cell Amount Bold", True, "right", PLAN_AMOUNT_HALF_POINTS),
    ):
        style = doc.styles.add_style(name, 1)
        style.base_style = doc.styles["Normal"]
        thai_run_properties(style.element.get_or_add_rPr(), bold=bold, size=size)
        set_justification(style.element.get_or_add_pPr(), align)
    page_numbers(doc)
    form = para(doc, "{{ form }}", "Thai Plain")
    set_justification(form._p.get_or_add_pPr(), "right")
    para(doc, "{{ heading }}", "Thai Title")
    for key in ("plan", "issuer", "subheading"):
        para(doc, "{{ " + key + " }}", "Thai Center")
    para(doc, "{%p if empty %}", "Thai Plain")
    para(doc, "{{ empty }}", "Thai Plain", space_before=Pt(6))
    para(doc, "{%p endif %}", "Thai Plain")
    # 0.7 + 2.4 + 2.3 + 2.2 + 5 × 2.64 + 1.7 + 1.6 + 2.1 = 26.2 cm, the text width
    widths = (Cm(0.7), Cm(2.4), Cm(2.3), Cm(2.2)) + (Cm(2.64),) * 5 + (Cm(1.7), Cm(1.6), Cm(2.1))
    aligns = ("center", None, None, None) + ("right",) * 5 + (None, None, None)
    header = ["{{ columns." + k + " }}" for k in ("no", "name", "objective", "target")]
    header += ["{{ columns.years[%d] }}" % i for i in range(5)]  # noqa: UP031 (the braces are Jinja's)
    header += ["{{ columns." + k + " }}" for k in ("kpi", "result", "unit")]

    def total_row(table, prefix: str) -> None:
        texts = ["", "{{ " + prefix + ".label }}", "", ""]
        texts += ["{{ " + prefix + ".amounts[%d] }}" % i for i in range(5)]  # noqa: UP031
        for cell, text in zip(table.add_row().cells, texts + ["", "", ""], strict=True):
            cell_text(cell, text, "Thai Cell Small Bold")

    para(doc, "{%p for g in groups %}", "Thai Plain")
    para(doc, "{%p if g.strategy %}", "Thai Plain")
    para(doc, "{{ g.strategy }}", "Thai Heading", space_before=Pt(6))
    para(doc, "{%p endif %}", "Thai Plain")
    para(doc, "{{ g.area }}", "Thai Heading", space_before=Pt(2))
    cells = ["{{ r." + k + " }}" for k in ("no", "name", "objective", "target")]
    cells += ["{{ r.amounts[%d] }}" % i for i in range(5)]  # noqa: UP031
    cells += ["{{ r." + k + " }}" for k in ("kpi", "result", "unit")]
    table = rows_table(doc, "r in g.rows", cells, widths, header=header, grid=True, aligns=aligns)
    total_row(table, "g.total")
    fit_table(table, widths, aligns)
    para(doc, "{%p endfor %}", "Thai Plain")
    grand = doc.add_table(rows=0, cols=12)
    table_borders(grand, val="single", sz="4", color="000000")
    total_row(grand, "total")
    fit_table(grand, widths, aligns)
    for t in (table, grand):
        for row in t.rows:
            for cell in row.cells:  # 11 pt throughout, as the PDF
                for p in cell.paragraphs:
                    if p.style.name in ("Thai Cell Head", "Thai Cell"):
                        p.style = doc.styles[p.style.name.replace("Thai Cell", "Thai Cell Small")]
            for cell in row.cells[4:9]:  # an amount keeps to one line (print.css td.amount)
                for p in cell.paragraphs:
                    if p.style.name in ("Thai Cell Small", "Thai Cell Small Bold"):
                        p.style = doc.styles[p.style.name.replace("Small", "Amount")]
                margins = _set(cell._tc.get_or_add_tcPr(), "w:tcMar")
                for side in ("w:left", "w:right"):
                    _set(margins, side, **{"w:w": 20, "w:type": "dxa"})
    # a plan area's total: its label across the text columns (the grand total, a table of
    # one row, keeps its twelve cells: render_docx fits a table's grid to its widest row)
    total = table.rows[-1]
    total.cells[1].merge(total.cells[3])
    for extra in total.cells[1].paragraphs[1:]:  # merging leaves the empty cells' paragraphs
        extra._p.getparent().remove(extra._p)
    return doc


def report_template() -> Document:
    doc = new_document()
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center")
    para(doc, "{{ period_text }}", "Thai Center", space_after=Pt(6))
    table = rows_table(
        doc,
        "r in criteria",
        ["{{ r.number }}", "{{ r.title }}", "{{ r.status }}", "{%p for line in r.evidence %}"],
        (Cm(1.6), Cm(4.6), Cm(3.2), Cm(6.6)),
        grid=True,
        aligns=("center", None, "center", None),
        split=True,  # as print.css table.grid.report: a long evidence list runs on
        header=["{{ columns.number }}", "{{ columns.title }}", "{{ columns.status }}", "{{ columns.evidence }}"],
    )
    cell = table.rows[2].cells[3]  # the evidence lines: one paragraph each
    cell.add_paragraph("{{ line }}", style="Thai Cell")
    cell.add_paragraph("{%p endfor %}", style="Thai Cell")
    label(doc, "{{ summary }}")
    para(doc, "{%p for s in sections %}", "Thai Plain")
    label(doc, "{{ s.title }}")
    para(doc, "{%p for text in s.paragraphs %}", "Thai Body")
    para(doc, "{{ text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Plain")
    para(doc, "", "Thai Signature")
    for text in ("{{ signed }}", "({{ reporter_name }})", "{{ reporter_position }}", "{{ date_text }}"):
        para(doc, text, "Thai Signature")
    # the annex: the photos and scans attached, when there are any (as the PDF)
    para(doc, "{%p if annex %}", "Thai Plain")
    label(doc, "{{ annex_title }}")
    rows_table(
        doc,
        "a in annex",
        ["{{ a.number }}", "{{ a.file_name }}", "{{ a.kind }}", "{{ a.date }}", "{{ a.sha }}"],
        (Cm(1.4), Cm(6.2), Cm(3.8), Cm(2.6), Cm(2.8)),
        grid=True,
        aligns=("center", None, None, "center", "center"),
        split=True,
        header=[
            "{{ annex_columns.number }}",
            "{{ annex_columns.name }}",
            "{{ annex_columns.kind }}",
            "{{ annex_columns.date }}",
            "{{ annex_columns.hash }}",
        ],
    )
    para(doc, "{%p endif %}", "Thai Plain")
    return doc


def cover_memo_template() -> Document:
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    doc = new_document()
    head = para(doc, "{{ emblem }}", "Thai Plain")  # Garuda 1.5 cm at the top left
    head.add_run("\t")
    title = head.add_run("{{ heading }}")
    rpr = title._r.get_or_add_rPr()
    thai_run_properties(rpr, bold=True, size=58)  # 29 pt
    head.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    para(doc, "{%p for f in fields %}", "Thai Plain")
    # form 2: ที่ and วันที่ share a line (a field with a second label), the others one each
    para(doc, "{%p if f.label2 %}", "Thai Plain")
    one_line = [("label", "value"), ("label2", "value2")], (Cm(8), Cm(16))
    for pairs, stops in (one_line, ([("label", "value")], (Cm(16),))):
        field = para(doc, "", "Thai Plain")
        for label_key, value_key in pairs:
            label_run = field.add_run("{{ f.%s }}" % label_key)  # noqa: UP031 (the braces are Jinja's)
            thai_run_properties(label_run._r.get_or_add_rPr(), bold=True, size=40)  # 20 pt
            field.add_run(" {{ f.%s }}\t" % value_key)  # noqa: UP031
        for stop in stops:
            field.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if len(pairs) == 2:
            para(doc, "{%p else %}", "Thai Plain")
    para(doc, "{%p endif %}", "Thai Plain")
    para(doc, "{%p endfor %}", "Thai Plain")
    para(doc, "{{ to }}", "Thai Plain", space_before=Pt(4), space_after=Pt(4))
    para(doc, "{%p for text in paragraphs %}", "Thai Body")
    para(doc, "{{ text }}", "Thai Body")
    para(doc, "{%p endfor %}", "Thai Body")
    for _ in range(2):
        para(doc, "", "Thai Signature")
    para(doc, "({{ signer_name }})", "Thai Signature")
    para(doc, "{{ signer_position }}", "Thai Signature")
    return doc


def compiler_signature(doc) -> None:
    """The signature of whoever compiled a summary or report: a blank line, the signature
    line, the name in brackets and the position."""
    para(doc, "", "Thai Signature")
    for text in ("{{ signed }}", "({{ compiler_name }})", "{{ compiler_position }}"):
        para(doc, text, "Thai Signature")


def summary_template() -> Document:
    from formsvc.domain import criteria  # this checkout's (main() puts it first on the path)

    doc = new_document(landscape=True)
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center")
    para(doc, "{{ as_of_text }}", "Thai Center", space_after=Pt(6))
    # one fixed column per criterion of the registry (formsvc.domain.criteria.CRITERIA):
    # a criterion added there needs this script run again (tests/test_criteria_registry.py
    # checks the committed template has as many)
    count = criteria.COUNT
    cells = ["{{ r.name }}", "{{ r.place }}"] + ["{{ r.marks[%d] }}" % i for i in range(count)] + ["{{ r.report }}"]  # noqa: UP031
    header = (
        ["{{ columns.name }}", "{{ columns.place }}"]
        + ["{{ columns.criteria[%d] }}" % i for i in range(count)]  # noqa: UP031 (the braces are Jinja's)
        + ["{{ columns.report }}"]
    )
    widths = (Cm(7.4), Cm(4.2)) + (Cm(8.5 / count),) * count + (Cm(4.6),)
    aligns = (None, None) + ("center",) * count + (None,)
    table = rows_table(doc, "r in rows", cells, widths, grid=True, header=header, aligns=aligns)
    total = table.add_row()
    texts = ["{{ totals.label }}", ""] + ["{{ totals.criteria[%d] }}" % i for i in range(count)] + [""]  # noqa: UP031
    for cell, text in zip(total.cells, texts, strict=False):
        cell_text(cell, text, "Thai Cell Bold")
    fit_table(table, widths, aligns)
    for key in ("kpi", "funnel", "late"):
        para(doc, "{%p if " + key + " %}")
        para(doc, "{{ " + key + " }}", "Thai Plain", space_before=Pt(4))
        para(doc, "{%p endif %}")
    # what each LAO wrote in the version it sent (problems and suggestions), when any
    para(doc, "{%p if notes %}")
    heading = para(doc, "", "Thai Plain", space_before=Pt(12), keep_with_next=True)
    heading.add_run("{{ notes_heading }}").bold = True
    para(doc, "{%p for n in notes %}")
    para(doc, "{{ n }}", "Thai Plain", space_before=Pt(4))
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    # signed by who compiled it
    compiler_signature(doc)
    return doc


def national_summary_template() -> Document:
    """The national summary: the KPI, a row per province, the funnel, late and missing
    reports by level, and the problems and suggestions by theme (as its PDF)."""
    from formsvc.domain import criteria

    doc = new_document(landscape=True)
    page_numbers(doc)
    para(doc, "{{ heading }}", "Thai Title")
    para(doc, "{{ subheading }}", "Thai Center")
    para(doc, "{{ as_of_text }}", "Thai Center", space_after=Pt(6))
    para(doc, "{{ kpi }}", "Thai Plain", keep_with_next=True)
    para(doc, "{%p if basis %}")
    para(doc, "{{ basis }}", "Thai Plain")
    para(doc, "{%p endif %}")

    def heading(text: str) -> None:
        p = para(doc, "", "Thai Plain", space_before=Pt(8), keep_with_next=True)
        p.add_run(text).bold = True

    heading("{{ province_heading }}")
    count = criteria.COUNT
    keys = ("passing", "kpi", "reported", "late", "missing")
    cells = ["{{ r.name }}", "{{ r.selected }}"] + ["{{ r.criteria[%d] }}" % i for i in range(count)]  # noqa: UP031
    cells += ["{{ r.%s }}" % k for k in keys]  # noqa: UP031
    header = ["{{ columns.name }}", "{{ columns.selected }}"]
    header += ["{{ columns.criteria[%d] }}" % i for i in range(count)]  # noqa: UP031 (the braces are Jinja's)
    header += ["{{ columns.%s }}" % k for k in keys]  # noqa: UP031
    rest = (14003 / 567 - 5 - 1.6 * count) / (len(keys) + 1)  # cm left for the counts
    widths = (Cm(5), Cm(rest)) + (Cm(1.6),) * count + (Cm(rest),) * len(keys)
    aligns = (None,) + ("center",) * (count + 1 + len(keys))
    table = rows_table(doc, "r in rows", cells, widths, grid=True, header=header, aligns=aligns)
    total = table.add_row()
    texts = ["{{ total.name }}", "{{ total.selected }}"] + ["{{ total.criteria[%d] }}" % i for i in range(count)]  # noqa: UP031
    texts += ["{{ total.%s }}" % k for k in keys]  # noqa: UP031
    for cell, text in zip(total.cells, texts, strict=False):
        cell_text(cell, text, "Thai Cell Bold")
    fit_table(table, widths, aligns)
    heading("{{ funnel_heading }}")
    rows_table(
        doc,
        "s in funnel",
        ["{{ s.step }}", "{{ s.count }}", "{{ s.share }}"],
        (Cm(14), Cm(4.5), Cm(4.5)),
        grid=True,
        header=["{{ funnel_columns.step }}", "{{ funnel_columns.count }}", "{{ funnel_columns.share }}"],
        aligns=(None, "center", "center"),
    )
    heading("{{ levels_heading }}")
    para(doc, "{%p for line in levels %}")
    para(doc, "{{ line }}", "Thai Plain")
    para(doc, "{%p endfor %}")
    heading("{{ themes_heading }}")
    para(doc, "{{ themes_note }}", "Thai Plain")
    para(doc, "{%p if themes %}")
    rows_table(
        doc,
        "t in themes",
        ["{{ t.no }}. {{ t.title }}", "{{ t.problems }}", "{{ t.suggestions }}", "{{ t.laos }}"],
        (Cm(10), Cm(4.5), Cm(4.5), Cm(4.5)),
        grid=True,
        header=[
            "{{ theme_columns.title }}",
            "{{ theme_columns.problems }}",
            "{{ theme_columns.suggestions }}",
            "{{ theme_columns.laos }}",
        ],
        aligns=(None, "center", "center", "center"),
    )
    para(doc, "{%p for t in themes %}")
    heading("{{ t.heading }}")
    para(doc, "{{ t.names }}", "Thai Plain")
    para(doc, "{%p for q in t.quotes %}")
    para(doc, "{{ q }}", "Thai Plain", left_indent=Cm(1))
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    compiler_signature(doc)
    return doc


def district_report_template() -> Document:
    """The summary's table, KPI and the LAOs' problems and suggestions, then the
    district's own comments and recommendations (one paragraph per line), signed."""
    doc = summary_template()
    body = doc.element.body
    signature = [p for p in doc.paragraphs if p.style.name == "Thai Signature"]
    anchor = signature[0]._p  # the sections go before the signature block
    added = []
    added.append(para(doc, "{%p for s in sections %}"))
    heading = para(doc, "", "Thai Plain", space_before=Pt(12), keep_with_next=True)
    heading.add_run("{{ s.title }}").bold = True
    added.append(heading)
    added.append(para(doc, "{%p for text in s.paragraphs %}"))
    added.append(para(doc, "{{ text }}", "Thai Plain", space_before=Pt(4)))
    added.append(para(doc, "{%p endfor %}"))
    added.append(para(doc, "{%p endfor %}"))
    for paragraph in added:
        body.remove(paragraph._p)
        anchor.addprevious(paragraph._p)
    return doc


def certificate_frame(doc) -> None:
    """The PDF certificate's frame (3 pt double, #8a6d1d) as a page border around the
    text, and the text centred on the page."""
    sect_pr = doc.sections[0]._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "text")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "double"), ("w:sz", "24"), ("w:space", "20"), ("w:color", "8A6D1D")):
            el.set(qn(key), value)
        borders.append(el)
    sect_pr.find(qn("w:pgMar")).addnext(borders)
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    sect_pr.find(qn("w:cols")).addnext(align)


def certificate_template() -> Document:
    doc = new_document(landscape=True)
    certificate_frame(doc)
    para(doc, "{{ issuer }}", "Thai Center")
    heading = para(doc, "", "Thai Center", space_before=Pt(6))
    heading_rpr = heading.add_run("{{ heading }}")._r.get_or_add_rPr()
    thai_run_properties(heading_rpr, bold=True, size=80)
    color = OxmlElement("w:color")  # as the PDF's heading (before w:sz, as the schema orders)
    color.set(qn("w:val"), "6B4F0E")
    heading_rpr.find(qn("w:sz")).addprevious(color)
    para(doc, "{{ intro }}", "Thai Center")
    name = para(doc, "", "Thai Center")
    thai_run_properties(name.add_run("{{ name }}")._r.get_or_add_rPr(), bold=True, size=56)
    for key in ("place", "citation", "wish", "date_text"):
        para(doc, "{{ " + key + " }}", "Thai Center")
    para(doc, "", "Thai Center")
    para(doc, "({{ signer_name }})", "Thai Center")
    para(doc, "{{ signer_position }}", "Thai Center")
    return doc


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>Normal.dotm</Template><Application>formsvc</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def thai_package(doc) -> None:
    """What the package says of itself: no python-docx defaults (its description,
    2013 dates, "Microsoft Macintosh Word") and Thai as the theme's language.
    render_docx writes each document's own title, subject, author and date."""
    props = doc.core_properties
    props.author = props.last_modified_by = props.comments = props.keywords = props.category = ""
    props.title = props.subject = ""
    props.revision = 1
    for part in doc.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML.encode("utf-8")
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        for key in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(key), "th-TH")


def save_stable(doc, path: Path) -> None:
    """Save with fixed zip dates, so the same layout gives the same bytes (a template
    changes in git only when its content does)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, src.read(item.filename))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("order", order_template),
        ("operation-plan", operation_plan_template),
        ("minutes", minutes_template),
        ("sign-in-sheet", sign_in_template),
        ("project-list", project_list_template),
        ("plan-projects", plan_projects_template),
        ("report", report_template),
        ("cover-memo", cover_memo_template),
        ("summary", summary_template),
        ("national-summary", national_summary_template),
        ("district-report", district_report_template),
        ("certificate", certificate_template),
    ):
        doc = build()
        thai_package(doc)
        save_stable(doc, OUT / f"{name}.docx")
        print("wrote", (OUT / f"{name}.docx").relative_to(ROOT))


if __name__ == "__main__":
    main()
