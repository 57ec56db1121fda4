"""The LAO's Garuda emblem: an uploaded PNG or SVG, checked to be a real, safe image.

The service ships no emblem. An upload is refused unless it is a PNG that decodes
(Pillow) or an SVG that parses as plain SVG with nothing that could fetch or run:
no DOCTYPE or entities, no scripts, no event attributes, no links outside the file.
SVGs are also drawn once to PNG (CairoSVG, with every URL fetch refused) for the DOCX,
which cannot embed SVG.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from formsvc.domain.errors import InputError

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 4000 * 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "image", "use"}
_HREF = re.compile(r"\{http://www\.w3\.org/1999/xlink\}href|^href$")


class Emblem:
    def __init__(self, mime: str, content: bytes, png: bytes, width: int, height: int):
        self.mime, self.content, self.png, self.width, self.height = mime, content, png, width, height


def _check_shape(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise InputError("ภาพตราใหญ่เกินไป (ไม่เกิน 4,000 × 4,000 จุด)", "emblem")
    if min(width, height) < 16 or max(width, height) > 4 * min(width, height):
        raise InputError("ภาพตราต้องมีขนาดอย่างน้อย 16 จุด และด้านยาวไม่เกิน 4 เท่าของด้านสั้น", "emblem")


def _check_png(data: bytes) -> Emblem:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError("not a PNG")
            width, height = image.size
            _check_shape(width, height)
            image.verify()
    except InputError:
        raise
    except Exception:
        raise InputError("ไฟล์นี้ไม่ใช่ภาพ PNG ที่ถูกต้อง", "emblem") from None
    return Emblem("image/png", data, data, width, height)


_URL = re.compile(r"url\s*\(\s*(['\"]?)\s*([^)'\"\s]*)", re.I)
_EXTERNAL = "ภาพ SVG ต้องไม่อ้างถึงไฟล์หรือเว็บภายนอก"


def _check_css(value: str) -> None:
    """A style or presentation value: only same-file references (url(#id)), no imports,
    no escapes that could spell a URL in disguise."""
    lowered = value.lower()
    if "\\" in value or "@import" in lowered or "expression(" in lowered:
        raise InputError(_EXTERNAL, "emblem")
    for match in _URL.finditer(value):
        if not match.group(2).startswith("#"):
            raise InputError(_EXTERNAL, "emblem")
    if "url" in lowered and not _URL.search(value) and re.search(r"url\W", lowered):
        raise InputError(_EXTERNAL, "emblem")


def _check_svg(data: bytes) -> Emblem:
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise InputError("ไฟล์ SVG ต้องไม่มี DOCTYPE หรือ ENTITY", "emblem")
    body = data[data.index(b"?>") + 2 :] if data.startswith(b"<?xml") and b"?>" in data else data
    if b"<?" in body:
        raise InputError("ไฟล์ SVG ต้องไม่มีคำสั่งประมวลผล (<?...?>)", "emblem")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise InputError("ไฟล์นี้ไม่ใช่ภาพ SVG ที่ถูกต้อง", "emblem") from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise InputError("ไฟล์นี้ไม่ใช่ภาพ SVG ที่ถูกต้อง", "emblem")
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        if tag in _FORBIDDEN_TAGS:
            raise InputError(f"ภาพ SVG ต้องไม่มีแท็ก <{tag}>", "emblem")
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                raise InputError("ภาพ SVG ต้องไม่มีคำสั่งทำงาน (on...)", "emblem")
            if _HREF.search(name) and not value.startswith("#"):
                raise InputError(_EXTERNAL, "emblem")
            _check_css(value)
        if tag == "style":
            _check_css(element.text or "")
    try:
        from cairosvg.surface import PNGSurface

        def refuse(url, resource_type=None):
            raise ValueError("no fetch from an emblem")

        # 354 px = 3 cm at 300 dpi; url_fetcher reaches CairoSVG's parser through **kwargs
        png = PNGSurface.convert(bytestring=data, output_height=354, url_fetcher=refuse, unsafe=False)
    except InputError:
        raise
    except Exception:
        raise InputError("อ่านภาพ SVG นี้ไม่ได้ กรุณาใช้ไฟล์ PNG แทน", "emblem") from None
    checked = _check_png(png)
    return Emblem("image/svg+xml", data, png, checked.width, checked.height)


def check(data: bytes, filename: str = "") -> Emblem:
    """The emblem if ``data`` is an acceptable image; InputError (Thai) otherwise.

    The type is decided by the content, never by the file name.
    """
    if not data:
        raise InputError("กรุณาเลือกไฟล์ภาพตรา", "emblem")
    if len(data) > MAX_BYTES:
        raise InputError("ไฟล์ภาพตราต้องมีขนาดไม่เกิน 1 MB", "emblem")
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return _check_svg(stripped)
    raise InputError("ไฟล์ภาพตราต้องเป็น PNG หรือ SVG", "emblem")
