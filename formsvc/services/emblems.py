"""An LAO's emblem (ตราสัญลักษณ์): checked on upload, printed on its documents."""

from __future__ import annotations

from formsvc.documents import emblem as emblem_check
from formsvc.store import laos as lao_store


def emblem(db, lao_id: int) -> dict | None:
    return lao_store.emblem(db, lao_id)


def save_emblem(db, lao_id: int, data: bytes, user_id: int | None) -> None:
    """Check the image (decoding a PNG, drawing an SVG in a child process with limits),
    then store it. The check runs before and outside any transaction, so a slow or
    refused image holds no database lock; called inside one, this refuses to start."""
    if db.conn.in_transaction:
        raise RuntimeError("an emblem is checked outside any transaction")
    checked = emblem_check.check(data)
    with db.atomic(outermost=True):
        lao_store.save_emblem(
            db,
            lao_id,
            mime=checked.mime,
            content=checked.content,
            png=checked.png,
            width=checked.width,
            height=checked.height,
            user_id=user_id,
        )


def emblem_png(db, lao_id: int) -> bytes | None:
    row = lao_store.emblem(db, lao_id)
    return row["png"] if row else None
