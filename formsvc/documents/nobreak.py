"""No line break inside a phrase of a PDF, without a box of its own.

A name, a place, "พ.ศ. ๒๕๖๙" or "๔๑ คน" must never be split over two lines (engine:
``_nobreak_pattern``). A ``<span style="white-space: nowrap">`` does it, but WeasyPrint
lays out every inline box of a line again for each line and each box boundary asks
Pango for break opportunities again: on the national data set the spans took a third of
a report PDF's CPU (229 → 151 ms without them), after the ``<wbr>`` on each side had
already become zero-width spaces (385 → 229 ms).

So a short phrase is written as plain text between two WORD JOINERs (U+2060), and this
module gives Pango, for each such range, the attribute that forbids a line break inside
it (``pango_attr_allow_breaks_new(FALSE)``, Pango 1.44+). Pango honours it inside Thai
too, where libthai's dictionary breaks would ignore the joiners themselves. The joiners
are default-ignorable: they draw nothing and the text layer leaves them out, as it
leaves out the zero-width spaces that keep a break opportunity on each side of the
phrase. Lines come out as with the spans (tests/test_document_words.py).

Pinned to WeasyPrint's ``text.line_break.Layout.set_text`` (70.0, checked by
``pdf_text.apply``): each Layout's text is set through it, for layout, for measuring
and for drawing.
"""

from __future__ import annotations

JOINER = "\u2060"  # marks a phrase's start and end; text from users never holds it (domain.text)
ZWSP = "\u200b"  # a break opportunity beside the phrase, next to Thai letters too
_JOINER_BYTES = JOINER.encode()
_TEXT_END = 0xFFFFFFFF  # PANGO_ATTR_INDEX_TO_TEXT_END
_applied = False


def phrase(html_text: str) -> str:
    """The phrase (already escaped for HTML) kept on one line, breakable on each side."""
    return f"{ZWSP}{JOINER}{html_text}{JOINER}{ZWSP}"


def ranges(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges [start, end) of the marked phrases of a layout's UTF-8 text, joiners
    included. WeasyPrint may lay out only the first part of a text: a phrase whose end
    was cut off runs to the end."""
    marks, at = [], data.find(_JOINER_BYTES)
    while at != -1:
        marks.append(at)
        at = data.find(_JOINER_BYTES, at + 1)
    if len(marks) % 2:
        marks.append(len(data) - len(_JOINER_BYTES))
    return [(marks[i], marks[i + 1] + len(_JOINER_BYTES)) for i in range(0, len(marks), 2)]


def _make_set_text(original):
    from weasyprint.text.ffi import ffi, pango

    def set_text(self, text, justify=False):
        original(self, text, justify)
        if JOINER not in self.text:
            return
        attrs = pango.pango_layout_get_attributes(self.layout)
        if attrs == ffi.NULL:
            attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        # breaks allowed everywhere first (a text set before on this layout may have
        # had its phrases elsewhere), then forbidden inside each phrase
        spans = [(0, _TEXT_END, True)] + [(start, end, False) for start, end in ranges(self.text.encode())]
        for start, end, allowed in spans:
            attr = pango.pango_attr_allow_breaks_new(allowed)
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attrs, attr)
        pango.pango_layout_set_attributes(self.layout, attrs)

    return set_text


def apply() -> None:
    """Install the range attribute (once per process, after ``pdf_text.apply``)."""
    global _applied
    if _applied:
        return
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, pango

    try:
        pango.pango_attr_allow_breaks_new  # noqa: B018 (declared by a newer WeasyPrint?)
    except AttributeError:
        ffi.cdef("PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);")
    if not hasattr(line_break.Layout, "set_text"):
        raise RuntimeError("WeasyPrint internals changed: text.line_break.Layout.set_text")
    line_break.Layout.set_text = _make_set_text(line_break.Layout.set_text)
    _applied = True
