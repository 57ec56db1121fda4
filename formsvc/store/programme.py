"""Programme years: each year's settings (months, late days) and its list of development
dimensions. The open year is the latest year opened; every page, command and write
works in it unless told another year, and the years before it are closed (read only)."""

from __future__ import annotations

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.model import DEFAULT_DIMENSIONS, Programme
from formsvc.domain.reports import DEFAULT_LATE_DAYS
from formsvc.domain.thai import be_year, month_name
from formsvc.domain.versions import Field, Fields
from formsvc.store import versions
from formsvc.store.db import one, scalar
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)

DIMENSION_MAX = 100
LATE_DAYS_MAX = 120
DEFAULT_CHAIN_DAYS = 7  # district and province reports: days after the level below is due
DEFAULT_QUOTA_MB = 200  # what an LAO's attachments may take in all (formsvc.store.attachments)
QUOTA_MB_MAX = 100_000


def ensure_defaults(db, year_be: int | None = None) -> None:
    """A programme year and its default dimensions, on a database that has none. The
    programme year is ``year_be`` or else the one today falls in."""
    with db.atomic():
        if not one(db, "SELECT year_be FROM programme LIMIT 1"):
            db.execute(
                "INSERT INTO programme (year_be, start_month, end_month) VALUES (?, 1, 9)",
                [year_be or be_year(clock.today())],
            )
        year = open_year(db)
        if not one(db, "SELECT id FROM dimension WHERE programme_year = ? LIMIT 1", [year]):
            db.conn.executemany(
                "INSERT INTO dimension (programme_year, position, name) VALUES (?, ?, ?)",
                [(year, i, name) for i, name in enumerate(DEFAULT_DIMENSIONS, 1)],
            )


def open_year(db) -> int | None:
    """The open programme year: the latest one opened (None on a database without one)."""
    return scalar(db, "SELECT max(year_be) FROM programme")


def years(db) -> list[int]:
    """Every programme year opened, oldest first."""
    return [r["year_be"] for r in db.query("SELECT year_be FROM programme ORDER BY year_be")]


def parse_year(value) -> int | None:
    """A year as typed in ``?year=`` or ``--year``: digits only (None for anything else)."""
    text = str(value or "")
    return int(text) if text.isdecimal() and text.isascii() and len(text) == 4 else None


def get_programme(db, year: int | None = None) -> Programme:
    """The settings of programme year ``year``, or of the open year. A year never opened
    raises NotFound."""
    if year is None:
        row = one(db, "SELECT * FROM programme ORDER BY year_be DESC LIMIT 1")
        if row is None:
            return Programme(be_year(clock.today()), 1, 9)
    else:
        row = one(db, "SELECT * FROM programme WHERE year_be = ?", [year])
        if row is None:
            raise NotFound(year)
    late = row.get("late_days")
    return Programme(
        row["year_be"],
        row["start_month"],
        row["end_month"],
        DEFAULT_LATE_DAYS if late is None else late,
        row.get("district_due_days", DEFAULT_CHAIN_DAYS),
        row.get("province_due_days", DEFAULT_CHAIN_DAYS),
    )


def dimensions(db, year: int | None = None) -> list[str]:
    """The development dimensions of programme year ``year`` (default: the open year)."""
    year = open_year(db) if year is None else year
    return [
        r["name"] for r in db.query("SELECT name FROM dimension WHERE programme_year = ? ORDER BY position, id", [year])
    ]


FIELDS = Fields(
    {
        "year_be": msg("Programme year"),
        "start_month": Field(msg("Start month"), month_name),
        "end_month": Field(msg("End month"), month_name),
        "late_days": msg("Days before a report is late"),
        "district_due_days": msg("Days after the LAOs' due day before a district report is late"),
        "province_due_days": msg("Days after the districts' due day before a province report is late"),
        "attachment_quota_mb": msg("Attachments per LAO (MB)"),
        "dimensions": msg("Development dimensions"),
    }
)


def settings(db, year: int | None = None) -> dict:
    """The settings form's values of a programme year (default: the open year) with the
    version they were saved as (0: defaults)."""
    prog = get_programme(db, year)
    row = one(db, "SELECT * FROM programme WHERE year_be = ?", [prog.year_be])
    return {
        "year_be": prog.year_be,
        "start_month": prog.start_month,
        "end_month": prog.end_month,
        "late_days": prog.late_days,
        "district_due_days": prog.district_due_days,
        "province_due_days": prog.province_due_days,
        "attachment_quota_mb": row["attachment_quota_mb"] if row else DEFAULT_QUOTA_MB,
        "dimensions": dimensions(db, prog.year_be),
        "version": row["version"] if row else 0,
        "updated_by": row["updated_by"] if row else None,
        "updated_at": row["updated_at"] if row else None,
    }


def closed_year_message(year_be: int, open_year_be: int | None) -> Msg:
    return msg(
        "Programme year %(year)s is closed; only the open year (%(open)s) "
        "can be changed. The data and reports of closed years stay as "
        "they are.",
        year=year_be,
        open=open_year_be,
    )


def update_programme(
    db,
    year_be,
    start_month,
    end_month,
    dimension_names: list[str],
    user_id: int | None,
    expected_version: int | None = None,
    late_days=None,
    district_due_days=None,
    province_due_days=None,
    attachment_quota_mb=None,
) -> int:
    """Save the settings of programme year ``year_be``, which must be the open year: a
    closed year's settings stay as its periods were run and reported. A change applies
    to what is still live (the open period's figures, the lateness of reports not yet
    sent); a submitted version keeps the snapshot and the days late it was sent with.
    ``late_days`` (and the district and province reports' ``*_due_days``, and each
    LAO's ``attachment_quota_mb``) None keeps the year's. Returns the new version; settings based on an
    old version that would overwrite another's change are refused (ConflictError)."""
    try:
        year_be, start_month, end_month = int(year_be), int(start_month), int(end_month)
        late = None if late_days in (None, "") else int(late_days)
        chain = {
            key: None if value in (None, "") else int(value)
            for key, value in (("district_due_days", district_due_days), ("province_due_days", province_due_days))
        }
        quota = None if attachment_quota_mb in (None, "") else int(attachment_quota_mb)
    except (TypeError, ValueError):
        raise InputError(msg("The year, months and number of days must be numbers."), "start_month") from None
    if not (1 <= start_month <= 12 and 1 <= end_month <= 12):
        raise InputError(msg("Months must be between 1 and 12."), "start_month")
    if end_month < start_month:
        raise InputError(msg("The end month must not be before the start month."), "end_month")
    if late is not None and not 0 <= late <= LATE_DAYS_MAX:
        raise InputError(
            msg("The days before a report counts as late must be between 0 and %(max)s.", max=LATE_DAYS_MAX),
            "late_days",
        )
    if any(days is not None and not 0 <= days <= LATE_DAYS_MAX for days in chain.values()):
        raise InputError(
            msg(
                "The days before a district or province report is late must be between 0 and %(max)s.",
                max=LATE_DAYS_MAX,
            ),
            "district_due_days",
        )
    if quota is not None and not 0 <= quota <= QUOTA_MB_MAX:
        raise InputError(
            msg("The attachments quota must be between 0 and %(max)s MB.", max=QUOTA_MB_MAX), "attachment_quota_mb"
        )
    names = [n.strip() for n in dimension_names if n and n.strip()]
    if not names:
        raise InputError(msg("There must be at least one development dimension."), "dimensions")
    if len(set(names)) != len(names):
        raise InputError(msg("Two development dimensions have the same name."), "dimensions")
    if any(len(n) > DIMENSION_MAX for n in names):
        raise InputError(
            msg("A development dimension name is longer than %(max)s characters.", max=DIMENSION_MAX), "dimensions"
        )
    with db.atomic():
        latest = open_year(db)
        if year_be != latest:
            if year_be in years(db):
                raise InputError(closed_year_message(year_be, latest), "year_be")
            raise InputError(
                msg(
                    "Programme year %(year)s has not been opened (the open year is %(open)s).",
                    year=year_be,
                    open=latest,
                ),
                "year_be",
            )
        current = settings(db, year_be)
        yours = {
            "year_be": year_be,
            "start_month": start_month,
            "end_month": end_month,
            "late_days": current["late_days"] if late is None else late,
            **{key: current[key] if days is None else days for key, days in chain.items()},
            "attachment_quota_mb": current["attachment_quota_mb"] if quota is None else quota,
            "dimensions": names,
        }
        stored = {k: current[k] for k in yours}
        versions.check(
            db,
            "programme",
            year_be,
            what=msg("the programme settings"),
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours=yours,
            fields=FIELDS,
        )
        if yours == stored:
            return current["version"]
        versions.remember(
            db, "programme", year_be, current["version"], stored, current["updated_by"], current["updated_at"]
        )
        db.execute(
            "UPDATE programme SET start_month = ?, end_month = ?, late_days = ?, district_due_days = ?,"
            " province_due_days = ?, attachment_quota_mb = ?, updated_by = ?, updated_at = ?,"
            " version = version + 1 WHERE year_be = ?",
            (
                start_month,
                end_month,
                yours["late_days"],
                yours["district_due_days"],
                yours["province_due_days"],
                yours["attachment_quota_mb"],
                user_id,
                now_iso(),
                year_be,
            ),
        )
        if names != current["dimensions"]:
            db.execute("DELETE FROM dimension WHERE programme_year = ?", [year_be])
            db.conn.executemany(
                "INSERT INTO dimension (programme_year, position, name) VALUES (?, ?, ?)",
                [(year_be, i, name) for i, name in enumerate(names, 1)],
            )
        return current["version"] + 1


def open_new_year(db, year_be, user_id: int | None) -> dict:
    """Open programme year ``year_be``, which must follow the latest year opened: it
    becomes the open year, with the months, late days and dimensions of the year before
    and each district's model LAO of that year (a district may choose another after).
    Villages belong to their LAO, not to a year, so they stay as they are. Forums,
    projects, working groups, orders and reports are not copied: the new year starts
    without them, and the year before keeps its own (read only).
    Returns {"year_be", "from_year", "dimensions", "model_laos"}."""
    try:
        year_be = int(year_be)
    except (TypeError, ValueError):
        raise InputError(msg("The programme year must be a Buddhist Era year, such as 2570."), "year_be") from None
    with db.atomic():
        latest = open_year(db)
        if latest is None:
            raise InputError(msg("The database has no programme year yet (run formsvc init-db first)."), "year_be")
        if year_be != latest + 1:
            if year_be in years(db):
                raise InputError(msg("Programme year %(year)s is already open.", year=year_be), "year_be")
            raise InputError(
                msg(
                    "Only the year after the latest can be opened: %(next)s (the latest open year is %(latest)s).",
                    next=latest + 1,
                    latest=latest,
                ),
                "year_be",
            )
        now = now_iso()
        db.execute(
            "INSERT INTO programme (year_be, start_month, end_month, late_days, district_due_days,"
            " province_due_days, attachment_quota_mb, version, updated_by, updated_at, opened_by, opened_at)"
            " SELECT ?, start_month, end_month, late_days, district_due_days, province_due_days,"
            " attachment_quota_mb, 1, ?, ?, ?, ?"
            " FROM programme WHERE year_be = ?",
            [year_be, user_id, now, user_id, now, latest],
        )
        dims = db.execute(
            "INSERT INTO dimension (programme_year, position, name) SELECT ?, position, name"
            " FROM dimension WHERE programme_year = ? ORDER BY position, id",
            [year_be, latest],
        ).rowcount
        models = db.execute(
            "INSERT INTO model_lao (programme_year, district_code, lao_id, selected_by, selected_at)"
            " SELECT ?, district_code, lao_id, selected_by, selected_at FROM model_lao"
            " WHERE programme_year = ?",
            [year_be, latest],
        ).rowcount
        # each carried-over model LAO serves the new year from its first period, and the
        # district's history says where the choice came from
        db.execute(
            "INSERT INTO model_lao_change (programme_year, district_code, lao_id, changed_by, changed_at,"
            " from_period) SELECT ?, district_code, lao_id, ?, ?, 1 FROM model_lao WHERE programme_year = ?",
            [year_be, user_id, now, year_be],
        )
        db.execute(
            "INSERT INTO model_lao_term (programme_year, district_code, lao_id, from_period, change_id)"
            " SELECT c.programme_year, c.district_code, c.lao_id, 1, c.id FROM model_lao_change c"
            " WHERE c.programme_year = ?",
            [year_be],
        )
    return {"year_be": year_be, "from_year": latest, "dimensions": dims, "model_laos": models}
