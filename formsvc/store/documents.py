"""Issued documents kept as they were issued: the certificates (เกียรติบัตร).

An order's archived files are kept with the order (``store.working_group``). An LAO
holds one current certificate per programme year; issuing again replaces it, and the
replaced one stays, files and all, marked replaced."""

from __future__ import annotations

import hashlib

from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.store.db import one
from formsvc.store.errors import InputError
from formsvc.store.people import person_sql


def current_certificate(db, lao_id: int, year: int) -> dict | None:
    """The LAO's certificate of programme year ``year`` not replaced, if there is one."""
    return one(
        db,
        "SELECT * FROM certificate WHERE lao_id = ? AND programme_year = ? AND replaced_at IS NULL",
        [lao_id, year],
    )


def refuse_a_second_certificate(db, lao_id: int, year: int) -> None:
    """Refuse (InputError, in Thai) when the LAO holds a current certificate of ``year``;
    the check is repeated inside the transaction that archives a new one."""
    if current_certificate(db, lao_id, year) is not None:
        raise InputError(
            msg(
                "A certificate for programme year %(year)s was already issued to this LAO. Tick "
                "'Replace the certificate issued' to issue a new one; the earlier one is kept as replaced.",
                year=year,
            ),
            "replace",
        )


def archive_certificate(
    db, lao_id: int, year: int, files: dict[str, bytes], user_id: int | None, replace: bool = False
) -> int:
    """Keep a certificate of programme year ``year`` and its files ({format: bytes}), all
    or none. The LAO's current certificate of that year is refused unless ``replace``:
    then it is marked replaced and kept. Returns the new certificate's id. The files are
    hashed before the write transaction begins."""
    digests = {fmt: hashlib.sha256(content).hexdigest() for fmt, content in files.items()}
    with db.atomic():
        if not replace:
            refuse_a_second_certificate(db, lao_id, year)
        current = current_certificate(db, lao_id, year)
        now = now_iso()
        if current is not None:
            db.execute(
                "UPDATE certificate SET replaced_by = ?, replaced_at = ? WHERE id = ?", [user_id, now, current["id"]]
            )
        certificate_id = db.execute(
            "INSERT INTO certificate (lao_id, programme_year, issued_by, issued_at) VALUES (?, ?, ?, ?)",
            [lao_id, year, user_id, now],
        ).lastrowid
        for fmt, content in files.items():
            db.execute(
                "INSERT INTO issued_document (lao_id, kind, format, certificate_id, sha256, size, content,"
                " created_by, created_at) VALUES (?, 'certificate', ?, ?, ?, ?, ?, ?, ?)",
                [lao_id, fmt, certificate_id, digests[fmt], len(content), content, user_id, now],
            )
    return certificate_id


def certificates(db, lao_id: int) -> list[dict]:
    """Every certificate of the LAO, newest first, with who issued or replaced it and
    the SHA-256 of each file ({format: sha256})."""
    rows = [
        dict(r)
        for r in db.query(
            f"SELECT c.*, {person_sql('ui')} AS issued_by_name, {person_sql('ur')} AS replaced_by_name"
            " FROM certificate c"
            " LEFT JOIN user ui ON ui.id = c.issued_by LEFT JOIN user ur ON ur.id = c.replaced_by"
            " WHERE c.lao_id = ? ORDER BY c.programme_year DESC, c.id DESC",
            [lao_id],
        )
    ]
    files: dict[int, dict[str, str]] = {}
    for f in db.query(
        "SELECT certificate_id, format, sha256 FROM issued_document WHERE lao_id = ? AND kind = 'certificate'",
        [lao_id],
    ):
        files.setdefault(f["certificate_id"], {})[f["format"]] = f["sha256"]
    for r in rows:
        r["files"] = files.get(r["id"], {})
    return rows


def certificate_file(db, lao_id: int, certificate_id: int, fmt: str) -> bytes | None:
    """A certificate's archived file, current or replaced, as issued."""
    row = one(
        db,
        "SELECT content FROM issued_document WHERE lao_id = ? AND kind = 'certificate' AND certificate_id = ?"
        " AND format = ?",
        [lao_id, certificate_id, fmt],
    )
    return row["content"] if row else None


def certificate(db, lao_id: int, fmt: str) -> bytes | None:
    """The LAO's latest certificate not replaced (of its latest year), in the format."""
    row = one(
        db,
        "SELECT d.content FROM issued_document d JOIN certificate c ON c.id = d.certificate_id"
        " WHERE d.lao_id = ? AND d.kind = 'certificate' AND d.format = ? AND c.replaced_at IS NULL"
        " ORDER BY c.programme_year DESC, c.id DESC LIMIT 1",
        [lao_id, fmt],
    )
    return row["content"] if row else None


def has_certificate(db, lao_id: int) -> bool:
    return one(db, "SELECT id FROM certificate WHERE lao_id = ? AND replaced_at IS NULL", [lao_id]) is not None
