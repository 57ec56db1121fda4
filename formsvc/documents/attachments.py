"""Photos and PDF scans people attach to an LAO's records: checked, cleaned, made safe.

A photo (JPEG, PNG or WebP) is never stored as it was sent. Its header is read first
and its width × height checked against :data:`MAX_PIXELS` before any pixel is decoded
(a few hundred KB can declare a gigapixel of one colour), whatever Pillow's own
process-wide limit is. It is then decoded in a child process
(:mod:`formsvc.documents.sandbox`, limited in CPU, memory and wall-clock time), with
truncated images refused; turned upright as its EXIF orientation says
(``ImageOps.exif_transpose``), made at most :data:`MAX_SIDE` pixels on its long side
and encoded again, in the same format, with no metadata at all: the EXIF block (the
camera, the time and the GPS position of the place it was taken), XMP, comments and
text chunks are gone. A JPEG is decoded at a reduced scale when it is larger than that
(``draft``). A thumbnail (:data:`THUMB_SIDE`) is made at the same time.

A PDF is kept as it was sent (it is evidence: a signed sign-in sheet, signed minutes),
so it is only checked, in a child process too: it must begin with ``%PDF-``, end with
``%%EOF``, open with pypdf, not be encrypted, have at most :data:`MAX_PAGES` pages and
carry no JavaScript, launch actions or embedded files. The service never draws it: it
is downloaded as a file, never shown inline.

Either kind is refused when its content is not what its name says (a ``.png`` that is
a JPEG, a ``.jpg`` that is a PDF) or when it is also something else (a photo that holds
a PDF or an HTML page: a polyglot). Every refusal is an :class:`InputError` with a Thai
message, raised before anything is stored; the limits keep a refusal well under 5 s.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from formsvc.documents import sandbox
from formsvc.domain.errors import InputError
from formsvc.domain.messages import msg

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48-megapixel phone camera; a bomb declares far more
MAX_SIDE = 3000  # what is kept of a photo: enough to read a sign-in sheet
THUMB_SIDE = 320
MAX_PAGES = 100
NAME_MAX = 120
JPEG_QUALITY = 85
# decoding in the child process: limits a real photo never nears
DECODE_CPU_SECONDS = 3
DECODE_MEMORY_BYTES = 1024 * 1024 * 1024
DECODE_WALL_SECONDS = 4.0

PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
EXTENSIONS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jfif": "JPEG",
    ".png": "PNG",
    ".webp": "WEBP",
    ".pdf": "PDF",
}
# what marks a file that is also a PDF or a web page (a polyglot)
_POLYGLOT = re.compile(rb"%PDF-|<\s*(?:html|script|svg|iframe|body)\b", re.IGNORECASE)
_MARKUP = re.compile(rb"<\s*(?:html|script|svg|iframe|body)\b", re.IGNORECASE)
# what a PDF that runs something says of itself (uncompressed; pypdf looks again after)
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Prepared:
    """What is stored: the cleaned bytes, their SHA-256, and for a photo its thumbnail."""

    kind: str  # "photo" or "pdf"
    mime: str
    file_name: str
    content: bytes
    sha256: str
    thumb: bytes | None
    thumb_sha256: str | None
    width: int | None
    height: int | None
    pages: int | None


def _field_error(message) -> InputError:
    return InputError(message, "file")


def _not_allowed() -> InputError:
    return _field_error(msg("Attach a photo (JPEG, PNG or WebP) or a scan as PDF; other files cannot be attached."))


def _too_big() -> InputError:
    return _field_error(msg("The file is larger than 10 MB; attach a smaller file."))


def _damaged(kind: str) -> InputError:
    if kind == "PDF":
        return _field_error(msg("This PDF file is damaged or unreadable; scan it again or save it anew as PDF."))
    return _field_error(msg("This image is damaged or unreadable (a truncated or broken file); attach it again."))


def _mismatch() -> InputError:
    return _field_error(
        msg("The file's content does not match its name (a file renamed to another type); attach the original file.")
    )


def clean_name(name: str) -> str:
    """The name a person gave the file, safe to show and to send back: no folders, no
    control characters, at most :data:`NAME_MAX` characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C" and c not in '"<>|*?:').strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem[: NAME_MAX - len(ext) - 1].strip() or "file"
    return f"{stem}.{ext}" if ext else stem


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"%PDF-"):
        return "PDF"
    return None


def prepare(file_name: str, data: bytes) -> Prepared:
    """The file checked and cleaned for storing (see the module's notes), or InputError."""
    if not data:
        raise _field_error(msg("Choose a file to attach."))
    if len(data) > MAX_BYTES:
        raise _too_big()
    name = clean_name(file_name)
    stem, dot, ext = name.rpartition(".")
    claimed = EXTENSIONS.get(f".{ext.lower()}") if dot else None
    actual = _sniff(data)
    if claimed is None:
        raise _not_allowed()
    if actual is None:
        raise _mismatch()
    if claimed != actual:
        raise _mismatch()
    if actual == "PDF":
        return _prepare_pdf(name, data)
    return _prepare_photo(stem, actual, data)


# Photos -------------------------------------------------------------------------------


def _too_many_pixels() -> InputError:
    return _field_error(
        msg("The image is too large (at most %(max)s million pixels); attach a smaller photo.", max=MAX_PIXELS // 10**6)
    )


def _header_size(data: bytes, fmt: str) -> tuple[int, int]:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:  # reads the header only
                return image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own limit, above ours
        raise _too_many_pixels() from None
    except Exception:
        raise _damaged(fmt) from None


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.info = {}  # nothing of the original's metadata is written again
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif fmt == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=False)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=JPEG_QUALITY)
    return out.getvalue()


def _reencode(data: bytes, fmt: str) -> tuple[bytes, bytes, int, int]:
    """Decode every pixel of the photo, turn it upright and encode it again without
    metadata, with its thumbnail; run in a child process, where Pillow's process-wide
    settings can be set for this image alone."""
    from PIL import Image, ImageFile, ImageOps

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint sets it True when imported
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        if fmt == "JPEG" and max(image.size) > MAX_SIDE:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decoded at 1/2, 1/4 or 1/8 of its size
        image.load()  # a truncated or corrupt pixel stream fails here
        upright = ImageOps.exif_transpose(image)  # a copy, turned as the EXIF orientation said
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    content = _encode(upright.copy(), fmt)
    thumb = upright.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return content, _encode(thumb, fmt), *upright.size


def _prepare_photo(stem: str, fmt: str, data: bytes) -> Prepared:
    if _POLYGLOT.search(data):
        raise _mismatch()
    width, height = _header_size(data, fmt)
    if width * height > MAX_PIXELS:  # ours, whatever Pillow's is set to, before any pixel
        raise _too_many_pixels()
    try:
        content, thumb, width, height = sandbox.run(
            _reencode,
            data,
            fmt,
            cpu_seconds=DECODE_CPU_SECONDS,
            memory_bytes=DECODE_MEMORY_BYTES,
            wall_seconds=DECODE_WALL_SECONDS,
            preload=("PIL.Image", "PIL.ImageOps", "PIL.JpegImagePlugin", "PIL.PngImagePlugin", "PIL.WebPImagePlugin"),
        )
    except sandbox.LimitExceeded as error:
        if error.reason in ("cpu", "memory", "time") or "DecompressionBomb" in error.detail:
            raise _too_many_pixels() from None
        raise _damaged(fmt) from None
    mime, ext = PHOTO_FORMATS[fmt]
    return Prepared(
        kind="photo",
        mime=mime,
        file_name=clean_name(stem + ext),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        thumb=thumb,
        thumb_sha256=hashlib.sha256(thumb).hexdigest(),
        width=width,
        height=height,
        pages=None,
    )


# PDFs ---------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> tuple[str, int]:
    """("ok", pages), ("encrypted", 0) or ("active", 0): pypdf opens the file and reads
    every page's dictionary; run in a child process."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return "encrypted", 0
    count = len(reader.pages)
    if count > MAX_PAGES:
        return "pages", count
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if "/OpenAction" in root or "/AA" in root or (names is not None and "/JavaScript" in names.get_object()):
        return "active", 0
    if names is not None and "/EmbeddedFiles" in names.get_object():
        return "active", 0
    for page in reader.pages:
        page.mediabox  # noqa: B018 (reading each page: a broken page tree fails here)
        if "/AA" in page:
            return "active", 0
    return "ok", count


def _prepare_pdf(name: str, data: bytes) -> Prepared:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise _damaged("PDF")
    if _MARKUP.search(data):
        raise _mismatch()
    if _PDF_ACTIVE.search(data):
        raise _field_error(msg("This PDF contains scripts, actions or embedded files; attach a plain scan."))
    try:
        verdict, pages = sandbox.run(
            _check_pdf,
            data,
            cpu_seconds=DECODE_CPU_SECONDS,
            memory_bytes=DECODE_MEMORY_BYTES,
            wall_seconds=DECODE_WALL_SECONDS,
            preload=("pypdf",),
        )
    except sandbox.LimitExceeded:
        raise _damaged("PDF") from None
    if verdict == "encrypted":
        raise _field_error(msg("This PDF is password-protected or encrypted; attach an unprotected scan."))
    if verdict == "pages":
        raise _field_error(msg("The PDF has more than %(max)s pages; attach a shorter scan.", max=MAX_PAGES))
    if verdict == "active":
        raise _field_error(msg("This PDF contains scripts, actions or embedded files; attach a plain scan."))
    if pages < 1:
        raise _damaged("PDF")
    stem = name.rpartition(".")[0]
    return Prepared(
        kind="pdf",
        mime="application/pdf",
        file_name=clean_name(stem + ".pdf"),
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        thumb=None,
        thumb_sha256=None,
        width=None,
        height=None,
        pages=pages,
    )
