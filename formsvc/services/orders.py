"""The working group's order (คำสั่ง): the group it is issued from saved, the order
rendered, issued and archived, or drafted."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock
from formsvc.services import emblems
from formsvc.store import db as store_db
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


Renderer = Callable[[dict], dict[str, bytes]]


def order_renderer(db, lao_id: int) -> Renderer:
    """The order's renderer: the LAO and its emblem read once, facts in, files out."""
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
    *,
    render: Renderer | None = None,
) -> dict:
    """Issue the working group's next order of the open programme year: what the order
    is made of (the LAO, its emblem, the group) read once, the facts worked out, the
    files rendered outside any transaction, then the store checks under its write lock
    that the facts still hold and writes the order with them. When another order was
    issued or the group saved meanwhile, the order is rendered again from what holds
    now. ``render`` replaces the renderer (files rendered elsewhere from the same facts).
    InputError (a message for the clerk) when it cannot be issued."""
    year = programme_store.get_programme(db).year_be
    effective_date = effective_date or order_date
    render = render or order_renderer(db, lao_id)
    wg_store.check_order_request(year, order_date, effective_date, number)
    for _attempt in range(wg_store.ISSUE_ATTEMPTS):
        facts, _replaces = wg_store.next_order(db, lao_id, year, order_date, effective_date, number)
        order = wg_store.issue_order(db, lao_id, year, facts, render(facts), user_id, number)
        if order is not None:
            return order
    raise wg_store.issue_attempts_failed()


def save_group(
    db,
    lao_id: int,
    *,
    reason: str,
    duties: list[str],
    signer_name: str,
    signer_position: str,
    members: list[dict],
    user_id: int | None,
    expected_version: int | None = None,
    removed: list[dict] | None = None,
) -> int:
    """Save the working group the order is issued from, for the open programme year;
    returns its new version (see ``store.working_group.save_group``: members dropped from
    the list are kept to restore, and listed in ``removed``)."""
    return wg_store.save_group(
        db,
        lao_id,
        programme_store.get_programme(db).year_be,
        reason=reason,
        duties=duties,
        signer_name=signer_name,
        signer_position=signer_position,
        members=members,
        user_id=user_id,
        expected_version=expected_version,
        removed=removed,
    )


def draft_order(db, lao_id: int, fmt: str, order_date: _dt.date | None = None) -> bytes:
    """The order as it would be issued now: no number, a ร่าง watermark on the PDF."""
    year = programme_store.get_programme(db).year_be
    group = wg_store.get_group(db, lao_id, year)
    lao = lao_store.get_lao(db, lao_id)
    day = order_date or clock.today()
    facts = _facts_from_group(group, day, day)
    context = doc_context.order_context(lao, facts, emblems.emblem_png(db, lao_id), draft=True)
    return engine.render("order", context, fmt, draft=True, cache_folder=store_db.render_cache_folder(db))
