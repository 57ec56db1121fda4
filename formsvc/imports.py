"""Project lists from the clerk's own spreadsheet: CSV or XLSX in, checked rows out;
and the same columns out again (export), safe to open in a spreadsheet.

Columns (docs/domain.md, "Project import and the compliance JSON"), Thai or English
header names, in any order; extra columns are ignored with a notice. A file is refused
whole when any row is wrong: the errors name the file, the row and the column, as
messages (``Said``: Thai text for the CLI, the reader's language on the page).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.parsers import expat

from formsvc.domain import text as text_policy
from formsvc.domain import thai
from formsvc.domain.errors import InputError
from formsvc.domain.messages import Joined, Msg, Said, msg, said
from formsvc.domain.model import PLAN_YEARS
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store.laos import villages as lao_villages

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_ZIP_MEMBERS = 200
MAX_COLUMNS = 60
HEADER_SEARCH = 5  # the header row may sit under a few title lines
MAX_UNZIPPED = 60 * 1024 * 1024
# what a workbook may hold before openpyxl opens it (``_inspect_xlsx``): well above a
# 5,000-row list (its 21 columns are 105,000 cells and at most about 15,000 different
# texts; our own export of 5,000 rows inflates 21 times), well below what keeps a
# worker busy for long: openpyxl reads shared strings at some 20,000 a second and cells
# at some 100,000 a second on a busy machine (bench/lists.py)
MAX_RATIO = 100  # a part over RATIO_FROM bytes that inflates more than this is a bomb
RATIO_FROM = 1024 * 1024
MAX_CELLS = 200_000
MAX_SHARED_STRINGS = 50_000
MAX_XML_ELEMENTS = 1_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
SPREADSHEET_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")

# key, Thai header, English header, required
COLUMNS = (
    ("rank", "ลำดับความสำคัญ", "priority", True),
    ("name", "ชื่อโครงการ", "name", True),
    ("dimension", "มิติการพัฒนา", "dimension", True),
    ("village", "หมู่ที่", "village", False),
    ("within_authority", "อยู่ในอำนาจหน้าที่", "within_authority", True),
    ("in_development_plan", "บรรจุในแผนพัฒนาท้องถิ่น", "in_development_plan", True),
    ("in_budget_draft", "บรรจุในร่างข้อบัญญัติ", "in_budget_draft", True),
    ("budget", "งบประมาณ", "budget_baht", False),
    ("plan_reference", "อ้างอิงแผน", "plan_reference", False),
    # the development plan's project form (แบบ ผ.02), all optional: a file without them
    # (as every file before them) gives projects without plan details
    ("strategy", "ยุทธศาสตร์", "strategy", False),
    ("plan_area", "แผนงาน", "plan_area", False),
    ("objective", "วัตถุประสงค์", "objective", False),
    ("target", "เป้าหมาย (ผลผลิตของโครงการ)", "target", False),
    *((f"plan_budget_{n}", f"งบประมาณปีที่ {n}", f"plan_budget_{n}", False) for n in range(1, PLAN_YEARS + 1)),
    ("kpi", "ตัวชี้วัด (KPI)", "kpi", False),
    ("expected_result", "ผลลัพธ์ที่คาดว่าจะได้รับ", "expected_result", False),
    ("responsible_unit", "หน่วยงานรับผิดชอบหลัก", "responsible_unit", False),
)
KEYS = [key for key, *_ in COLUMNS]
PLAN_COLUMNS = tuple(KEYS[KEYS.index("strategy") :])
PLAN_BUDGET_COLUMNS = tuple(f"plan_budget_{n}" for n in range(1, PLAN_YEARS + 1))
MULTILINE = ("objective", "target", "kpi", "expected_result")
# other names a clerk's own sheet may give a column
ALIASES = {"เป้าหมาย": "target", "ตัวชี้วัด": "kpi", "kpi": "kpi", "หน่วยงานรับผิดชอบ": "responsible_unit"}
# a plan year's budget column, also as our export names it with its year: งบประมาณปีที่ 1 (2566)
_PLAN_BUDGET_HEADER = re.compile(r"^(?:งบประมาณ\s*ปีที่|plan_budget_?)\s*([1-5])(?:\s*\(\s*\d{4}\s*\))?$")
HEADER_TH = {key: th for key, th, _, _ in COLUMNS}
# the columns as messages name them: in Thai the Thai header above
COLUMN_LABELS = {
    "rank": msg("Priority"),
    "name": msg("Project name"),
    "dimension": msg("Development dimension"),
    "village": msg("Village No."),
    "within_authority": msg("Within powers"),
    "in_development_plan": msg("In the local development plan"),
    "in_budget_draft": msg("In the draft budget ordinance"),
    "budget": msg("Budget amount"),
    "plan_reference": msg("Plan reference"),
    "strategy": msg("Strategy"),
    "plan_area": msg("Plan area"),
    "objective": msg("Objective"),
    "target": msg("Target (the project's output)"),
    "kpi": msg("Indicator (KPI)"),
    "expected_result": msg("Expected result"),
    "responsible_unit": msg("Unit mainly responsible"),
    **{f"plan_budget_{n}": msg("Plan budget, year %(n)s", n=n) for n in range(1, PLAN_YEARS + 1)},
}
# "/" is how our own documents print a tick, and "√" how many clerks type one
TRUE = {"ใช่", "มี", "✓", "✔", "√", "/", "yes", "y", "true", "1", "x"}
FALSE = {"ไม่ใช่", "ไม่มี", "no", "n", "false", "0", "-"}
# "within powers" decides criterion 4's denominator: a blank there is an error, never a
# silent "no"; a blank "in plan" or "in budget" reads as no (docs/domain.md, criterion 4)
BLANK_IS_NO = ("in_development_plan", "in_budget_draft")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
QUOTED = DANGEROUS + ("'",)  # a text already starting with ' is quoted too, so it comes back whole


PREVIEW_ROWS = 200  # rows the preview page shows; errors are listed apart
PREVIEW_CELL = 100  # characters of a cell the preview shows, then "…"


@dataclass
class Parsed:
    filename: str
    rows: list[dict] = field(default_factory=list)  # cleaned rows, ready for replace_all
    # per row, the first PREVIEW_ROWS: number, values shown (cut to PREVIEW_CELL), error
    preview: list[dict] = field(default_factory=list)
    read: int = 0  # data rows in the file
    errors: list[Said] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _norm(text) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").split()).lower()


def _header_map(header: list, filename: str, line: int) -> tuple[dict[str, int], list[str]]:
    names = {}
    for key, th, en, _ in COLUMNS:
        names[_norm(th)] = key
        names[_norm(en)] = key
        names[_norm(key)] = key
    names[_norm("budget")] = "budget"
    names.update({_norm(alias): key for alias, key in ALIASES.items()})
    positions, extra = {}, []
    for i, cell in enumerate(header):
        key = names.get(_norm(cell))
        if key is None and (year := _PLAN_BUDGET_HEADER.match(_norm(thai.to_arabic_digits(str(cell or ""))))):
            key = f"plan_budget_{year.group(1)}"
        if key and key in positions:
            raise InputError(
                msg(
                    DUPLICATE_COLUMN.id,
                    file=filename,
                    row=line,
                    column=COLUMN_LABELS[key],
                    first=positions[key] + 1,
                    second=i + 1,
                ),
                "file",
            )
        if key:
            positions[key] = i
        elif _norm(cell):
            extra.append(str(cell).strip())
    missing = [COLUMN_LABELS[key] for key, _, _, required in COLUMNS if required and key not in positions]
    if missing:
        raise InputError(
            msg(
                "%(file)s: the columns %(columns)s are not in the header row (row %(row)s)",
                file=filename,
                columns=Joined(missing, ", "),
                row=line,
            ),
            "file",
        )
    return positions, extra


DUPLICATE_COLUMN = msg("%(file)s row %(row)s: the column %(column)s appears twice (columns %(first)s and %(second)s)")


def _find_header(table: list[list], filename: str) -> tuple[int, dict[str, int], list[str]]:
    """The header is the first of the first few non-blank rows that names the columns."""
    first_error = None
    for index, row in enumerate(table[:HEADER_SEARCH]):
        if not any(str(c).strip() for c in row if c is not None):
            continue
        try:
            return (index, *_header_map(row, filename, index + 1))
        except InputError as error:
            if error.msg is not None and error.msg.id == DUPLICATE_COLUMN.id:
                raise
            first_error = first_error or error
    raise first_error or InputError(msg("%(file)s: no data", file=filename), "file")


def _bool(value, label: str | Msg, blank_is_no: bool = True) -> bool:
    """A yes/no cell; InputError (the problem, without where it is) for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _norm(thai.to_arabic_digits(str(value if value is not None else "")))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    if not text:
        if blank_is_no:
            return False
        raise InputError(
            msg("blank: write yes or no (this cell may not be blank, as it counts in the base of criterion 4)")
        )
    raise InputError(msg("%(column)s must be yes or no (found '%(value)s')", column=label, value=str(value)[:30]))


def unquote(value):
    """A cell an export wrote with a leading ' to keep a spreadsheet from running it."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in QUOTED:
        return value[1:]
    return value


class _Refused(Exception):
    """Raised inside the XML scan to stop it at the first limit passed."""

    def __init__(self, error: InputError):
        self.error = error


@dataclass
class _Scan:
    """What a pass of expat over a workbook's XML parts found (see ``_inspect_xlsx``)."""

    filename: str
    elements: int = 0
    cells: int = 0
    strings: int = 0
    longest: int = 0
    # per part: the first cell (row, column) holding a formula saved without its value
    unvalued: dict = field(default_factory=dict)

    def refuse(self, message: Msg) -> None:
        raise _Refused(InputError(message, "file"))


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, scan: _Scan) -> None:
    """One XML part through expat, in pieces: elements, cells and shared strings counted,
    the text of each cell or shared string measured, formulas without a value noted.
    Stops (``_Refused``) at the first limit passed; a part expat cannot read is left to
    openpyxl, which refuses it as it would have."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    state = {"text": None, "length": 0, "row": 0, "column": 0, "formula": False, "value": False}
    name = scan.filename

    def start(tag, attrs):
        scan.elements += 1
        if scan.elements > MAX_XML_ELEMENTS:
            scan.refuse(
                msg("%(file)s: the XLSX file holds far more than a project list needs; it was not opened.", file=name)
            )
        namespace, _, local = tag.rpartition(" ")
        if namespace not in SPREADSHEET_NS:
            return
        if local == "c":
            scan.cells += 1
            if scan.cells > MAX_CELLS:
                scan.refuse(
                    msg(
                        "%(file)s: the workbook has more than %(max)s cells; it was not opened.",
                        file=name,
                        max=f"{MAX_CELLS:,}",
                    )
                )
            state["length"], state["formula"], state["value"] = 0, False, False
            ref = attrs.get("r")
            match = _CELL_REF.match(ref) if ref else None
            if match:
                state["column"] = _column_number(match.group(1))
                state["row"] = int(match.group(2))
            else:
                state["column"] += 1
        elif local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdecimal() and len(r) < 9 else state["row"] + 1
            state["column"] = 0
        elif local in ("si", "is", "comment"):
            state["length"] = 0
            if local == "si":
                scan.strings += 1
                if scan.strings > MAX_SHARED_STRINGS:
                    scan.refuse(too_many_strings())
        elif local == "sst":  # believed only when they say too many: they may lie the other way
            unique, count = attrs.get("uniqueCount", ""), attrs.get("count", "")
            if _over(unique, MAX_SHARED_STRINGS) or _over(count, MAX_CELLS):
                scan.refuse(too_many_strings())
        elif local in ("t", "v", "f"):
            state["text"] = local
            if local == "f":
                state["formula"] = True

    def end(tag):
        namespace, _, local = tag.rpartition(" ")
        if namespace not in SPREADSHEET_NS:
            return
        if local in ("t", "v", "f"):
            state["text"] = None
        elif local == "c" and state["formula"] and not state["value"] and state["column"] <= MAX_COLUMNS:
            scan.unvalued.setdefault(member.filename, (state["row"], state["column"]))

    def text(data):
        if state["text"] is None:
            return
        state["length"] += len(data)
        if state["text"] == "v" and data.strip():
            state["value"] = True
        if state["length"] > scan.longest:
            scan.longest = state["length"]
            if scan.longest > MAX_CELL_CHARS:
                scan.refuse(
                    msg(
                        "%(file)s: a cell holds more than %(max)s characters (more than Excel allows in a cell); "
                        "the file was not opened.",
                        file=name,
                        max=f"{MAX_CELL_CHARS:,}",
                    )
                )

    def doctype(*args):
        scan.refuse(msg("%(file)s: the XLSX file has a structure Excel does not write; it was not opened.", file=name))

    def too_many_strings():
        return msg(
            "%(file)s: the workbook holds more than %(max)s different texts; it was not opened.",
            file=name,
            max=f"{MAX_SHARED_STRINGS:,}",
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with archive.open(member) as part:
            while chunk := part.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        return


def _over(number: str, limit: int) -> bool:
    return number.isdecimal() and (len(number) > 12 or int(number) > limit)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _inspect_xlsx(data: bytes, filename: str) -> _Scan:
    """The archive looked at before openpyxl opens it, so that a small file that would
    unpack into far more than a project list (a "bomb": millions of shared strings, one
    cell of millions of characters, a part that inflates a thousandfold) is refused in
    a second or two rather than keeping a worker busy until it is killed:
    the number of parts, their total unpacked size and each part's compression ratio
    from the directory; then every XML part through expat, counting elements, cells and
    shared strings (``count``/``uniqueCount`` believed only when they say too many) and
    measuring each cell's text, stopping at the first limit passed. zipfile never
    inflates a part beyond the size its directory entry states, so the sizes checked
    first bound what the scan reads."""
    bomb = InputError(
        msg("%(file)s: the XLSX file unpacks to an abnormally large size; it was not opened.", file=filename), "file"
    )
    scan = _Scan(filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise bomb
            for member in members:
                if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                    raise bomb
            if "xl/workbook.xml" not in archive.namelist():
                raise InputError(msg("%(file)s: this file is not an Excel workbook (.xlsx)", file=filename), "file")
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")) and not member.is_dir():
                    _scan_part(archive, member, scan)
    except _Refused as refused:
        raise refused.error from None
    except InputError:
        raise
    # zipfile raises NotImplementedError for a compression method it does not support
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise InputError(msg("%(file)s: the XLSX file is damaged or incomplete", file=filename), "file") from None
    return scan


def _read_xlsx(data: bytes, filename: str) -> list[list]:
    """The first sheet's values, read once by openpyxl (``data_only``: a formula's
    saved value). A formula saved without its value (files written by programs) would
    read as blank; the scan before has noted such cells, and the file is refused with
    the cell named rather than taken as "no" or an empty amount."""
    from openpyxl import load_workbook

    scan = _inspect_xlsx(data, filename)
    broken = InputError(
        msg("%(file)s: the XLSX file cannot be opened (it is damaged or not an Excel workbook)", file=filename), "file"
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            unvalued = scan.unvalued.get(getattr(sheet, "_worksheet_path", "").lstrip("/"))
            rows = []
            # at most MAX_COLUMNS columns: a sheet claiming 16,384 columns is not read as such
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + HEADER_SEARCH:
                    raise InputError(_too_many_rows(filename), "file")
        finally:
            workbook.close()
    except InputError:
        raise
    except Exception:
        raise broken from None
    if unvalued is not None:
        r, c = unvalued
        raise InputError(
            msg(
                "%(file)s row %(row)s column %(column)s: a formula with no calculated value yet; open the file in"
                " Excel and save it again",
                file=filename,
                row=r,
                column=c,
            ),
            "file",
        )
    return rows


def _read_csv(data: bytes, filename: str) -> list[list]:
    for encoding in ("utf-8-sig", "cp874"):  # cp874: CSV saved by Thai Windows Excel
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            msg("%(file)s: the characters of the CSV file cannot be read; save it as CSV UTF-8", file=filename), "file"
        )
    if "\x00" in text:
        raise InputError(msg("%(file)s: this file is neither CSV nor XLSX", file=filename), "file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + HEADER_SEARCH:
                raise InputError(_too_many_rows(filename), "file")
    except csv.Error as error:
        raise InputError(
            msg(
                "%(file)s row %(row)s: the CSV file cannot be read (%(error)s)",
                file=filename,
                row=len(rows) + 1,
                error=str(error)[:80],
            ),
            "file",
        ) from None
    return rows


def read_rows(data: bytes, filename: str) -> list[list]:
    """The table in a CSV or XLSX file, decided by its content, not its name."""
    if not data:
        raise InputError(msg("%(file)s: the file is empty", file=filename), "file")
    if len(data) > MAX_BYTES:
        raise InputError(msg("%(file)s: the file is larger than 5 MB", file=filename), "file")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, filename)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            msg(
                "%(file)s: an Excel file with a password or in the old .xls format; open it and save it as .xlsx"
                " without a password",
                file=filename,
            ),
            "file",
        )
    if data[:5] == b"%PDF-" or data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise InputError(msg("%(file)s: this file is neither CSV nor XLSX", file=filename), "file")
    return _read_csv(data, filename)


def _too_many_rows(filename: str) -> Msg:
    return msg("%(file)s: more than %(max)s rows", file=filename, max=f"{MAX_ROWS:,}")


def _in_column(where: Msg, key: str, problem: str | Msg) -> Msg:
    """'file แถวที่ 5 คอลัมน์ ลำดับความสำคัญ: problem'."""
    return msg("%(where)s column %(column)s: %(problem)s", where=where, column=COLUMN_LABELS[key], problem=problem)


def _said(error: InputError) -> Said | str:
    return said(error.msg) if error.msg is not None else error.message


def shown(value) -> str:
    """A cell as the preview shows it: at most PREVIEW_CELL characters, then "…"."""
    text = "" if value is None else str(value)
    return text if len(text) <= PREVIEW_CELL else text[:PREVIEW_CELL] + "…"


def file_name(name: str | None) -> str:
    """The uploaded file's name as pages and messages show it: through the text policy
    (formsvc.domain.text) with its refused characters dropped rather than refused (the
    clerk did not type it here), no path separators, at most 120 characters."""
    text = text_policy.normalise(text_policy.FORBIDDEN.sub("", name or ""))
    text = text.replace("/", "_").replace("\\", "_")[:120].strip()
    return text or "ไฟล์"


def parse(db, lao_id: int, data: bytes, filename: str) -> Parsed:
    filename = file_name(filename)
    table = read_rows(data, filename)
    result = Parsed(filename)
    if not any(any(str(c).strip() for c in r if c is not None) for r in table):
        raise InputError(msg("%(file)s: no data", file=filename), "file")
    header_index, positions, extra = _find_header(table, filename)
    if extra:
        result.notices.append(
            said(msg("Columns not recognised were not used: %(columns)s", columns=", ".join(extra[:10])))
        )
    body = [
        (number, row)
        for number, row in enumerate(table[header_index + 1 :], start=header_index + 2)
        if any(str(c).strip() for c in row if c is not None)
    ]  # line numbers as the clerk sees them
    if len(body) > MAX_ROWS:
        raise InputError(_too_many_rows(filename), "file")
    result.read = len(body)
    villages = {v["number"]: v["id"] for v in lao_villages(db, lao_id) if v["number"] is not None}
    communities = {v["name"]: v["id"] for v in lao_villages(db, lao_id) if v["kind"] == "community"}
    dimensions = set(programme_store.dimensions(db))
    seen_ranks: dict[int, int] = {}
    with_plan = any(key in positions for key in PLAN_COLUMNS)
    for number, raw in body:

        def cell(key, raw=raw):
            i = positions.get(key)
            return unquote(raw[i]) if i is not None and i < len(raw) else None

        values_shown = {key: shown(cell(key)) for key, *_ in COLUMNS}
        where = msg("%(file)s row %(row)s", file=filename, row=number)
        try:
            values = {
                "rank": cell("rank"),
                "name": cell("name"),
                "dimension": cell("dimension"),
                "plan_reference": cell("plan_reference"),
                "budget": cell("budget"),
            }
            if isinstance(values["rank"], float) and values["rank"].is_integer():
                values["rank"] = int(values["rank"])
            for key in ("within_authority", "in_development_plan", "in_budget_draft"):
                try:
                    values[key] = _bool(cell(key), COLUMN_LABELS[key], key in BLANK_IS_NO)
                except InputError as error:
                    raise InputError(_in_column(where, key, error.msg or error.message), key) from None
            dimension = str(values["dimension"] or "").strip()
            if dimension not in dimensions:
                problem = msg("'%(name)s' is not in the list of dimensions in use", name=dimension[:60])
                raise InputError(_in_column(where, "dimension", problem), "dimension")
            values["village_id"] = _village(cell("village"), villages, communities, where)
            texts = ["name", "plan_reference"]
            if with_plan:
                texts += [k for k in PLAN_COLUMNS if k not in PLAN_BUDGET_COLUMNS]
                values.update({k: cell(k) for k in texts[2:]})
                values["plan_budgets"] = [cell(k) for k in PLAN_BUDGET_COLUMNS]
                for key, amount in zip(PLAN_BUDGET_COLUMNS, values["plan_budgets"], strict=True):
                    try:  # named by its column alone (the store's message names the plan year)
                        project_store.parse_budget(amount)
                    except InputError as error:
                        raise InputError(_in_column(where, key, error.msg or error.message), key) from None
            for key in texts:
                if values[key] is not None and not isinstance(values[key], str):
                    values[key] = str(values[key])
                try:  # the same text policy as every form (formsvc.domain.text)
                    values[key] = text_policy.normalise(values[key], multiline=key in MULTILINE)
                except text_policy.ForbiddenCharacter as error:
                    problem = msg(
                        "contains a character that cannot be used (%(code)s); please remove it and save again",
                        code=error.code,
                    )
                    raise InputError(_in_column(where, key, problem), key) from None
            try:
                checked = project_store.check_row(db, lao_id, values)
            except InputError as error:
                problem = error.msg or error.message
                if error.field in ("rank", "name", "budget", "plan_reference", *PLAN_COLUMNS):
                    raise InputError(_in_column(where, error.field, problem), error.field) from None
                raise InputError(msg("%(where)s: %(problem)s", where=where, problem=problem), error.field) from None
            if checked["rank"] in seen_ranks:
                problem = msg(
                    "priority %(rank)s is the same as in row %(row)s",
                    rank=checked["rank"],
                    row=seen_ranks[checked["rank"]],
                )
                raise InputError(_in_column(where, "rank", problem), "rank")
            seen_ranks[checked["rank"]] = number
            result.rows.append(checked)
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append({"number": number, "values": checked, "shown": values_shown, "error": ""})
        except InputError as error:
            result.errors.append(_said(error))
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append({"number": number, "values": None, "shown": values_shown, "error": _said(error)})
    if not result.rows and not result.errors:
        result.errors.append(said(msg("%(file)s: there are no project rows", file=filename)))
    return result


def _village(value, villages: dict, communities: dict, where: Msg):
    if value is None or str(value).strip() in ("", "-"):
        return None
    text = thai.to_arabic_digits(str(value).strip())
    if text.endswith(".0"):
        text = text[:-2]
    for prefix in ("หมู่ที่", "ม.", "หมู่"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    if text.isdecimal() and int(text) in villages:
        return villages[int(text)]
    name = str(value).strip()
    for candidate in (name, "ชุมชน" + name):
        if candidate in communities:
            return communities[candidate]
    problem = msg("this LAO has no village/community '%(name)s'", name=name[:40])
    raise InputError(_in_column(where, "village", problem), "village")


# Export -----------------------------------------------------------------------------------


def safe(value):
    """A text cell that a spreadsheet must not run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(QUOTED):
        return "'" + value
    return value


def export_rows(rows: list[dict], plan_years: tuple[int, ...] = ()) -> tuple[list[str], list[list]]:
    """The header (Thai; the plan budgets named with their years when ``plan_years`` are
    given, as the import reads them back) and a row per project."""
    header = [th for _, th, _, _ in COLUMNS]
    for n, year in enumerate(plan_years, 1):
        header[KEYS.index(f"plan_budget_{n}")] = f"งบประมาณปีที่ {n} ({year})"
    body = []
    for r in rows:
        village = r["village_number"] if r["village_kind"] == "village" else safe(r["village_name"] or "")
        body.append(
            [
                r["rank"],
                safe(r["name"]),
                safe(r["dimension"]),
                village if village is not None else "",
                "ใช่" if r["within_authority"] else "ไม่ใช่",
                "ใช่" if r["in_development_plan"] else "ไม่ใช่",
                "ใช่" if r["in_budget_draft"] else "ไม่ใช่",
                r["budget"] if r["budget"] is not None else "",
                safe(r["plan_reference"]),
                *(safe(r[k]) for k in ("strategy", "plan_area", "objective", "target")),
                *(amount if amount is not None else "" for amount in r["plan_budgets"]),
                *(safe(r[k]) for k in ("kpi", "expected_result", "responsible_unit")),
            ]
        )
    return header, body


def to_csv(rows: list[dict], plan_years: tuple[int, ...] = ()) -> bytes:
    header, body = export_rows(rows, plan_years)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in body:
        writer.writerow([f"{v:.2f}" if isinstance(v, Decimal) else v for v in row])
    return out.getvalue().encode("utf-8-sig")


SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def sheet_title(name: str, fallback: str = "โครงการ") -> str:
    """``name`` as a worksheet title Excel and openpyxl accept, whatever an LAO is
    called: without / \\ ? * [ ] : (and the text policy's control and invisible
    characters), not starting or ending with an apostrophe, at most 31 characters;
    ``fallback`` when nothing is left."""
    text = text_policy.INVISIBLE.sub("", text_policy.FORBIDDEN.sub("", name or ""))
    text = " ".join(_SHEET_FORBIDDEN.sub(" ", text).split())
    text = text[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return text or fallback


def to_xlsx(rows: list[dict], dimensions: list[str], title: str = "โครงการ", plan_years: tuple[int, ...] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header, body = export_rows(rows, plan_years)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # cells made here and appended: linear in the rows (reading sheet[sheet.max_row]
    # back after each append scans every cell so far, quadratic: 5,000 rows took 25 s)
    for row in body:
        cells = []
        for value in row:
            cell = Cell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    widths = (10, 50, 28, 10, 12, 14, 14, 14, 20) + (30, 30, 40, 40) + (16,) * PLAN_YEARS + (30, 40, 24)
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("รายการ")
    for i, name in enumerate(dimensions, 1):
        lists.cell(row=i, column=1, value=name)
    lists.cell(row=1, column=2, value="ใช่")
    lists.cell(row=2, column=2, value="ไม่ใช่")
    lists.sheet_state = "hidden"
    last = max(len(body) + 1, 1000)
    yes_no = DataValidation(type="list", formula1="='รายการ'!$B$1:$B$2", allow_blank=True)
    yes_no.add(f"E2:G{last}")
    dims = DataValidation(type="list", formula1=f"='รายการ'!$A$1:$A${max(len(dimensions), 1)}", allow_blank=False)
    dims.add(f"C2:C{last}")
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(dims)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
