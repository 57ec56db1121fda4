"""Every document of an LAO by kind and format: the one entry the pages and the CLI
use to download one."""

from __future__ import annotations

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain.errors import NotFound
from formsvc.domain.forums import ORGANISERS
from formsvc.services import checklist, orders, reports
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import working_group as wg_store

DOCUMENT_KINDS = ("order", "operation-plan", "minutes", "sign-in-sheet", "project-list", "report", "cover-memo")
FORUM_KINDS = ("minutes", "sign-in-sheet")
FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def document(
    db,
    lao_id: int,
    kind: str,
    fmt: str,
    *,
    draft: bool = False,
    forum_id: int | None = None,
    rows: int | None = None,
    period: int | None = None,
) -> tuple[bytes, str]:
    """(bytes, file name) of a document of the LAO.

    The order is the archived bytes of the current issued order, unless there is none
    or ``draft`` is asked for; every other kind is rendered from the data as it is.
    Minutes and sign-in sheets are of one forum (``forum_id``); a sign-in sheet has
    ``rows`` lines in all (the expected members first).
    """
    if kind not in DOCUMENT_KINDS or fmt not in FORMATS:
        raise NotFound(kind)
    year = programme_store.get_programme(db).year_be
    if kind in ("report", "cover-memo"):
        if period is None:
            raise NotFound(kind)
        if kind == "cover-memo":
            return reports.cover_memo(db, lao_id, period, fmt)
        return reports.report_document(db, lao_id, period, fmt)
    if kind in FORUM_KINDS:
        if forum_id is None:
            raise NotFound(kind)
        forum = forum_store.get_forum(db, lao_id, forum_id)
        lao = lao_store.get_lao(db, lao_id)
        if kind == "minutes":
            context = doc_context.minutes_context(lao, forum, ORGANISERS)
        else:
            count = doc_context.SIGN_IN_ROWS_DEFAULT if rows is None else rows
            count = max(1, min(count, doc_context.SIGN_IN_ROWS_MAX))
            context = doc_context.sign_in_context(lao, forum, count)
        return engine.render(kind, context, fmt), f"{kind}-{forum_id}.{fmt}"
    if kind == "order":
        current = wg_store.current_order(db, lao_id, year)
        if current is not None and not draft:
            row = wg_store.order_document(db, lao_id, current["id"], fmt)
            return row["content"], f"order-{current['number']}-{current['year_be']}.{fmt}"
        return orders.draft_order(db, lao_id, fmt), f"order-draft-{year}.{fmt}"
    lao = lao_store.get_lao(db, lao_id)
    if kind == "project-list":
        c4, c5, issues = checklist.criteria_4_and_5(db, lao_id)
        context = doc_context.project_list_context(
            lao, project_store.list_projects(db, lao_id, year), programme_store.get_programme(db), c4, c5, issues
        )
        return engine.render(kind, context, fmt), f"project-list-{year}.{fmt}"
    group = wg_store.get_group(db, lao_id, year)
    context = doc_context.operation_plan_context(lao, group, programme_store.get_programme(db))
    return engine.render(kind, context, fmt), f"operation-plan-{year}.{fmt}"
