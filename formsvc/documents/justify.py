"""Thai distributed justification in the PDF (as Word's ``thaiDistribute`` in the DOCX).

WeasyPrint 70 justifies a line by widening its spaces only (``layout.inline.justify_line``).
Thai writes no spaces between words, so a justified Thai line with one or two spaces
opens gaps of a centimetre or more, and a line without any is left ragged. This module
replaces ``justify_line``: a line holding Thai first spreads the extra width between its
letters (Pango letter spacing, at most ``LETTER_MAX_EM`` of the type size per letter, so
that the text layer still reads each word whole: pdftotext breaks words at gaps of a
tenth of an em), then gives what is left to its spaces, as before. Lines without Thai
are justified as WeasyPrint does. Pinned to the WeasyPrint versions of ``pdf_text``.
"""

from __future__ import annotations

import re
import unicodedata

LETTER_MAX_EM = 0.03
_THAI = re.compile("[\u0e00-\u0e7f]")
_applied = False
spaces_only = None  # WeasyPrint's own justify_line, once replaced


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def letters(text: str) -> int:
    """Letters a letter spacing falls after: characters that are neither a space nor a
    mark (Thai vowels and tone marks above and below sit on their letter)."""
    return sum(1 for c in text if not c.isspace() and unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def _measure(context, text, style):
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, style, context, max_width=None, justification_spacing=0)
    first_line, _ = layout.get_first_line()
    width = line_size(first_line, style)[0] if first_line is not None else 0
    return layout, width


def _spread_letters(context, box, spacing: float, x_advance: float) -> float:
    """Give each letter of the line ``spacing`` more room; returns the width added so far
    (the boxes that follow move by it)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if letters(box.text):
            style = box.style.copy()
            style["letter_spacing"] = spacing
            _, before = _measure(context, box.text, box.style)
            layout, after = _measure(context, box.text, style)
            layout.deactivate()
            box.style, box.pango_layout = style, layout
            box.width += after - before
            x_advance += after - before
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        start = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread_letters(context, child, spacing, x_advance)
        box.width += x_advance - start
    else:
        box.translate(x_advance, 0)
    return x_advance


def _make_justify_line(original):
    from weasyprint.layout.inline import add_word_spacing, count_expandable_spaces

    def justify_line(context, line, extra_width):
        texts = list(_text_boxes(line))
        count = sum(letters(b.text) for b in texts)
        if count < 2 or not any(_THAI.search(b.text) for b in texts) or line.style["letter_spacing"] != "normal":
            return original(context, line, extra_width)
        spacing = min(extra_width / count, LETTER_MAX_EM * line.style["font_size"])
        added = _spread_letters(context, line, spacing, 0)
        spaces = count_expandable_spaces(line)
        if spaces and extra_width - added > 0:
            add_word_spacing(context, line, (extra_width - added) / spaces, 0)

    return justify_line


def apply() -> None:
    """Replace WeasyPrint's justify_line (once per process; ``pdf_text.apply`` checks the version)."""
    global _applied
    if _applied:
        return
    from weasyprint.layout import inline

    global spaces_only
    spaces_only = inline.justify_line
    inline.justify_line = _make_justify_line(inline.justify_line)
    _applied = True
