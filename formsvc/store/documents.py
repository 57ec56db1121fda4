"""Issued documents kept as they were issued: the certificates (เกียรติบัตร).

An order's archived files are kept with the order (``store.working_group``)."""

from __future__ import annotations

import hashlib

from formsvc.domain.clock import now_iso
from formsvc.store.db import one


def archive_certificate(db, lao_id: int, files: dict[str, bytes], user_id: int | None) -> None:
    """Keep a certificate's files ({format: bytes}), all or none. The files are hashed
    before the write transaction begins."""
    digests = {fmt: hashlib.sha256(content).hexdigest() for fmt, content in files.items()}
    with db.atomic():
        for fmt, content in files.items():
            db.execute(
                "INSERT INTO issued_document (lao_id, kind, format, sha256, size, content, created_by,"
                " created_at) VALUES (?, 'certificate', ?, ?, ?, ?, ?, ?)",
                [lao_id, fmt, digests[fmt], len(content), content, user_id, now_iso()],
            )


def certificate(db, lao_id: int, fmt: str) -> bytes | None:
    """The latest certificate of the LAO in the format, if one was issued."""
    row = one(
        db,
        "SELECT content FROM issued_document WHERE lao_id = ? AND kind = 'certificate' AND format = ?"
        " ORDER BY id DESC LIMIT 1",
        [lao_id, fmt],
    )
    return row["content"] if row else None


def has_certificate(db, lao_id: int) -> bool:
    return one(db, "SELECT id FROM issued_document WHERE lao_id = ? AND kind = 'certificate'", [lao_id]) is not None
