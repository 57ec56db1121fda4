"""Every document by kind and format: the registrations of the kinds, and the one entry
(``document``) the pages and the CLI use to download one.

Each ``register(Kind(...))`` below is the whole of a kind besides its context builder
(``formsvc.documents.context``) and its two templates: what it is of, what a download
may add, its file name, and its source. The registrations live here, in the services
layer, because a source may need other services (the checklist, the roll-up, an order's
or a report's archive), which the documents layer may not import; the documents layer
keeps the ``Kind`` type and renders (``formsvc.documents.kinds``).
"""

from __future__ import annotations

from formsvc.documents import context as doc_context
from formsvc.documents import engine, sheets
from formsvc.documents.kinds import KINDS, Ask, Kind, Made, register
from formsvc.domain.errors import NotFound
from formsvc.domain.forums import ORGANISERS
from formsvc.domain.model import district_display_name
from formsvc.services import area_reports, checklist, orders, reports, rollups

# the module by its own path: the package's name ``certificates`` is a function
from formsvc.services.certificates import certificate as issued_certificate
from formsvc.store import db as store_db
from formsvc.store import forums as forum_store
from formsvc.store import geography
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import working_group as wg_store

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def document(
    db,
    lao_id: int | None,
    kind: str,
    fmt: str,
    *,
    draft: bool = False,
    forum_id: int | None = None,
    rows: int | None = None,
    period: int | None = None,
    district: str | None = None,
    province: str | None = None,
    year: int | None = None,
    meeting_id: int | None = None,
) -> tuple[bytes, str]:
    """(bytes, file name) of a document of the registered ``kind``.

    What the kind is of must be given (an LAO, and a forum, a meeting or a period of it, or a
    district or a province): else, or for a kind or format there is not, NotFound.
    Options the kind does not take are ignored.
    """
    return document_for(db, kind, Ask(fmt, lao_id, forum_id, period, rows, draft, district, province, year, meeting_id))


def document_for(db, kind: str, ask: Ask) -> tuple[bytes, str]:
    """``document``, asked for with an ``Ask`` (as the CLI and the web route build it
    from ``ASKS``)."""
    content, name, _ = document_named(db, kind, ask)
    return content, name


def document_named(db, kind: str, ask: Ask) -> tuple[bytes, str, str]:
    """``document_for`` with both file names: the ASCII one and the Thai one that says
    what the document is (``รายงานการประชุม-เวทีหมู่ที่3-2569.pdf``)."""
    fmt = ask.fmt
    registered = KINDS.get(kind)
    if registered is None or registered.source is None or fmt not in registered.formats or registered.missing(ask):
        raise NotFound(kind)
    made = registered.source(db, ask)
    content = made.content
    if content is None:
        content = engine.render(
            kind, made.context, fmt, draft=made.draft, cache_folder=store_db.render_cache_folder(db)
        )
    return content, registered.file_name(ask, made), registered.file_name_th(ask, made)


# The kinds -------------------------------------------------------------------------------


def _year(db) -> int:
    return programme_store.get_programme(db).year_be


def _order(db, ask: Ask) -> Made:
    """The archived bytes of the current issued order, unless there is none or a draft
    is asked for."""
    year = _year(db)
    current = wg_store.current_order(db, ask.lao, year)
    if current is not None and not ask.draft:
        row = wg_store.order_document(db, ask.lao, current["id"], ask.fmt)
        name = {"order": f"{current['number']}-{current['year_be']}", "order_th": order_name_th(current)}
        return Made(content=row["content"], name=name)
    name = {"order": f"draft-{year}", "order_th": f"ร่างคำสั่งแต่งตั้งคณะทำงาน-{year}"}
    return Made(content=orders.draft_order(db, ask.lao, ask.fmt), name=name)


def order_name_th(order) -> str:
    """An issued order's Thai file name without the extension: คำสั่งแต่งตั้งคณะทำงาน-ที่12-2569."""
    return f"คำสั่งแต่งตั้งคณะทำงาน-ที่{order['number']}-{order['year_be']}"


register(
    Kind(
        "order",
        "คำสั่งแต่งตั้งคณะทำงานระดับท้องถิ่น",
        options=("draft",),
        filename="order-{order}.{fmt}",
        filename_th="{order_th}.{fmt}",
        source=_order,
    )
)


def _operation_plan(db, ask: Ask) -> Made:
    prog = programme_store.get_programme(db)
    group = wg_store.get_group(db, ask.lao, prog.year_be)
    context = doc_context.operation_plan_context(lao_store.get_lao(db, ask.lao), group, prog)
    return Made(context, name={"year": prog.year_be})


register(
    Kind(
        "operation-plan",
        "แผนการดำเนินงานร่วมกัน",
        landscape=True,
        filename="operation-plan-{year}.{fmt}",
        filename_th="แผนการดำเนินงานร่วมกัน-{year}.{fmt}",
        source=_operation_plan,
    )
)


def _minutes(db, ask: Ask) -> Made:
    forum = forum_store.get_forum(db, ask.lao, ask.forum)
    context = doc_context.minutes_context(lao_store.get_lao(db, ask.lao), forum, ORGANISERS)
    return Made(context, name=_forum_name(forum))


def _forum_name(forum: dict) -> dict:
    """What a forum's file name says: เวทีหมู่ที่3, เวทีชุมชนตลาดเก่า or เวทีระดับท้องถิ่น, and its year."""
    if forum["village_kind"] == "village":
        which = f"เวทีหมู่ที่{forum['village_number']}"
    elif forum["village_kind"]:
        which = f"เวที{forum['village_name']}"
    else:
        which = "เวทีระดับท้องถิ่น"
    return {"forum_th": which, "year": forum["programme_year"]}


register(
    Kind(
        "minutes",
        "รายงานการประชุม",
        of="forum",
        filename="minutes-{forum}.{fmt}",
        filename_th="รายงานการประชุม-{forum_th}-{year}.{fmt}",
        source=_minutes,
    )
)


def _sign_in_sheet(db, ask: Ask) -> Made:
    """``rows`` lines in all (the expected members first)."""
    forum = forum_store.get_forum(db, ask.lao, ask.forum)
    count = doc_context.SIGN_IN_ROWS_DEFAULT if ask.rows is None else ask.rows
    count = max(1, min(count, doc_context.SIGN_IN_ROWS_MAX))
    return Made(doc_context.sign_in_context(lao_store.get_lao(db, ask.lao), forum, count), name=_forum_name(forum))


register(
    Kind(
        "sign-in-sheet",
        "ใบลงชื่อผู้เข้าร่วมเวทีประชาคม",
        of="forum",
        options=("rows",),
        filename="sign-in-sheet-{forum}.{fmt}",
        filename_th="ใบลงชื่อผู้เข้าร่วมประชุม-{forum_th}-{year}.{fmt}",
        source=_sign_in_sheet,
    )
)


def _meeting_minutes(db, ask: Ask) -> Made:
    """Minutes of a working-group meeting, in the layout of a forum's minutes."""
    meeting = meeting_store.get_meeting(db, ask.lao, ask.meeting)
    context = doc_context.meeting_minutes_context(lao_store.get_lao(db, ask.lao), meeting)
    name = {"no": meeting["meeting_no"], "year": meeting["meeting_year_be"]}
    return Made(context, name=name)


register(
    Kind(
        "meeting-minutes",
        "รายงานการประชุมคณะทำงานระดับท้องถิ่น",
        template="minutes",
        of="meeting",
        filename="meeting-minutes-{meeting}.{fmt}",
        filename_th="รายงานการประชุมคณะทำงาน-ครั้งที่{no}-{year}.{fmt}",
        source=_meeting_minutes,
    )
)


def _project_list(db, ask: Ask) -> Made:
    prog = programme_store.get_programme(db)
    c4, c5, issues = checklist.criteria_4_and_5(db, ask.lao)
    projects = project_store.list_projects(db, ask.lao, prog.year_be)
    context = doc_context.project_list_context(lao_store.get_lao(db, ask.lao), projects, prog, c4, c5, issues)
    return Made(context, name={"year": prog.year_be})


register(
    Kind(
        "project-list",
        "บัญชีโครงการ/กิจกรรมจากแผนชุมชน",
        landscape=True,
        filename="project-list-{year}.{fmt}",
        filename_th="บัญชีโครงการจากแผนชุมชน-{year}.{fmt}",
        source=_project_list,
    )
)


def _plan_projects(db, ask: Ask) -> Made:
    prog = programme_store.get_programme(db)
    projects = project_store.list_projects(db, ask.lao, prog.year_be)
    context = doc_context.plan_projects_context(lao_store.get_lao(db, ask.lao), projects, prog)
    return Made(context, name={"year": prog.year_be})


register(
    Kind(
        "plan-projects",
        "รายละเอียดโครงการพัฒนา (แบบ ผ.02)",
        landscape=True,
        filename="plan-projects-{year}.{fmt}",
        filename_th="รายละเอียดโครงการพัฒนา-ผ02-{year}.{fmt}",
        source=_plan_projects,
        formats=("pdf", "docx", "xlsx"),
        sheet=sheets.plan_projects,
    )
)


def _report(db, ask: Ask) -> Made:
    """The latest submitted version as sent, else the draft as of today."""
    content, version = reports.report_version(db, ask.lao, ask.period, ask.fmt)
    version_th = "ร่าง" if version == "draft" else f"ฉบับที่{version.removeprefix('v')}"
    return Made(content=content, name={"version": version, "version_th": version_th, "year": _year(db)})


register(
    Kind(
        "report",
        "แบบรายงานผลการดำเนินงานทุก ๒ เดือน",
        of="period",
        filename="report-{period}-{version}.{fmt}",
        filename_th="รายงานผลการดำเนินงาน-ครั้งที่{period}-{year}-{version_th}.{fmt}",
        source=_report,
    )
)


register(
    Kind(
        "cover-memo",
        "บันทึกข้อความนำส่งรายงาน",
        of="period",
        filename="cover-memo-{period}.{fmt}",
        filename_th="บันทึกข้อความนำส่งรายงาน-ครั้งที่{period}-{year}.{fmt}",
        source=lambda db, ask: Made(reports.cover_memo_context(db, ask.lao, ask.period), name={"year": _year(db)}),
    )
)


def _summary(level: str):
    def source(db, ask: Ask) -> Made:
        code = getattr(ask, level)
        context, period = rollups.summary_context(db, level, code, ask.period, year=ask.year, compiler=ask.compiler)
        if level == "district":
            area = geography.district(db, code)
            area_th = district_display_name(area["kind"], area["name_th"])
        else:
            area_th = "จังหวัด" + geography.province(db, code)["name_th"]
        name = {"code": code, "period": period, "area": area_th, "year": ask.year or _year(db)}
        return Made(context, name=name)

    return source


for _level, _title in (("district", "แบบสรุปผลระดับอำเภอ"), ("province", "แบบสรุปผลระดับจังหวัด")):
    register(
        Kind(
            f"{_level}-summary",
            _title,
            landscape=True,
            template="summary",
            of=_level,
            options=("period", "year"),
            filename="{kind}-{code}-{period}.{fmt}",
            filename_th=_title + "-{area}-ครั้งที่{period}-{year}.{fmt}",
            source=_summary(_level),
        )
    )


def _national_summary(db, ask: Ask) -> Made:
    context, period = rollups.national_summary_context(db, ask.period, year=ask.year, compiler=ask.compiler)
    return Made(context, name={"period": period, "year": ask.year or _year(db)})


def _area_report(level: area_reports.Level):
    def made(db, ask: Ask) -> Made:
        """The district or province report of a period (default: the current one): its
        latest version as sent, else the draft as it stands now (marked ร่าง)."""
        code = ask.district if level is area_reports.DISTRICT else ask.province
        place = area_reports.area(db, level, code)
        district = level is area_reports.DISTRICT
        number = ask.period or rollups.current_period(db, year=ask.year)
        content, version = area_reports.document(db, level, code, number, ask.fmt, ask.compiler, ask.year)
        version_th = "ร่าง" if version == "draft" else f"ฉบับที่{version.removeprefix('v')}"
        name = {
            "code": code,
            "area": district_display_name(place["kind"], place["name_th"]) if district else place["name_th"],
            "number": number,
            "version": version,
            "version_th": version_th,
            "year": ask.year or _year(db),
        }
        return Made(content=content, name=name)

    return made


register(
    Kind(
        "national-summary",
        "แบบสรุปผลระดับประเทศ",
        landscape=True,
        of="country",
        options=("year",),
        filename="national-summary-{year}-{period}.{fmt}",
        filename_th="แบบสรุปผลระดับประเทศ-ครั้งที่{period}-{year}.{fmt}",
        source=_national_summary,
    )
)


register(
    Kind(
        "district-report",
        "รายงานผลการดำเนินงานระดับอำเภอ",
        landscape=True,
        of="district",
        options=("period", "year"),
        filename="district-report-{code}-{number}-{version}.{fmt}",
        filename_th="รายงานผลการดำเนินงานระดับอำเภอ-{area}-ครั้งที่{number}-{year}-{version_th}.{fmt}",
        source=_area_report(area_reports.DISTRICT),
    )
)


register(
    Kind(
        "province-report",
        "รายงานผลการดำเนินงานระดับจังหวัด",
        landscape=True,
        template="district-report",  # the same layout: the roll-up, then the sections
        of="province",
        options=("period", "year"),
        filename="province-report-{code}-{number}-{version}.{fmt}",
        filename_th="รายงานผลการดำเนินงานระดับจังหวัด-{area}-ครั้งที่{number}-{year}-{version_th}.{fmt}",
        source=_area_report(area_reports.PROVINCE),
    )
)


def _area_memo(level: area_reports.Level):
    def made(db, ask: Ask) -> Made:
        """The memo sending the district or province report of a period (default: the
        current one) to the level above, as its latest version was sent (else now)."""
        code = ask.district if level is area_reports.DISTRICT else ask.province
        place = area_reports.area(db, level, code)
        number = ask.period or rollups.current_period(db, year=ask.year)
        context = area_reports.memo_context(db, level, code, number, compiler=ask.compiler, year=ask.year)
        area_name = district_display_name(place["kind"], place["name_th"]) if level is area_reports.DISTRICT else None
        name = {"code": code, "area": area_name or place["name_th"], "number": number, "year": ask.year or _year(db)}
        return Made(context, name=name)

    return made


for _level, _th in (("district", "อำเภอ"), ("province", "จังหวัด")):
    register(
        Kind(
            f"{_level}-cover-memo",
            f"บันทึกข้อความนำส่งรายงานระดับ{_th}",
            template="cover-memo",  # regulation form 2, as the LAO's memo
            of=_level,
            options=("period", "year"),
            filename=f"{_level}-cover-memo-{{code}}-{{number}}.{{fmt}}",
            filename_th=f"บันทึกข้อความนำส่งรายงานระดับ{_th}-{{area}}-ครั้งที่{{number}}-{{year}}.{{fmt}}",
            source=_area_memo(area_reports.LEVELS[_level]),
        )
    )


register(
    Kind(
        "certificate",
        "เกียรติบัตร",
        landscape=True,
        filename="certificate-{lao}.{fmt}",
        filename_th="เกียรติบัตร-{lao_name}.{fmt}",
        source=lambda db, ask: Made(
            content=issued_certificate(db, ask.lao, ask.fmt), name={"lao_name": _lao_name(db, ask.lao)}
        ),
    )
)


def _lao_name(db, lao_id: int) -> str:
    """The LAO's full name (เทศบาลตำบลหนองบัว), as a file name says it."""
    lao = lao_store.get_lao(db, lao_id)
    return lao.get("full_name") or lao["name"]
