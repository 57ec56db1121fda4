"""Reading documents back as a reader would: PDF text, page count, DOCX text."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile

import docx

SPACE = re.compile(r"\s+")


def pdf_text(pdf: bytes, *flags: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        return subprocess.run(["pdftotext", *flags, fh.name, "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_images(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdfimages", "-list", fh.name], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[2:]


def flat(text: str) -> str:
    return SPACE.sub("", text)


def docx_blocks(content: bytes) -> list[str]:
    """Paragraph and table-cell texts in document order."""
    document = docx.Document(io.BytesIO(content))
    body = document.element.body
    texts = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append(docx.text.paragraph.Paragraph(child, document).text)
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    texts.append(cell.text)
    return texts


def docx_xml(content: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return zf.read(part).decode("utf-8")


def without_page_numbers(text: str) -> str:
    """PDF text less the '- 2 -' page numbers at the top of pages 2 and on (the DOCX
    numbers its pages with a header field, which is not body text)."""
    return re.sub(r"^- [๐-๙0-9]+ -$", "", text, flags=re.M)


def once(flat_text: str, header: str) -> str:
    """Flattened PDF text with a table header that repeats on each page kept only once
    (Word repeats it too, but it is one row of the document)."""
    header = flat(header)
    first = flat_text.find(header)
    if first < 0:
        return flat_text
    cut = first + len(header)
    return flat_text[:cut] + flat_text[cut:].replace(header, "")
