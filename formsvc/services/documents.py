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
from formsvc.documents import engine
from formsvc.documents.kinds import KINDS, Ask, Kind, Made, register
from formsvc.domain.errors import NotFound
from formsvc.domain.forums import ORGANISERS
from formsvc.services import certificates, checklist, orders, reports, rollups
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import working_group as wg_store

FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


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
) -> tuple[bytes, str]:
    """(bytes, file name) of a document of the registered ``kind``.

    What the kind is of must be given (an LAO, and a forum or a period of it, or a
    district or a province): else, or for a kind or format there is not, NotFound.
    Options the kind does not take are ignored.
    """
    return document_for(db, kind, Ask(fmt, lao_id, forum_id, period, rows, draft, district, province, year))


def document_for(db, kind: str, ask: Ask) -> tuple[bytes, str]:
    """``document``, asked for with an ``Ask`` (as the CLI and the web route build it
    from ``ASKS``)."""
    fmt = ask.fmt
    registered = KINDS.get(kind)
    if registered is None or registered.source is None or fmt not in FORMATS or registered.missing(ask):
        raise NotFound(kind)
    made = registered.source(db, ask)
    content = made.content
    if content is None:
        content = engine.render(kind, made.context, fmt, draft=made.draft)
    return content, registered.file_name(ask, made)


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
        return Made(content=row["content"], name={"order": f"{current['number']}-{current['year_be']}"})
    return Made(content=orders.draft_order(db, ask.lao, ask.fmt), name={"order": f"draft-{year}"})


register(
    Kind(
        "order",
        "คำสั่งแต่งตั้งคณะทำงานระดับท้องถิ่น",
        options=("draft",),
        filename="order-{order}.{fmt}",
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
        source=_operation_plan,
    )
)


def _minutes(db, ask: Ask) -> Made:
    forum = forum_store.get_forum(db, ask.lao, ask.forum)
    return Made(doc_context.minutes_context(lao_store.get_lao(db, ask.lao), forum, ORGANISERS))


register(Kind("minutes", "รายงานการประชุม", of="forum", filename="minutes-{forum}.{fmt}", source=_minutes))


def _sign_in_sheet(db, ask: Ask) -> Made:
    """``rows`` lines in all (the expected members first)."""
    forum = forum_store.get_forum(db, ask.lao, ask.forum)
    count = doc_context.SIGN_IN_ROWS_DEFAULT if ask.rows is None else ask.rows
    count = max(1, min(count, doc_context.SIGN_IN_ROWS_MAX))
    return Made(doc_context.sign_in_context(lao_store.get_lao(db, ask.lao), forum, count))


register(
    Kind(
        "sign-in-sheet",
        "ใบลงชื่อผู้เข้าร่วมเวทีประชาคม",
        of="forum",
        options=("rows",),
        filename="sign-in-sheet-{forum}.{fmt}",
        source=_sign_in_sheet,
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
        source=_project_list,
    )
)


def _report(db, ask: Ask) -> Made:
    """The latest submitted version as sent, else the draft as of today."""
    content, version = reports.report_version(db, ask.lao, ask.period, ask.fmt)
    return Made(content=content, name={"version": version})


register(
    Kind(
        "report",
        "แบบรายงานผลการดำเนินงานทุก ๒ เดือน",
        of="period",
        filename="report-{period}-{version}.{fmt}",
        source=_report,
    )
)


register(
    Kind(
        "cover-memo",
        "บันทึกข้อความนำส่งรายงาน",
        of="period",
        filename="cover-memo-{period}.{fmt}",
        source=lambda db, ask: Made(reports.cover_memo_context(db, ask.lao, ask.period)),
    )
)


def _summary(level: str):
    def source(db, ask: Ask) -> Made:
        code = getattr(ask, level)
        context, period = rollups.summary_context(db, level, code, ask.period, year=ask.year)
        return Made(context, name={"code": code, "period": period})

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
            source=_summary(_level),
        )
    )


register(
    Kind(
        "certificate",
        "เกียรติบัตร",
        landscape=True,
        filename="certificate-{lao}.{fmt}",
        source=lambda db, ask: Made(content=certificates.certificate(db, ask.lao, ask.fmt)),
    )
)
