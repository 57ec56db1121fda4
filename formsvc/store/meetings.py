"""Meetings of an LAO's working group (guideline §4.1(4)), recorded like forums: the
number (ครั้งที่ n/ปี), day, times and place, who came, the agenda with what was said
and resolved, and who took and checked the minutes. The first meeting may record the
chair the group chose: saving it makes that person the group's chair (through
store.working_group, so the group's version and the audit log move with it).

A meeting belongs to the programme year in force when it was recorded; it is edited
with a version like the other records and, deleted, kept 30 days (store.trash, kind
'meeting')."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field

from formsvc.domain import thai
from formsvc.domain.clock import now_iso
from formsvc.domain.forums import ATTENDEE_KINDS
from formsvc.domain.messages import Msg, msg
from formsvc.domain.text import Limit
from formsvc.domain.versions import Field, Fields
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import trash, versions
from formsvc.store import working_group as wg_store
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound
from formsvc.store.people import person_sql

# (see formsvc.domain.text for every field's limit)
PLACE_MAX = 300
NAME_MAX = 120
POSITION_MAX = 200
TITLE_MAX = 300
DISCUSSION_MAX = forum_store.DISCUSSION_MAX
DISCUSSION_LINES = forum_store.DISCUSSION_LINES
RESOLUTION_MAX = forum_store.RESOLUTION_MAX
RESOLUTION_LINES = forum_store.RESOLUTION_LINES
# a group has at most 200 members (store.working_group); others may take part too
ATTENDEES_MAX = 300
AGENDA_MAX = 50
MINUTES_TEXT_MAX = forum_store.MINUTES_TEXT_MAX
MINUTES_LINES_MAX = forum_store.MINUTES_LINES_MAX
MEETING_NO_MAX = 9999
KEYS = (
    "meeting_no",
    "held_on",
    "start_time",
    "end_time",
    "place",
    "chair_name",
    "chair_position",
    "recorder_name",
    "recorder_position",
    "checker_name",
    "checker_position",
)
ROW_KEYS = forum_store.ROW_KEYS


@dataclass
class MeetingInput:
    held_on: _dt.date | None
    start_time: str = ""
    end_time: str = ""
    place: str = ""
    meeting_no: int | str | None = None
    chair_name: str = ""  # the chair the first meeting chose ("" none)
    chair_position: str = ""
    recorder_name: str = ""
    recorder_position: str = ""
    checker_name: str = ""
    checker_position: str = ""
    attendees: list[dict] = field(default_factory=list)  # kind, name, position, substitute_for, absence_reason
    agenda: list[dict] = field(default_factory=list)  # title, discussion, resolution


def _text(value, limit: int, label: Msg, field_name: str, required: bool = False, lines: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(msg("%(field)s is required.", field=label), field_name)
    refusal = Limit(limit, lines or limit).refusal(text, label)
    if refusal:
        raise InputError(refusal, field_name)
    return text


def _day(d: _dt.date) -> str:
    return thai.date_long(d, "arabic")


def window(db, year_be: int) -> tuple[_dt.date, _dt.date]:
    """First and last day of the programme year's months."""
    return forum_store.programme_window(db, year_be)


def _attendees(rows: list[dict]) -> list[dict]:
    attendees = []
    for n, a in enumerate(rows, 1):
        i = a.get("row", n)
        name = _text(a.get("name"), NAME_MAX, msg("Name in attendee row %(row)s", row=i), "attendees")
        if not name:
            continue
        kind = a.get("kind")
        if kind not in ATTENDEE_KINDS:
            raise InputError(msg("Attendee row %(row)s: not a valid kind of attendance.", row=i), "attendees")
        position = _text(a.get("position"), POSITION_MAX, msg("Position in attendee row %(row)s", row=i), "attendees")
        substitute_for = absence_reason = ""
        if kind == "present":
            substitute_for = _text(
                a.get("substitute_for"),
                NAME_MAX,
                msg("Name of the person stood in for in attendee row %(row)s", row=i),
                "attendees",
            )
        if kind == "absent":
            absence_reason = _text(
                a.get("absence_reason"),
                POSITION_MAX,
                msg("Reason for absence in attendee row %(row)s", row=i),
                "attendees",
            )
        attendees.append(
            {
                "kind": kind,
                "name": name,
                "position": position,
                "substitute_for": substitute_for,
                "absence_reason": absence_reason,
            }
        )
    if len(attendees) > ATTENDEES_MAX:
        raise InputError(msg("The attendance list has at most %(max)s people.", max=f"{ATTENDEES_MAX:,}"), "attendees")
    if not any(a["kind"] == "present" for a in attendees):
        raise InputError(msg("Name at least one member of the working group present."), "attendees")
    # kept in the order of the minutes: present, absent, others taking part
    return sorted(attendees, key=lambda a: ATTENDEE_KINDS.index(a["kind"]))


def _agenda(rows: list[dict]) -> list[dict]:
    return forum_store.clean_agenda(
        rows,
        max_items=AGENDA_MAX,
        too_many=msg("A working-group meeting has at most %(n)s agenda items.", n=AGENDA_MAX),
    )


def _check_number(db, lao_id: int, data: MeetingInput, meeting_id: int | None) -> None:
    """Refuse a number (ครั้งที่ n/ปี) another meeting of the group has."""
    taken = one(
        db,
        "SELECT id FROM working_group_meeting WHERE lao_id = ? AND meeting_year_be = ? AND meeting_no = ?"
        " AND id IS NOT ?",
        [lao_id, thai.be_year(data.held_on), data.meeting_no, meeting_id],
    )
    if taken is not None:
        raise InputError(
            msg(
                "Meeting no. %(no)s/%(year)s of the working group is already recorded. Check the number.",
                no=data.meeting_no,
                year=thai.be_year(data.held_on),
            ),
            "meeting_no",
        )


def validate(db, lao_id: int, data: MeetingInput, year_be: int, meeting_id: int | None = None) -> MeetingInput:
    """``data`` cleaned, or InputError (Thai) naming the field; nothing is written."""
    lao_store.get_lao(db, lao_id)
    if not isinstance(data.held_on, _dt.date):
        raise InputError(msg("Enter the date of the meeting."), "held_on")
    start, end = window(db, year_be)
    if not start <= data.held_on <= end:
        raise InputError(
            msg(
                "The date of the meeting must be within the programme year (%(start)s – %(end)s).",
                start=_day(start),
                end=_day(end),
            ),
            "held_on",
        )
    data.start_time = forum_store._time(data.start_time, "start_time")
    data.end_time = forum_store._time(data.end_time, "end_time")
    if data.end_time <= data.start_time:
        raise InputError(msg("The meeting must end after it starts."), "end_time")
    data.place = _text(data.place, PLACE_MAX, msg("Place"), "place", required=True)
    number = thai.to_arabic_digits(str(data.meeting_no if data.meeting_no is not None else "")).strip()
    if not (number.isdecimal() and number.isascii() and len(number) <= 4 and 1 <= int(number) <= MEETING_NO_MAX):
        raise InputError(msg("The meeting number must be a number from 1 to 9999."), "meeting_no")
    data.meeting_no = int(number)
    _check_number(db, lao_id, data, meeting_id)
    data.chair_name = _text(data.chair_name, NAME_MAX, msg("Name of the chair chosen"), "chair_name")
    data.chair_position = _text(data.chair_position, POSITION_MAX, msg("Position of the chair chosen"), "chair_name")
    if data.chair_position and not data.chair_name:
        raise InputError(msg("Enter the name of the chair chosen, or leave the position empty too."), "chair_name")
    if data.chair_name and data.meeting_no != 1:
        raise InputError(
            msg("The chair of the working group is chosen at its first meeting (meeting no. 1)."), "chair_name"
        )
    data.recorder_name = _text(data.recorder_name, NAME_MAX, msg("Name of the minute-taker"), "recorder_name")
    data.recorder_position = _text(
        data.recorder_position, POSITION_MAX, msg("Position of the minute-taker"), "recorder_position"
    )
    data.checker_name = _text(data.checker_name, NAME_MAX, msg("Name of the checker"), "checker_name")
    data.checker_position = _text(
        data.checker_position, POSITION_MAX, msg("Position of the checker"), "checker_position"
    )
    data.attendees = _attendees(data.attendees)
    data.agenda = _agenda(data.agenda)
    return data


def _columns(data: MeetingInput) -> dict:
    return {
        "meeting_no": data.meeting_no,
        "meeting_year_be": thai.be_year(data.held_on),
        "held_on": data.held_on.isoformat(),
        "start_time": data.start_time,
        "end_time": data.end_time,
        "place": data.place,
        "attendees": json.dumps(data.attendees, ensure_ascii=False),
        "agenda": json.dumps(data.agenda, ensure_ascii=False),
        "chair_name": data.chair_name,
        "chair_position": data.chair_position,
        "recorder_name": data.recorder_name,
        "recorder_position": data.recorder_position,
        "checker_name": data.checker_name,
        "checker_position": data.checker_position,
    }


def _values(columns: dict, attendees: list[dict], agenda: list[dict]) -> dict:
    """What the meeting form edits, as the version check compares it."""
    values = {k: columns[k] for k in KEYS}
    for kind, keys in ROW_KEYS.items():
        values[kind] = [{k: a.get(k, "") for k in keys} for a in attendees if a["kind"] == kind]
    values["agenda"] = [{k: a[k] for k in ("title", "discussion", "resolution")} for a in agenda]
    return values


def fields() -> Fields:
    return Fields(
        {
            "meeting_no": msg("Meeting no."),
            "held_on": Field(msg("Date"), lambda v: _day(_dt.date.fromisoformat(v))),
            "start_time": msg("Meeting start time"),
            "end_time": msg("Meeting end time"),
            "place": msg("Place"),
            "chair_name": msg("Chair chosen"),
            "chair_position": msg("Position of the chair chosen"),
            "recorder_name": msg("Minutes taken by"),
            "recorder_position": msg("Position of the minute-taker"),
            "checker_name": msg("Minutes checked by"),
            "checker_position": msg("Position of the checker"),
        },
        {
            "present": (
                msg("attendee"),
                {"name": msg("Name"), "position": msg("Position"), "substitute_for": msg("In place of")},
            ),
            "absent": (
                msg("absentee"),
                {"name": msg("Name"), "position": msg("Position"), "absence_reason": msg("Reason for absence")},
            ),
            "participant": (msg("participant"), {"name": msg("Name"), "position": msg("Position")}),
            "agenda": (
                msg("agenda"),
                {"title": msg("Heading"), "discussion": msg("Details"), "resolution": msg("Decision")},
            ),
        },
    )


def _choose_chair(db, lao_id: int, year: int, data: MeetingInput, user_id: int | None) -> bool:
    """Make the chair the meeting chose the group's chair (True when the group changed)."""
    if not data.chair_name:
        return False
    return wg_store.set_chair(db, lao_id, year, name=data.chair_name, position=data.chair_position, user_id=user_id)


def create_meeting(db, lao_id: int, data: MeetingInput, user_id: int | None, changed: list | None = None) -> int:
    """Record a meeting in the programme year in force. ``changed`` gets True when the
    chair it chose became the group's chair."""
    year = programme_store.get_programme(db).year_be
    columns = _columns(validate(db, lao_id, data, year))
    now = now_iso()
    with db.atomic():
        # checked again inside the write: another save may have taken the number meanwhile
        _check_number(db, lao_id, data, None)
        names = ", ".join(columns)
        meeting_id = db.execute(
            f"INSERT INTO working_group_meeting (lao_id, programme_year, {names},"
            " created_by, created_at, updated_by, updated_at)"
            f" VALUES (?, ?, {', '.join('?' * len(columns))}, ?, ?, ?, ?)",
            [lao_id, year, *columns.values(), user_id, now, user_id, now],
        ).lastrowid
        chair = _choose_chair(db, lao_id, year, data, user_id)
    if changed is not None:
        changed.append(chair)
    return meeting_id


def update_meeting(
    db,
    lao_id: int,
    meeting_id: int,
    data: MeetingInput,
    user_id: int | None,
    expected_version: int | None = None,
    changed: list | None = None,
) -> int:
    """Save a meeting from its form; a form based on an old version that would overwrite
    another save's changes is refused (ConflictError naming them). Returns the new version."""
    current = get_meeting(db, lao_id, meeting_id)
    year = current["programme_year"]
    columns = _columns(validate(db, lao_id, data, year, meeting_id))
    with db.atomic():
        current = get_meeting(db, lao_id, meeting_id)
        stored = _values(current, current["attendees"], current["agenda"])
        versions.check(
            db,
            "working_group_meeting",
            meeting_id,
            what=msg("this meeting"),
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours=_values(columns, data.attendees, data.agenda),
            fields=fields(),
        )
        _check_number(db, lao_id, data, meeting_id)
        versions.remember(
            db,
            "working_group_meeting",
            meeting_id,
            current["version"],
            stored,
            current["updated_by"],
            current["updated_at"],
        )
        db.execute(
            f"UPDATE working_group_meeting SET {', '.join(f'{k} = ?' for k in columns)}, version = version + 1,"
            " updated_by = ?, updated_at = ? WHERE id = ? AND lao_id = ?",
            [*columns.values(), user_id, now_iso(), meeting_id, lao_id],
        )
        # the chair is the group's business once chosen: saving the meeting again (for its
        # minutes) leaves the group alone unless the chair chosen is changed here
        chair = data.chair_name != current["chair_name"] and _choose_chair(db, lao_id, year, data, user_id)
    if changed is not None:
        changed.append(chair)
    return current["version"] + 1


def label(meeting: dict) -> str:
    """How a meeting is named in lists: ครั้งที่ n/ปี and its day."""
    day = _day(_dt.date.fromisoformat(meeting["held_on"]))
    return f"ครั้งที่ {meeting['meeting_no']}/{meeting['meeting_year_be']} ({day})"


def delete_meeting(db, lao_id: int, meeting_id: int, user_id: int | None = None) -> int:
    """Delete a meeting, keeping a copy for 30 days (store.trash). Returns the copy's id.
    The group's chair it chose stays the chair."""
    meeting = get_meeting(db, lao_id, meeting_id)
    with db.atomic():
        data = {"meeting": trash.rows(db, "working_group_meeting", "id = ?", [meeting_id])[0]}
        entry = trash.keep(db, lao_id, "meeting", meeting_id, label(meeting), data, user_id)
        db.execute("DELETE FROM working_group_meeting WHERE id = ? AND lao_id = ?", [meeting_id, lao_id])
    return entry


def restore_meeting(db, lao_id: int, entry: dict) -> int:
    """Put a deleted meeting back (``entry`` from trash.get, kind 'meeting'). Refuses,
    changing nothing, when another meeting took its number meanwhile. Returns its id."""
    if entry["kind"] != "meeting":
        raise NotFound(entry["id"])
    row = entry["data"]["meeting"]
    with db.atomic():
        if one(
            db,
            "SELECT id FROM working_group_meeting WHERE lao_id = ? AND meeting_year_be = ? AND meeting_no = ?",
            [lao_id, row["meeting_year_be"], row["meeting_no"]],
        ):
            raise InputError(
                msg(
                    "Meeting no. %(no)s/%(year)s cannot be restored: another meeting has that number now.",
                    no=row["meeting_no"],
                    year=row["meeting_year_be"],
                )
            )
        meeting_id = trash.insert(db, "working_group_meeting", row)
        trash.forget(db, entry["id"])
    return meeting_id


_SELECT = (
    f"SELECT m.*, {person_sql('c')} AS created_by_name"
    " FROM working_group_meeting m LEFT JOIN user c ON c.id = m.created_by"
)


def _decorate(row: dict) -> dict:
    row["attendees"] = json.loads(row["attendees"])
    row["agenda"] = json.loads(row["agenda"])
    return row


def get_meeting(db, lao_id: int, meeting_id: int) -> dict:
    row = one(db, f"{_SELECT} WHERE m.id = ? AND m.lao_id = ?", [meeting_id, lao_id])
    if row is None:
        raise NotFound(meeting_id)
    return _decorate(row)


def meetings(db, lao_id: int, year: int | None = None) -> list[dict]:
    """The LAO's working-group meetings (of a programme year), in the order they were held."""
    sql, params = f"{_SELECT} WHERE m.lao_id = ?", [lao_id]
    if year is not None:
        sql += " AND m.programme_year = ?"
        params.append(year)
    return [_decorate(r) for r in db.query(sql + " ORDER BY m.held_on, m.start_time, m.id", params)]


def suggest_meeting_no(db, lao_id: int, held_on: _dt.date) -> int:
    """The next ครั้งที่ n/ปี of the group in the Buddhist year of ``held_on``."""
    row = one(
        db,
        "SELECT max(meeting_no) AS n FROM working_group_meeting WHERE lao_id = ? AND meeting_year_be = ?",
        [lao_id, thai.be_year(held_on)],
    )
    return (row["n"] or 0) + 1 if row else 1
