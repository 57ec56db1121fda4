"""An LAO's emblem (ตราสัญลักษณ์): checked on upload, printed on its documents."""

from __future__ import annotations

from formsvc.documents import emblem as emblem_check
from formsvc.store import laos as lao_store


def emblem(db, lao_id: int) -> dict | None:
    return lao_store.emblem(db, lao_id)


def save_emblem(db, lao_id: int, data: bytes, user_id: int | None) -> None:
    checked = emblem_check.check(data)
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
