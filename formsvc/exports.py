"""One ZIP of a period's report forms for a province or the whole country.

The ZIP shows what the roll-up of the period shows (services.rollup: what was reported
stays reported). Each model LAO in scope gives one file per format: the archived bytes
of its latest submitted version when it has one (submitted, acknowledged or returned:
what the district received, unchanged); in the open period, an LAO that has not sent
its report gets the form as it stands now, marked ร่าง; in a period gone by, it gets no
file at all (no figures from today's data for that period), only its line "ไม่ได้รายงาน"
in the list (สรุปสถานะรายงาน.csv), which says which is which for every LAO, with the
same lateness ("ส่งช้า n วัน") as every other view.

File names are Thai, one folder per district (and per province in a national ZIP), each
part kept under 240 bytes so every file system can hold it; Python's zipfile stores
non-ASCII names in UTF-8 with the language-encoding flag (bit 11), so unzip tools show
them right. The ZIP is written to a temporary file and renamed only when complete: a
cancelled or failed export leaves nothing half-written behind.

The web runs exports as background jobs: the export_job table is what users see
(progress, cancel, expiry); the task queue (formsvc/tasks.py, huey) runs them, and its
render workers, on this machine or others, render the drafts. The CLI calls
:func:`write_zip` directly, with a pool of processes on this machine.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import re
import socket
import threading
import traceback
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from formsvc import render_pool, services
from formsvc.documents import render_cache
from formsvc.domain import clock, thai
from formsvc.domain.messages import msg
from formsvc.imports import safe
from formsvc.store import db as store_db
from formsvc.store import exports as job_store
from formsvc.store import geography, trash
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.db import connect
from formsvc.store.errors import InputError, NotFound
from formsvc.store.files import open_private

FAILED = msg("Something went wrong while making the file. Please try again, or tell the administrator.")
NOT_FILED = {"missing": "ยังไม่จัดทำ", "draft": "ร่าง", "returned": "ส่งกลับแก้ไข"}
MANIFEST = "สรุปสถานะรายงาน.csv"
PART_BYTES = 240


class Cancelled(Exception):
    """The user asked to stop."""


@dataclass
class Item:
    lao_id: int
    lao_name: str
    district: str
    province: str
    status: str  # missing, draft, submitted, acknowledged, returned
    status_th: str
    source: str | None  # reported (archived bytes), live (rendered now) or None (no file)
    version: int  # latest submitted version (0 when never submitted)
    submitted_at: str  # when that version was sent ("" when none)
    criteria: list[bool] | None
    days_late: int  # domain.reports.days_late, as on every page


UNSAFE = re.compile(r'[\\/:*?"<>|\u2215\u2044\u2216\u29f8\u29f9]')  # and slashes NFKC keeps
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
NAME_CHARS = 60  # an LAO or district name in a file name; the status label comes after it


def _part(text: str, max_chars: int | None = None) -> str:
    """A file-name part: NFC, no path separators or characters Windows refuses (nor
    look-alikes that some tools fold into them, such as full-width ／), no control or
    format characters, no name Windows reserves, at most ``max_chars`` characters and
    PART_BYTES bytes. (Not NFKC for the whole text: it would split Thai ำ in two.)"""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if unicodedata.category(ch)[0] == "C" else "-" if UNSAFE.search(unicodedata.normalize("NFKC", ch)) else ch
        for ch in text
    )
    text = re.sub(r"\s+", " ", text).strip(" .")
    if max_chars is not None:
        text = text[:max_chars].rstrip(" .")
    text = text.encode("utf-8")[:PART_BYTES].decode("utf-8", "ignore").rstrip(" .") or "-"
    return "_" + text if WINDOWS_RESERVED.match(text) else text


def root_name(year: int, period: int, province_name: str | None) -> str:
    where = f"จังหวัด{province_name}" if province_name else "ทั่วประเทศ"
    return _part(f"รายงานรอบที่ {period}-{year} {where}")


def items(
    db, period: int, province_code: str | None, today: _dt.date | None = None, year: int | None = None
) -> list[Item]:
    """The model LAOs of the scope as the period's roll-up (of programme year ``year``,
    default the open one) has them."""
    result = services.rollup(db, province_code=province_code, period=period, today=today, year=year)
    return [
        Item(
            row["lao_id"],
            row["name"],
            row["district"],
            row["province"],
            row["report_status"],
            row["report_status_th"],
            row["source"],
            row["report_version"] or 0,
            row["submitted_at"] or "",
            row["criteria"],
            row["days_late"],
        )
        for row in result["laos"]
    ]


POOL_MIN = 8  # fewer documents to render than this: in this process (a pool takes ~1 s to start)
WINDOW = 16  # reports whose context is gathered and sent to render ahead of the one being written


class InlineRenderer:
    """Renders in this process, when asked for the result (a few documents)."""

    def submit(self, kind: str, context: dict, fmt: str, draft: bool):
        return _Later(lambda: render_pool.render_document(kind, context, fmt, draft))

    def close(self, cancel: bool = False) -> None:
        pass


class _Later:
    def __init__(self, make):
        self.make = make

    def result(self):
        return self.make()

    def cancel(self) -> None:
        pass


class PoolRenderer:
    """Renders in a pool of worker processes on this machine (formsvc.render_pool)."""

    def __init__(self, db, workers: int | None = None):
        self.pool = render_pool.RenderPool(render_pool.database_path(db), workers)

    def submit(self, kind: str, context: dict, fmt: str, draft: bool):
        return self.pool.render(kind, context, fmt, draft)

    def close(self, cancel: bool = False) -> None:
        self.pool.close(cancel=cancel)


class _Renders:
    """The drafts of a ZIP: each report's context gathered here (it needs the database),
    its formats sent to ``renderer`` (``submit(kind, context, fmt, draft)`` returns
    something whose ``result()`` is (bytes, "host:pid")) up to WINDOW reports ahead
    of the one being written, and read from / put into the render cache of the
    database, as services.report_files does (for documents rendered on this machine),
    so a later download or ZIP reuses them."""

    def __init__(self, db, live: list[Item], period: int, formats: tuple[str, ...], today: _dt.date, renderer):
        self.db, self.period, self.formats, self.today, self.renderer = db, period, formats, today, renderer
        self.ahead = iter(live)
        self.pending: dict[int, dict] = {}
        self.cache = render_cache.for_folder(store_db.render_cache_folder(db))
        self.by: dict[str, int] = {}  # renders per worker ("host:pid")

    def _submit_next(self) -> bool:
        item = next(self.ahead, None)
        if item is None:
            return False
        report = report_store.get_report(self.db, item.lao_id, self.period)
        _, context = services.report_context(self.db, item.lao_id, report, self.today)
        entry = {}
        for fmt in self.formats:
            name = render_cache.key("report", fmt, True, context) if self.cache is not None else ""
            content = self.cache.get(name) if self.cache is not None else None
            entry[fmt] = (
                (content, name) if content is not None else (self.renderer.submit("report", context, fmt, True), name)
            )
        self.pending[item.lao_id] = entry
        return True

    def files(self, item: Item) -> dict[str, bytes]:
        while (item.lao_id not in self.pending or len(self.pending) < WINDOW) and self._submit_next():
            pass
        files = {}
        for fmt, (handle, name) in self.pending.pop(item.lao_id).items():
            if isinstance(handle, bytes):
                files[fmt] = handle
                continue
            content, who = handle.result()
            self.by[who] = self.by.get(who, 0) + 1
            # kept only when rendered here: another machine's fonts may differ from ours
            if self.cache is not None and who.rpartition(":")[0] == socket.gethostname():
                self.cache.put(name, content)
            files[fmt] = content
        return files

    def cancel(self) -> None:
        for entry in self.pending.values():
            for handle, _ in entry.values():
                if not isinstance(handle, bytes):
                    handle.cancel()
        self.pending.clear()


def _archived(db, item: Item, period: int, formats: tuple[str, ...], year: int | None) -> dict[str, bytes]:
    """{format: bytes} of the version the LAO sent, unchanged."""
    row = report_store.submission(db, item.lao_id, period, item.version, year)
    return {fmt: row[fmt] for fmt in formats}


def _zip_info(name: str, when: _dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_zip(
    db,
    period: int,
    province_code: str | None,
    formats: tuple[str, ...],
    out: Path,
    progress: Callable[[int, int], bool] | None = None,
    today: _dt.date | None = None,
    programme_year: int | None = None,
    workers: int | None = None,
    year: int | None = None,
    renderer=None,
) -> dict:
    """Write the ZIP to ``out`` (through a temporary file beside it). ``progress(done,
    total)`` is called before the first file and after each one; when it returns False
    the export stops, the temporary file is removed and Cancelled is raised.
    Reports to render (not submitted) are rendered by ``renderer`` (the task queue's
    render workers, for a background job: formsvc/tasks.py); without one, by a pool of
    ``workers`` processes (default: one per core) when there are enough of them, else
    here; files keep their order.
    ``year``: the programme year to export (default: the open year; a closed year's
    reports are all as sent, or listed as not reported). Raises InputError (Thai) when
    that year is not ``programme_year`` (the year a job was made for) or the scope has
    no model LAO. Returns {"files", "laos", "size", "sha256", "name", "rendered_by"}
    ("rendered_by": {"host:pid": documents rendered there}, not counting the cache's)."""
    today = today or clock.today()
    now = clock.local_now()
    year = programme_store.get_programme(db, year).year_be
    if programme_year is not None and programme_year != year:
        raise InputError(f"ปีดำเนินการเปลี่ยนจาก {programme_year} เป็น {year} หลังสั่งจัดทำ กรุณาสั่งจัดทำใหม่")
    province_name = None
    if province_code:
        province_name = geography.province(db, province_code)["name_th"]
    root = root_name(year, period, province_name)
    todo = items(db, period, province_code, today, year)
    if not todo:
        raise InputError("ยังไม่มี อปท.ต้นแบบในขอบเขตนี้ จึงไม่มีแบบรายงานให้จัดทำ")
    total = sum(1 for item in todo if item.source) * len(formats)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    done = 0
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(
        [
            "จังหวัด",
            "อำเภอ",
            "องค์กรปกครองส่วนท้องถิ่น",
            "รหัส อปท.",
            "สถานะรายงาน",
            "ส่งล่าช้า",
            "ฉบับที่ส่งล่าสุด",
            "วันเวลาที่ส่ง",
            "ไฟล์นี้คือ",
            "ผ่านเกณฑ์ (ข้อ)",
            "ไฟล์",
            "SHA-256",
        ]
    )
    used: set[str] = set()
    as_of = thai.date_long(today, "arabic")
    to_render = [item for item in todo if item.source == "live"]
    own = renderer is None
    if own and (workers or render_pool.cores()) > 1 and len(to_render) * len(formats) >= POOL_MIN:
        renderer = PoolRenderer(db, workers)
    elif own:
        renderer = InlineRenderer()
    renders = _Renders(db, to_render, period, formats, today, renderer)
    try:
        if progress and progress(done, total) is False:
            raise Cancelled()
        with open_private(tmp) as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in todo:
                line = [
                    item.province,
                    item.district,
                    item.lao_name,
                    item.lao_id,
                    item.status_th,
                    services.late_text(item.days_late),
                    item.version or "",
                    thai.moment_text(item.submitted_at) if item.submitted_at else "",
                ]
                if item.source is None:
                    # a period gone by without a report: listed, with no file and no figures
                    writer.writerow([safe(v) for v in (*line, "ไม่มีไฟล์ (ไม่ได้รายงานในรอบนี้)", "", "", "")])
                    continue
                if item.source == "reported":
                    files = _archived(db, item, period, formats, year)
                else:
                    files = renders.files(item)
                passed = sum(1 for met in item.criteria if met)
                folder = f"{root}/" + (f"{_part('จังหวัด' + item.province, NAME_CHARS)}/" if not province_code else "")
                folder += f"{_part(item.district, NAME_CHARS)}/"
                label = f" ({NOT_FILED[item.status]})" if item.status in NOT_FILED else ""
                name = _part(item.lao_name, NAME_CHARS)
                stem = f"{name}{label}"
                if folder + stem in used:
                    stem = f"{name} ({item.lao_id}){label}"
                used.add(folder + stem)
                what = (
                    f"ฉบับที่ {item.version} ที่ส่งอำเภอ"
                    if item.source == "reported"
                    else f"ร่างตามข้อมูล ณ วันที่ {as_of} (ไม่ใช่ฉบับที่ส่งอำเภอ)"
                )
                for fmt in formats:
                    path = f"{folder}{stem}.{fmt}"
                    archive.writestr(_zip_info(path, now), files[fmt])
                    writer.writerow(
                        [
                            safe(v)
                            for v in (
                                *line,
                                what,
                                f"{passed} จาก {len(item.criteria)}",
                                path[len(root) + 1 :],
                                hashlib.sha256(files[fmt]).hexdigest(),
                            )
                        ]
                    )
                    done += 1
                    if progress and progress(done, total) is False:
                        raise Cancelled()
            archive.writestr(_zip_info(f"{root}/{MANIFEST}", now), "\ufeff" + manifest.getvalue())
        digest = hashlib.sha256()
        with open(tmp, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        size = tmp.stat().st_size
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        renders.cancel()
        if own:
            renderer.close(cancel=True)
        raise
    if own:
        renderer.close()
    return {
        "files": done,
        "laos": len(todo),
        "size": size,
        "sha256": digest.hexdigest(),
        "name": f"{root}.zip",
        "rendered_by": renders.by,
    }


# Background jobs --------------------------------------------------------------------


def exports_dir(db_path: str) -> Path:
    """Where finished ZIPs wait for their download: beside the database, private."""
    path = Path(db_path).resolve().parent / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def job_file(db_path: str, job_id: int) -> Path:
    return exports_dir(db_path) / f"job-{job_id}.zip"


def _allowed(db, job: dict) -> bool:
    """The job's owner may still export its scope (a user moved to another province, or
    deactivated, since asking gets nothing)."""
    from formsvc.domain import access
    from formsvc.store.users import get_user, principal

    try:
        user = get_user(db, job["user_id"])
    except NotFound:
        return False
    return bool(user and user["active"]) and access.can_export_reports(principal(user), job["province_code"])


class _Heartbeat(threading.Thread):
    """Beats every HEARTBEAT_SECONDS on its own connection while the job renders, so a
    slow document never makes a live job look dead."""

    def __init__(self, db_path: str, job_id: int):
        super().__init__(daemon=True)
        self.db_path, self.job_id, self.stopped = db_path, job_id, threading.Event()

    def run(self):
        db = connect(self.db_path)
        try:
            while not self.stopped.wait(job_store.HEARTBEAT_SECONDS):
                job_store.beat(db, self.job_id)
        finally:
            db.close()


def run_job(db, db_path: str, job: dict, renderer=None) -> str:
    """Run one claimed job to its end; returns its final status. ``renderer``: who
    renders its drafts (write_zip; the task queue's render workers in the background)."""
    formats = tuple(job["formats"].split(","))
    if not _allowed(db, job):
        job_store.finish(db, job["id"], "failed", error=msg("You no longer have access to this area's files."))
        return "failed"
    heartbeat = _Heartbeat(db_path, job["id"])
    heartbeat.start()
    try:
        result = write_zip(
            db,
            job["period"],
            job["province_code"],
            formats,
            job_file(db_path, job["id"]),
            progress=lambda done, total: job_store.progress(db, job["id"], done, total),
            programme_year=job["programme_year"],
            renderer=renderer,
        )
    except Cancelled:
        status, details = "cancelled", {}
    except InputError as error:
        status, details = "failed", {"error": error.msg or error.message}
    except Exception:
        traceback.print_exc()
        status, details = "failed", {"error": FAILED}
    else:
        status = "done"
        details = {"file_name": result["name"], "size": result["size"], "sha256": result["sha256"]}
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    job_store.finish(db, job["id"], status, **details)
    return status


def remove_stale_files(db, db_path: str) -> None:
    """Expire old ZIPs, and remove files that no job can use any more: those of
    expired, failed or cancelled jobs, and of no job at all once they are older than a
    runner could still be writing them. A done, queued or running job's file is never
    touched (the file list is taken before the job list, so a job that finishes
    meanwhile is seen as done)."""
    job_store.reap(db)
    job_store.expire(db)
    files = list(exports_dir(db_path).glob("job-*.zip*"))
    status = job_store.statuses(db)
    old = clock.timestamp() - job_store.STALE_SECONDS
    for path in files:
        match = re.fullmatch(r"job-(\d+)\.zip(\.part)?", path.name)
        if not match:
            continue
        job_status = status.get(int(match.group(1)))
        try:
            if job_status in ("expired", "failed", "cancelled") or (job_status is None and path.stat().st_mtime < old):
                path.unlink()
        except FileNotFoundError:
            pass


def run_queued(db_path: str, renderer=None) -> int:
    """Take queued jobs one by one until none is left, or MAX_RUNNING are running
    (a job that finishes takes the next). Returns the jobs run."""
    db = connect(db_path)
    count = 0
    try:
        while (job := job_store.claim(db, os.getpid())) is not None:
            run_job(db, db_path, job, renderer)
            count += 1
    finally:
        db.close()
    return count


def chores(db_path: str) -> None:
    """The periodic chores of the background: fail orphaned jobs, expire old ZIPs and
    remove stale files, drop deleted records past their 30 days, send the mail."""
    db = connect(db_path)
    try:
        remove_stale_files(db, db_path)
        trash.purge(db)
        send_mail(db)
    finally:
        db.close()


def send_mail(db) -> None:
    """The runner's mail step (services.mail.run: reminders, then the outbox); a mail
    server that is down never fails the exports."""
    from formsvc.services import mail

    try:
        mail.run(db)
    except Exception:
        traceback.print_exc()
