"""The `formsvc` command line (also `python -m formsvc`).

Exit codes: 0 success, 1 a reported failure (bad input, not found), 2 usage.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys

import click

from formsvc import config
from formsvc.domain.access import ROLES
from formsvc.store import connect
from formsvc.store.errors import InputError


def _db():
    return connect(config.database_path())


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _year(db, value: str | None) -> int:
    """The programme year of ``--year`` (default: the open year); a year not opened (or
    not a year) fails with a Thai message, exit 1."""
    from formsvc.store import programme

    if value is None:
        return programme.get_programme(db).year_be
    year = programme.parse_year(value)
    opened = programme.years(db)
    if year is None or year not in opened:
        _fail(f"ไม่มีปีดำเนินการ {value} (ปีที่เปิดแล้ว: {', '.join(map(str, opened)) or '-'})")
    return year


YEAR_HELP = "Programme year (BE; default: the open year)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """formsvc: community plans into local development plans and budgets."""


@main.command("init-db")
@click.option("--demo", is_flag=True, help="Also load the demo province and one user per role.")
def init_db(demo):
    """Create or migrate the database at $FORMSVC_DB (default instance/formsvc.db)."""
    from formsvc.demo import init_db_with_demo as run
    from formsvc.store.setup import demo_logins

    db = _db()
    result = run(db, demo=demo)
    geo = result["geography"]
    click.echo(f"database: {config.database_path()}")
    click.echo(f"migrations applied: {result['migrations_applied'] or 'none (up to date)'}")
    click.echo(
        f"geography: {geo['province']} provinces, {geo['district']} districts, {geo['subdistrict']} subdistricts"
    )
    if demo:
        click.echo("demo data: loaded" if result["demo_loaded"] else "demo data: already present")
        _print_logins(demo_logins(db))


def _print_logins(logins) -> None:
    if not logins:
        return
    click.echo("demo logins (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username:<12} {password:<14} {role}")


@main.command("demo-logins")
def demo_logins_cmd():
    """Print the demo logins, when the database holds the demo."""
    from formsvc.store.setup import demo_logins

    _print_logins(demo_logins(_db()))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="Gunicorn workers (default: 2 × cores + 1).")
@click.option(
    "--render-workers",
    default=None,
    type=click.IntRange(0, 64),
    help="Render processes of the task queue on this machine (default: one per core; 0: only other machines').",
)
def serve(host, port, workers, render_workers):
    """Serve the app with gunicorn (production style), with the task queue's workers
    beside it (formsvc/tasks.py): the jobs worker and the render workers, stopped
    when gunicorn stops."""
    from formsvc.store.setup import init_db as run

    run(_db())  # migrate before workers start
    workers = workers or (2 * (os.cpu_count() or 1) + 1)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--config",
        "python:formsvc.gunicorn_conf",  # each worker warms the document engine first
        "formsvc:create_app()",
    ]
    sys.exit(_run_beside_workers(args, render_workers))


def _run_beside_workers(args: list[str], render_workers: int | None) -> int:
    """Run ``args`` (gunicorn) with the queue's workers beside it; signals to this
    process go to gunicorn; when it ends, the workers are stopped. Returns its exit code."""
    import signal
    import subprocess
    from pathlib import Path

    # the workers need the database, not the session key; they stop if this process dies
    env = {k: v for k, v in os.environ.items() if k != "FORMSVC_SECRET_KEY"}
    env["FORMSVC_DB"] = str(Path(config.database_path()).resolve())
    env["FORMSVC_PARENT_PID"] = str(os.getpid())
    command = [sys.executable, "-m", "formsvc", "worker"]
    children = [subprocess.Popen([*command, "--jobs"], env=env, stdin=subprocess.DEVNULL)]
    try:
        if render_workers != 0:
            extra = ["--workers", str(render_workers)] if render_workers else []
            children.append(subprocess.Popen([*command, *extra], env=env, stdin=subprocess.DEVNULL))
        server = subprocess.Popen(args)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, lambda number, frame: server.send_signal(number))
        return server.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@main.command()
@click.option("--workers", type=click.IntRange(1, 64), help="Render processes (default: one per core).")
@click.option(
    "--jobs",
    is_flag=True,
    help="Run the export jobs and the periodic chores instead (on the machine with the database;"
    " formsvc serve starts it).",
)
def worker(workers, jobs):
    """A worker of the task queue (FORMSVC_QUEUE): renders documents for export jobs.
    `formsvc serve` starts the workers it needs; run this on a second machine, with
    FORMSVC_QUEUE naming the same Redis server, to add render capacity there."""
    from formsvc import tasks

    if tasks.queue_setting() == "memory":
        _fail("FORMSVC_QUEUE=memory ทำงานทันทีในกระบวนการที่สั่ง จึงไม่มีงานให้ worker")
    tasks.run_consumer(jobs=jobs, workers=workers)


@main.command("open-year")
@click.argument("year", type=str)
def open_year(year):
    """Open programme year YEAR (BE), the one after the latest: it copies the months, late
    days, dimensions and each district's model LAO; forums, projects, working groups,
    orders and reports start empty. Villages stay with their LAO."""
    from formsvc.store import programme

    try:
        result = programme.open_new_year(_db(), year, None)
    except InputError as error:
        _fail(error.message)
    click.echo(
        f"เปิดปีดำเนินการ {result['year_be']} แล้ว (ปี {result['from_year']} ปิดแล้ว อ่านได้ตามเดิม):"
        f" คัดลอกการตั้งค่า มิติการพัฒนา {result['dimensions']} มิติ และ อปท.ต้นแบบ {result['model_laos']} อำเภอ;"
        " เวทีประชาคม โครงการ คณะทำงาน คำสั่ง และรายงาน เริ่มใหม่ว่าง"
    )


@main.command()
@click.option("--year", help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def laos(year, as_json):
    """List LAOs with id, name, kind, district and model flag (of the programme year)."""
    from formsvc.store import laos as lao_store

    db = _db()
    year = _year(db, year)
    rows = [
        {
            "id": r["id"],
            "name": r["full_name"],
            "kind": r["kind"],
            "district_code": r["district_code"],
            "district": r["district_label"],
            "province": r["province_name"],
            "model": bool(r["is_model"]),
            "programme_year": year,
        }
        for r in lao_store.list_laos(db, programme_year=year)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:>5}  {'*' if r['model'] else ' '}  {r['name']}  ({r['district']}, {r['province']})")


@main.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--lao", "lao_id", type=int)
@click.option("--district", "district_code")
@click.option("--province", "province_code")
@click.option("--password", help="Prompted for when not given.")
@click.option("--display-name", default="")
def create_user(username, role, lao_id, district_code, province_code, password, display_name):
    """Create a user with a role and its scope."""
    from formsvc.store.users import create_user as create

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user_id = create(
            _db(),
            username,
            password,
            role,
            lao_id=lao_id,
            district_code=district_code,
            province_code=province_code,
            display_name=display_name,
        )
    except InputError as error:
        _fail(error.message)
    click.echo(f"user {username} created (id {user_id}, role {role})")


class _KindChoice(click.Choice):
    """The registered document kinds, read when first asked for (registering them
    imports the services, which ``formsvc --help`` need not wait for)."""

    def __init__(self):
        super().__init__(())

    @property
    def choices(self):
        from formsvc import services  # noqa: F401 (registers the kinds)
        from formsvc.documents.kinds import KINDS

        return tuple(KINDS)

    @choices.setter
    def choices(self, value):
        pass


def _ask_options(command):
    """One option per thing a document may be of or take (formsvc.documents.kinds.ASKS)."""
    from formsvc.documents.kinds import ASKS

    for name, spec in reversed(ASKS.items()):
        if spec.type is bool:
            command = click.option(f"--{name}", name, is_flag=True, help=spec.help)(command)
        else:
            kind = click.IntRange(*spec.range) if spec.range else spec.type
            command = click.option(f"--{name}", name, type=kind, help=spec.help)(command)
    return command


# what each option of `render` picks, as a refusal names it (an option added to ASKS
# without a word here is named as it is)
ASK_TH = {
    "lao": "อปท.",
    "forum": "เวที",
    "period": "รอบรายงาน",
    "rows": "จำนวนบรรทัด",
    "draft": "ฉบับร่าง",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "year": "ปีดำเนินการ",
    "meeting": "การประชุมคณะทำงาน",
}

# what `render` names when a document is not found, in this order
NOT_FOUND = {
    "lao": "อปท. รหัส",
    "district": "อำเภอรหัส",
    "province": "จังหวัดรหัส",
    "forum": "เวทีรหัส",
    "meeting": "การประชุมคณะทำงานรหัส",
    "period": "รอบรายงานที่",
}


@main.command()
@click.argument("kind", type=_KindChoice())
@_ask_options
@click.option("--format", "fmt", required=True, type=click.Choice(["docx", "pdf", "xlsx"]))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def render(kind, fmt, out, **asks):
    """Write a document: of an LAO (the issued order when there is one, else the draft;
    with --forum or --period for the kinds of a forum or a reporting period), or of a
    district or a province."""
    from formsvc import services
    from formsvc.documents.kinds import KINDS, Ask
    from formsvc.store.errors import NotFound

    registered = KINDS[kind]
    if fmt not in registered.formats:
        click.echo(f"{kind} ไม่มีแบบ {fmt} (มีแบบ {', '.join(registered.formats)})", err=True)
        sys.exit(2)
    # an option the kind does not read is refused, not ignored: a national summary is
    # of no LAO (``--lao``), an order of no period
    for name, value in asks.items():
        if value not in (None, False) and name not in registered.asks:
            click.echo(f"{kind} ไม่รับ --{name} ({registered.title_th} ไม่ต้องระบุ {ASK_TH.get(name, name)})", err=True)
            sys.exit(2)
    for name in registered.needs:
        if asks[name] is None:
            click.echo(f"{kind} ต้องระบุ --{name}", err=True)
            sys.exit(2)
    db = _db()
    if asks["year"] is not None:
        asks["year"] = _year(db, asks["year"])
    try:
        content, _ = services.document_for(db, kind, Ask(fmt, **asks))
    except NotFound:
        of = " ".join(f"{label} {asks[name]}" for name, label in NOT_FOUND.items() if asks[name] is not None)
        _fail(f"ไม่พบ{registered.title_th}ของ {of}")
    with open(out, "wb") as fh:
        fh.write(content)
    click.echo(f"{out}: {len(content)} bytes")


@main.command()
@click.option("--lao", "lao_id", required=True, type=int)
@click.option("--year", help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def forums(lao_id, year, as_json):
    """Forums of an LAO in the programme year, with id, level, date."""
    from formsvc.store import forums as forum_store
    from formsvc.store.errors import NotFound
    from formsvc.store.laos import get_lao

    db = _db()
    try:
        get_lao(db, lao_id)
    except NotFound:
        _fail(f"ไม่พบ อปท. รหัส {lao_id}")
    year = _year(db, year)
    rows = [
        {
            "id": f["id"],
            "level": f["level"],
            "date": f["held_on"],
            "title": f["title"],
            "village_id": f["village_id"],
            "programme_year": f["programme_year"],
            "meeting": f"{f['meeting_no']}/{f['meeting_year_be']}" if f["meeting_no"] else None,
        }
        for f in forum_store.forums(db, lao_id, year)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:>5}  {r['date']}  {r['level']:<7}  {r['title']}")


@main.command("import-projects")
@click.option("--lao", "lao_id", required=True, type=int)
@click.option(
    "--forum",
    "forum_id",
    type=int,
    default=None,
    help="The LAO-level forum whose ranked list the file is (needed when the year has several).",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_projects(lao_id, forum_id, file):
    """Replace an LAO's project list for the programme year with a CSV or XLSX file: the
    ranked list of the year's LAO-level forum (its only one, or --forum FID).

    All or nothing: one bad row and the list stays as it was (row-numbered Thai errors)."""
    from pathlib import Path

    from formsvc import imports
    from formsvc.domain import thai
    from formsvc.store import projects as project_store
    from formsvc.store.errors import NotFound
    from formsvc.store.laos import get_lao
    from formsvc.store.programme import get_programme

    db = _db()
    try:
        get_lao(db, lao_id)
    except NotFound:
        _fail(f"ไม่พบ อปท. รหัส {lao_id}")
    year = get_programme(db).year_be
    try:
        forum = project_store.import_forum(db, lao_id, year, forum_id)
    except InputError as error:
        forums = project_store.lao_forums(db, lao_id, year)
        if forums:
            click.echo("เวทีประชาคมระดับท้องถิ่นของปีนี้ (ระบุด้วย --forum รหัส):", err=True)
            for f in forums:
                day = thai.date_short(_dt.date.fromisoformat(f["held_on"]), "arabic")
                click.echo(f"  {f['id']}  {day}  {f['title']}", err=True)
        _fail(error.message)
    path = Path(file)
    try:
        parsed = imports.parse(db, lao_id, path.read_bytes()[: imports.MAX_BYTES + 1], path.name)
    except InputError as error:
        _fail(error.message)
    for notice in parsed.notices:
        click.echo(notice, err=True)
    if not parsed.ok:
        for message in parsed.errors:
            click.echo(message, err=True)
        _fail(f"ไม่ได้นำเข้า: พบข้อผิดพลาด {len(parsed.errors)} แถว รายการเดิมยังอยู่ครบ")
    try:
        count = project_store.replace_all(db, lao_id, year, parsed.rows, forum["id"])
    except InputError as error:
        _fail(error.message)
    click.echo(f"นำเข้า {count} โครงการจาก {path.name} แล้ว (บัญชีโครงการของ {forum['title']})")


@main.command()
@click.option("--lao", "lao_id", required=True, type=int)
@click.option("--year", help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def compliance(lao_id, year, as_json):
    """The criteria an LAO meets in the programme year, with reasons for those it does not."""
    from formsvc import services
    from formsvc.store.errors import NotFound

    db = _db()
    year = _year(db, year)
    try:
        result = services.compliance(db, lao_id, year)
    except NotFound:
        _fail(f"ไม่พบ อปท. รหัส {lao_id}")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for c in result["criteria"]:
        click.echo(f"เกณฑ์ข้อ {c['number']}: {'ผ่าน' if c['met'] else 'ยังไม่ผ่าน'}")
        for reason in c["reasons"]:
            click.echo(f"  - {reason}")
        for warning in c.get("warnings", []):
            click.echo(f"  ! {warning}")


@main.command()
@click.option("--province", "province_code", help="One province (default: the whole country).")
@click.option("--period", type=int, help="Reporting period (default: the latest that has started).")
@click.option("--year", help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def rollup(province_code, period, year, as_json):
    """Model LAOs with each criterion, report status, KPI and funnel."""
    from formsvc import services
    from formsvc.domain import criteria, thai
    from formsvc.store import geography
    from formsvc.store.errors import NotFound

    db = _db()
    year = _year(db, year)
    if province_code and geography.province(db, province_code) is None:
        _fail(f"ไม่พบรหัสจังหวัด {province_code}")
    try:
        result = services.rollup(db, province_code=province_code, period=period, year=year)
    except NotFound:
        _fail(f"ไม่มีรอบรายงานที่ {period}")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"ปีดำเนินการ {result['programme_year']} รอบที่ {result['period']} ({result['period_label']}): "
        f"อปท.ต้นแบบ {result['selected']} แห่ง "
        f"ผ่านครบ {criteria.COUNT} ข้อ {result['passing']} แห่ง ร้อยละ {result['kpi_percent']}"
    )
    for lao in result["laos"]:
        marks = (
            "".join("✓" if m else "·" for m in lao["criteria"]) if lao["criteria"] is not None else "-" * criteria.COUNT
        )
        if lao["source"] == "reported":
            source = f"ฉบับที่ {lao['report_version']} ส่ง {thai.local_date(lao['submitted_at']).isoformat()}"
        elif lao["source"] == "live":
            source = f"ข้อมูล ณ วันที่ {lao['as_of']}"
        else:
            source = ""
        late = f" ส่งช้า {lao['days_late']} วัน" if lao["late"] else ""
        click.echo(
            f"  {marks}  {lao['name']} ({lao['district']})  {lao['report_status_th']}{late}"
            + (f"  [{source}]" if source else "")
        )
    click.echo(f"รายงานส่งช้า {result['late']} แห่ง")


@main.command("export-reports")
@click.option("--period", required=True, type=int, help="The reporting period.")
@click.option("--province", "province_code", help="One province (default: the whole country).")
@click.option("--format", "fmt", default="pdf", show_default=True, type=click.Choice(["pdf", "docx", "both"]))
@click.option("--workers", type=click.IntRange(1, 64), help="Rendering processes (default: one per core).")
@click.option("--year", help=YEAR_HELP)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_reports(period, province_code, fmt, workers, year, out):
    """One ZIP of every model LAO's report form for a period (Thai file names)."""
    from formsvc import exports
    from formsvc.store import geography
    from formsvc.store import reports as report_store
    from formsvc.store.errors import NotFound

    db = _db()
    year = _year(db, year)
    if province_code and geography.province(db, province_code) is None:
        _fail(f"ไม่พบรหัสจังหวัด {province_code}")
    try:
        report_store.period(db, period, year)
    except NotFound:
        _fail(f"ไม่มีรอบรายงานที่ {period}")
    formats = ("pdf", "docx") if fmt == "both" else (fmt,)
    bar = None

    def progress(done, total):
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="จัดทำไฟล์รายงาน", file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()
        bar.update(done - bar.pos)
        return True

    try:
        result = exports.write_zip(db, period, province_code, formats, out, progress, workers=workers, year=year)
    except InputError as error:
        _fail(error.message)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{out}: {result['laos']} อปท. {result['files']} ไฟล์ {result['size']:,} bytes sha256 {result['sha256']}")


@main.command("demo-national")
@click.option("--districts", type=click.IntRange(1, 1000), help="Only this many districts (default: all).")
@click.option("--seed", default=2569, show_default=True, type=int)
@click.option("--workers", type=click.IntRange(1, 64), help="Rendering processes (default: one per core).")
def demo_national(districts, seed, workers):
    """Fill the database with one model LAO per district of the country (benchmarks)."""
    from formsvc import demo_national as national
    from formsvc.store.setup import init_db as store_init

    db = _db()
    store_init(db)
    result = national.load(
        db, districts=districts, seed=seed, workers=workers, say=lambda text: click.echo(text, err=True)
    )
    click.echo(json.dumps(result, ensure_ascii=False))


@main.command("purge-deleted")
def purge_deleted():
    """Drop for good the deleted forums, villages and projects kept more than 30 days
    (the task queue's jobs worker does it too, every minute)."""
    from formsvc.store import trash

    click.echo(trash.purge(_db()))


@main.command("send-mail")
@click.option("--loop", "every", type=click.IntRange(min=10), help="Keep running: a round every N seconds.")
def send_mail(every):
    """Queue today's report reminders and send the queued e-mail (docs/mail.md)."""
    import time

    from formsvc.services import mail

    while True:
        db = _db()
        try:
            result = mail.run(db)
        finally:
            db.close()
        if not every:
            click.echo(json.dumps(result))
            return
        time.sleep(every)


@main.command()
@click.argument("path", type=click.Path(path_type=str))
def backup(path):
    """Copy the database to PATH while the server keeps running (SQLite online backup),
    checked with PRAGMA integrity_check; PATH is replaced only by a whole, checked copy."""
    from formsvc.store import backup as store

    try:
        info = store.backup(config.database_path(), path)
    except InputError as error:
        _fail(error.message)
    click.echo(
        f"สำรองฐานข้อมูลไว้ที่ {info['path']} แล้ว ({info['bytes']:,} ไบต์, schema รุ่น "
        f"{info['schema_version']}, integrity_check: ok, ไฟล์แนบ {info['attachments']} ไฟล์)"
    )
    if info["attachments_missing"]:
        click.echo(
            f"คำเตือน: ไม่พบไฟล์แนบหรือไฟล์แนบเสียหาย {len(info['attachments_missing'])} ไฟล์ "
            f"(SHA-256: {', '.join(sha[:12] for sha in info['attachments_missing'][:10])})",
            err=True,
        )


@main.command()
@click.argument("path", type=click.Path(path_type=str))
def restore(path):
    """Replace the database with the backup at PATH, then migrate it.

    Refuses a file that is not a SQLite database, fails PRAGMA integrity_check, or has no
    schema version or one newer than this program. The database as it was is kept beside
    it first (<db>.before-restore-<time>)."""
    from formsvc.store import backup as store

    try:
        info = store.restore(config.database_path(), path)
    except InputError as error:
        _fail(error.message)
    if info["previous"]:
        click.echo(f"เก็บฐานข้อมูลก่อนนำกลับไว้ที่ {info['previous']}")
    migrated = f" ปรับเป็นรุ่น {info['migrations_applied'][-1]}" if info["migrations_applied"] else ""
    click.echo(
        f"นำฐานข้อมูลกลับจาก {path} แล้ว (schema รุ่น {info['schema_version']}{migrated},"
        f" ไฟล์แนบ {info['attachments']} ไฟล์ ตรวจตรงกันทุกไบต์)"
    )
    if info["attachments_missing"]:
        click.echo(
            f"คำเตือน: ฐานข้อมูลที่นำกลับอ้างถึงไฟล์แนบที่ไม่มีในสำเนา {len(info['attachments_missing'])} ไฟล์",
            err=True,
        )


@main.command("audit-verify")
@click.option(
    "--anchor", metavar="HASH", help="A last hash recorded outside the database earlier; it must still be in the chain."
)
def audit_verify(anchor):
    """Check the audit log's hash chain; print the entry count and the last hash."""
    from formsvc.store import audit

    db = _db()
    if not db["audit_log"].exists():
        _fail("ฐานข้อมูลนี้ยังไม่มีบันทึกการเปลี่ยนแปลง (รัน formsvc init-db ก่อน)")
    result = audit.verify(db, anchor=anchor)
    if not result.ok:
        if result.broken_id:
            _fail(
                f"บันทึกการเปลี่ยนแปลงไม่ถูกต้องที่รายการ {result.broken_id}: {result.reason}\n"
                f"({result.count} รายการก่อนหน้านั้นถูกต้อง)"
            )
        _fail(f"บันทึกการเปลี่ยนแปลงไม่ถูกต้อง: {result.reason}")
    click.echo(f"บันทึกการเปลี่ยนแปลงถูกต้อง: {result.count} รายการ")
    if result.last_id:
        click.echo(f"รายการล่าสุด {result.last_id} แฮช {result.last_hash}")
        click.echo("เก็บแฮชนี้ไว้นอกเครื่อง แล้วตรวจครั้งต่อไปด้วย --anchor เพื่อให้รู้หากบันทึกถูกเขียนใหม่")


if __name__ == "__main__":
    main()
