"""Attaching a photo or a PDF scan to an LAO's record, and the list a report's annex shows.

Uploading takes three steps, in this order: the file is checked and cleaned, its bytes
hashed (formsvc.documents.attachments, in a child process for the decoding), then
written under its SHA-256 (formsvc.store.attachments), all before the write
transaction that checks the record's count and the LAO's quota and adds the row. A
refused file changes nothing: the bytes it wrote are removed again unless another row
names them."""

from __future__ import annotations

from formsvc.documents import attachments as cleaning
from formsvc.domain import thai
from formsvc.store import attachments as store
from formsvc.store.db import refuse_in_transaction

KIND_TH = {"photo": "ภาพถ่าย", "pdf": "เอกสารสแกน (PDF)"}
OWNER_TH = {
    "forum": "เวทีประชาคม",
    "meeting": "การประชุมคณะทำงาน",
    "visit": "การติดตามผล",
    "report": "รายงาน",
    "consent": "หนังสือแสดงความยินยอม",
}


def attach(db, lao_id: int, owner_kind: str, owner_id: int, file_name: str, data: bytes, user_id: int | None) -> int:
    """Check, clean and store a file for a record of the LAO; the new attachment's id.
    InputError (with a Thai message) when the file is refused or a limit is reached."""
    refuse_in_transaction("checking an attachment")
    prepared = cleaning.prepare(file_name, data)
    base = store.folder(db)
    shas = [prepared.sha256] + ([prepared.thumb_sha256] if prepared.thumb is not None else [])
    existed = {sha for sha in shas if store.has_file(base, sha)}
    store.write_file(base, prepared.sha256, prepared.content)
    if prepared.thumb is not None:
        store.write_file(base, prepared.thumb_sha256, prepared.thumb)
    try:
        return store.add(db, lao_id, owner_kind, owner_id, prepared, user_id)
    except BaseException:
        store.remove_unreferenced(db, [sha for sha in shas if sha not in existed])
        raise


def annex(db, lao_id: int, owners: list[tuple[str, int]], digit_style: str = "thai") -> list[dict]:
    """The rows of a report's annex: each attachment of ``owners`` (kind, id) with its
    file name, kind, date and the first 12 characters of its SHA-256."""
    rows = []
    for i, row in enumerate(store.of_records(db, lao_id, owners), 1):
        day = thai.local_date(row["uploaded_at"])
        rows.append(
            {
                "number": str(i),
                "file_name": row["file_name"],
                "kind": f"{KIND_TH[row['kind']]} ประกอบ{OWNER_TH.get(row['owner_kind'], row['owner_kind'])}",
                "date": thai.date_short(day, "arabic"),
                "sha": row["sha256"][:12],
            }
        )
    return rows
