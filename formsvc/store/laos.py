"""LAOs, their tambons and villages/communities, and the model-LAO selection."""

from __future__ import annotations

import datetime as _dt
import hashlib
import sqlite3
from dataclasses import dataclass, field

import sqlite_utils

from formsvc.domain import clock, thai
from formsvc.domain.access import LaoScope
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.model import (
    LAO_KINDS,
    VILLAGE_KIND_FOR_LAO,
    VILLAGE_KINDS,
    VILLAGE_KINDS_FOR_LAO,
    default_chief_title,
    district_display_name,
    lao_full_name,
    village_label,
    village_message,
)
from formsvc.domain.text import Limit
from formsvc.domain.versions import Field, Fields, choice, yes_no
from formsvc.store import trash, versions
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)
from formsvc.store.people import person_sql

NAME_MAX = 120
TITLE_MAX = 200


@dataclass
class LaoInput:
    name: str
    kind: str
    district_code: str
    subdistrict_codes: list[str] = field(default_factory=list)
    chief_title: str = ""
    has_kamnan: bool = True
    has_coc: bool = True
    digit_style: str = "thai"


_LAO_SELECT = """
SELECT l.*, d.name_th AS district_name, d.kind AS district_kind,
       d.province_code AS province_code, p.name_th AS province_name
FROM lao l
JOIN district d ON d.code = l.district_code
JOIN province p ON p.code = d.province_code
"""


def _decorate(row: dict) -> dict:
    row["full_name"] = lao_full_name(row["kind"], row["name"])
    row["district_label"] = district_display_name(row["district_kind"], row["district_name"])
    row["village_kind"] = VILLAGE_KIND_FOR_LAO[row["kind"]]
    return row


def _validate(db, data: LaoInput) -> LaoInput:
    name = (data.name or "").strip()
    for prefix in ("องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "อบต.", "ทต."):
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
    if not name:
        raise InputError(msg("Enter the LAO name."), "name")
    if len(name) > NAME_MAX:
        raise InputError(msg("The LAO name is longer than %(max)s characters.", max=NAME_MAX), "name")
    if data.kind not in LAO_KINDS:
        raise InputError(
            msg("The LAO type must be a subdistrict municipality or a subdistrict administrative organisation."), "kind"
        )
    if not one(db, "SELECT code FROM district WHERE code = ?", [data.district_code or ""]):
        raise InputError(msg("There is no district with this code."), "district_code")
    codes = list(dict.fromkeys(c for c in data.subdistrict_codes if c))
    if codes:
        found = {
            r["code"]
            for r in db.query(
                f"SELECT code FROM subdistrict WHERE district_code = ? AND code IN ({','.join('?' * len(codes))})",
                [data.district_code, *codes],
            )
        }
        if len(found) != len(codes):
            raise InputError(msg("The chosen subdistricts must be in the LAO's district."), "subdistrict_codes")
    title = (data.chief_title or "").strip() or default_chief_title(data.kind, name)
    if len(title) > TITLE_MAX:
        raise InputError(
            msg("The chief executive's title is longer than %(max)s characters.", max=TITLE_MAX), "chief_title"
        )
    if data.digit_style not in ("thai", "arabic"):
        raise InputError(msg("Digits must be Thai or Arabic."), "digit_style")
    return LaoInput(
        name, data.kind, data.district_code, codes, title, bool(data.has_kamnan), bool(data.has_coc), data.digit_style
    )


def create_lao(db: sqlite_utils.Database, data: LaoInput) -> int:
    data = _validate(db, data)
    now = now_iso()
    try:
        with db.atomic():
            cur = db.execute(
                "INSERT INTO lao (name, kind, district_code, chief_title, has_kamnan, has_coc,"
                " digit_style, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    data.name,
                    data.kind,
                    data.district_code,
                    data.chief_title,
                    int(data.has_kamnan),
                    int(data.has_coc),
                    data.digit_style,
                    now,
                    now,
                ),
            )
            lao_id = cur.lastrowid
            _set_subdistricts(db, lao_id, data.subdistrict_codes)
    except sqlite3.IntegrityError:
        raise InputError(msg("This district already has an LAO with this name."), "name") from None
    return lao_id


# the names of LAO_KIND_PREFIX's kinds and of the digit styles, as messages
LAO_KIND_NAMES = {"tambon_municipality": msg("Tambon municipality"), "tao": msg("Tambon Administrative Organisation")}
DIGIT_STYLE_NAMES = {"thai": msg("Thai digits"), "arabic": msg("Arabic digits")}


def _lao_fields(db) -> Fields:
    def district(code):
        row = one(db, "SELECT kind, name_th FROM district WHERE code = ?", [code])
        return district_display_name(row["kind"], row["name_th"]) if row else code

    def subdistrict(code):
        row = one(db, "SELECT name_th FROM subdistrict WHERE code = ?", [code])
        return row["name_th"] if row else code

    return Fields(
        {
            "name": msg("LAO name"),
            "kind": Field(msg("Type"), choice(LAO_KIND_NAMES)),
            "district_code": Field(msg("District"), district),
            "subdistrict_codes": Field(msg("Tambons within the LAO"), subdistrict),
            "chief_title": msg("Chief's title"),
            "has_kamnan": Field(msg("Has a kamnan in the area"), yes_no),
            "has_coc": Field(msg("Has a community-organisation council in the area"), yes_no),
            "digit_style": Field(msg("Digits in documents"), choice(DIGIT_STYLE_NAMES)),
        }
    )


def _lao_values(row) -> dict:
    """The LAO's details as its form edits them (from a stored row or a LaoInput)."""
    if isinstance(row, LaoInput):
        return {
            "name": row.name,
            "kind": row.kind,
            "district_code": row.district_code,
            "subdistrict_codes": sorted(row.subdistrict_codes),
            "chief_title": row.chief_title,
            "has_kamnan": int(row.has_kamnan),
            "has_coc": int(row.has_coc),
            "digit_style": row.digit_style,
        }
    return {
        "name": row["name"],
        "kind": row["kind"],
        "district_code": row["district_code"],
        "subdistrict_codes": sorted(s["code"] for s in row["subdistricts"]),
        "chief_title": row["chief_title"],
        "has_kamnan": int(row["has_kamnan"]),
        "has_coc": int(row["has_coc"]),
        "digit_style": row["digit_style"],
    }


def update_lao(
    db: sqlite_utils.Database,
    lao_id: int,
    data: LaoInput,
    user_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Save the LAO's details from its form. Returns the new version; a form based on an
    old version that would overwrite another's change is refused (ConflictError)."""
    get_lao(db, lao_id)
    data = _validate(db, data)
    try:
        with db.atomic():
            current = get_lao(db, lao_id)
            versions.check(
                db,
                "lao",
                lao_id,
                what=msg("the details of this LAO"),
                expected=expected_version,
                version=current["version"],
                current=_lao_values(current),
                saved_by=current["updated_by"],
                saved_at=current["updated_at"],
                yours=_lao_values(data),
                fields=_lao_fields(db),
            )
            # a municipality has villages and communities, an อบต. villages only: an LAO
            # becomes an อบต. only without communities
            if (
                data.kind != current["kind"]
                and data.kind == "tao"
                and one(db, "SELECT id FROM village WHERE lao_id = ? AND kind = 'community' LIMIT 1", [lao_id])
            ):
                raise InputError(
                    msg(
                        "The LAO cannot become a subdistrict administrative organisation while communities"
                        " are recorded: it has villages only. Delete the communities or"
                        " make them villages first."
                    ),
                    "kind",
                )
            if data.district_code != current["district_code"] and one(
                db, "SELECT lao_id FROM model_lao WHERE lao_id = ? LIMIT 1", [lao_id]
            ):
                raise InputError(
                    msg("The LAO cannot move to another district: it is the model LAO of its present district."),
                    "district_code",
                )
            if _lao_values(data) == _lao_values(current):
                return current["version"]
            versions.remember(
                db,
                "lao",
                lao_id,
                current["version"],
                _lao_values(current),
                current["updated_by"],
                current["updated_at"],
            )
            db.execute(
                "UPDATE lao SET name = ?, kind = ?, district_code = ?, chief_title = ?, has_kamnan = ?,"
                " has_coc = ?, digit_style = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
                (
                    data.name,
                    data.kind,
                    data.district_code,
                    data.chief_title,
                    int(data.has_kamnan),
                    int(data.has_coc),
                    data.digit_style,
                    user_id,
                    now_iso(),
                    lao_id,
                ),
            )
            _set_subdistricts(db, lao_id, data.subdistrict_codes)
            return current["version"] + 1
    except sqlite3.IntegrityError:
        raise InputError(msg("This district already has an LAO with this name."), "name") from None


def _set_subdistricts(db, lao_id: int, codes: list[str]) -> None:
    db.execute("DELETE FROM lao_subdistrict WHERE lao_id = ?", [lao_id])
    db.conn.executemany(
        "INSERT INTO lao_subdistrict (lao_id, subdistrict_code) VALUES (?, ?)",
        [(lao_id, c) for c in codes],
    )


def get_lao(db, lao_id: int) -> dict:
    row = one(db, _LAO_SELECT + " WHERE l.id = ?", [lao_id])
    if row is None:
        raise NotFound(lao_id)
    row = _decorate(row)
    row["subdistricts"] = list(
        db.query(
            "SELECT s.code, s.name_th FROM lao_subdistrict ls JOIN subdistrict s ON s.code = ls.subdistrict_code"
            " WHERE ls.lao_id = ? ORDER BY s.code",
            [lao_id],
        )
    )
    return row


def lao_scope(db, lao_id: int) -> LaoScope:
    row = one(
        db,
        "SELECT l.id, l.district_code, d.province_code FROM lao l"
        " JOIN district d ON d.code = l.district_code WHERE l.id = ?",
        [lao_id],
    )
    if row is None:
        raise NotFound(lao_id)
    return LaoScope(row["id"], row["district_code"], row["province_code"])


def list_laos(
    db,
    *,
    district_code: str | None = None,
    province_code: str | None = None,
    lao_id: int | None = None,
    programme_year: int | None = None,
) -> list[dict]:
    """LAOs, filtered by scope, each with whether it is the model LAO of the year."""
    where, params = [], []
    if district_code:
        where.append("l.district_code = ?")
        params.append(district_code)
    if province_code:
        where.append("d.province_code = ?")
        params.append(province_code)
    if lao_id is not None:
        where.append("l.id = ?")
        params.append(lao_id)
    sql = _LAO_SELECT.replace(
        "FROM lao l",
        ", (m.lao_id IS NOT NULL) AS is_model,"
        " (SELECT count(*) FROM village v WHERE v.lao_id = l.id) AS village_count"
        " FROM lao l LEFT JOIN model_lao m ON m.lao_id = l.id AND m.programme_year = ?",
    )
    params.insert(0, programme_year if programme_year is not None else -1)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY d.province_code, l.district_code, l.kind, l.name"
    return [_decorate(r) for r in db.query(sql, params)]


# Villages and communities -------------------------------------------------------------


def villages(db, lao_id: int) -> list[dict]:
    rows = list(db.query("SELECT * FROM village WHERE lao_id = ? ORDER BY kind DESC, number, name", [lao_id]))
    for r in rows:
        r["label"] = village_label(r["kind"], r["number"], r["name"])
    return rows


def _village_values(db, lao_id: int, kind: str | None, number, name: str) -> tuple[str, int | None, str]:
    """A row's kind, number and name as stored. ``kind`` None: a village when a number
    is given, else the LAO's usual kind (a community in a municipality). A tambon
    municipality has both หมู่บ้าน (with their number) and ชุมชน (with none); an อบต.
    has หมู่บ้าน only. A number is never dropped: a community with one is refused."""
    lao = get_lao(db, lao_id)
    number = None if number is None or str(number).strip() == "" else number
    if kind in (None, ""):
        kind = "village" if number is not None else lao["village_kind"]
    if kind not in VILLAGE_KINDS:
        raise InputError(msg("Choose whether it is a village or a community."), "kind")
    if kind not in VILLAGE_KINDS_FOR_LAO[lao["kind"]]:
        raise InputError(msg("A subdistrict administrative organisation has villages only, not communities."), "kind")
    name = (name or "").strip()
    if not name:
        raise InputError(msg("Enter the village/community name."), "name")
    if len(name) > NAME_MAX:
        raise InputError(msg("The village/community name is longer than %(max)s characters.", max=NAME_MAX), "name")
    if kind == "village":
        text = thai.to_arabic_digits(str(number).strip())
        for prefix in ("หมู่ที่", "หมู่", "ม."):
            if text.startswith(prefix):
                text = text[len(prefix) :].strip()
                break
        try:
            number = int(text)
        except (TypeError, ValueError):
            raise InputError(msg("Enter the village number as a number."), "number") from None
        if not 1 <= number <= 99:
            raise InputError(msg("The village number must be between 1 and 99."), "number")
    elif number is not None:
        raise InputError(
            msg(
                "A community has no village number. Choose village for village No. %(number)s, or clear the number.",
                number=str(number).strip()[:6],
            ),
            "number",
        )
    return kind, number, name


def add_village(db, lao_id: int, number, name: str, kind: str | None = None) -> int:
    kind, number, name = _village_values(db, lao_id, kind, number, name)
    try:
        with db.atomic():
            return db.execute(
                "INSERT INTO village (lao_id, kind, number, name) VALUES (?, ?, ?, ?)", (lao_id, kind, number, name)
            ).lastrowid
    except sqlite3.IntegrityError:
        raise InputError(
            msg("The LAO already has a village/community with this number or name."), "number" if number else "name"
        ) from None


VILLAGE_KIND_NAMES = {"village": msg("Village (with a number)"), "community": msg("Community (no number)")}
VILLAGE_FIELDS = Fields(
    {
        "kind": Field(msg("Village or community"), choice(VILLAGE_KIND_NAMES)),
        "number": msg("Village number"),
        "name": msg("Village/community name"),
    }
)


def update_village(
    db,
    lao_id: int,
    village_id: int,
    number,
    name: str,
    user_id: int | None = None,
    expected_version: int | None = None,
    kind: str | None = None,
) -> int:
    """Save a village or community from its form. Returns the new version; a form based
    on an old version that would overwrite another's change is refused (ConflictError).
    ``kind`` None keeps the row's kind; a municipality's row may change kind (a ชุมชน
    that is in fact หมู่ที่ 7 becomes a village with its number)."""
    before = get_village(db, lao_id, village_id)
    kind, number, name = _village_values(db, lao_id, kind or before["kind"], number, name)
    yours = {"kind": kind, "number": number, "name": name}
    try:
        with db.atomic():
            current = get_village(db, lao_id, village_id)
            stored = {"kind": current["kind"], "number": current["number"], "name": current["name"]}
            versions.check(
                db,
                "village",
                village_id,
                what=msg(
                    "the details of %(village)s",
                    village=village_message(current["kind"], current["number"], current["name"]),
                ),
                expected=expected_version,
                version=current["version"],
                current=stored,
                saved_by=current["updated_by"],
                saved_at=current["updated_at"],
                yours=yours,
                fields=VILLAGE_FIELDS,
            )
            if yours == stored:
                return current["version"]
            versions.remember(
                db, "village", village_id, current["version"], stored, current["updated_by"], current["updated_at"]
            )
            db.execute(
                "UPDATE village SET kind = ?, number = ?, name = ?, version = version + 1, updated_by = ?,"
                " updated_at = ? WHERE id = ? AND lao_id = ?",
                (kind, number, name, user_id, now_iso(), village_id, lao_id),
            )
            return current["version"] + 1
    except sqlite3.IntegrityError:
        raise InputError(
            msg("The LAO already has a village/community with this number or name."), "number" if number else "name"
        ) from None


def get_village(db, lao_id: int, village_id: int) -> dict:
    row = one(db, "SELECT * FROM village WHERE id = ? AND lao_id = ?", [village_id, lao_id])
    if row is None:
        raise NotFound(village_id)
    row["label"] = village_label(row["kind"], row["number"], row["name"])
    return row


def delete_village(db, lao_id: int, village_id: int, user_id: int | None = None) -> int:
    """Delete a village/community with no forums, keeping a copy for 30 days (store.trash)."""
    village = get_village(db, lao_id, village_id)
    if one(db, "SELECT id FROM forum WHERE village_id = ? LIMIT 1", [village_id]):
        raise InputError(
            msg(
                "%(village)s cannot be deleted: community forums of it are recorded.",
                village=village_message(village["kind"], village["number"], village["name"]),
            ),
            "village",
        )
    with db.atomic():
        data = {
            "village": trash.rows(db, "village", "id = ?", [village_id])[0],
            "projects": [r["id"] for r in db.query("SELECT id FROM project WHERE village_id = ?", [village_id])],
        }
        entry = trash.keep(db, lao_id, "village", village_id, village["label"], data, user_id)
        db.execute("DELETE FROM village WHERE id = ? AND lao_id = ?", [village_id, lao_id])
    return entry


def restore_village(db, lao_id: int, entry: dict) -> int:
    """Put a deleted village/community back (``entry`` from trash.get) and give its
    projects their village again (those not given another meanwhile). Refuses, changing
    nothing, when its number or name has been given to another village meanwhile."""
    data = entry["data"]
    village = data["village"]
    with db.atomic():
        taken = one(
            db,
            "SELECT * FROM village WHERE lao_id = ?"
            " AND ((number IS NOT NULL AND number IS ?) OR (kind = ? AND name = ?))",
            [lao_id, village["number"], village["kind"], village["name"]],
        )
        if taken:
            raise InputError(
                msg(
                    "%(village)s cannot be restored: %(other)s now has its number or name."
                    " Change that one first if this one should come back.",
                    village=village_message(village["kind"], village["number"], village["name"]),
                    other=village_message(taken["kind"], taken["number"], taken["name"]),
                )
            )
        village_id = trash.insert(db, "village", village)
        if data["projects"]:
            db.execute(
                f"UPDATE project SET village_id = ? WHERE id IN ({', '.join('?' for _ in data['projects'])})"
                " AND lao_id = ? AND village_id IS NULL",
                [village_id, *data["projects"], lao_id],
            )
        trash.forget(db, entry["id"])
    return village_id


# Model LAO of a district --------------------------------------------------------------


# How a model LAO was chosen (guideline §3.1, §4.2(3)): the district local-administration
# office (ท้องถิ่นอำเภอ) and the district community-development office (พัฒนาการอำเภอ)
# agree on it together, for its readiness, and the LAO consents. Recorded with each
# change of the model LAO (model_lao_change); a selection made before it was recorded
# shows as not recorded. The consent letter is referred to by its number and date only.
READINESS_LIMIT = Limit(4000, 50)  # the readiness notes
LETTER_NUMBER_MAX = 60
SELECTION_KEYS = (
    "local_officer_name",
    "local_officer_position",
    "community_officer_name",
    "community_officer_position",
    "agreed_on",
    "readiness_notes",
    "consent_on",
    "consent_letter_number",
    "consent_letter_date",
)


@dataclass
class SelectionRecord:
    local_officer_name: str = ""  # the ท้องถิ่นอำเภอ who agreed
    local_officer_position: str = ""
    community_officer_name: str = ""  # the พัฒนาการอำเภอ who agreed
    community_officer_position: str = ""
    agreed_on: _dt.date | None = None
    readiness_notes: str = ""
    consent_on: _dt.date | None = None  # the LAO's consent
    consent_letter_number: str = ""
    consent_letter_date: _dt.date | None = None


def _selection_labels() -> dict[str, Msg]:
    return {
        "local_officer_name": msg("Name of the district local-administration officer who agreed"),
        "local_officer_position": msg("Position of the district local-administration officer who agreed"),
        "community_officer_name": msg("Name of the district community-development officer who agreed"),
        "community_officer_position": msg("Position of the district community-development officer who agreed"),
        "agreed_on": msg("Date both district offices agreed"),
        "readiness_notes": msg("Readiness of the LAO"),
        "consent_on": msg("Date of the LAO's consent"),
        "consent_letter_number": msg("Number of the LAO's consent letter"),
        "consent_letter_date": msg("Date of the LAO's consent letter"),
    }


def _show_day(value) -> str:
    return thai.date_long(_dt.date.fromisoformat(value), "arabic") if value else ""


def _selection_text(value: str, limit: Limit, label: Msg, name: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(msg("%(field)s is required.", field=label), name)
    refusal = limit.refusal(text, label)
    if refusal:
        raise InputError(refusal, name)
    return text


def _selection_day(value: _dt.date | None, label: Msg, name: str, programme_year: int, required: bool) -> str | None:
    if value is None:
        if required:
            raise InputError(msg("%(field)s is required.", field=label), name)
        return None
    today = clock.today()
    earliest = _dt.date(programme_year - thai.BE_OFFSET - 2, 1, 1)  # two years before the programme year
    if not earliest <= value <= today:
        raise InputError(
            msg(
                "%(field)s must be between %(start)s and today (%(today)s).",
                field=label,
                start=thai.date_long(earliest, "arabic"),
                today=thai.date_long(today, "arabic"),
            ),
            name,
        )
    return value.isoformat()


def selection_columns(record: SelectionRecord, programme_year: int) -> dict:
    """The record checked, as the columns of model_lao_change; or InputError (Thai)
    naming the field. Both officers' names and positions and the consent date are
    required; no date may be after today."""
    labels = _selection_labels()
    columns: dict = {}
    for name in ("local_officer_name", "community_officer_name"):
        columns[name] = _selection_text(getattr(record, name), Limit(NAME_MAX), labels[name], name, True)
    for name in ("local_officer_position", "community_officer_position"):
        columns[name] = _selection_text(getattr(record, name), Limit(TITLE_MAX), labels[name], name, True)
    columns["readiness_notes"] = _selection_text(
        record.readiness_notes, READINESS_LIMIT, labels["readiness_notes"], "readiness_notes", False
    )
    columns["consent_letter_number"] = _selection_text(
        record.consent_letter_number,
        Limit(LETTER_NUMBER_MAX),
        labels["consent_letter_number"],
        "consent_letter_number",
        False,
    )
    for name, required in (("agreed_on", False), ("consent_on", True), ("consent_letter_date", False)):
        columns[name] = _selection_day(getattr(record, name), labels[name], name, programme_year, required)
    return {key: columns[key] for key in SELECTION_KEYS}


def _selection_fields(names: dict) -> Fields:
    labels = _selection_labels()
    days = {"agreed_on", "consent_on", "consent_letter_date"}
    return Fields(
        {
            "lao_id": Field(msg("Model LAO"), lambda v: names.get(v, f"#{v}")),
            **{key: Field(labels[key], _show_day if key in days else str) for key in SELECTION_KEYS},
        }
    )


def selection_record(db, district_code: str, programme_year: int, lao_id: int) -> dict | None:
    """How ``lao_id`` came to serve its current term as the district's model LAO: the
    latest change of its term (the selection, or a record of it written later), with who
    saved it; None when it does not serve. ``consent_on`` NULL: not recorded."""
    return one(
        db,
        f"SELECT c.*, {person_sql('u')} AS changed_by_name FROM model_lao_change c"
        " LEFT JOIN user u ON u.id = c.changed_by"
        " JOIN model_lao_term t ON t.district_code = c.district_code AND t.programme_year = c.programme_year"
        " AND t.lao_id = c.lao_id AND t.to_period IS NULL AND c.id >= coalesce(t.change_id, 0)"
        " WHERE c.district_code = ? AND c.programme_year = ? AND c.lao_id = ? ORDER BY c.id DESC LIMIT 1",
        [district_code, programme_year, lao_id],
    )


def model_lao(db, district_code: str, programme_year: int) -> dict | None:
    return one(
        db,
        f"SELECT m.*, {person_sql('u')} AS selected_by_name FROM model_lao m"
        " LEFT JOIN user u ON u.id = m.selected_by"
        " WHERE m.district_code = ? AND m.programme_year = ?",
        [district_code, programme_year],
    )


def select_model_lao(
    db,
    district_code: str,
    programme_year: int,
    lao_id: int,
    user_id: int | None,
    expected_version: int | None = None,
    record: SelectionRecord | None = None,
) -> str:
    """Make ``lao_id`` the district's model LAO for the year, with ``record``: how it was
    chosen (None: not recorded). Returns "selected"; "recorded" when it already was the
    model LAO and only the record changed; "" (nothing written) when neither changed.

    One per district and year; every change is recorded with who and when. The page
    sends the version it showed (0: none selected yet); a choice made on a page that
    showed an older selection is refused (ConflictError) rather than silently undoing
    another officer's choice or record.
    """
    from formsvc.store import reports as report_store

    lao = get_lao(db, lao_id)
    if lao["district_code"] != district_code:
        raise InputError(msg("The chosen LAO is not in this district."), "lao_id")
    columns = selection_columns(record, programme_year) if record is not None else None
    now = now_iso()
    open_period = report_store.open_period(db, clock.today())
    key = f"{district_code}:{programme_year}"
    with db.atomic():
        current = one(
            db,
            "SELECT * FROM model_lao WHERE district_code = ? AND programme_year = ?",
            [district_code, programme_year],
        )
        recorded = selection_record(db, district_code, programme_year, current["lao_id"]) if current else None
        stored_record = {k: recorded[k] for k in SELECTION_KEYS} if recorded else dict.fromkeys(SELECTION_KEYS)
        same_lao = bool(current and current["lao_id"] == lao_id)
        if same_lao and (columns is None or columns == stored_record):
            return ""
        names = {
            r["id"]: lao_full_name(r["kind"], r["name"])
            for r in db.query("SELECT id, kind, name FROM lao WHERE district_code = ?", [district_code])
        }
        stored = {"lao_id": current["lao_id"] if current else None, **stored_record}
        version = current["version"] if current else 0
        latest = one(
            db,
            "SELECT changed_by, changed_at FROM model_lao_change WHERE district_code = ? AND programme_year = ?"
            " ORDER BY id DESC LIMIT 1",
            [district_code, programme_year],
        )
        saved_by = latest["changed_by"] if latest else current["selected_by"] if current else None
        saved_at = latest["changed_at"] if latest else current["selected_at"] if current else None
        versions.check(
            db,
            "model_lao",
            key,
            what=msg("this district's choice of model LAO"),
            expected=expected_version,
            version=version,
            current=stored,
            saved_by=saved_by,
            saved_at=saved_at,
            yours={"lao_id": lao_id, **(columns or {})},
            fields=_selection_fields(names),
            only=None if columns is not None else {"lao_id"},
        )
        versions.remember(db, "model_lao", key, version, stored, saved_by, saved_at)
        record_columns = columns or dict.fromkeys(SELECTION_KEYS)
        change_sql = (
            "INSERT INTO model_lao_change (programme_year, district_code, lao_id, previous_lao_id, changed_by,"
            f" changed_at, from_period, {', '.join(SELECTION_KEYS)})"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, {', '.join('?' for _ in SELECTION_KEYS)})"
        )
        if same_lao:  # the record of the unchanged selection: no new term
            db.execute(
                "UPDATE model_lao SET version = version + 1 WHERE district_code = ? AND programme_year = ?",
                [district_code, programme_year],
            )
            db.execute(
                change_sql,
                [programme_year, district_code, lao_id, lao_id, user_id, now, None, *record_columns.values()],
            )
            return "recorded"
        db.execute(
            "INSERT INTO model_lao (programme_year, district_code, lao_id, selected_by, selected_at, version)"
            " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(programme_year, district_code) DO UPDATE SET"
            " lao_id = excluded.lao_id, selected_by = excluded.selected_by, selected_at = excluded.selected_at,"
            " version = model_lao.version + 1",
            (programme_year, district_code, lao_id, user_id, now),
        )
        start = _hand_over(db, district_code, programme_year, current["lao_id"] if current else None, open_period)
        change_id = db.execute(
            change_sql,
            [
                programme_year,
                district_code,
                lao_id,
                current["lao_id"] if current else None,
                user_id,
                now,
                start,
                *record_columns.values(),
            ],
        ).lastrowid
        db.execute(
            "INSERT INTO model_lao_term (programme_year, district_code, lao_id, from_period, change_id)"
            " VALUES (?, ?, ?, ?, ?)",
            [programme_year, district_code, lao_id, start, change_id],
        )
    return "selected"


def _hand_over(db, district_code: str, programme_year: int, previous: int | None, open_period: int) -> int:
    """End the serving LAO's term and return the period the new one serves from.

    A district's first model LAO serves the whole year (from period 1). A replacement
    serves from the open period; when the replaced LAO has already sent its report of
    that period, that period stays its own and the replacement starts with the next.
    The replaced LAO keeps the periods before: its reports there stay in every view,
    and it reports no later period. A term left with no period is removed."""
    term = one(
        db,
        "SELECT * FROM model_lao_term WHERE district_code = ? AND programme_year = ? AND to_period IS NULL",
        [district_code, programme_year],
    )
    if previous is None or term is None:
        return 1
    start = open_period
    if one(
        db,
        "SELECT 1 FROM report WHERE lao_id = ? AND programme_year = ? AND period = ? AND submitted_count > 0",
        [previous, programme_year, start],
    ):
        start += 1
    start = max(start, term["from_period"])
    if start == term["from_period"]:
        db.execute("DELETE FROM model_lao_term WHERE id = ?", [term["id"]])
    else:
        db.execute("UPDATE model_lao_term SET to_period = ? WHERE id = ?", [start - 1, term["id"]])
    return start


def serving_term(db, lao_id: int, programme_year: int, period: int) -> dict | None:
    """The LAO's term as its district's model LAO that covers the period, if any."""
    return one(
        db,
        "SELECT * FROM model_lao_term WHERE lao_id = ? AND programme_year = ? AND from_period <= ?"
        " AND (to_period IS NULL OR to_period >= ?)",
        [lao_id, programme_year, period, period],
    )


def terms_of(db, lao_id: int, programme_year: int) -> list[dict]:
    """The periods the LAO served (or serves) as its district's model LAO, with the change
    that ended each term: when, by whom, and which LAO took over."""
    return list(
        db.query(
            "SELECT t.*, nc.changed_at AS ended_at,"
            f" {person_sql('nu')} AS ended_by_name,"
            " nl.kind AS next_kind, nl.name AS next_name FROM model_lao_term t"
            " LEFT JOIN model_lao_term nt ON nt.programme_year = t.programme_year"
            " AND nt.district_code = t.district_code"
            "  AND nt.from_period = t.to_period + 1"
            " LEFT JOIN model_lao_change nc ON nc.id = nt.change_id LEFT JOIN user nu ON nu.id = nc.changed_by"
            " LEFT JOIN lao nl ON nl.id = nt.lao_id"
            " WHERE t.lao_id = ? AND t.programme_year = ? ORDER BY t.from_period",
            [lao_id, programme_year],
        )
    )


def model_lao_changes(db, district_code: str, programme_year: int) -> list[dict]:
    return list(
        db.query(
            f"SELECT c.*, {person_sql('u')} AS changed_by_name, l.kind, l.name,"
            " pl.kind AS previous_kind, pl.name AS previous_name FROM model_lao_change c"
            " LEFT JOIN user u ON u.id = c.changed_by JOIN lao l ON l.id = c.lao_id"
            " LEFT JOIN lao pl ON pl.id = c.previous_lao_id"
            " WHERE c.district_code = ? AND c.programme_year = ? ORDER BY c.id DESC",
            [district_code, programme_year],
        )
    )


def is_serving_model(db, lao_id: int, programme_year: int) -> bool:
    """Whether the LAO is its district's model LAO in the year and still serves (its
    term was not ended by a replacement)."""
    return (
        one(
            db,
            "SELECT 1 FROM model_lao_term WHERE lao_id = ? AND programme_year = ? AND to_period IS NULL",
            [lao_id, programme_year],
        )
        is not None
    )


# Emblems ------------------------------------------------------------------------------


def emblem(db, lao_id: int) -> dict | None:
    return one(
        db,
        "SELECT lao_id, mime, content, png, width_px, height_px, sha256, uploaded_at FROM lao_emblem WHERE lao_id = ?",
        [lao_id],
    )


def save_emblem(
    db, lao_id: int, *, mime: str, content: bytes, png: bytes, width: int, height: int, user_id: int | None
) -> None:
    """Keep the LAO's emblem (checked by the caller), replacing the one it had."""
    digest = hashlib.sha256(content).hexdigest()  # before the write lock is taken
    with db.atomic():
        db.execute(
            "INSERT INTO lao_emblem (lao_id, mime, content, png, width_px, height_px, sha256, uploaded_by,"
            " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(lao_id) DO UPDATE SET"
            " mime = excluded.mime, content = excluded.content, png = excluded.png,"
            " width_px = excluded.width_px, height_px = excluded.height_px, sha256 = excluded.sha256,"
            " uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
            (lao_id, mime, content, png, width, height, digest, user_id, now_iso()),
        )


def model_lao_ids(db, programme_year: int) -> list[int]:
    """The year's model LAOs, in the order of their districts' codes."""
    return [
        r["lao_id"]
        for r in db.query(
            "SELECT lao_id FROM model_lao WHERE programme_year = ? ORDER BY district_code", [programme_year]
        )
    ]


def districts_without_model_lao(db, programme_year: int) -> list[dict]:
    """Every amphoe with no model LAO in the year, by code, with its first subdistrict's
    code and name (``subdistrict_code``, ``subdistrict_name``; None when it has none)."""
    return list(
        db.query(
            "SELECT d.code, d.name_th, (SELECT s.code FROM subdistrict s WHERE s.district_code = d.code ORDER BY s.code"
            " LIMIT 1) AS subdistrict_code, (SELECT s.name_th FROM subdistrict s WHERE s.district_code = d.code"
            " ORDER BY s.code LIMIT 1) AS subdistrict_name FROM district d WHERE d.kind = 'amphoe'"
            " AND d.code NOT IN (SELECT district_code FROM model_lao WHERE programme_year = ?) ORDER BY d.code",
            [programme_year],
        )
    )


def model_lao_count(db, programme_year: int) -> int:
    """How many districts have a model LAO in the year."""
    return db.execute("SELECT count(*) FROM model_lao WHERE programme_year = ?", [programme_year]).fetchone()[0]
