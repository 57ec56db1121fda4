"""Municipal villages, and the year of the data a forum used.

A tambon municipality has หมู่บ้าน (หมู่ที่ n) as well as ชุมชน, but every row of a
municipality was saved as a community, with the number of a village dropped: a row
whose name still carries its number ("หมู่ 7 บ้านหนองบัว", "หมู่ที่ ๗", "ม.7 …") becomes
the village of that number, named by the rest (the whole name when nothing is left);
a number another row of the LAO already has, or outside 1–99, leaves the row as it
was. Kept versions of a village (record_version) gain the kind the row had, so a form
loaded before the change compares like with like.

A forum records the year (BE) of the จปฐ. and กชช. ๒ค data it used (NULL: not
recorded, as for every forum before this step, which keeps its yes/no).

The names are read in Python, so this migration is a Python file. Written out here,
not imported, so it stays as it was when later code changes."""

from __future__ import annotations

import re

from formsvc.store.migrations import run_script

NAME = "municipal villages with their number; the year of the data a forum used"

NUMBERED = re.compile(r"^\s*(?:หมู่ที่|หมู่|ม\.)\s*([0-9๐-๙]{1,2})(?![0-9๐-๙])\s*(.*)$", re.S)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def migrate(db):
    run_script(
        db,
        """
    ALTER TABLE forum ADD COLUMN bmn_year INTEGER;
    ALTER TABLE forum ADD COLUMN village_data_year INTEGER;
    UPDATE record_version
       SET snapshot = json_set(snapshot, '$.bmn_year', NULL, '$.village_data_year', NULL)
     WHERE kind = 'forum' AND json_valid(snapshot);
    UPDATE record_version
       SET snapshot = json_set(
           snapshot, '$.kind',
           COALESCE(
               (SELECT v.kind FROM village v WHERE v.id = CAST(record_version.record_key AS INTEGER)),
               'community'))
     WHERE kind = 'village' AND json_valid(snapshot) AND json_extract(snapshot, '$.kind') IS NULL;
    """,
    )
    rows = db.execute(
        "SELECT v.id, v.lao_id, v.name FROM village v JOIN lao l ON l.id = v.lao_id"
        " WHERE l.kind = 'tambon_municipality' AND v.kind = 'community' ORDER BY v.id"
    ).fetchall()
    for village_id, lao_id, name in rows:
        match = NUMBERED.match(name)
        if not match:
            continue
        number = int(match[1].translate(THAI_DIGITS))
        rest = match[2].strip() or name.strip()
        if not 1 <= number <= 99:
            continue
        taken = db.execute(
            "SELECT 1 FROM village WHERE lao_id = ? AND (number = ? OR (kind = 'village' AND name = ?)) AND id != ?",
            [lao_id, number, rest, village_id],
        ).fetchone()
        if taken:
            continue
        db.execute("UPDATE village SET kind = 'village', number = ?, name = ? WHERE id = ?", [number, rest, village_id])
