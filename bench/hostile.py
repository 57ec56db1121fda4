"""The hostile edge of the load test: a few requests, each sent once by a user of its own
in the middle of the run, that cost the server far more than their size.

- ``long_report``: a report submitted with its three text fields as long as the form
  allows (read from the form's own validators), each in as many lines as it allows
  (one character each when only characters are limited), so the submitted DOCX and
  PDF have as many paragraphs as the form lets anyone write;
- ``svg_bomb``: an emblem of about 4 KB whose patterns fill each other six levels deep
  (drawing it unguarded costs 10**6 pattern draws);
- ``xlsx_strings``: a project workbook of about 85 KB whose sharedStrings.xml declares
  2,000,000 shared strings that no cell uses;
- ``xlsx_cell``: a project workbook whose one data cell holds 20,000,000 characters.

Each is reported by status and time; the 50 ordinary users' figures are kept apart.
"""

from __future__ import annotations

import io
import secrets
import subprocess
import sys
import threading
import time
import zipfile

HOSTILE_KINDS = ("long_report", "svg_bomb", "xlsx_strings", "xlsx_cell")
TIMEOUT = 120  # seconds a hostile request may take before the client gives up


# What they send --------------------------------------------------------------------------


def report_limits() -> dict[str, dict[str, int | None]]:
    """For each free-text field of the report form: the most characters (``Length``)
    and lines (``Lines``, where the form has it) its validators accept, read from the
    form class itself."""
    from wtforms.validators import Length

    from formsvc.web.forms.reports import ReportForm

    limits = {}
    for name in ("progress", "problems", "suggestions"):
        unbound = getattr(ReportForm, name)
        validators = unbound.kwargs.get("validators") or []
        chars = min((v.max for v in validators if isinstance(v, Length) and v.max and v.max > 0), default=10_000)
        lines = min(
            (
                getattr(v, "max_lines", None) or v.max
                for v in validators
                if type(v).__name__ == "Lines" or getattr(v, "max_lines", None)
            ),
            default=None,
        )
        limits[name] = {"chars": chars, "lines": lines}
    return limits


def many_short_lines(chars: int, lines: int | None) -> str:
    """As many lines as the limits allow (one character each when characters are the
    tighter limit), filling ``chars`` characters with a browser's CRLF between lines."""
    count = (chars + 2) // 3  # "ก\r\n" per line, the last without its CRLF
    if lines:
        count = max(1, min(count, lines))
    width = max(1, (chars - 2 * (count - 1)) // count)
    return "\r\n".join("ก" * width for _ in range(count))


def svg_bomb(levels: int = 6, per_level: int = 10) -> bytes:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><defs>',
        '<pattern id="p0" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="2" height="2" fill="#900"/></pattern>',
    ]
    for level in range(1, levels + 1):
        rects = "".join(
            f'<rect x="{i % 5 * 8}" y="{i // 5 * 8}" width="8" height="8" fill="url(#p{level - 1})"/>'
            for i in range(per_level)
        )
        parts.append(f'<pattern id="p{level}" width="40" height="40" patternUnits="userSpaceOnUse">{rects}</pattern>')
    parts.append(f'</defs><rect width="400" height="400" fill="url(#p{levels})"/></svg>')
    return "".join(parts).encode()


_HEADER = ("ลำดับความสำคัญ", "ชื่อโครงการ", "มิติการพัฒนา", "อยู่ในอำนาจหน้าที่", "บรรจุในแผนพัฒนาท้องถิ่น", "บรรจุในร่างข้อบัญญัติ")


def _xlsx(shared: list[bytes] | bytes, rows: list[list[tuple[str, str]]], declared: int | None = None) -> bytes:
    """A minimal workbook: cells are (type, value) with type "s" (shared string index)
    or "inlineStr"; ``shared`` is the <si> items or the whole bytes of them."""
    items = shared if isinstance(shared, bytes) else b"".join(shared)
    count = declared if declared is not None else len(shared)
    cols = "ABCDEFGHIJ"
    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, (kind, value) in enumerate(row):
            ref = f"{cols[c]}{r}"
            if kind == "s":
                cells.append(f'<c r="{ref}" t="s"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
            + "".join(sheet_rows)
            + "</sheetData></worksheet>",
        )
        z.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{count}" uniqueCount="{count}">'.encode()
            + items
            + b"</sst>",
        )
    return out.getvalue()


def _project_rows(name_cell: tuple[str, str]) -> list[list[tuple[str, str]]]:
    header = [("inlineStr", h) for h in _HEADER]
    return [header, [("inlineStr", "1"), name_cell, ("inlineStr", "1"), *[("inlineStr", "ใช่")] * 3]]


def xlsx_unused_strings(count: int = 2_000_000) -> bytes:
    """About 85 KB: ``count`` empty shared strings that no cell uses, and one project row."""
    return _xlsx(b"<si><t></t></si>" * count, _project_rows(("inlineStr", "โครงการทดสอบ")), declared=count)


def xlsx_long_cell(chars: int = 20_000_000) -> bytes:
    """One project row whose name cell holds ``chars`` characters (a shared string)."""
    return _xlsx([b"<si><t>" + b"a" * chars + b"</t></si>"], _project_rows(("s", "0")))


# Who sends them ----------------------------------------------------------------------------


def pick_lao(db_path) -> tuple[int, int] | None:
    """(LAO, report period) for the hostile users: an LAO no demo clerk works on (so the
    50 users' saves never meet its submitted report or pending import), with a
    local-level forum this year (an import needs one) and a period that has started and
    is not yet sent."""
    from formsvc.domain import clock
    from formsvc.store import connect
    from formsvc.store.programme import get_programme
    from formsvc.store.reports import programme_periods

    db = connect(db_path)
    try:
        year = get_programme(db).year_be
        kept = {r[0] for r in db.execute("SELECT lao_id FROM user WHERE lao_id IS NOT NULL")}
        started = [p.number for p in programme_periods(db) if p.start <= clock.today()]
        for (lao,) in db.execute("SELECT id FROM lao ORDER BY id"):
            if lao in kept:
                continue
            forums = db.execute(
                "SELECT count(*) FROM forum WHERE lao_id = ? AND programme_year = ? AND level = 'lao'", [lao, year]
            ).fetchone()[0]
            sent = {
                r[0]
                for r in db.execute(
                    "SELECT period FROM report WHERE lao_id = ? AND programme_year = ?"
                    " AND status IN ('submitted', 'acknowledged')",
                    [lao, year],
                )
            }
            open_periods = [n for n in started if n not in sent]
            if forums == 1 and open_periods:
                return lao, open_periods[-1]
        return None
    finally:
        db.close()


def create_users(env: dict, cwd, lao: int) -> tuple[dict[str, str], str]:
    """One clerk of ``lao`` per hostile request, through the CLI: {kind: username}, password."""
    password = secrets.token_urlsafe(18)
    users = {}
    for kind in HOSTILE_KINDS:
        username = f"hostile_{kind}"
        subprocess.run(
            [sys.executable, "-m", "formsvc", "create-user", username, "--role", "lao_clerk", "--lao", str(lao)]
            + ["--password", password],
            env=env,
            cwd=cwd,
            check=True,
            capture_output=True,
        )
        users[kind] = username
    return users, password


class Hostile(threading.Thread):
    """Signs in, waits until ``at`` (time.monotonic), sends its one request, records
    (kind, status or None, seconds, note)."""

    def __init__(self, kind: str, username: str, password: str, base: str, lao: int, period: int, at: float, out):
        super().__init__(daemon=True, name=f"hostile-{kind}")
        import requests

        self.session = requests.Session()
        self.kind, self.username, self.password, self.base = kind, username, password, base
        self.lao, self.period, self.at, self.out = lao, period, at, out
        self.payload = {
            "svg_bomb": svg_bomb,
            "xlsx_strings": xlsx_unused_strings,
            "xlsx_cell": xlsx_long_cell,
        }.get(kind, lambda: b"")()

    def _csrf(self, path: str) -> tuple[str, str]:
        from bench.load import CSRF

        page = self.session.get(self.base + path, timeout=60)
        match = CSRF.search(page.text)
        return (match.group(1) if match else ""), page.text

    def run(self):
        from bench.load import CSRF

        try:
            page = self.session.get(self.base + "/login", timeout=60)
            token = CSRF.search(page.text).group(1)
            self.session.post(
                self.base + "/login",
                data={"csrf_token": token, "username": self.username, "password": self.password},
                allow_redirects=False,
                timeout=60,
            )
            request = self.prepare()
        except Exception as error:
            self.out(self.kind, None, 0.0, f"could not prepare: {type(error).__name__}: {error}"[:200], {})
            return
        while time.monotonic() < self.at:
            time.sleep(0.05)
        method, path, kwargs, details = request
        start = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, allow_redirects=False, timeout=TIMEOUT, **kwargs)
            status, note = response.status_code, _flash(response.text)
        except Exception as error:
            status, note = None, f"{type(error).__name__}: {error}"[:200]
        self.out(self.kind, status, time.perf_counter() - start, note, details)

    def prepare(self):
        """(method, path, request keyword arguments, details to report)."""
        from bench.load import page_form

        lao = self.lao
        if self.kind == "long_report":
            path = f"/laos/{lao}/reports/{self.period}"
            token, html = self._csrf(path)
            limits = report_limits()
            texts = {name: many_short_lines(limit["chars"], limit["lines"]) for name, limit in limits.items()}
            data = page_form(
                html,
                path,
                csrf_token=token,
                action="submit",
                reporter_name="นางสาวทดสอบ ระบบ",
                reporter_position="นักวิเคราะห์นโยบายและแผน",
                **texts,
            )
            details = {
                "fields": {name: {"chars": len(t), "lines": t.count("\n") + 1} for name, t in texts.items()},
                "limits": limits,
            }
            # "save and send" saves the draft and leads to the confirmation step; the
            # confirmation's POST is what renders and sends, and is what is measured
            saved = self.session.post(self.base + path, data=data, allow_redirects=False, timeout=TIMEOUT)
            details["draft_saved_status"] = saved.status_code
            confirm = f"{path}/submit"
            token, html = self._csrf(confirm)
            return "POST", confirm, {"data": page_form(html, confirm, csrf_token=token)}, details
        if self.kind == "svg_bomb":
            token, _ = self._csrf(f"/laos/{lao}/working-group")
            files = {"emblem": ("garuda.svg", self.payload, "image/svg+xml")}
            return "POST", f"/laos/{lao}/emblem", {"data": {"csrf_token": token}, "files": files}, _size(self.payload)
        token, _ = self._csrf(f"/laos/{lao}/projects")
        files = {"file": ("projects.xlsx", self.payload, "application/octet-stream")}
        return (
            "POST",
            f"/laos/{lao}/projects/import",
            {"data": {"csrf_token": token}, "files": files},
            _size(self.payload),
        )


def _size(payload: bytes) -> dict:
    return {"bytes": len(payload)}


def _flash(html: str) -> str:
    """The first message on the answer page (a flash, the form's errors or a row's
    error), for the report."""
    import re

    match = re.search(r'class="(?:flash [^"]*|errors|error)"[^>]*>(.{0,600})', html, re.S)
    if not match:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())[:200]
