"""Exact PDF text layer for multi-glyph clusters (Thai SARA AM etc.) in WeasyPrint 70.

Problem
-------
WeasyPrint 70 builds one ToUnicode entry per glyph id, first occurrence wins
(weasyprint/draw/text.py, draw_first_line(), ``font.to_unicode[glyph_id] = ...``).
In a cluster of several glyphs, the last glyph gets the whole cluster text and the
others get "".  HarfBuzz decomposes Thai SARA AM (U+0E33) into NIKHAHIT + the
*ordinary* SARA AA glyph (the one used for U+0E32) and merges a preceding tone mark
into that cluster, so the SARA AA glyph turns into "ำ" (or "้ำ") for the whole
document, or a plain "า" is later read back where "ำ" was written.

Fix
---
Glyph ids and positions are left untouched (appearance is identical); only the
*character code* written for a glyph may change.  Every (glyph id, text) pair gets
its own code, so the same code always means the same text:

* code == glyph id for the glyph's own cmap character (for glyphs not in the
  cmap: for the first text seen);
* any other pair gets a spare code >= the font's glyph count.  TrueType fonts
  keep Identity-H and get a CIDToGIDMap stream mapping that CID back to the real
  glyph; CFF fonts get an Encoding CMap (code -> CID = real glyph id), the same
  mechanism WeasyPrint already uses for missing glyphs.

Text attribution (left-to-right runs): Pango clusters are grouped into units, a
cluster that starts with a combining mark (Unicode category M*), SARA AM / LAO AM
or ZWJ/ZWNJ joining the previous unit.  The whole text of a unit goes to its
first glyph (the base, which carries the advance), the unit's other glyphs get "".
So the text layer is exactly the input, and extractors that order characters by
x position (pdftotext) cannot shuffle zero-width marks.  Right-to-left runs keep
WeasyPrint's own split and only get the consistency fix.

Usage:  from formsvc.documents import pdf_text; pdf_text.apply()   (once, before rendering)

WeasyPrint internals this depends on (checked at apply() time; tested on 70.0):
  weasyprint.draw.text.draw_first_line(stream, textbox, text_overflow,
      block_ellipsis, matrix)                          -- wrapped
  textbox.pango_layout.get_first_line() -> (PangoLayoutLine*, index)
  weasyprint.pdf.stream.Stream.add_font(pango_font) -> (Font, font_size),
      Stream.ink_rect / Stream.logical_rect
  weasyprint.pdf.fonts.Font: .to_unicode, .widths, .missing, .glyph_count,
      .bitmap, .svg, .png, .colr, .file_content, .index, .type, .family,
      .used_in_forms, .get_unused_glyph_id() (replaced), .subset() (wrapped)
  weasyprint.pdf.fonts.build_fonts_dictionary (wrapped, also re-bound in
      weasyprint.pdf), weasyprint.pdf.fonts._build_vector_font_dictionary
      (wrapped: afterwards sets the CIDFont's CIDToGIDMap (TrueType) or replaces
      font_dictionary['Encoding'] (CFF), and in full-font mode appends to the
      ToUnicode stream found through font_dictionary['ToUnicode']/pdf.objects)
  pango structs via weasyprint.text.ffi: PangoLayoutLine.runs,
      PangoGlyphItem.glyphs/.item (offset, length, analysis.font/.level),
      PangoGlyphString.num_glyphs/.log_clusters/.glyphs[i].glyph (rewritten)
"""

import contextvars
import io
import logging
import struct
from hashlib import md5
from unicodedata import category

__all__ = ["apply", "TESTED_VERSIONS"]

TESTED_VERSIONS = ("70.0",)
LOGGER = logging.getLogger("formsvc.documents.pdf_text")
_ATTR = "_tpt_codes"  # per-Font table attribute
_subset_var = contextvars.ContextVar("tpt_subset", default=True)
_applied = False


class _Codes:
    """Per-Font table of character codes: (glyph id, text) -> code."""

    __slots__ = ("rev", "by_pair", "virtual")

    def __init__(self, font):
        self.rev = _reverse_cmap(font)  # glyph id -> canonical character
        self.by_pair = {}  # (gid, text) -> code
        self.virtual = {}  # extra code -> real glyph id


_rev_cache = {}  # (md5 of font file, face index) -> reverse cmap


def _reverse_cmap(font):
    """Glyph id -> lowest code point mapped to it (same rule as WeasyPrint's
    full-font ToUnicode in build_fonts_dictionary)."""
    from fontTools.ttLib import TTFont

    key = (md5(font.file_content, usedforsecurity=False).digest(), font.index)
    rev = _rev_cache.get(key)
    if rev is not None:
        return rev
    rev = {}
    try:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        cmap = ttfont.getBestCmap() or {}
        for codepoint in sorted(cmap):
            gid = ttfont.getGlyphID(cmap[codepoint])
            rev.setdefault(gid, chr(codepoint))
    except Exception:  # unreadable cmap: fall back to "first text wins"
        LOGGER.debug("No cmap for %s", getattr(font, "family", "?"), exc_info=True)
    if len(_rev_cache) > 64:
        _rev_cache.clear()
    _rev_cache[key] = rev
    return rev


def _table(font):
    table = getattr(font, _ATTR, None)
    if table is None:
        table = _Codes(font)
        setattr(font, _ATTR, table)
    return table


def _code_for(font, table, gid, text):
    """Return the character code to write for glyph ``gid`` standing for ``text``."""
    code = table.by_pair.get((gid, text))
    if code is not None:
        return code
    canonical = table.rev.get(gid)
    if canonical is not None:
        use_gid = text == canonical
    else:
        use_gid = font.to_unicode.get(gid, text) == text
    if use_gid:
        font.to_unicode[gid] = text
        code = gid
    else:
        code = font.glyph_count + len(font.missing) + len(table.virtual)
        if code > 0xFFFF:  # no spare 2-byte codes: WeasyPrint's behaviour
            font.to_unicode.setdefault(gid, text)
            return gid
        table.virtual[code] = gid
        font.to_unicode[code] = text
    table.by_pair[(gid, text)] = code
    return code


_JOINERS = frozenset("\u0e33\u0eb3\u200c\u200d")  # SARA AM, LAO AM, ZWNJ, ZWJ
_attaches_cache = {}


def _attaches(utf8, position):
    """True if the character at byte ``position`` belongs to the grapheme before
    it (combining mark, Thai/Lao SARA AM, ZWJ/ZWNJ)."""
    lead = utf8[position]
    size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    key = utf8[position : position + size]
    result = _attaches_cache.get(key)
    if result is None:
        char = key.decode("utf-8", "replace")[:1]
        result = _attaches_cache[key] = char in _JOINERS or category(char)[0] == "M"
    return result


_AM_BYTES = tuple(char.encode() for char in "\u0e33\u0eb3")  # SARA AM, LAO AM


def _unit_texts(glyphs, text):
    """(glyph index, text) for one unit: a base letter with its marks.

    The unit's text goes to its first glyph (the base, which carries the advance),
    so extractors that order characters by position cannot shuffle zero-width marks.
    A decomposed SARA AM is the exception: its text, from the AM on, goes to the
    unit's last glyph, the spacing SARA AA part, so no gap (read as a space) opens
    between the base letter's text and the next letter.
    """
    first, last = glyphs[0], glyphs[-1]
    texts = [(k, b"") for k in glyphs[1:-1]]
    if last != first:
        cut = min((i for i in (text.find(am) for am in _AM_BYTES) if i > 0), default=-1)
        if cut > 0:
            return [(first, text[:cut]), *texts, (last, text[cut:])]
        return [(first, text), *texts, (last, b"")]
    return [(first, text)]


def _remap_line(stream, textbox, line):
    """Give every glyph of ``line`` a code whose ToUnicode is its own text."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    utf8 = textbox.pango_layout.text.encode()
    run = line.runs[0] if line.runs != ffi.NULL else ffi.NULL
    previous_pango_font = table = None
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]
            unsupported = font.bitmap or font.svg or font.png or font.colr
            table = None if unsupported else _table(font)
        if table is None:
            continue

        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        if not count:
            continue
        infos = glyph_string.glyphs
        clusters = ffi.unpack(glyph_string.log_clusters, count)
        offset = glyph_item.item.offset
        length = glyph_item.item.length
        virtual = table.virtual

        # Real glyph ids (None for empty/unknown glyphs, left to WeasyPrint);
        # translating extra codes back makes this function idempotent.
        gids = []
        for i in range(count):
            glyph = infos[i].glyph
            if glyph == empty or glyph & unknown:
                gids.append(None)
            else:
                gids.append(virtual.get(glyph, glyph))

        # (glyph index, text) pairs.
        texts = []
        if glyph_item.item.analysis.level % 2:
            # Right-to-left: keep WeasyPrint's own split, only make it consistent.
            for k in range(count):
                if gids[k] is not None:
                    t2 = length if k == 0 else clusters[k - 1]
                    texts.append((k, utf8[offset + clusters[k] : offset + t2]))
        else:
            # Units = Pango clusters, a cluster starting with a combining mark or
            # SARA AM being merged into the previous one.  A unit's whole text
            # goes to its first glyph, its other glyphs get "".
            unit_start, unit_glyphs = None, []
            for k in range(count + 1):
                if k == count:
                    boundary, start = True, length
                else:
                    start = clusters[k]
                    if k and start == clusters[k - 1]:
                        boundary = False  # same Pango cluster
                    elif unit_start is None:
                        boundary = True
                    else:
                        boundary = not _attaches(utf8, offset + start)
                if boundary:
                    if unit_glyphs:
                        texts.extend(_unit_texts(unit_glyphs, utf8[offset + unit_start : offset + start]))
                    unit_start, unit_glyphs = start, []
                if k < count and gids[k] is not None:
                    unit_glyphs.append(k)

        for k, text in texts:
            gid = gids[k]
            code = _code_for(font, table, gid, text.decode())
            if code != gid:
                if gid not in font.widths:
                    pango.pango_font_get_glyph_extents(pango_font, gid, stream.ink_rect, stream.logical_rect)
                    font.widths[gid] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
                font.widths[code] = font.widths[gid]
            if infos[k].glyph != code:
                infos[k].glyph = code


def _make_draw_first_line(original):
    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        layout = textbox.pango_layout
        original_get_first_line = layout.get_first_line

        def get_first_line():
            line, index = original_get_first_line()
            try:
                _remap_line(stream, textbox, line)
            except Exception:  # never break rendering because of the text layer
                LOGGER.warning("pdf_text: remapping failed", exc_info=True)
            return line, index

        layout.get_first_line = get_first_line
        try:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            del layout.get_first_line

    draw_first_line.__wrapped__ = original
    return draw_first_line


def _get_unused_glyph_id(self, codepoint):
    """Font.get_unused_glyph_id, also skipping this module's extra codes."""
    if codepoint not in self.missing:
        table = getattr(self, _ATTR, None)
        next_id = self.glyph_count + len(self.missing) + (len(table.virtual) if table else 0)
        if next_id > 2**16 - 1:
            LOGGER.warning('Too many glyphs missing from "%s", expect text selection problems', self.family)
            next_id = 2**16 - 1
        self.missing[codepoint] = next_id
    return self.missing[codepoint]


def _make_subset(original):
    def subset(self, to_unicode, hinting):
        table = getattr(self, _ATTR, None)
        if table and table.virtual and to_unicode:
            to_unicode = {table.virtual.get(code, code): text for code, text in to_unicode.items()}
        return original(self, to_unicode, hinting)

    subset.__wrapped__ = original
    return subset


def _make_build_fonts_dictionary(original):
    def build_fonts_dictionary(pdf, fonts, compress, subset, options):
        token = _subset_var.set(subset)
        try:
            return original(pdf, fonts, compress, subset, options)
        finally:
            _subset_var.reset(token)

    build_fonts_dictionary.__wrapped__ = original
    return build_fonts_dictionary


def _cmap_stream(entries_block, pydyf, compress, extra):
    return pydyf.Stream(
        [
            b"/CIDInit /ProcSet findresource begin",
            b"12 dict begin",
            b"begincmap",
            b"/CIDSystemInfo",
            b"3 dict dup begin",
            b"/Registry (Adobe) def",
            b"/Ordering (Identity) def",
            b"/Supplement 0 def",
            b"end def",
            b"/CMapName /WP-Encod-0 def",
            b"/CMapType 1 def",
            b"1 begincodespacerange",
            b"<0000> <ffff>",
            b"endcodespacerange",
            *entries_block,
            b"endcmap",
            b"CMapName currentdict /CMap defineresource pop",
            b"end",
            b"end",
        ],
        extra,
        compress=compress,
    )


def _identity_gid_map(count):
    """CIDToGIDMap bytes for CIDs 0..count-1 mapped to themselves."""
    return struct.pack(f">{count}H", *range(count))


def _make_build_vector(original):
    def _build_vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
        import pydyf

        table = getattr(font, _ATTR, None)
        if not table or not table.virtual:
            return original(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
        virtual = table.virtual
        if font.type == "ttf":
            # TrueType: keep Identity-H (best supported by text extractors) and
            # map the extra CIDs to their glyphs with a CIDToGIDMap stream.
            # W is indexed by CID: give each extra CID its glyph's width (in
            # full-font mode ``widths`` comes from the font, not font.widths).
            widths = dict(widths)
            for code, gid in virtual.items():
                if gid in widths:
                    widths[code] = widths[gid]
            result = original(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
            descendant = font_dictionary["DescendantFonts"][0]
            subfont = pdf.objects[int(descendant.split()[0])]
            gid_map = bytearray(_identity_gid_map(font.glyph_count))
            gid_map.extend(bytes(2 * (max(virtual) + 1 - font.glyph_count)))
            for code, gid in virtual.items():
                gid_map[2 * code : 2 * code + 2] = gid.to_bytes(2, "big")
            gid_stream = pydyf.Stream([bytes(gid_map)], compress=compress)
            pdf.add_object(gid_stream)
            subfont["CIDToGIDMap"] = gid_stream.reference
        else:
            # CFF: no CIDToGIDMap; use an Encoding CMap (code -> CID = glyph id)
            # instead.  W and CIDSet are indexed by CID: drop the extra codes.
            widths = {k: v for k, v in widths.items() if k not in virtual}
            saved_widths = font.widths
            font.widths = {k: v for k, v in saved_widths.items() if k not in virtual}
            try:
                result = original(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
            finally:
                font.widths = saved_widths
            block = [b"1 begincidrange", f"<0000> <{font.glyph_count - 1:04x}> 0".encode(), b"endcidrange"]
            pairs = [(code, 0) for code in font.missing.values()]
            pairs += sorted(virtual.items())
            for i in range(0, len(pairs), 100):
                chunk = pairs[i : i + 100]
                block.append(f"{len(chunk)} begincidchar".encode())
                block.extend(f"<{code:04x}> {cid}".encode() for code, cid in chunk)
                block.append(b"endcidchar")
            encoding = _cmap_stream(
                block,
                pydyf,
                compress,
                pydyf.Dictionary(
                    {
                        "Type": "/CMap",
                        "CMapName": "/WP-Encod-0",
                        "CIDSystemInfo": pydyf.Dictionary(
                            {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
                        ),
                    }
                ),
            )
            pdf.add_object(encoding)
            font_dictionary["Encoding"] = encoding.reference

        # Full-font mode: WeasyPrint wrote ToUnicode from the cmap only; add the
        # codes the cmap does not cover (extra codes, unmapped glyphs).
        if not _subset_var.get() or font.used_in_forms:
            extra = [
                (code, text)
                for code, text in font.to_unicode.items()
                if code >= font.glyph_count or code not in table.rev
            ]
            to_unicode_ref = font_dictionary["ToUnicode"]
            number = int(to_unicode_ref.split()[0])
            stream = pdf.objects[number].stream
            at = stream.index(b"endcmap")
            block = []
            for i in range(0, len(extra), 100):
                chunk = extra[i : i + 100]
                block.append(f"{len(chunk)} beginbfchar".encode())
                block.extend(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, text in chunk)
                block.append(b"endbfchar")
            stream[at:at] = block
        return result

    _build_vector_font_dictionary.__wrapped__ = original
    return _build_vector_font_dictionary


def apply(force=False):
    """Install the fix (idempotent). Call once before rendering."""
    global _applied
    if _applied:
        return
    import weasyprint
    import weasyprint.pdf as wpdf
    from weasyprint.draw import text as draw_text_module
    from weasyprint.pdf import fonts as fonts_module

    if weasyprint.__version__ not in TESTED_VERSIONS and not force:
        raise RuntimeError(
            f"formsvc.documents.pdf_text was tested with WeasyPrint {TESTED_VERSIONS}, found "
            f"{weasyprint.__version__}; re-test and call apply(force=True)"
        )
    for module, name in (
        (draw_text_module, "draw_first_line"),
        (fonts_module, "build_fonts_dictionary"),
        (fonts_module, "_build_vector_font_dictionary"),
        (wpdf, "build_fonts_dictionary"),
    ):
        if not hasattr(module, name):
            raise RuntimeError(f"WeasyPrint internals changed: {module.__name__}.{name}")
    for name in ("get_unused_glyph_id", "subset"):
        if not hasattr(fonts_module.Font, name):
            raise RuntimeError(f"WeasyPrint internals changed: Font.{name}")

    draw_text_module.draw_first_line = _make_draw_first_line(draw_text_module.draw_first_line)
    new_build = _make_build_fonts_dictionary(fonts_module.build_fonts_dictionary)
    fonts_module.build_fonts_dictionary = new_build
    wpdf.build_fonts_dictionary = new_build
    fonts_module._build_vector_font_dictionary = _make_build_vector(fonts_module._build_vector_font_dictionary)
    fonts_module.Font.get_unused_glyph_id = _get_unused_glyph_id
    fonts_module.Font.subset = _make_subset(fonts_module.Font.subset)
    _applied = True
