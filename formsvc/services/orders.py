"""The working group's order (คำสั่ง): rendered, issued and archived, or drafted."""

from __future__ import annotations

import datetime as _dt

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock
from formsvc.services import emblems
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import working_group as wg_store


def _facts_from_group(group: dict, order_date: _dt.date, effective_date: _dt.date) -> dict:
    return {
        "number": None,
        "year_be": None,
        "order_date": order_date.isoformat(),
        "effective_date": effective_date.isoformat(),
        "replaces": None,
        "group": {k: group[k] for k in ("reason", "duties", "signer_name", "signer_position")},
        "members": group["members"],
    }


def order_renderer(db, lao_id: int):
    lao = lao_store.get_lao(db, lao_id)
    png = emblems.emblem_png(db, lao_id)

    def render(facts: dict) -> dict[str, bytes]:
        context = doc_context.order_context(lao, facts, png)
        return {"docx": engine.render_docx("order", context), "pdf": engine.render_pdf("order", context)}

    return render


def issue_order(
    db,
    lao_id: int,
    order_date: _dt.date,
    effective_date: _dt.date | None,
    user_id: int | None,
    number: int | None = None,
) -> dict:
    year = programme_store.get_programme(db).year_be
    return wg_store.issue_order(
        db, lao_id, year, order_date, effective_date or order_date, user_id, order_renderer(db, lao_id), number
    )


def draft_order(db, lao_id: int, fmt: str, order_date: _dt.date | None = None) -> bytes:
    """The order as it would be issued now: no number, a ร่าง watermark on the PDF."""
    year = programme_store.get_programme(db).year_be
    group = wg_store.get_group(db, lao_id, year)
    lao = lao_store.get_lao(db, lao_id)
    day = order_date or clock.today()
    facts = _facts_from_group(group, day, day)
    context = doc_context.order_context(lao, facts, emblems.emblem_png(db, lao_id), draft=True)
    return engine.render("order", context, fmt, draft=True)
