"""The working group of an LAO for a programme year: members, wording, operation plan,
and the appointment orders issued from it."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3

from formsvc.domain import thai
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.domain.text import line_count
from formsvc.domain.versions import Field, Fields, choice
from formsvc.domain.working_group import (
    CATEGORIES,
    GROUP_ROLES,
    STANDARD_DUTIES,
    guideline_rows,
    standard_reason,
)
from formsvc.store import laos as lao_store
from formsvc.store import trash, versions
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound
from formsvc.store.people import person_sql

NAME_MAX = 120
POSITION_MAX = 200
MEMBERS_MAX = 200
DUTY_MAX = 1000
REASON_MAX = 4000
REASON_LINES = 50  # each line a paragraph of the order (see formsvc.domain.text)
ACTIVITY_MAX = 300
ACTIVITIES_MAX = 100
STATUSES = ("planned", "in_progress", "done", "cancelled")


def _group_row(db, lao_id: int, year: int) -> dict | None:
    return one(db, "SELECT * FROM working_group WHERE lao_id = ? AND programme_year = ?", [lao_id, year])


def group_version(db, lao_id: int, year: int) -> int:
    """The group's version alone (0 before its first save), for a page that checks what
    it showed is still what is kept."""
    row = one(db, "SELECT version FROM working_group WHERE lao_id = ? AND programme_year = ?", [lao_id, year])
    return row["version"] if row else 0


def get_group(db, lao_id: int, year: int) -> dict:
    """The group with members and activities; defaults when none is saved yet (the LAO
    is read only then: the defaults name it)."""
    row = _group_row(db, lao_id, year)
    if row is None:
        lao = lao_store.get_lao(db, lao_id)
        group = {
            "id": None,
            "lao_id": lao_id,
            "programme_year": year,
            "version": 0,
            "plan_version": 0,
            "updated_by": None,
            "updated_at": None,
            "plan_updated_by": None,
            "plan_updated_at": None,
            "reason": standard_reason(lao["kind"], lao["name"]),
            "duties": list(STANDARD_DUTIES),
            "signer_name": "",
            "signer_position": lao["chief_title"],
            "members": [],
            "activities": [],
        }
        return group
    group = dict(row)
    group["duties"] = json.loads(row["duties"])
    group["members"] = list(
        db.query("SELECT * FROM working_group_member WHERE working_group_id = ? ORDER BY position_no, id", [row["id"]])
    )
    group["activities"] = list(
        db.query("SELECT * FROM operation_activity WHERE working_group_id = ? ORDER BY position_no, id", [row["id"]])
    )
    return group


def _ensure_group(db, lao_id: int, year: int) -> int:
    """The group's row; a new one holds the defaults at version 0 (never saved by its form)."""
    row = _group_row(db, lao_id, year)
    if row is not None:
        return row["id"]
    defaults = get_group(db, lao_id, year)
    return db.execute(
        "INSERT INTO working_group (lao_id, programme_year, reason, duties, signer_name, signer_position,"
        " version, plan_version) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
        (
            lao_id,
            year,
            defaults["reason"],
            json.dumps(defaults["duties"], ensure_ascii=False),
            defaults["signer_name"],
            defaults["signer_position"],
        ),
    ).lastrowid


MEMBER_KEYS = ("name", "position", "group_role", "category")
# GROUP_ROLES, CATEGORIES and ACTIVITY_STATUSES as messages
GROUP_ROLE_NAMES = {
    "chair": msg("Chair of the working group"),
    "adviser": msg("Adviser"),
    "member": msg("Member"),
    "secretary": msg("Member and secretary"),
    "assistant_secretary": msg("Member and assistant secretary"),
}
CATEGORY_NAMES = {
    "lao_chief": msg("Local executive (the mayor or chief, or a deputy assigned)"),
    "kamnan": msg("Kamnan"),
    "district_cdd": msg("District community development officer or a representative"),
    "district_local": msg("District local administration officer or a representative"),
    "ctc_chair": msg("Chair of the tambon community-organisation coordination centre"),
    "coc_chair": msg("Chair of the tambon community-organisation council"),
    "village_head": msg("Village head or community chair"),
    "civil_society": msg("Civil-society leader"),
    "partner": msg("Development partner"),
    "lao_official": msg("LAO permanent secretary or official"),
    "other": msg("Other"),
}
ACTIVITY_STATUS_NAMES = {
    "planned": msg("Not started"),
    "in_progress": msg("In progress"),
    "done": msg("Done"),
    "cancelled": msg("Cancelled"),
}
GROUP_FIELDS = Fields(
    {
        "reason": msg("Reason and authority for the order"),
        "duties": msg("Duties of the working group"),
        "signer_name": msg("Signed by"),
        "signer_position": msg("Signer's position"),
    },
    {
        "members": (
            msg("member"),
            {
                "name": msg("Name"),
                "position": msg("Position"),
                "group_role": Field(msg("Role"), choice(GROUP_ROLE_NAMES)),
                "category": Field(msg("Representing"), choice(CATEGORY_NAMES)),
            },
        )
    },
)
ACTIVITY_KEYS = ("activity", "start_month", "end_month", "responsible", "status")


def _month_label(value: str) -> str:
    try:
        return thai.month_year(int(value[5:7]), int(value[:4]) + thai.BE_OFFSET, "arabic", short=True)
    except (TypeError, ValueError):
        return str(value)


PLAN_FIELDS = Fields(
    {},
    {
        "activities": (
            msg("activity"),
            {
                "activity": msg("Activity name"),
                "start_month": Field(msg("From"), _month_label),
                "end_month": Field(msg("To"), _month_label),
                "responsible": msg("Responsible"),
                "status": Field(msg("Status"), choice(ACTIVITY_STATUS_NAMES)),
            },
        )
    },
)


def _group_values(group: dict) -> dict:
    return {
        "reason": group["reason"],
        "duties": list(group["duties"]),
        "signer_name": group["signer_name"],
        "signer_position": group["signer_position"],
        "members": [{k: m[k] for k in MEMBER_KEYS} for m in group["members"]],
    }


def _member_id(value) -> int | None:
    """The id a row says it is (a hidden field of the page): an int, or None for a new row."""
    text = str(value if value is not None else "")
    return int(text) if text.isdecimal() and text.isascii() and len(text) < 19 else None


def _clean_members(members: list[dict], ids: list[int | None] | None = None) -> list[dict]:
    """The members to save (empty rows dropped), checked; ``ids`` gets, row for row, the
    id each says it has (None: a new row)."""
    ids = [] if ids is None else ids
    cleaned = []
    for i, m in enumerate(members, 1):
        name = (m.get("name") or "").strip()
        position = (m.get("position") or "").strip()
        if not name and not position:
            continue  # an empty row is no member
        if len(name) > NAME_MAX:
            raise InputError(
                msg("Row %(row)s: the name is longer than %(max)s characters.", row=i, max=NAME_MAX), "members"
            )
        if len(position) > POSITION_MAX:
            raise InputError(
                msg("Row %(row)s: the position is longer than %(max)s characters.", row=i, max=POSITION_MAX), "members"
            )
        if m.get("group_role") not in GROUP_ROLES:
            raise InputError(msg("Row %(row)s: choose the member's role in the working group.", row=i), "members")
        if m.get("category") not in CATEGORIES:
            raise InputError(msg("Row %(row)s: choose whom the member represents.", row=i), "members")
        cleaned.append({"name": name, "position": position, "group_role": m["group_role"], "category": m["category"]})
        ids.append(_member_id(m.get("id")))
    if len(cleaned) > MEMBERS_MAX:
        raise InputError(msg("A working group has at most %(n)s members.", n=MEMBERS_MAX), "members")
    return cleaned


def save_group(
    db,
    lao_id: int,
    year: int,
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
    """Replace the group's wording and members in one transaction. Returns the new version.

    A form based on an old version (0: nothing saved yet) that would overwrite another's
    change is refused (ConflictError naming the fields and rows), and nothing is written.

    The list is saved as a whole. A member row is the stored member whose ``id`` it
    carries (or, without one, the stored member of the same name not matched yet); a
    stored member no row is is removed: deleted, with a copy kept 30 days to restore
    (store.trash, ``restore_member``). ``removed`` gets ``{"entry", "name"}`` of each."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError(msg("Enter the reason for the order and the authority to issue it."), "reason")
    if len(reason) > REASON_MAX:
        raise InputError(msg("The reason is longer than %(max)s characters.", max=REASON_MAX), "reason")
    if line_count(reason) > REASON_LINES:
        raise InputError(
            msg(
                "%(field)s has %(n)s lines; at most %(max)s lines are allowed.",
                field=msg("The reason"),
                n=f"{line_count(reason):,}",
                max=REASON_LINES,
            ),
            "reason",
        )
    duties = [d.strip() for d in duties if d and d.strip()]
    if not duties:
        raise InputError(msg("Enter at least one duty of the working group."), "duties")
    if any(len(d) > DUTY_MAX for d in duties) or len(duties) > 20:
        raise InputError(msg("The duties are too long (at most 20 duties of at most 1,000 characters each)."), "duties")
    signer_name, signer_position = (signer_name or "").strip(), (signer_position or "").strip()
    if len(signer_name) > NAME_MAX or len(signer_position) > POSITION_MAX:
        raise InputError(msg("The signer's name or position is too long."), "signer_name")
    row_ids: list[int | None] = []
    cleaned = _clean_members(members, row_ids)
    yours = {
        "reason": reason,
        "duties": duties,
        "signer_name": signer_name,
        "signer_position": signer_position,
        "members": cleaned,
    }
    with db.atomic():
        group = get_group(db, lao_id, year)
        stored = _group_values(group)
        key = f"{lao_id}:{year}"
        versions.check(
            db,
            "working_group",
            key,
            what=msg("this working group"),
            expected=expected_version,
            version=group["version"],
            current=stored,
            saved_by=group["updated_by"],
            saved_at=group["updated_at"],
            yours=yours,
            fields=GROUP_FIELDS,
        )
        group_id = _ensure_group(db, lao_id, year)
        versions.remember(db, "working_group", key, group["version"], stored, group["updated_by"], group["updated_at"])
        db.execute(
            "UPDATE working_group SET reason = ?, duties = ?, signer_name = ?, signer_position = ?,"
            " version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
            (
                reason,
                json.dumps(duties, ensure_ascii=False),
                signer_name,
                signer_position,
                user_id,
                now_iso(),
                group_id,
            ),
        )
        matched = _match_members(group["members"], cleaned, row_ids)
        gone = [m for m in group["members"] if m["id"] not in set(matched)]
        for member in gone:
            entry = _keep_member(db, lao_id, group, member, user_id)
            if removed is not None:
                removed.append({"entry": entry, "name": _member_label(member)})
        if gone:
            db.execute(
                f"DELETE FROM working_group_member WHERE id IN ({', '.join('?' for _ in gone)})",
                [m["id"] for m in gone],
            )
        for i, (m, member_id) in enumerate(zip(cleaned, matched, strict=True), 1):
            values = (i, m["name"], m["position"], m["group_role"], m["category"])
            if member_id is None:
                db.execute(
                    "INSERT INTO working_group_member (position_no, name, position, group_role, category,"
                    " working_group_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (*values, group_id),
                )
            else:  # kept as the same row: the audit log shows a change, not a removal
                db.execute(
                    "UPDATE working_group_member SET position_no = ?, name = ?, position = ?, group_role = ?,"
                    " category = ? WHERE id = ? AND working_group_id = ?",
                    (*values, member_id, group_id),
                )
        return group["version"] + 1


def _match_members(stored: list[dict], rows: list[dict], row_ids: list[int | None]) -> list[int | None]:
    """For each row to save, the stored member it is (None: a new one): the id it carries
    when that is a stored member of this group not claimed by an earlier row; else the
    first unclaimed stored member with the same (non-empty) name."""
    by_id = {m["id"]: m for m in stored}
    claimed: set[int] = set()
    found: list[int | None] = []
    for row_id in row_ids:
        if row_id in by_id and row_id not in claimed:
            claimed.add(row_id)
            found.append(row_id)
        else:
            found.append(None)
    for i, row in enumerate(rows):
        if found[i] is None and row_ids[i] is None and row["name"]:
            same = next((m for m in stored if m["id"] not in claimed and m["name"] == row["name"]), None)
            if same is not None:
                claimed.add(same["id"])
                found[i] = same["id"]
    return found


def _member_label(member: dict) -> str:
    return member["name"] or member["position"] or "–"


def _keep_member(db, lao_id: int, group: dict, member: dict, user_id: int | None) -> int:
    """Keep a copy of a member being removed, with its neighbours in the list, to put it
    back in the same place (``restore_member``)."""
    order = [m["id"] for m in group["members"]]
    at = order.index(member["id"])
    data = {
        "member": trash.rows(db, "working_group_member", "id = ?", [member["id"]])[0],
        "before": order[:at],
        "after": order[at + 1 :],
        "programme_year": group["programme_year"],
    }
    return trash.keep(db, lao_id, "member", member["id"], _member_label(member), data, user_id)


def restore_member(db, lao_id: int, entry: dict, user_id: int | None = None) -> int:
    """Put a removed member back (``entry`` from trash.get) where it was in the list:
    before the first member that followed it and is still there (else after the last
    that preceded it, else at the end). The group's version goes up, so a page opened
    before then asks before overwriting. Refuses, changing nothing, when the group is
    full or gone."""
    data = entry["data"]
    member = dict(data["member"])
    with db.atomic():
        group = one(db, "SELECT * FROM working_group WHERE id = ? AND lao_id = ?", [member["working_group_id"], lao_id])
        if group is None:
            raise NotFound(entry["id"])
        current = [
            r["id"]
            for r in db.query(
                "SELECT id FROM working_group_member WHERE working_group_id = ? ORDER BY position_no, id", [group["id"]]
            )
        ]
        if len(current) >= MEMBERS_MAX:
            raise InputError(msg("A working group has at most %(n)s members.", n=MEMBERS_MAX), "members")
        after = next((i for i in data["after"] if i in current), None)
        before = next((i for i in reversed(data["before"]) if i in current), None)
        if after is not None:
            place = current.index(after)
        elif before is not None:
            place = current.index(before) + 1
        else:
            place = len(current)
        full = get_group(db, lao_id, group["programme_year"])
        versions.remember(
            db,
            "working_group",
            f"{lao_id}:{group['programme_year']}",
            full["version"],
            _group_values(full),
            full["updated_by"],
            full["updated_at"],
        )
        member_id = trash.insert(db, "working_group_member", member)
        current.insert(place, member_id)
        for i, row_id in enumerate(current, 1):
            db.execute(
                "UPDATE working_group_member SET position_no = ? WHERE id = ? AND position_no IS NOT ?", [i, row_id, i]
            )
        db.execute(
            "UPDATE working_group SET version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
            [user_id, now_iso(), group["id"]],
        )
        trash.forget(db, entry["id"])
    return member_id


def set_chair(db, lao_id: int, year: int, *, name: str, position: str = "", user_id: int | None = None) -> bool:
    """Make ``name`` the group's chair, as its first meeting chose (store.meetings): the
    member of that name (the first, in the list's order), else a new member at the head
    of the list; whoever else was chair becomes a member. The group's version goes up
    (a page opened before then asks before overwriting) and the audit log shows the
    change. Returns False, changing nothing, when that person is already the only chair.
    Refuses, changing nothing, when the group has no members yet or is full."""
    name, position = (name or "").strip(), (position or "").strip()
    with db.atomic():
        group = get_group(db, lao_id, year)
        if not group["members"]:
            raise InputError(
                msg("Record the members of the working group before recording the chair its meeting chose."),
                "chair_name",
            )
        chairs = [m for m in group["members"] if m["group_role"] == "chair"]
        chosen = next((m for m in group["members"] if m["name"] == name), None)
        if chosen is not None and [m["id"] for m in chairs] == [chosen["id"]]:
            return False
        if chosen is None and len(group["members"]) >= MEMBERS_MAX:
            raise InputError(msg("A working group has at most %(n)s members.", n=MEMBERS_MAX), "chair_name")
        versions.remember(
            db,
            "working_group",
            f"{lao_id}:{year}",
            group["version"],
            _group_values(group),
            group["updated_by"],
            group["updated_at"],
        )
        for member in chairs:
            if chosen is None or member["id"] != chosen["id"]:
                db.execute("UPDATE working_group_member SET group_role = 'member' WHERE id = ?", [member["id"]])
        if chosen is not None:
            db.execute("UPDATE working_group_member SET group_role = 'chair' WHERE id = ?", [chosen["id"]])
        else:
            db.execute(
                "UPDATE working_group_member SET position_no = position_no + 1 WHERE working_group_id = ?",
                [group["id"]],
            )
            db.execute(
                "INSERT INTO working_group_member (position_no, name, position, group_role, category,"
                " working_group_id) VALUES (1, ?, ?, 'chair', 'other', ?)",
                [name[:NAME_MAX], position[:POSITION_MAX], group["id"]],
            )
        db.execute(
            "UPDATE working_group SET version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
            [user_id, now_iso(), group["id"]],
        )
    return True


def chair(db, lao_id: int, year: int) -> dict | None:
    """The group's chair (the first member whose role is chair), or None."""
    return one(
        db,
        "SELECT m.* FROM working_group_member m JOIN working_group g ON g.id = m.working_group_id"
        " WHERE g.lao_id = ? AND g.programme_year = ? AND m.group_role = 'chair' ORDER BY m.position_no, m.id LIMIT 1",
        [lao_id, year],
    )


def guideline_members(db, lao_id: int) -> list[dict]:
    """The rows "start from the guideline" fills in, as member dicts with empty names."""
    lao = lao_store.get_lao(db, lao_id)
    rows = guideline_rows(lao, lao_store.villages(db, lao_id), [s["name_th"] for s in lao["subdistricts"]])
    return [r.__dict__.copy() for r in rows]


# Operation plan ---------------------------------------------------------------------


def _month(value: str, field: str) -> str:
    try:
        parsed = _dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise InputError(msg("Not a valid month."), field) from None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def save_activities(
    db,
    lao_id: int,
    year: int,
    activities: list[dict],
    user_id: int | None,
    months: list[str] | None = None,
    expected_version: int | None = None,
) -> int:
    """Replace the operation plan. ``months`` ('YYYY-MM') are those of the programme year:
    an activity must lie within them. Returns the plan's new version.

    The plan has its own version (its own form): saving it never makes an open group
    form stale, and a plan form based on an old version (0: no plan saved yet) that
    would overwrite another's change is refused (ConflictError)."""
    cleaned = []
    for i, a in enumerate(activities, 1):
        text = (a.get("activity") or "").strip()
        if not text:
            continue
        if len(text) > ACTIVITY_MAX:
            raise InputError(
                msg("Activity %(n)s: the activity is longer than %(max)s characters.", n=i, max=ACTIVITY_MAX),
                "activities",
            )
        start, end = _month(a.get("start_month"), "activities"), _month(a.get("end_month"), "activities")
        if end < start:
            raise InputError(msg("Activity %(n)s: the end month is before the start month.", n=i), "activities")
        if months and not (months[0] <= start and end <= months[-1]):
            raise InputError(msg("Activity %(n)s: the months must be within the programme year.", n=i), "activities")
        responsible = (a.get("responsible") or "").strip()
        if len(responsible) > POSITION_MAX:
            raise InputError(
                msg("Activity %(n)s: the person responsible is longer than %(max)s characters.", n=i, max=POSITION_MAX),
                "activities",
            )
        status = a.get("status") or "planned"
        if status not in STATUSES:
            raise InputError(msg("Activity %(n)s: not a valid status.", n=i), "activities")
        cleaned.append((text, start, end, responsible, status))
    if len(cleaned) > ACTIVITIES_MAX:
        raise InputError(msg("A plan has at most %(n)s activities.", n=ACTIVITIES_MAX), "activities")
    yours = {"activities": [dict(zip(ACTIVITY_KEYS, row, strict=False)) for row in cleaned]}
    with db.atomic():
        group = get_group(db, lao_id, year)
        stored = {"activities": [{k: a[k] for k in ACTIVITY_KEYS} for a in group["activities"]]}
        key = f"{lao_id}:{year}"
        versions.check(
            db,
            "operation_plan",
            key,
            what=msg("this operation plan"),
            expected=expected_version,
            version=group["plan_version"],
            current=stored,
            saved_by=group["plan_updated_by"],
            saved_at=group["plan_updated_at"],
            yours=yours,
            fields=PLAN_FIELDS,
        )
        group_id = _ensure_group(db, lao_id, year)
        versions.remember(
            db, "operation_plan", key, group["plan_version"], stored, group["plan_updated_by"], group["plan_updated_at"]
        )
        db.execute("DELETE FROM operation_activity WHERE working_group_id = ?", [group_id])
        db.conn.executemany(
            "INSERT INTO operation_activity (working_group_id, position_no, activity, start_month, end_month,"
            " responsible, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(group_id, i, *row) for i, row in enumerate(cleaned, 1)],
        )
        db.execute(
            "UPDATE working_group SET plan_version = plan_version + 1, plan_updated_by = ?,"
            " plan_updated_at = ? WHERE id = ?",
            [user_id, now_iso(), group_id],
        )
        return group["plan_version"] + 1


# Orders -------------------------------------------------------------------------------


def orders(db, lao_id: int, year: int | None = None) -> list[dict]:
    sql = (
        f"SELECT o.*, {person_sql('u')} AS issued_by_name,"
        " (SELECT r.number || '/' || r.year_be FROM lao_order r WHERE r.id = o.replaces_order_id) AS replaces_text,"
        " EXISTS (SELECT 1 FROM lao_order n WHERE n.replaces_order_id = o.id) AS replaced"
        " FROM lao_order o LEFT JOIN user u ON u.id = o.issued_by WHERE o.lao_id = ?"
    )
    params: list = [lao_id]
    if year is not None:
        sql += " AND o.programme_year = ?"
        params.append(year)
    return list(db.query(sql + " ORDER BY o.id DESC", params))


def current_order(db, lao_id: int, year: int) -> dict | None:
    """The latest order of the programme year that no later order replaces."""
    for order in orders(db, lao_id, year):
        if not order["replaced"]:
            return order
    return None


def get_order(db, lao_id: int, order_id: int) -> dict:
    row = one(db, "SELECT * FROM lao_order WHERE id = ? AND lao_id = ?", [order_id, lao_id])
    if row is None:
        raise NotFound(order_id)
    return row


def order_document(db, lao_id: int, order_id: int, fmt: str) -> dict:
    row = one(
        db, "SELECT * FROM issued_document WHERE lao_id = ? AND order_id = ? AND format = ?", [lao_id, order_id, fmt]
    )
    if row is None:
        raise NotFound(order_id)
    return row


def check_issuable(group: dict) -> None:
    members = group["members"]
    if not members:
        raise InputError(msg("The working group has no members yet; enter them before issuing the order."), "members")
    unnamed = [str(i) for i, m in enumerate(members, 1) if not m["name"].strip()]
    if unnamed:
        raise InputError(
            msg("Enter the names of all members before issuing the order (rows %(rows)s).", rows=", ".join(unnamed)),
            "members",
        )
    if not any(m["group_role"] == "chair" for m in members):
        raise InputError(msg("The working group needs a chair before the order is issued."), "members")
    if not (group["signer_name"] or "").strip():
        raise InputError(msg("Enter the name of the person who signs the order."), "signer_name")


ISSUE_ATTEMPTS = 8  # renders of one order overtaken by other orders before the clerk is told


def next_order(
    db, lao_id: int, year: int, order_date: _dt.date, effective_date: _dt.date, number: int | None
) -> tuple[dict, dict | None]:
    """The facts the next order would carry now (number, dates, what it replaces, the
    group), and the order it replaces; InputError when it cannot be issued."""
    group = get_group(db, lao_id, year)
    check_issuable(group)
    year_be = thai.be_year(order_date)
    latest = db.execute(
        "SELECT max(order_date) FROM lao_order WHERE lao_id = ? AND year_be = ?", [lao_id, year_be]
    ).fetchone()[0]
    if latest and order_date.isoformat() < latest:
        raise InputError(
            msg(
                "The order date must not be before the latest order of the same year (%(date)s).",
                date=thai.date_long(_dt.date.fromisoformat(latest), "arabic"),
            ),
            "order_date",
        )
    if number is None:
        number = db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM lao_order WHERE lao_id = ? AND year_be = ?", [lao_id, year_be]
        ).fetchone()[0]
    elif one(db, "SELECT id FROM lao_order WHERE lao_id = ? AND year_be = ? AND number = ?", [lao_id, year_be, number]):
        raise InputError(msg("Order number %(number)s is already used.", number=f"{number}/{year_be}"), "number")
    replaces = current_order(db, lao_id, year)
    facts = {
        "number": number,
        "year_be": year_be,
        "order_date": order_date.isoformat(),
        "effective_date": effective_date.isoformat(),
        "replaces": (
            {"number": replaces["number"], "year_be": replaces["year_be"], "order_date": replaces["order_date"]}
            if replaces
            else None
        ),
        "group": {k: group[k] for k in ("reason", "duties", "signer_name", "signer_position")},
        "members": [{k: m[k] for k in ("name", "position", "group_role", "category")} for m in group["members"]],
    }
    return facts, replaces


def check_order_request(year: int, order_date: _dt.date, effective_date: _dt.date, number: int | None) -> None:
    """What a clerk asks for, before anything is read: an order date within a year of the
    programme year, an effective date not before it, a number (when given) from 1 to
    99999. InputError otherwise."""
    if not year - 1 <= thai.be_year(order_date) <= year + 1:
        raise InputError(
            msg("The order date must be in the Buddhist Era years %(first)s–%(last)s.", first=year - 1, last=year + 1),
            "order_date",
        )
    if effective_date < order_date:
        raise InputError(msg("The effective date must not be before the order date."), "effective_date")
    if number is not None and not 1 <= number <= 99999:
        raise InputError(msg("The order number must be a number from 1 to 99999."), "number")


def issue_order(
    db,
    lao_id: int,
    year: int,
    facts: dict,
    files: dict[str, bytes],
    user_id: int | None,
    number: int | None = None,
) -> dict | None:
    """Issue the order ``facts`` describe (from ``next_order``) with the DOCX and PDF
    rendered from them, in one transaction; returns the order, or None when the facts
    no longer hold.

    The number runs per LAO and calendar BE year of the order date and resets each
    January. ``number`` is the number the clerk asked for (None: the next one), taken
    from the LAO's own order register when it keeps one for all its orders; it must be
    free. A correction is a new order that names the order it replaces.

    Rendering takes a second or more, so the caller renders before, outside the write
    lock (held that long, it would make every other save in the service wait, and time
    out). Under the lock the facts are worked out again: when another order was issued
    (or the group saved) meanwhile, they differ, nothing is written and None tells the
    caller to render again with the new ones (at most ISSUE_ATTEMPTS times). So two
    clerks issuing at once get consecutive numbers, and each document carries exactly
    the facts stored with it.
    """
    order_date = _dt.date.fromisoformat(facts["order_date"])
    effective_date = _dt.date.fromisoformat(facts["effective_date"])
    digests = {fmt: hashlib.sha256(content).hexdigest() for fmt, content in files.items()}  # before the lock
    with db.atomic(outermost=True):
        now_facts, replaces = next_order(db, lao_id, year, order_date, effective_date, number)
        if now_facts != facts:
            return None  # someone issued or saved meanwhile: render again with what holds now
        now = now_iso()
        try:
            order_id = db.execute(
                "INSERT INTO lao_order (lao_id, programme_year, year_be, number, order_date, effective_date,"
                " replaces_order_id, snapshot, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    lao_id,
                    year,
                    facts["year_be"],
                    facts["number"],
                    facts["order_date"],
                    facts["effective_date"],
                    replaces["id"] if replaces else None,
                    json.dumps(facts, ensure_ascii=False),
                    user_id,
                    now,
                ),
            ).lastrowid
        except sqlite3.IntegrityError:  # cannot happen under the write lock; never issue a duplicate
            raise InputError(msg("The order number is already used; try again."), "number") from None
        for fmt, content in files.items():
            db.execute(
                "INSERT INTO issued_document (lao_id, kind, format, order_id, sha256, size, content,"
                " created_by, created_at) VALUES (?, 'order', ?, ?, ?, ?, ?, ?, ?)",
                (lao_id, fmt, order_id, digests[fmt], len(content), content, user_id, now),
            )
    return get_order(db, lao_id, order_id)


def issue_attempts_failed() -> InputError:
    """The error when ISSUE_ATTEMPTS renders in a row were overtaken by other orders."""
    return InputError(msg("Several orders for this LAO were being issued at the same time; try again."), "number")
