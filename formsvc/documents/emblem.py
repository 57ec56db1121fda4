"""The LAO's Garuda emblem: an uploaded PNG or SVG, checked to be a real, safe image.

The service ships no emblem. An upload is refused unless it is a PNG that decodes in
full (Pillow) or an SVG that parses as plain SVG with nothing that could fetch or run:
no DOCTYPE or entities, no scripts, no event attributes, no links outside the file.
SVGs are also drawn once to PNG (CairoSVG, with every URL fetch refused) for the DOCX,
which cannot embed SVG.

An image can cost far more to open than its size says, and a clerk's upload must not
hold a web worker:

- a PNG's width and height are checked against :data:`MAX_PIXELS` before any pixel is
  decoded (a hundred KB can declare a gigapixel of one colour), whatever Pillow's own
  process-wide limit is set to; then it is decoded in full (``verify()``, ``load()``) in
  a child process with truncated images refused (WeasyPrint, once imported, tells Pillow
  to accept them, process-wide), so a truncated or corrupt image is refused now, not
  when a document is printed;
- an SVG whose patterns, masks or markers fill each other multiplies the drawing work
  at each level (a 4 KB file of nested patterns kept CairoSVG busy for minutes): before
  drawing, :func:`_check_complexity` counts what would be drawn with every reference
  expanded and refuses more than :data:`MAX_DRAWN`, a reference chain deeper than
  :data:`MAX_REFERENCE_DEPTH`, a reference loop, more than :data:`MAX_ELEMENTS`
  elements or nesting deeper than :data:`MAX_NESTING`;
- what passes is drawn in a child process (:mod:`formsvc.documents.sandbox`) limited
  to :data:`DRAW_CPU_SECONDS` of CPU, :data:`DRAW_MEMORY_BYTES` of memory and
  :data:`DRAW_WALL_SECONDS` in all, for what the count cannot foresee (huge areas,
  dashes, blurs).

Every refusal is an :class:`InputError` with a Thai message, before anything is stored.
"""

from __future__ import annotations

import io
import re
import warnings

from formsvc.documents import sandbox
from formsvc.domain.errors import InputError
from formsvc.domain.messages import msg

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 4000 * 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "image", "use"}
_HREF = re.compile(r"\{http://www\.w3\.org/1999/xlink\}href|^href$")

# An SVG's drawing work, counted before drawing (see _check_complexity). Each element
# drawn counts 1; a reference (url(#id), href="#id") counts what it refers to, again at
# each use; a pattern, mask or filter counts SURFACE_WEIGHT more per use (CairoSVG draws
# each on a surface of its own); a marker counts once per vertex of its path. A complex
# hand-drawn emblem of a few thousand paths counts a few thousand.
MAX_ELEMENTS = 20_000
MAX_NESTING = 50
MAX_DRAWN = 25_000
MAX_REFERENCE_DEPTH = 5
SURFACE_WEIGHT = 3
_SURFACE_TAGS = {"pattern", "mask", "filter"}
# Drawing in the child process: limits a legitimate emblem never nears (it takes well
# under a second), a refusal well within 5 s (the wall clock runs from the child's
# start; the first call in a worker also starts the fork server, a fraction of a second).
DRAW_CPU_SECONDS = 2
DRAW_MEMORY_BYTES = 512 * 1024 * 1024
DRAW_WALL_SECONDS = 3.0
OUTPUT_HEIGHT = 354  # 3 cm at 300 dpi


class Emblem:
    def __init__(self, mime: str, content: bytes, png: bytes, width: int, height: int):
        self.mime, self.content, self.png, self.width, self.height = mime, content, png, width, height


def _too_large() -> InputError:
    return InputError(msg("The emblem image is too large (at most 4,000 × 4,000 pixels)"), "emblem")


def _check_shape(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _too_large()
    if min(width, height) < 16 or max(width, height) > 4 * min(width, height):
        raise InputError(
            msg("The emblem must be at least 16 pixels and its long side at most 4 times its short side"), "emblem"
        )


def _decode_png(data: bytes) -> tuple[int, int]:
    """Every chunk's checksum and every pixel of a PNG; run in a child process, where
    Pillow's process-wide settings can be set for this image alone."""
    from PIL import Image, ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint sets it True when imported
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
        image.verify()
    with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
        image.load()  # a truncated or corrupt pixel stream fails here
        return image.size


def _check_png(data: bytes) -> Emblem:
    from PIL import Image

    not_png = msg("This file is not a valid PNG image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:  # reads the header only
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own limit, above ours
        raise _too_large() from None
    except Exception:
        raise InputError(not_png, "emblem") from None
    _check_shape(width, height)  # ours, whatever Pillow's is set to, before any pixel
    try:
        sandbox.run(
            _decode_png,
            data,
            cpu_seconds=DRAW_CPU_SECONDS,
            memory_bytes=DRAW_MEMORY_BYTES,
            wall_seconds=DRAW_WALL_SECONDS,
            preload=("PIL.PngImagePlugin",),
        )
    except sandbox.LimitExceeded:
        raise InputError(not_png, "emblem") from None
    return Emblem("image/png", data, data, width, height)


_URL = re.compile(r"url\s*\(\s*(['\"]?)\s*([^)'\"\s]*)", re.I)
_EXTERNAL = msg("An SVG image must not refer to files or websites outside it")


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


# Drawing work --------------------------------------------------------------------------

_REFERENCE = re.compile(r"(?:([\w-]+)\s*:\s*)?url\s*\(\s*['\"]?\s*#([^)'\"\s]+)", re.I)
_NUMBER = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")


def _local(name: str) -> str:
    return name.split("}")[-1]


def _vertices(element) -> int:
    """About how many vertices a path, line or polygon has (where markers are drawn)."""
    points = element.get("d") or element.get("points") or ""
    return max(2, len(_NUMBER.findall(points)) // 2 + 1)


def _references(element, everywhere: list[tuple[str, str]]):
    """(property, id) of each same-file reference the element makes, with those that
    a <style> sheet may apply to any element."""
    for name, value in element.attrib.items():
        local = _local(name)
        if _HREF.search(name) and value.startswith("#"):
            yield local, value[1:]
            continue
        for match in _REFERENCE.finditer(value):
            yield (match.group(1) or local).lower(), match.group(2)
    yield from everywhere


def _check_complexity(root) -> None:
    """InputError unless drawing ``root`` stays within the limits (module docstring)."""
    ids: dict[str, object] = {}
    everywhere: list[tuple[str, str]] = []
    count = 0
    stack = [(root, 1)]
    while stack:  # iterative: the nesting depth is not known to be small yet
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            raise InputError(
                msg("The SVG image has too many elements (at most %(max)s)", max=f"{MAX_ELEMENTS:,}"), "emblem"
            )
        if depth > MAX_NESTING:
            raise InputError(
                msg("The SVG image nests elements too deeply (at most %(max)s levels)", max=MAX_NESTING), "emblem"
            )
        if element.get("id"):
            ids.setdefault(element.get("id"), element)
        if _local(element.tag) == "style":
            everywhere += [((m.group(1) or "").lower(), m.group(2)) for m in _REFERENCE.finditer(element.text or "")]
        stack += [(child, depth + 1) for child in element]

    expanded: dict[str, tuple[int, int]] = {}  # id -> (cost of one use, reference depth)
    following: set[str] = set()
    total = [0]

    def spend(amount: int) -> None:
        total[0] += amount
        if total[0] > MAX_DRAWN:
            raise InputError(
                msg(
                    "The SVG image is too complex to draw (at most %(max)s shapes, counting each pattern and "
                    "reference every time it is used); please use a PNG file instead",
                    max=f"{MAX_DRAWN:,}",
                ),
                "emblem",
            )

    def use(ref: str) -> tuple[int, int]:
        if ref in expanded:
            return expanded[ref]
        if ref in following:
            raise InputError(msg("The SVG image refers to itself in a loop"), "emblem")
        following.add(ref)
        target = ids[ref]
        cost, depth = visit(target)
        following.discard(ref)
        if _local(target.tag) in _SURFACE_TAGS:
            cost += SURFACE_WEIGHT
        if depth + 1 > MAX_REFERENCE_DEPTH:
            raise InputError(
                msg(
                    "The SVG image nests patterns or references too deeply (at most %(max)s levels)",
                    max=MAX_REFERENCE_DEPTH,
                ),
                "emblem",
            )
        expanded[ref] = (cost, depth + 1)
        return expanded[ref]

    def visit(element) -> tuple[int, int]:
        """What drawing ``element`` once costs, and its deepest chain of references."""
        cost, depth = 1, 0
        spend(1)
        for prop, ref in _references(element, everywhere):
            if ref not in ids:
                continue
            used, used_depth = use(ref)
            times = _vertices(element) if prop.startswith("marker") else 1
            spend(used * times)
            cost += used * times
            depth = max(depth, used_depth)
        for child in element:
            used, used_depth = visit(child)
            cost += used
            depth = max(depth, used_depth)
        return cost, depth

    visit(root)


def _refuse_fetch(url, resource_type=None):
    raise ValueError("no fetch from an emblem")


def _draw(data: bytes) -> bytes:
    """The SVG drawn to PNG, 3 cm tall at 300 dpi; run in a child process (sandbox)."""
    from cairosvg.surface import PNGSurface

    # url_fetcher reaches CairoSVG's parser through **kwargs
    return PNGSurface.convert(bytestring=data, output_height=OUTPUT_HEIGHT, url_fetcher=_refuse_fetch, unsafe=False)


def _check_svg(data: bytes) -> Emblem:
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    lowered = data.lower()
    doctype = msg("An SVG file must not contain a DOCTYPE or ENTITY")
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise InputError(doctype, "emblem")
    body = data[data.index(b"?>") + 2 :] if data.startswith(b"<?xml") and b"?>" in data else data
    if b"<?" in body:
        raise InputError(msg("An SVG file must not contain processing instructions (<?...?>)"), "emblem")
    not_svg = msg("This file is not a valid SVG image")
    try:
        # defusedxml: no DTD, entity or external reference, whatever the encoding hides
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(doctype, "emblem") from None
    except (SafeET.ParseError, ValueError):  # ValueError: an encoding expat cannot read
        raise InputError(not_svg, "emblem") from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise InputError(not_svg, "emblem")
    for element in root.iter():
        tag = _local(element.tag)
        if tag in _FORBIDDEN_TAGS:
            raise InputError(msg("An SVG image must not contain the tag <%(tag)s>", tag=tag), "emblem")
        for name, value in element.attrib.items():
            if _local(name).lower().startswith("on"):
                raise InputError(msg("An SVG image must not contain event handlers (on...)"), "emblem")
            if _HREF.search(name) and not value.startswith("#"):
                raise InputError(_EXTERNAL, "emblem")
            _check_css(value)
        if tag == "style":
            _check_css(element.text or "")
    _check_complexity(root)
    try:
        png = sandbox.run(
            _draw,
            data,
            cpu_seconds=DRAW_CPU_SECONDS,
            memory_bytes=DRAW_MEMORY_BYTES,
            wall_seconds=DRAW_WALL_SECONDS,
            preload=("cairosvg.surface",),
        )
    except sandbox.LimitExceeded as error:
        if error.reason == "failed":
            raise InputError(msg("This SVG image cannot be read; please use a PNG file instead"), "emblem") from None
        raise InputError(
            msg("Drawing this SVG image takes too long or too much memory; please use a PNG file instead"),
            "emblem",
        ) from None
    checked = _check_png(png)
    return Emblem("image/svg+xml", data, png, checked.width, checked.height)


def check(data: bytes, filename: str = "") -> Emblem:
    """The emblem if ``data`` is an acceptable image; InputError (Thai) otherwise.

    The type is decided by the content, never by the file name.
    """
    if not data:
        raise InputError(msg("Please choose an emblem image file"), "emblem")
    if len(data) > MAX_BYTES:
        raise InputError(msg("The emblem image file must be at most 1 MB"), "emblem")
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return _check_svg(stripped)
    raise InputError(msg("The emblem image must be a PNG or SVG file"), "emblem")
