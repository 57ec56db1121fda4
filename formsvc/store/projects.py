"""The LAO's project list for a programme year: ranks, plan and budget tracking, and the
all-or-nothing replacement an import makes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from formsvc.domain import criteria, thai
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.messages import thai as thai_text
from formsvc.domain.model import PLAN_YEARS, village_label
from formsvc.domain.versions import Field, Fields, yes_no
from formsvc.store import crashpoints, trash, versions
from formsvc.store import programme as programme_store
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)

NAME_MAX = 300
REFERENCE_MAX = 100
BUDGET_MAX = Decimal("1000000000000")  # a trillion baht: anything above is a typing slip
FLAGS = ("within_authority", "in_development_plan", "in_budget_draft")
# what the development plan's project form (แบบ ผ.02) asks of a project: texts with their
# limits, then the budget of each of the plan period's five years (model.plan_years)
PLAN_TEXTS = {
    "strategy": 300,
    "plan_area": 300,
    "objective": 1000,
    "target": 1000,
    "kpi": 500,
    "expected_result": 1000,
    "responsible_unit": 200,
}
PLAN_BUDGETS = tuple(f"plan_satang_{n}" for n in range(1, PLAN_YEARS + 1))
PLAN_FIELDS = (*PLAN_TEXTS, *PLAN_BUDGETS)
_PLAN_LABELS = {
    "strategy": msg("Strategy"),
    "plan_area": msg("Plan area"),
    "objective": msg("Objective"),
    "target": msg("Target (the project's output)"),
    "kpi": msg("Indicator (KPI)"),
    "expected_result": msg("Expected result"),
    "responsible_unit": msg("Unit mainly responsible"),
}
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")

_SELECT = (
    "SELECT p.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name,"
    " f.title AS forum_title, f.level AS forum_level, f.lao_id AS forum_lao_id,"
    " f.programme_year AS forum_year FROM project p LEFT JOIN village v ON v.id = p.village_id"
    " LEFT JOIN forum f ON f.id = p.forum_id"
)


KIND = "project"
EDITABLE = (
    "rank",
    "name",
    "dimension",
    "village_id",
    "within_authority",
    "in_development_plan",
    "plan_reference",
    "in_budget_draft",
    "budget_satang",
    *PLAN_FIELDS,
)


def fields(db, lao_id: int) -> Fields:
    """The project's fields as the forms name them (for "what changed" messages)."""
    villages = {
        r["id"]: village_label(r["kind"], r["number"], r["name"])
        for r in db.query("SELECT id, kind, number, name FROM village WHERE lao_id = ?", [lao_id])
    }
    return Fields(
        {
            "rank": msg("Priority"),
            "name": msg("Project name"),
            "dimension": msg("Development dimension"),
            "village_id": Field(msg("Village/community"), lambda v: villages.get(v, f"#{v}")),
            "within_authority": Field(msg("Within its powers"), yes_no),
            "in_development_plan": Field(msg("In the local development plan"), yes_no),
            "plan_reference": msg("Plan reference"),
            "in_budget_draft": Field(msg("In the draft budget ordinance"), yes_no),
            "budget_satang": Field(msg("Budget (baht)"), _baht),
            **_PLAN_LABELS,
            **{
                key: Field(msg("Plan budget, year %(n)s of the plan (baht)", n=n), _baht)
                for n, key in enumerate(PLAN_BUDGETS, 1)
            },
        }
    )


def _baht_or_none(satang) -> Decimal | None:
    return None if satang is None else Decimal(satang) / 100


def _plan_input(row: dict) -> dict:
    """A checked row's plan budgets as ``check_plan`` reads them (nothing when the row
    has none: a pending import checked before they were)."""
    if not any(k in row for k in PLAN_BUDGETS):
        return {}
    return {"plan_budgets": [_baht_or_none(row.get(k)) for k in PLAN_BUDGETS]}


def _baht(value) -> str:
    return f"{Decimal(value) / 100:,.2f}"


def values(row: dict) -> dict:
    """What the project forms edit, as stored."""
    return {k: row[k] for k in EDITABLE}


def lost(db, row: dict, expected: int | None, yours: dict, field_spec: Fields, **kwargs):
    return versions.lost(
        db,
        KIND,
        row["id"],
        expected=expected,
        version=row["version"],
        current=values(row),
        saved_by=row["updated_by"],
        saved_at=row["updated_at"],
        yours=yours,
        fields=field_spec,
        **kwargs,
    )


def write(db, row: dict, changes: dict, user_id: int | None, now: str) -> None:
    """Save ``changes`` (some editable fields) over the stored ``row`` as its next version."""
    versions.remember(db, KIND, row["id"], row["version"], values(row), row["updated_by"], row["updated_at"])
    db.execute(
        f"UPDATE project SET {', '.join(f'{k} = ?' for k in changes)}, version = version + 1,"
        " updated_by = ?, updated_at = ? WHERE id = ?",
        [*changes.values(), user_id, now, row["id"]],
    )


def _decorate(row: dict) -> dict:
    row["village_label"] = (
        village_label(row["village_kind"], row["village_number"], row["village_name"]) if row["village_kind"] else ""
    )
    row["budget"] = None if row["budget_satang"] is None else Decimal(row["budget_satang"]) / 100
    row["plan_budgets"] = [None if row[k] is None else Decimal(row[k]) / 100 for k in PLAN_BUDGETS]
    # adopted by an LAO-level forum of the same LAO and programme year: only those rows
    # count in criteria 4 and 5 (docs/domain.md, "The five criteria")
    row["adopted"] = (
        row["forum_level"] == "lao"
        and row["forum_lao_id"] == row["lao_id"]
        and row["forum_year"] == row["programme_year"]
    )
    return row


def list_projects(db, lao_id: int, year: int) -> list[dict]:
    return [
        _decorate(r)
        for r in db.query(
            _SELECT + " WHERE p.lao_id = ? AND p.programme_year = ? ORDER BY p.rank, p.id", [lao_id, year]
        )
    ]


def ranked_ids(db, lao_id: int, year: int) -> list[dict]:
    """``id`` and ``rank`` of the year's projects, by rank."""
    return list(
        db.query("SELECT id, rank FROM project WHERE lao_id = ? AND programme_year = ? ORDER BY rank", [lao_id, year])
    )


def set_plan_marks(
    db,
    project_id: int,
    within_authority: bool,
    in_development_plan: bool,
    plan_reference: str,
    in_budget_draft: bool,
    budget_satang: int | None,
) -> None:
    """Write a project's plan and budget marks as they are (no version, no history: the
    demo's loader, which makes the first marks)."""
    db.execute(
        "UPDATE project SET within_authority = ?, in_development_plan = ?, plan_reference = ?,"
        " in_budget_draft = ?, budget_satang = ? WHERE id = ?",
        [
            int(within_authority),
            int(in_development_plan),
            plan_reference,
            int(in_budget_draft),
            budget_satang,
            project_id,
        ],
    )


def set_plan_details(db, project_id: int, texts: list[str], amounts: list) -> None:
    """Write a project's plan details as they are (no version, no history: the demo's
    loader): the texts in the order of ``PLAN_TEXTS``, the five years' amounts in baht
    (None: none)."""
    satang = [None if a is None else int(Decimal(str(a)) * 100) for a in amounts]
    db.execute(
        f"UPDATE project SET {', '.join(f'{k} = ?' for k in PLAN_FIELDS)} WHERE id = ?",
        [*texts, *satang, project_id],
    )


def set_plan_marks_by_rank(db, lao_id: int, marks: list[tuple]) -> None:
    """A bulk load's plan and budget marks, committed at once: one tuple per project,
    (within_authority, in_development_plan, plan_reference, in_budget_draft,
    budget_satang, rank)."""
    db.conn.executemany(
        "UPDATE project SET within_authority = ?, in_development_plan = ?, plan_reference = ?, in_budget_draft = ?,"
        " budget_satang = ? WHERE lao_id = ? AND rank = ?",
        [(*mark[:5], lao_id, mark[5]) for mark in marks],
    )
    db.conn.commit()


def count_projects(db, lao_id: int, year: int) -> int:
    return db.execute(
        "SELECT count(*) FROM project WHERE lao_id = ? AND programme_year = ?", [lao_id, year]
    ).fetchone()[0]


def get_project(db, lao_id: int, project_id: int) -> dict:
    row = one(db, _SELECT + " WHERE p.id = ? AND p.lao_id = ?", [project_id, lao_id])
    if row is None:
        raise NotFound(project_id)
    return _decorate(row)


def facts(rows: list[dict]) -> list[criteria.ProjectFacts]:
    return [
        criteria.ProjectFacts(
            r["id"],
            r["rank"],
            r["name"],
            bool(r["within_authority"]),
            bool(r["in_development_plan"]),
            bool(r["in_budget_draft"]),
            r["adopted"],
        )
        for r in rows
    ]


def parse_budget(value) -> int | None:
    """Baht (text with commas or Thai digits, or a number) to satang, exactly; None if blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError(msg("The budget must be a number."), "budget")
    if isinstance(value, float):
        value = repr(value)
    text = thai.to_arabic_digits(str(value)).replace(" ", "").replace("บาท", "")
    if "," in text and not _GROUPED.match(text):
        raise InputError(msg("Use commas in the budget only to separate thousands, such as 150,000.50."), "budget")
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InputError(msg("The budget must be a number, such as 150000 or 150,000.50."), "budget") from None
    if not amount.is_finite():
        raise InputError(msg("The budget must be a number, such as 150000 or 150,000.50."), "budget")
    if amount < 0:
        raise InputError(msg("The budget must not be negative."), "budget")
    if amount > BUDGET_MAX:
        raise InputError(msg("The budget is unrealistically high."), "budget")
    if amount != amount.quantize(Decimal("0.01")):
        raise InputError(msg("The budget may have at most 2 decimal places."), "budget")
    return int(amount * 100)


def _at(where: str | Msg, message: str | Msg) -> str | Msg:
    """``message`` after ``where`` (``row_at(5)``: 'แถวที่ 5: ...'), to be shown in the page's
    language; Thai text given as ``where`` makes the whole of it Thai."""
    if not where:
        return message
    if isinstance(where, Msg):
        return msg("%(where)s: %(problem)s", where=where, problem=message)
    return where + thai_text(message)


def row_at(number: int) -> Msg:
    """Where a problem is in a table of projects: 'Row 5' ('แถวที่ 5')."""
    return msg("Row %(n)s", n=number)


def check_row(db, lao_id: int, row: dict, where: str | Msg = "") -> dict:
    """One project's values checked; ``where`` (e.g. ``row_at(5)``) prefixes messages."""
    name = (row.get("name") or "").strip()
    if not name:
        raise InputError(_at(where, msg("Enter the project name.")), "name")
    if len(name) > NAME_MAX:
        raise InputError(_at(where, msg("The project name is longer than %(max)s characters.", max=NAME_MAX)), "name")
    dimension = (row.get("dimension") or "").strip()
    if dimension and dimension not in programme_store.dimensions(db):
        raise InputError(
            _at(where, msg("The development dimension '%(name)s' is not in the list in use.", name=dimension[:60])),
            "dimension",
        )
    village_id = row.get("village_id")
    if village_id not in (None, ""):
        if not one(db, "SELECT id FROM village WHERE id = ? AND lao_id = ?", [village_id, lao_id]):
            raise InputError(_at(where, msg("The village/community is not one of this LAO's.")), "village_id")
    else:
        village_id = None
    reference = (row.get("plan_reference") or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise InputError(
            _at(where, msg("The plan reference is longer than %(max)s characters.", max=REFERENCE_MAX)),
            "plan_reference",
        )
    try:
        budget = parse_budget(row.get("budget"))
    except InputError as error:
        raise InputError(_at(where, error.msg or error.message), "budget") from None
    plan = check_plan(row, where) if any(k in row for k in (*PLAN_TEXTS, "plan_budgets")) else {}
    try:
        rank = int(thai.to_arabic_digits(str(row.get("rank", "")).strip()))
    except ValueError:
        raise InputError(_at(where, msg("The priority must be a number.")), "rank") from None
    if not 1 <= rank <= 100000:
        raise InputError(_at(where, msg("The priority must be a number from 1 up.")), "rank")
    return {
        "rank": rank,
        "name": name,
        "dimension": dimension,
        "village_id": village_id,
        "within_authority": int(bool(row.get("within_authority"))),
        "in_development_plan": int(bool(row.get("in_development_plan"))),
        "plan_reference": reference,
        "in_budget_draft": int(bool(row.get("in_budget_draft"))),
        "budget_satang": budget,
        **plan,
    }


def check_plan(row: dict, where: str | Msg = "") -> dict:
    """The plan details of a project (``PLAN_TEXTS`` and ``plan_budgets``: the five
    years' amounts in baht, as ``parse_budget`` reads them), checked."""
    cleaned = {}
    for key, limit in PLAN_TEXTS.items():
        text = str(row.get(key) or "").strip()
        if len(text) > limit:
            problem = msg("%(field)s is longer than %(max)s characters.", field=_PLAN_LABELS[key], max=limit)
            raise InputError(_at(where, problem), key)
        cleaned[key] = text
    amounts = list(row.get("plan_budgets") or [])
    if len(amounts) > PLAN_YEARS:
        raise InputError(_at(where, msg("The plan has %(n)s years.", n=PLAN_YEARS)), "plan_budgets")
    amounts += [None] * (PLAN_YEARS - len(amounts))
    for n, (key, amount) in enumerate(zip(PLAN_BUDGETS, amounts, strict=True), 1):
        try:
            cleaned[key] = parse_budget(amount)
        except InputError as error:
            problem = msg("year %(n)s of the plan: %(problem)s", n=n, problem=error.msg or error.message)
            raise InputError(_at(where, problem), f"plan_budget_{n}") from None
    return cleaned


def _rank_free(db, lao_id: int, year: int, rank: int, project_id: int | None = None) -> None:
    other = one(
        db,
        "SELECT name FROM project WHERE lao_id = ? AND programme_year = ? AND rank = ? AND id IS NOT ?",
        [lao_id, year, rank, project_id],
    )
    if other:
        raise InputError(
            msg(
                "Priority %(rank)s is already held by the project '%(name)s'; use another priority.",
                rank=rank,
                name=other["name"][:60],
            ),
            "rank",
        )


def update_project(
    db, lao_id: int, project_id: int, row: dict, user_id: int | None = None, expected_version: int | None = None
) -> int:
    """Save one project from its form. Returns the new version.

    A form based on an old version is refused (ConflictError naming what the other save
    changed) when it would overwrite that change; nothing is written then."""
    get_project(db, lao_id, project_id)
    cleaned = check_row(db, lao_id, row)
    with db.atomic():
        current = get_project(db, lao_id, project_id)
        changes = lost(db, current, expected_version, cleaned, fields(db, lao_id))
        if changes:
            raise versions.refuse(msg("this project"), changes, current["version"])
        _rank_free(db, lao_id, current["programme_year"], cleaned["rank"], project_id)
        cleaned = {**values(current), **cleaned}  # a form without the plan details keeps them
        if cleaned != values(current):
            write(db, current, cleaned, user_id, now_iso())
            return current["version"] + 1
        return current["version"]


def add_project(db, lao_id: int, year: int, row: dict, user_id: int | None = None) -> int:
    with db.atomic():
        if not row.get("rank"):
            row = {
                **row,
                "rank": (
                    db.execute(
                        "SELECT coalesce(max(rank), 0) + 1 FROM project WHERE lao_id = ? AND programme_year = ?",
                        [lao_id, year],
                    ).fetchone()[0]
                ),
            }
        values = {**check_plan({}), **check_row(db, lao_id, row)}
        _rank_free(db, lao_id, year, values["rank"])
        columns = EDITABLE
        return db.execute(
            f"INSERT INTO project (lao_id, programme_year, {', '.join(columns)}, updated_by, updated_at)"
            f" VALUES (?, ?, {', '.join('?' for _ in columns)}, ?, ?)",
            [lao_id, year, *(values[c] for c in columns), user_id, now_iso()],
        ).lastrowid


def update_many(db, lao_id: int, year: int, rows: list[dict], user_id: int | None = None, first: int = 1) -> int:
    """Save rows of the list as edited in the table (the whole list, or one page of it
    whose first row the table numbers ``first``): every row checked (errors name the
    row shown), ranks unique over the whole list, all in one transaction. Rows not sent
    are left as they are, never deleted. Returns how many rows changed.

    Each row carries the version it was loaded with (``row["version"]``; None: not
    checked). The table is many project forms at once, so versions are per row: a row
    someone else saved since is left as they saved it when this table did not change
    it, and refuses the whole save when it did; rows nobody else touched are saved. So
    two clerks may each correct different rows of a long list without refusing each
    other, yet no one's change to a row is overwritten unseen."""
    cleaned = []
    for n, row in enumerate(rows, first):
        cleaned.append((n, row.get("id"), check_row(db, lao_id, row, row_at(n)), row.get("version")))
    ranks = [values["rank"] for _, _, values, _ in cleaned]
    duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
    if duplicates:
        raise InputError(
            msg("Priorities used more than once: %(ranks)s", ranks=", ".join(map(str, duplicates[:10]))), "rank"
        )
    with db.atomic():
        stored = {r["id"]: r for r in list_projects(db, lao_id, year)}
        spec = fields(db, lao_id)
        refused, writes = [], []
        for n, project_id, mine, expected in cleaned:
            if project_id not in stored:
                raise InputError(
                    msg(
                        "Row %(row)s: this project is no longer in the list (it may have "
                        "been deleted); reload the page.",
                        row=n,
                    ),
                    "rows",
                )
            current = stored[project_id]
            mine = {**values(current), **mine}  # a table without the plan details keeps them
            if mine == values(current):
                continue
            if (
                expected is not None
                and expected != current["version"]
                and versions.base(db, KIND, project_id, expected) == versions.flatten(mine)
            ):
                continue  # not changed here, changed by someone else: theirs stays
            refused += lost(db, current, expected, mine, spec, prefix=msg("%(field)s in row %(row)s", row=n))
            writes.append((current, mine))
        if refused:
            raise versions.refuse(msg("this project list"), refused, {r["id"]: r["version"] for r in stored.values()})
        final = {r["id"]: r["rank"] for r in stored.values()}
        final.update({current["id"]: mine["rank"] for current, mine in writes})
        ranks = list(final.values())
        duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
        if duplicates:
            raise InputError(
                msg(
                    "Priorities already held by projects someone else saved: %(ranks)s",
                    ranks=", ".join(map(str, duplicates[:10])),
                ),
                "rank",
            )
        now = now_iso()
        for current, mine in writes:
            write(db, current, mine, user_id, now)
    return len(writes)


def delete_project(db, lao_id: int, project_id: int, user_id: int | None = None) -> int:
    """Delete a project, keeping a copy for 30 days (store.trash). Returns the copy's id."""
    project = get_project(db, lao_id, project_id)
    with db.atomic():
        data = {"project": trash.rows(db, "project", "id = ?", [project_id])[0]}
        label = f"{project['rank']}. {project['name']}"
        entry = trash.keep(db, lao_id, "project", project_id, label, data, user_id)
        db.execute("DELETE FROM project WHERE id = ? AND lao_id = ?", [project_id, lao_id])
    return entry


def restore_project(db, lao_id: int, entry: dict) -> int:
    """Put a deleted project back (``entry`` from trash.get) at its priority. Refuses,
    changing nothing, when another project holds that priority now; its forum or village,
    if deleted meanwhile, is left empty."""
    project = dict(entry["data"]["project"])
    with db.atomic():
        _rank_free(db, lao_id, project["programme_year"], project["rank"])
        for column, table in (("forum_id", "forum"), ("village_id", "village")):
            if project[column] is not None and not one(db, f"SELECT id FROM {table} WHERE id = ?", [project[column]]):
                project[column] = None
        project_id = trash.insert(db, "project", project)
        trash.forget(db, entry["id"])
    return project_id


def mark(
    db,
    lao_id: int,
    year: int,
    project_ids: list[int],
    flag: str,
    value: bool,
    user_id: int | None = None,
    expected: dict[int, int] | None = None,
) -> int:
    """Set one flag on several projects at once. Returns how many were selected.

    ``expected`` maps each project id to the version the list showed (None: not
    checked). Only the flag is written, so a project someone else saved since is
    refused only when they changed this flag to something other than the mark."""
    if flag not in FLAGS:
        raise InputError(msg("Not a valid mark."), "flag")
    ids = [int(i) for i in project_ids]
    if not ids:
        raise InputError(msg("Choose at least one project."), "ids")
    with db.atomic():
        rows = [r for r in list_projects(db, lao_id, year) if r["id"] in set(ids)]
        spec = fields(db, lao_id)
        refused, writes = [], []
        for row in rows:
            if row[flag] == int(value):
                continue
            if expected is not None:
                refused += lost(
                    db,
                    row,
                    expected.get(row["id"], -1),
                    {**values(row), flag: int(value)},
                    spec,
                    only={flag},
                    prefix=msg("Priority %(rank)s %(name)s: %(field)s", rank=row["rank"], name=row["name"][:40]),
                )
            writes.append(row)
        if refused:
            raise versions.refuse(msg("the selected projects"), refused, {r["id"]: r["version"] for r in rows})
        now = now_iso()
        for row in writes:
            write(db, row, {flag: int(value)}, user_id, now)
    return len(rows)


def move(
    db,
    lao_id: int,
    year: int,
    project_id: int,
    direction: int,
    user_id: int | None = None,
    expected: dict[int, int] | None = None,
) -> None:
    """Swap a project's place with its neighbour, then number the list 1, 2, 3…

    ``expected`` maps project ids to the versions the list showed (None: not checked):
    the move is refused when someone else has since changed the rank of either project
    (or put another project between them), as the click then meant another order."""
    with db.atomic():
        rows = list_projects(db, lao_id, year)
        index = next((i for i, r in enumerate(rows) if r["id"] == project_id), None)
        if index is None:
            raise NotFound(project_id)
        other = index + direction
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
            if expected is not None:
                spec = fields(db, lao_id)
                refused = []
                for row in (rows[index], rows[other]):
                    new_rank = next(i for i, r in enumerate(rows, 1) if r["id"] == row["id"])
                    refused += lost(
                        db,
                        row,
                        expected.get(row["id"], -1),
                        {**values(row), "rank": new_rank},
                        spec,
                        only={"rank"},
                        prefix=f"{row['name'][:40]}: ",
                    )
                if refused:
                    raise versions.refuse(
                        msg("the order of the projects"), refused, {r["id"]: r["version"] for r in rows}
                    )
        now = now_iso()
        for i, row in enumerate(rows, 1):
            if row["rank"] != i:
                write(db, row, {"rank": i}, user_id, now)


def lao_forums(db, lao_id: int, year: int) -> list[dict]:
    """The LAO-level forums of the LAO's programme year, oldest first: those whose
    ranked list an import can be."""
    return list(
        db.query(
            "SELECT id, title, held_on FROM forum WHERE lao_id = ? AND programme_year = ?"
            " AND level = 'lao' ORDER BY held_on, id",
            [lao_id, year],
        )
    )


def import_forum(db, lao_id: int, year: int, forum_id: int | None = None) -> dict:
    """The LAO-level forum whose ranked list an import is: ``forum_id`` when given (it
    must be an LAO-level forum of this LAO and year), else the year's only one.

    With none an import is refused: its rows would count in neither criterion 4 nor 5
    (only projects an LAO-level forum adopted count), which a clerk would not expect of
    a list they just loaded; the forum is recorded first, then its list imported."""
    forums = lao_forums(db, lao_id, year)
    if forum_id is not None:
        chosen = next((f for f in forums if f["id"] == forum_id), None)
        if chosen is None:
            raise InputError(
                msg(
                    "Forum %(id)s is not a local-level forum of this LAO in %(year)s. Nothing was imported.",
                    id=forum_id,
                    year=year,
                ),
                "forum_id",
            )
        return chosen
    if not forums:
        raise InputError(
            msg(
                "There is no local-level forum for %(year)s yet: the imported "
                "project list is the list that forum ranks. Record the "
                "local-level forum first, then import the file. Nothing was "
                "imported.",
                year=year,
            ),
            "forum_id",
        )
    if len(forums) > 1:
        raise InputError(
            msg(
                "%(year)s has %(n)s local-level forums; choose the forum that "
                "ranked this project list. Nothing was imported.",
                year=year,
                n=len(forums),
            ),
            "forum_id",
        )
    return forums[0]


def replace_all(db, lao_id: int, year: int, rows: list[dict], forum_id: int) -> int:
    """The import: the year's list becomes ``rows`` (already cleaned), all or nothing,
    as the ranked list of the LAO-level forum ``forum_id`` (so they count in criteria 4
    and 5, and the forum shows what it produced for criterion 3)."""
    ranks = [r["rank"] for r in rows]
    if len(set(ranks)) != len(ranks):
        raise InputError(msg("Two projects have the same priority."), "rank")
    with db.atomic():
        import_forum(db, lao_id, year, forum_id)  # checked again inside the transaction
        db.execute("DELETE FROM project WHERE lao_id = ? AND programme_year = ?", [lao_id, year])
        now = now_iso()
        blank = check_plan({})  # rows of a file without the plan's columns
        values = [
            (
                lao_id,
                year,
                forum_id,
                r["rank"],
                r["name"],
                r["dimension"],
                r["village_id"],
                r["within_authority"],
                r["in_development_plan"],
                r["plan_reference"],
                r["in_budget_draft"],
                r["budget_satang"],
                *(r.get(k, blank[k]) for k in PLAN_FIELDS),
                now,
            )
            for r in rows
        ]
        insert = (
            "INSERT INTO project (lao_id, programme_year, forum_id, rank, name, dimension, village_id,"
            " within_authority, in_development_plan, plan_reference, in_budget_draft, budget_satang,"
            f" {', '.join(PLAN_FIELDS)}, updated_at) VALUES ({', '.join('?' for _ in range(13 + len(PLAN_FIELDS)))})"
        )
        half = len(values) // 2
        db.conn.executemany(insert, values[:half])
        crashpoints.reached("project-import")  # a crash test kills the process here
        db.conn.executemany(insert, values[half:])
    return len(rows)


def links_lost(db, lao_id: int, year: int, forum_id: int) -> int:
    """How many projects of the list another forum adopted: an import replaces them with
    rows of forum ``forum_id``."""
    return db.execute(
        "SELECT count(*) FROM project WHERE lao_id = ? AND programme_year = ?"
        " AND forum_id IS NOT NULL AND forum_id != ?",
        [lao_id, year, forum_id],
    ).fetchone()[0]


# Pending imports: checked rows wait here between the preview and the confirmation ------


def _list_versions(db, lao_id: int, year: int) -> dict[str, int]:
    return {
        str(r["id"]): r["version"]
        for r in db.query("SELECT id, version FROM project WHERE lao_id = ? AND programme_year = ?", [lao_id, year])
    }


def _day_ago() -> str:
    """How old a pending import may be: one day, on the one clock."""
    import datetime as _dt

    from formsvc.domain import clock

    return (clock.now() - _dt.timedelta(days=1)).isoformat(timespec="seconds")


def save_pending(db, lao_id: int, year: int, user_id: int, filename: str, rows: list[dict], forum_id: int) -> int:
    """Keep the checked rows until the clerk confirms, with the list's versions as the
    preview showed it and the LAO-level forum they will be the list of."""
    import json

    rows_json = json.dumps(rows, ensure_ascii=False)  # up to thousands of rows: before the lock
    with db.atomic():
        db.execute("DELETE FROM project_import WHERE user_id = ? OR created_at < ?", [user_id, _day_ago()])
        return db.execute(
            "INSERT INTO project_import (lao_id, programme_year, user_id, filename, rows, list_versions, forum_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                lao_id,
                year,
                user_id,
                filename,
                rows_json,
                json.dumps(_list_versions(db, lao_id, year)),
                forum_id,
                now_iso(),
            ],
        ).lastrowid


def _changed_since(db, lao_id: int, year: int, seen: dict[str, int]) -> list:
    """What others changed in the list since a preview that saw these versions."""
    from formsvc.domain.versions import Change

    spec, changes = fields(db, lao_id), []
    for row in list_projects(db, lao_id, year):
        version = seen.pop(str(row["id"]), None)
        rank, name = row["rank"], row["name"][:40]
        if version is None:
            label, added = (
                msg("Priority %(rank)s %(name)s", rank=rank, name=name),
                msg("(added after the file was checked)"),
            )
            changes.append(Change("id", label, None, added, None, None, row["updated_at"]))
        elif version != row["version"]:
            changes += lost(
                db, row, version, None, spec, prefix=msg("Priority %(rank)s %(name)s: %(field)s", rank=rank, name=name)
            )
    if seen:
        label, deleted = msg("%(n)s projects", n=len(seen)), msg("(deleted after the file was checked)")
        changes.append(Change("id", label, None, deleted, None, None, None))
    return changes


def confirm_pending(db, lao_id: int, import_id: int, user_id: int) -> tuple[str, int]:
    """Replace the list with the previewed rows; the pending import is used up.

    The import replaces the list as the preview showed it: when someone changed, added
    or removed a project since, the import is refused (naming those changes) rather than
    silently replacing them; the clerk checks the file again."""
    import json

    row = one(
        db,
        "SELECT * FROM project_import WHERE id = ? AND lao_id = ? AND user_id = ? AND created_at >= ?",
        [import_id, lao_id, user_id, _day_ago()],
    )
    if row is None:
        raise InputError(
            msg(
                "There is no import waiting to be confirmed (it may have been "
                "confirmed already, or expired); upload the file again."
            ),
            "import",
        )
    if row["forum_id"] is None:  # checked before the forum was remembered with it
        raise InputError(msg("This import does not name a local-level forum; upload the file again."), "import")
    # checked again: villages or dimensions may have changed since the preview
    rows = [
        check_row(
            db,
            lao_id,
            {**r, "budget": _baht_or_none(r["budget_satang"]), **_plan_input(r)},
            row_at(i),
        )
        for i, r in enumerate(json.loads(row["rows"]), 1)
    ]
    seen = None if row["list_versions"] is None else json.loads(row["list_versions"])
    with db.atomic():
        if seen is not None:
            changes = _changed_since(db, lao_id, row["programme_year"], seen)
            if changes:
                raise versions.refuse(
                    msg("the project list"),
                    changes,
                    0,
                    since=msg("after you checked the import file"),
                    kept=msg("The file has not been imported."),
                    then=msg(
                        "Check what changed, then upload the file again if you still want to replace the whole"
                        " list with it."
                    ),
                )
        count = replace_all(db, lao_id, row["programme_year"], rows, row["forum_id"])
        db.execute("DELETE FROM project_import WHERE id = ?", [import_id])
    return row["filename"], count
