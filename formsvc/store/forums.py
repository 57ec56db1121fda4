"""Forums of an LAO: the record, its attendees, agenda items and (LAO level) the
ranked projects it adopted, saved together in one transaction."""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field

from formsvc.domain import thai
from formsvc.domain.clock import now_iso
from formsvc.domain.forums import ATTENDEE_KINDS, ORGANISERS
from formsvc.domain.messages import Msg, msg
from formsvc.domain.model import village_message
from formsvc.domain.text import Limit
from formsvc.domain.versions import Field, Fields, choice, yes_no
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import trash, versions
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound

TEXT_MAX = 300
NAME_MAX = 120
POSITION_MAX = 200
DISCUSSION_MAX = 10000
RESOLUTION_MAX = 5000
# lines of an agenda item's discussion and resolution: each is a paragraph of the minutes
# (see formsvc.domain.text for every field's limit)
DISCUSSION_LINES = 300
RESOLUTION_LINES = 150
ATTENDEES_MAX = 1000
AGENDA_MAX = 100
# the agenda's details and resolutions together: each item within its own limits, but
# 100 items at those limits would be a 1,000-page minutes taking minutes to print; a
# real meeting's minutes run to a few thousand words (docs/capacity.md)
MINUTES_TEXT_MAX = 40000
MINUTES_LINES_MAX = 1200
PROJECTS_MAX = 1000
HEADS_MAX = 100000
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
# the data a forum used (จปฐ., กชช. ๒ค) is of the forum's year or of up to this many
# years before (จปฐ. is collected every year, กชช. ๒ค every two)
DATA_YEARS_BACK = 5


@dataclass
class ForumInput:
    level: str
    held_on: _dt.date
    start_time: str
    end_time: str
    place: str
    title: str = ""
    village_id: int | None = None
    organisers: list[str] = field(default_factory=list)
    reviews_community_plan: bool = True
    used_bmn: bool = False
    used_village_data: bool = False
    bmn_year: int | str | None = None  # the BE year of the จปฐ. data used
    village_data_year: int | str | None = None  # the BE year of the กชช. ๒ค data used
    dimensions: list[str] = field(default_factory=list)
    head_count: int | None = None
    head_count_male: int | None = None
    head_count_female: int | None = None
    head_count_other: int | None = None  # others and not stated
    meeting_no: int | None = None
    recorder_name: str = ""
    recorder_position: str = ""
    checker_name: str = ""
    checker_position: str = ""
    attendees: list[dict] = field(default_factory=list)  # kind, name, position, substitute_for, absence_reason
    agenda: list[dict] = field(default_factory=list)  # title, discussion, resolution
    projects: list[dict] = field(default_factory=list)  # rank, name, dimension, village_id


def programme_window(db, year_be: int | None = None) -> tuple[_dt.date, _dt.date]:
    """First and last day of a programme year's months (the year in force by default)."""
    prog = programme_store.get_programme(db)
    year = thai.ce_year(year_be or prog.year_be)
    start = _dt.date(year, prog.start_month, 1)
    end = _dt.date(year + (prog.end_month == 12), prog.end_month % 12 + 1, 1) - _dt.timedelta(days=1)
    return start, end


def _time(value: str, field_name: str) -> str:
    match = TIME.match(thai.to_arabic_digits((value or "").strip()))
    if not match:
        raise InputError(msg("Times must be written as hours:minutes, such as 09:30."), field_name)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _count(value, field_name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError(msg("The number of people must be a number."), field_name) from None
    if not 0 <= number <= HEADS_MAX:
        raise InputError(msg("The number of people must be between 0 and %(max)s.", max=f"{HEADS_MAX:,}"), field_name)
    return number


def clean_agenda(rows: list[dict], *, max_items: int, too_many: Msg) -> list[dict]:
    """Agenda rows of the minutes (a forum's, a working-group meeting's) cleaned: each
    with a title, its discussion and resolution within their limits, empty rows dropped,
    at least one and at most ``max_items`` (``too_many`` says so), and the minutes' whole
    text within MINUTES_TEXT_MAX characters and MINUTES_LINES_MAX lines."""
    agenda = []
    for n, item in enumerate(rows, 1):
        i = item.get("row", n)
        title = _text(item.get("title"), TEXT_MAX, msg("Title of agenda item %(n)s", n=i), "agenda")
        discussion = _text(
            item.get("discussion"),
            DISCUSSION_MAX,
            msg("Details of agenda item %(n)s", n=i),
            "agenda",
            lines=DISCUSSION_LINES,
        )
        resolution = _text(
            item.get("resolution"),
            RESOLUTION_MAX,
            msg("Resolution of agenda item %(n)s", n=i),
            "agenda",
            lines=RESOLUTION_LINES,
        )
        if not (title or discussion or resolution):
            continue
        if not title:
            raise InputError(msg("Agenda item %(n)s: enter the title.", n=i), "agenda")
        agenda.append({"title": title, "discussion": discussion, "resolution": resolution})
    if not agenda:
        raise InputError(msg("Enter at least one agenda item."), "agenda")
    if len(agenda) > max_items:
        raise InputError(too_many, "agenda")
    text = [part for item in agenda for part in (item["discussion"], item["resolution"]) if part]
    characters, lines = sum(len(t) for t in text), sum(t.count("\n") + 1 for t in text)
    if characters > MINUTES_TEXT_MAX or lines > MINUTES_LINES_MAX:
        raise InputError(
            msg(
                "The agenda's details and resolutions together have %(chars)s characters in %(lines)s lines;"
                " the minutes take at most %(max_chars)s characters in %(max_lines)s lines. Shorten them.",
                chars=f"{characters:,}",
                lines=f"{lines:,}",
                max_chars=f"{MINUTES_TEXT_MAX:,}",
                max_lines=f"{MINUTES_LINES_MAX:,}",
            ),
            "agenda",
        )
    return agenda


def _text(value, limit: int, label: Msg, field_name: str, required: bool = False, lines: int | None = None) -> str:
    """``value`` stripped, refused when empty and ``required``, or longer than ``limit``
    characters or ``lines`` lines (None: no limit of its own on lines)."""
    text = (value or "").strip()
    if required and not text:
        raise InputError(msg("%(field)s is required.", field=label), field_name)
    refusal = Limit(limit, lines or limit).refusal(text, label)
    if refusal:
        raise InputError(refusal, field_name)
    return text


def _check_heads(data: ForumInput) -> None:
    """Men, women and others (or not stated) add up to the people taking part, as a
    reviewer adds them up on the minutes; a breakdown without its total is refused."""
    parts = (data.head_count_male, data.head_count_female, data.head_count_other)
    if all(p is None for p in parts):
        return
    if data.head_count is None:
        raise InputError(
            msg("Enter the number of people taking part, which men, women and others add up to."), "head_count"
        )
    men, women, others = (p or 0 for p in parts)
    if men + women + others != data.head_count:
        raise InputError(
            msg(
                "Men (%(men)s), women (%(women)s) and others or not stated (%(others)s) add up to %(sum)s,"
                " not the %(total)s people taking part. Correct the numbers.",
                men=f"{men:,}",
                women=f"{women:,}",
                others=f"{others:,}",
                sum=f"{men + women + others:,}",
                total=f"{data.head_count:,}",
            ),
            "head_count",
        )


def _check_named(data: ForumInput) -> None:
    """The people taking part are at least those named as present on the attendance
    list (attendees and other participants; absentees do not count)."""
    named = sum(1 for a in data.attendees if a["kind"] != "absent")
    if data.head_count is not None and named > data.head_count:
        raise InputError(
            msg(
                "The attendance list names %(named)s people present, more than the %(total)s people taking part."
                " Correct the number of people taking part or the list.",
                named=f"{named:,}",
                total=f"{data.head_count:,}",
            ),
            "head_count",
        )


DATA_NAMES = {
    "bmn_year": msg("the basic minimum needs (BMN) data"),
    "village_data_year": msg("the village data (NRD 2C)"),
}


def _data_year(value, used: bool, held_on: _dt.date, field_name: str, unrecorded_ok: bool) -> int | None:
    """The BE year of data the forum used: required when it was used (except on a forum
    saved before years were recorded, which keeps its yes without one), refused when it
    was not; the forum's year or up to DATA_YEARS_BACK years before."""
    what = DATA_NAMES[field_name]
    text = thai.to_arabic_digits(str(value if value is not None else "").strip())
    for prefix in ("พ.ศ.", "พ.ศ", "ปี"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    last = thai.be_year(held_on)
    first = last - DATA_YEARS_BACK
    if not text:
        if used and not unrecorded_ok:
            raise InputError(
                msg("Enter the year (BE) of %(data)s the forum used, such as %(year)s.", data=what, year=last - 1),
                field_name,
            )
        return None
    if not text.isdecimal() or len(text) > 4:
        raise InputError(
            msg("Write the year of %(data)s as a Buddhist Era year, such as %(year)s.", data=what, year=last - 1),
            field_name,
        )
    year = int(text)
    if not used:
        raise InputError(
            msg("A year of %(data)s is given, but it is not ticked as used. Tick it, or clear the year.", data=what),
            field_name,
        )
    if first - 543 <= year <= last - 543:
        raise InputError(
            msg(
                "%(year)s is a Christian Era year: write the year of %(data)s in the Buddhist Era (%(be)s).",
                year=year,
                data=what,
                be=year + 543,
            ),
            field_name,
        )
    if not first <= year <= last:
        raise InputError(
            msg(
                "The year of %(data)s must be from %(first)s to %(last)s:"
                " the forum's year or up to %(n)s years before.",
                data=what,
                first=first,
                last=last,
                n=DATA_YEARS_BACK,
            ),
            field_name,
        )
    return year


def validate(db, lao_id: int, data: ForumInput, year_be: int | None = None, stored: dict | None = None) -> ForumInput:
    """``stored``: the forum as saved, when this saves it again (a forum saved before data
    years were recorded keeps its yes without a year)."""
    lao_store.get_lao(db, lao_id)
    if data.level not in ("village", "lao"):
        raise InputError(msg("The forum level must be village/community or local."), "level")
    if data.level == "village":
        if not data.village_id or not one(
            db, "SELECT id FROM village WHERE id = ? AND lao_id = ?", [data.village_id, lao_id]
        ):
            raise InputError(msg("Choose a village/community of this LAO."), "village_id")
    else:
        data.village_id = None
    start, end = programme_window(db, year_be)
    if not isinstance(data.held_on, _dt.date):
        raise InputError(msg("Enter the date of the forum."), "held_on")
    if not start <= data.held_on <= end:
        raise InputError(
            msg(
                "The forum date must be within the programme year (%(start)s – %(end)s).",
                start=thai.date_long(start, "arabic"),
                end=thai.date_long(end, "arabic"),
            ),
            "held_on",
        )
    for used, key in (("used_bmn", "bmn_year"), ("used_village_data", "village_data_year")):
        unrecorded = bool(stored and stored[used] and stored[key] is None)
        setattr(data, key, _data_year(getattr(data, key), bool(getattr(data, used)), data.held_on, key, unrecorded))
    data.start_time = _time(data.start_time, "start_time")
    data.end_time = _time(data.end_time, "end_time")
    if data.end_time <= data.start_time:
        raise InputError(msg("The meeting must end after it starts."), "end_time")
    data.place = _text(data.place, TEXT_MAX, msg("Place"), "place", required=True)
    data.title = _text(data.title, TEXT_MAX, msg("Meeting name"), "title", required=True)
    data.organisers = list(dict.fromkeys(o for o in data.organisers if o))
    if not data.organisers:
        raise InputError(msg("Choose at least one organiser of the forum."), "organisers")
    if any(o not in ORGANISERS for o in data.organisers):
        raise InputError(msg("Not a valid forum organiser."), "organisers")
    known = programme_store.dimensions(db)
    unknown = [d for d in data.dimensions if d and d not in known]
    if unknown:
        raise InputError(
            msg("Development dimensions not in the list in use: %(names)s", names=", ".join(unknown[:3])), "dimensions"
        )
    data.dimensions = [d for d in known if d in set(data.dimensions)]
    data.head_count = _count(data.head_count, "head_count")
    data.head_count_male = _count(data.head_count_male, "head_count_male")
    data.head_count_female = _count(data.head_count_female, "head_count_female")
    data.head_count_other = _count(data.head_count_other, "head_count_other")
    _check_heads(data)
    if data.meeting_no not in (None, ""):
        try:
            data.meeting_no = int(data.meeting_no)
        except (TypeError, ValueError):
            data.meeting_no = 0
        if not 1 <= data.meeting_no <= 9999:
            raise InputError(msg("The meeting number must be a number from 1 to 9999."), "meeting_no")
    else:
        data.meeting_no = None
    data.recorder_name = _text(data.recorder_name, NAME_MAX, msg("Name of the minute-taker"), "recorder_name")
    data.recorder_position = _text(
        data.recorder_position, POSITION_MAX, msg("Position of the minute-taker"), "recorder_position"
    )
    data.checker_name = _text(data.checker_name, NAME_MAX, msg("Name of the checker"), "checker_name")
    data.checker_position = _text(
        data.checker_position, POSITION_MAX, msg("Position of the checker"), "checker_position"
    )
    attendees = []
    for n, a in enumerate(data.attendees, 1):
        i = a.get("row", n)
        name = _text(a.get("name"), NAME_MAX, msg("Name in attendee row %(row)s", row=i), "attendees")
        if not name:
            continue
        if a.get("kind") not in ATTENDEE_KINDS:
            raise InputError(msg("Attendee row %(row)s: not a valid kind of attendance.", row=i), "attendees")
        attendees.append(
            {
                "kind": a["kind"],
                "name": name,
                "position": _text(
                    a.get("position"), POSITION_MAX, msg("Position in attendee row %(row)s", row=i), "attendees"
                ),
                "substitute_for": _text(
                    a.get("substitute_for"),
                    NAME_MAX,
                    msg("Name of the person stood in for in attendee row %(row)s", row=i),
                    "attendees",
                )
                if a["kind"] == "present"
                else "",
                "absence_reason": _text(
                    a.get("absence_reason"),
                    POSITION_MAX,
                    msg("Reason for absence in attendee row %(row)s", row=i),
                    "attendees",
                )
                if a["kind"] == "absent"
                else "",
            }
        )
    if len(attendees) > ATTENDEES_MAX:
        raise InputError(msg("The attendance list has at most %(max)s people.", max=f"{ATTENDEES_MAX:,}"), "attendees")
    data.attendees = attendees
    _check_named(data)
    data.agenda = clean_agenda(
        data.agenda, max_items=AGENDA_MAX, too_many=msg("A forum has at most %(n)s agenda items.", n=AGENDA_MAX)
    )
    projects = []
    if data.level == "lao":
        villages = {v["id"] for v in lao_store.villages(db, lao_id)}
        for n, p in enumerate(data.projects, 1):
            i = p.get("row", n)
            name = _text(p.get("name"), TEXT_MAX, msg("Project name in row %(row)s", row=i), "projects")
            if not name:
                continue
            if p.get("dimension") not in known:
                raise InputError(msg("Project row %(row)s: choose a development dimension.", row=i), "projects")
            village_id = p.get("village_id") or None
            if village_id is not None:
                try:
                    village_id = int(village_id)
                except (TypeError, ValueError):
                    village_id = -1
                if village_id not in villages:
                    raise InputError(
                        msg("Project row %(row)s: the village/community is not one of this LAO's.", row=i), "projects"
                    )
            projects.append(
                {
                    "name": name,
                    "dimension": p["dimension"],
                    "village_id": village_id,
                    "rank": p.get("rank"),
                    "row": i,
                    "version": p.get("version"),
                    "id": int(p["id"]) if str(p.get("id") or "").isdecimal() and len(str(p["id"])) < 19 else None,
                }
            )
        if len(projects) > PROJECTS_MAX:
            raise InputError(msg("The project list has at most %(max)s projects.", max=f"{PROJECTS_MAX:,}"), "projects")
        ranks = []
        for p in projects:
            try:
                ranks.append(int(p["rank"]))
            except (TypeError, ValueError):
                raise InputError(
                    msg("Project row %(row)s: enter the priority as a number.", row=p["row"]), "projects"
                ) from None
            if not 1 <= ranks[-1] <= 100000:
                raise InputError(
                    msg("Project row %(row)s: the priority must be a number from 1 up.", row=p["row"]), "projects"
                )
        if len(set(ranks)) != len(ranks):
            raise InputError(msg("Two projects must not have the same priority."), "projects")
        for p, r in zip(projects, ranks, strict=False):
            p["rank"] = r
        projects.sort(key=lambda p: p["rank"])
    data.projects = projects
    return data


def _write_children(
    db, forum_id: int, lao_id: int, year: int, data: ForumInput, user_id: int | None, keeps_list: bool
) -> None:
    db.execute("DELETE FROM forum_attendee WHERE forum_id = ?", [forum_id])
    db.execute("DELETE FROM forum_agenda WHERE forum_id = ?", [forum_id])
    position = {kind: 0 for kind in ATTENDEE_KINDS}
    rows = []
    for a in data.attendees:
        position[a["kind"]] += 1
        rows.append(
            (
                forum_id,
                a["kind"],
                position[a["kind"]],
                a["name"],
                a["position"],
                a["substitute_for"],
                a["absence_reason"],
            )
        )
    db.conn.executemany(
        "INSERT INTO forum_attendee (forum_id, kind, position_no, name, position, substitute_for, absence_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany(
        "INSERT INTO forum_agenda (forum_id, position_no, title, discussion, resolution) VALUES (?, ?, ?, ?, ?)",
        [(forum_id, i, a["title"], a["discussion"], a["resolution"]) for i, a in enumerate(data.agenda, 1)],
    )
    _write_projects(db, forum_id, lao_id, year, data.projects, user_id, keeps_list)


PROJECT_KEYS = ("rank", "name", "dimension", "village_id")


def _projects_lost(db, lao_id: int, forum_id: int, year: int, projects: list[dict]) -> list:
    """The changes to the forum's projects (saved from the project list since this form
    was loaded) that saving these rows would overwrite. Each row carries the project's
    version as the form showed it (None: not checked)."""
    stored = {r["id"]: r for r in project_store.list_projects(db, lao_id, year) if r["forum_id"] in (forum_id, None)}
    spec = project_store.fields(db, lao_id)
    lost = []
    for p in projects:
        row = stored.get(p.get("id"))
        if row is None or p.get("version") is None:
            continue
        mine = {**project_store.values(row), **{k: p[k] for k in PROJECT_KEYS}}
        if mine != project_store.values(row):
            lost += project_store.lost(
                db,
                row,
                p["version"],
                mine,
                spec,
                only=set(PROJECT_KEYS),
                prefix=msg("%(field)s in project row %(row)s", row=p["row"]),
            )
    return lost


# what identifies an adopted project once the LAO has put it in its plan or budget
LOCKED_KEYS = ("name", "dimension", "village_id")


def _write_projects(
    db, forum_id: int, lao_id: int, year: int, projects: list[dict], user_id: int | None, keeps_list: bool
) -> None:
    """The forum's adopted projects are rows of the LAO's project list, which its clerk
    keeps. The form adds rows: a row sent without an id is a new adopted project. A row
    sent back by id is updated in place (its plan and budget marks stay). A row the form
    does not send stays as it is: projects are removed on the project list, never by
    leaving them out of a forum.

    ``keeps_list``: the user keeps the LAO's project list (its clerk, an admin). Such a
    user may also link a project of the list that no forum adopted yet (sent by its
    id) and change any row. Anyone else (the district's facilitator) may add projects
    and correct rows the LAO has not put in its plan or budget, but a project in the
    plan or the draft budget keeps its name, dimension and village. A refused row
    refuses the whole save: nothing is written."""
    own = {r["id"]: r for r in db.query("SELECT * FROM project WHERE forum_id = ?", [forum_id])}
    unlinked = {
        r["id"]
        for r in db.query(
            "SELECT id FROM project WHERE lao_id = ? AND programme_year = ? AND forum_id IS NULL", [lao_id, year]
        )
    }
    for p in projects:
        project_id = p.get("id")
        if project_id is None or project_id in own:
            continue
        if not (keeps_list and project_id in unlinked):
            raise InputError(
                msg(
                    "Project row %(row)s is not one of this forum's projects (it may have been removed from the "
                    "project list). Clear the row's values and add it again as a new project.",
                    row=p["row"],
                ),
                "projects",
            )
    if not keeps_list:
        for p in projects:
            row = own.get(p.get("id"))
            if row is None or not (row["in_development_plan"] or row["in_budget_draft"]):
                continue
            if any(p[k] != row[k] for k in LOCKED_KEYS):
                raise InputError(
                    msg(
                        "Project row %(row)s: '%(name)s' is already in the development plan or the draft budget. "
                        "Its name, dimension and village are changed only by the LAO's clerk, on the project list.",
                        row=p["row"],
                        name=row["name"][:60],
                    ),
                    "projects",
                )
    sent = {p["id"] for p in projects if p.get("id") is not None}
    others = {
        r["rank"]: r["name"]
        for r in db.query("SELECT id, rank, name FROM project WHERE lao_id = ? AND programme_year = ?", [lao_id, year])
        if r["id"] not in sent
    }
    for p in projects:
        if p["rank"] in others:
            raise InputError(
                msg(
                    "Project row %(row)s: priority %(rank)s is already held by the "
                    "project '%(name)s' in the LAO's project list.",
                    row=p["row"],
                    rank=p["rank"],
                    name=others[p["rank"]][:60],
                ),
                "projects",
            )
    now = now_iso()
    for p in projects:
        project_id = p.get("id")
        if project_id is not None:
            row = project_store.get_project(db, lao_id, project_id)
            changes = {k: p[k] for k in PROJECT_KEYS if p[k] != row[k]}
            if row["forum_id"] != forum_id:
                changes["forum_id"] = forum_id  # a project of the list, adopted by this forum
            if changes:  # a project row is a versioned record of its own
                project_store.write(db, row, changes, user_id, now)
        else:
            db.execute(
                "INSERT INTO project (lao_id, programme_year, forum_id, rank, name, dimension, village_id,"
                " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [lao_id, year, forum_id, p["rank"], p["name"], p["dimension"], p["village_id"], user_id, now],
            )


def _columns(data: ForumInput) -> dict:
    return {
        "level": data.level,
        "village_id": data.village_id,
        "title": data.title,
        "meeting_no": int(data.meeting_no) if data.meeting_no else None,
        "meeting_year_be": thai.be_year(data.held_on),
        "held_on": data.held_on.isoformat(),
        "start_time": data.start_time,
        "end_time": data.end_time,
        "place": data.place,
        "organisers": json.dumps(data.organisers),
        "reviews_community_plan": int(bool(data.reviews_community_plan)),
        "used_bmn": int(bool(data.used_bmn)),
        "used_village_data": int(bool(data.used_village_data)),
        "bmn_year": data.bmn_year,
        "village_data_year": data.village_data_year,
        "dimensions": json.dumps(data.dimensions, ensure_ascii=False),
        "head_count": data.head_count,
        "head_count_male": data.head_count_male,
        "head_count_female": data.head_count_female,
        "head_count_other": data.head_count_other,
        "recorder_name": data.recorder_name,
        "recorder_position": data.recorder_position,
        "checker_name": data.checker_name,
        "checker_position": data.checker_position,
    }


FORUM_KEYS = (
    "village_id",
    "title",
    "meeting_no",
    "held_on",
    "start_time",
    "end_time",
    "place",
    "organisers",
    "reviews_community_plan",
    "used_bmn",
    "used_village_data",
    "bmn_year",
    "village_data_year",
    "dimensions",
    "head_count",
    "head_count_male",
    "head_count_female",
    "head_count_other",
    "recorder_name",
    "recorder_position",
    "checker_name",
    "checker_position",
)
ROW_KEYS = {
    "present": ("name", "position", "substitute_for"),
    "absent": ("name", "position", "absence_reason"),
    "participant": ("name", "position"),
}


def _forum_values(columns: dict, attendees: list[dict], agenda: list[dict]) -> dict:
    """What the forum form edits (its projects are records of their own)."""
    values = {k: columns[k] for k in FORUM_KEYS}
    for key in ("organisers", "dimensions"):
        if isinstance(values[key], str):
            values[key] = json.loads(values[key])
    for kind, keys in ROW_KEYS.items():
        values[kind] = [{k: a[k] for k in keys} for a in attendees if a["kind"] == kind]
    values["agenda"] = [{k: a[k] for k in ("title", "discussion", "resolution")} for a in agenda]
    return values


# ORGANISERS as messages
ORGANISER_NAMES = {
    "village_committee": msg("Village committee"),
    "community_committee": msg("Community committee"),
    "ctc": msg("Tambon community-organisation coordination centre"),
    "coc": msg("Tambon community-organisation council"),
    "plan_leaders": msg("Community plan leaders"),
    "lao": msg("Local administrative organisation"),
}


def _year(value) -> str | Msg:
    return msg("not recorded") if value is None else str(value)


def _people(count) -> Msg:
    return msg("%(n)s people", n=count)


def _forum_fields(db, lao_id: int) -> Fields:
    villages = {v["id"]: village_message(v["kind"], v["number"], v["name"]) for v in lao_store.villages(db, lao_id)}
    return Fields(
        {
            "village_id": Field(msg("Village/community"), lambda v: villages.get(v, f"#{v}")),
            "title": msg("Meeting name"),
            "meeting_no": msg("Meeting no."),
            "held_on": Field(msg("Date"), lambda v: thai.date_long(_dt.date.fromisoformat(v), "arabic")),
            "start_time": msg("Meeting start time"),
            "end_time": msg("Meeting end time"),
            "place": msg("Place"),
            "organisers": Field(msg("Organisers"), choice(ORGANISER_NAMES)),
            "reviews_community_plan": Field(msg("Reviewed the community plan"), yes_no),
            "used_bmn": Field(msg("Used basic minimum needs data"), yes_no),
            "used_village_data": Field(msg("Used village data (NRD 2C)"), yes_no),
            "bmn_year": Field(msg("Year of the BMN data"), _year),
            "village_data_year": Field(msg("Year of the village data (NRD 2C)"), _year),
            "dimensions": msg("Development dimensions covered"),
            "head_count": Field(msg("Participants"), _people),
            "head_count_male": Field(msg("Men"), _people),
            "head_count_female": Field(msg("Women"), _people),
            "head_count_other": Field(msg("Others or not stated"), _people),
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


def create_forum(db, lao_id: int, data: ForumInput, user_id: int | None, keeps_list: bool = False) -> int:
    """Record a forum. ``keeps_list``: the user keeps the LAO's project list (see
    ``_write_projects``)."""
    data = validate(db, lao_id, data)
    year = programme_store.get_programme(db).year_be
    columns = _columns(data)
    now = now_iso()
    with db.atomic():
        names = ", ".join(columns)
        forum_id = db.execute(
            f"INSERT INTO forum (lao_id, programme_year, {names}, created_by, created_at, updated_by, updated_at)"
            f" VALUES (?, ?, {', '.join('?' * len(columns))}, ?, ?, ?, ?)",
            [lao_id, year, *columns.values(), user_id, now, user_id, now],
        ).lastrowid
        _write_children(db, forum_id, lao_id, year, data, user_id, keeps_list)
    return forum_id


def update_forum(
    db,
    lao_id: int,
    forum_id: int,
    data: ForumInput,
    user_id: int | None,
    expected_version: int | None = None,
    keeps_list: bool = False,
) -> int:
    """Save a forum from its form. Returns the new version.

    A form based on an old version is refused (ConflictError naming each field, row and
    adopted project another save changed) when saving it would overwrite those changes;
    nothing is written then. The adopted projects carry their own versions (they are
    also edited on the project list). ``keeps_list``: the user keeps the LAO's project
    list (see ``_write_projects``)."""
    current = get_forum(db, lao_id, forum_id)
    data = validate(db, lao_id, data, current["programme_year"], stored=current)
    columns = _columns(data)
    with db.atomic():
        current = get_forum(db, lao_id, forum_id)
        stored = _forum_values(current, current["attendees"], current["agenda"])
        lost = versions.lost(
            db,
            "forum",
            forum_id,
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours=_forum_values(columns, data.attendees, data.agenda),
            fields=_forum_fields(db, lao_id),
        )
        lost += _projects_lost(db, lao_id, forum_id, current["programme_year"], data.projects)
        if lost:
            raise versions.refuse(msg("this forum"), lost, current["version"])
        versions.remember(
            db, "forum", forum_id, current["version"], stored, current["updated_by"], current["updated_at"]
        )
        db.execute(
            f"UPDATE forum SET {', '.join(f'{k} = ?' for k in columns)}, version = version + 1,"
            " updated_by = ?, updated_at = ? WHERE id = ?",
            [*columns.values(), user_id, now_iso(), forum_id],
        )
        _write_children(db, forum_id, lao_id, current["programme_year"], data, user_id, keeps_list)
    return current["version"] + 1


def delete_forum(db, lao_id: int, forum_id: int, user_id: int | None = None) -> int:
    """Delete a forum, keeping a copy for 30 days (store.trash). Returns the copy's id."""
    forum = get_forum(db, lao_id, forum_id)
    with db.atomic():
        data = {
            "forum": trash.rows(db, "forum", "id = ?", [forum_id])[0],
            "attendees": trash.rows(db, "forum_attendee", "forum_id = ?", [forum_id]),
            "agenda": trash.rows(db, "forum_agenda", "forum_id = ?", [forum_id]),
            "projects": [p["id"] for p in forum["projects"]],
        }
        label = forum["title"]
        entry = trash.keep(db, lao_id, "forum", forum_id, label, data, user_id)
        # the projects it adopted stay in the LAO's list, no longer linked to a forum
        db.execute("UPDATE project SET forum_id = NULL WHERE forum_id = ?", [forum_id])
        db.execute("DELETE FROM forum WHERE id = ? AND lao_id = ?", [forum_id, lao_id])
    return entry


def restore_forum(db, lao_id: int, entry: dict) -> int:
    """Put a deleted forum back (``entry`` from trash.get), with its attendees and agenda,
    and link again the projects it had adopted that no other forum took meanwhile.
    Refuses, changing nothing, when its village/community is gone. Returns its id."""
    data = entry["data"]
    forum = data["forum"]
    with db.atomic():
        if forum["village_id"] is not None and not one(
            db, "SELECT id FROM village WHERE id = ? AND lao_id = ?", [forum["village_id"], lao_id]
        ):
            raise InputError(
                msg(
                    "'%(title)s' cannot be restored: its village/community was deleted. Restore the village first.",
                    title=forum["title"][:60],
                )
            )
        forum_id = trash.insert(db, "forum", forum)
        for table, key in (("forum_attendee", "attendees"), ("forum_agenda", "agenda")):
            for row in data[key]:
                trash.insert(db, table, {**row, "forum_id": forum_id})
        if data["projects"]:
            db.execute(
                f"UPDATE project SET forum_id = ? WHERE id IN ({', '.join('?' for _ in data['projects'])})"
                " AND lao_id = ? AND programme_year = ? AND forum_id IS NULL",
                [forum_id, *data["projects"], lao_id, forum["programme_year"]],
            )
        trash.forget(db, entry["id"])
    return forum_id


def _decorate(row: dict) -> dict:
    row["organisers"] = json.loads(row["organisers"])
    row["dimensions"] = json.loads(row["dimensions"])
    return row


def get_forum(db, lao_id: int, forum_id: int) -> dict:
    row = one(
        db,
        "SELECT f.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name"
        " FROM forum f LEFT JOIN village v ON v.id = f.village_id WHERE f.id = ? AND f.lao_id = ?",
        [forum_id, lao_id],
    )
    if row is None:
        raise NotFound(forum_id)
    row = _decorate(row)
    row["attendees"] = list(
        db.query("SELECT * FROM forum_attendee WHERE forum_id = ? ORDER BY kind, position_no", [forum_id])
    )
    row["agenda"] = list(db.query("SELECT * FROM forum_agenda WHERE forum_id = ? ORDER BY position_no", [forum_id]))
    row["projects"] = list(
        db.query(
            "SELECT p.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name FROM project p"
            " LEFT JOIN village v ON v.id = p.village_id WHERE p.forum_id = ? ORDER BY p.rank",
            [forum_id],
        )
    )
    return row


def forums(db, lao_id: int, year: int | None = None) -> list[dict]:
    """The LAO's forums (of a programme year), with counts, in a fixed number of queries."""
    sql = (
        "SELECT f.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name,"
        " (SELECT count(*) FROM forum_attendee a WHERE a.forum_id = f.id AND a.kind != 'absent') AS named,"
        " (SELECT count(*) FROM project p WHERE p.forum_id = f.id) AS projects"
        " FROM forum f LEFT JOIN village v ON v.id = f.village_id WHERE f.lao_id = ?"
    )
    params: list = [lao_id]
    if year is not None:
        sql += " AND f.programme_year = ?"
        params.append(year)
    return [_decorate(r) for r in db.query(sql + " ORDER BY f.held_on, f.start_time, f.id", params)]


def suggest_meeting_no(db, lao_id: int, level: str, village_id: int | None, organiser: str, held_on: _dt.date) -> int:
    """The next ครั้งที่ n/YYYY of this organiser (for this village, or at LAO level) in the
    calendar year of the forum."""
    rows = db.query(
        "SELECT meeting_no, organisers FROM forum WHERE lao_id = ? AND level = ? AND village_id IS ?"
        " AND meeting_year_be = ?",
        [lao_id, level, village_id, thai.be_year(held_on)],
    )
    numbers = [r["meeting_no"] or 0 for r in rows if organiser in json.loads(r["organisers"])]
    return max(numbers, default=0) + 1


def projects(db, lao_id: int, year: int) -> list[dict]:
    return list(
        db.query(
            "SELECT p.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name FROM project p"
            " LEFT JOIN village v ON v.id = p.village_id WHERE p.lao_id = ? AND p.programme_year = ?"
            " ORDER BY p.rank, p.id",
            [lao_id, year],
        )
    )
