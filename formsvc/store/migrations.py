"""Versioned schema migrations.

Each migration is a function that takes the database and makes one step of change; the
``schema_version`` table records which steps a database has. ``migrate()`` applies the
missing ones in order, each in its own transaction, so an old database upgrades and a
failed step leaves the database at the previous version. Never edit a released
migration: add a new one.
"""
from __future__ import annotations

from typing import Callable

import sqlite_utils

from formsvc.domain.clock import now_iso
from formsvc.store import audit

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str):
    def register(fn: Migration) -> Migration:
        # increasing, not necessarily consecutive: a branch may take a later number while
        # another branch holds the one before it; migrate() applies whatever is missing
        assert not MIGRATIONS or MIGRATIONS[-1][0] < version, "migrations are numbered in order"
        MIGRATIONS.append((version, name, fn))
        return fn
    return register


def _run(db: sqlite_utils.Database, script: str) -> None:
    # executescript() would commit the surrounding transaction: run statement by statement.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migration(1, "geography")
def _geography(db):
    _run(db, """
    CREATE TABLE province (
        code TEXT PRIMARY KEY,
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    CREATE TABLE district (
        code TEXT PRIMARY KEY,
        province_code TEXT NOT NULL REFERENCES province(code),
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('amphoe', 'khet'))
    );
    CREATE INDEX district_province ON district(province_code);
    CREATE TABLE subdistrict (
        code TEXT PRIMARY KEY,
        district_code TEXT NOT NULL REFERENCES district(code),
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    CREATE INDEX subdistrict_district ON subdistrict(district_code);
    """)


@migration(2, "laos and villages")
def _laos(db):
    _run(db, """
    CREATE TABLE lao (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tambon_municipality', 'tao')),
        district_code TEXT NOT NULL REFERENCES district(code),
        chief_title TEXT NOT NULL DEFAULT '',
        has_kamnan INTEGER NOT NULL DEFAULT 1,
        has_coc INTEGER NOT NULL DEFAULT 1,
        digit_style TEXT NOT NULL DEFAULT 'thai' CHECK (digit_style IN ('thai', 'arabic')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (district_code, kind, name)
    );
    CREATE INDEX lao_district ON lao(district_code);
    CREATE TABLE lao_subdistrict (
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        subdistrict_code TEXT NOT NULL REFERENCES subdistrict(code),
        PRIMARY KEY (lao_id, subdistrict_code)
    );
    CREATE TABLE village (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('village', 'community')),
        number INTEGER,
        name TEXT NOT NULL,
        CHECK ((kind = 'village') = (number IS NOT NULL))
    );
    CREATE UNIQUE INDEX village_number ON village(lao_id, number) WHERE number IS NOT NULL;
    CREATE UNIQUE INDEX village_name ON village(lao_id, kind, name);
    """)


@migration(3, "users")
def _users(db):
    _run(db, """
    CREATE TABLE user (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN
            ('lao_clerk', 'facilitator', 'district', 'province', 'national', 'admin')),
        lao_id INTEGER REFERENCES lao(id),
        district_code TEXT REFERENCES district(code),
        province_code TEXT REFERENCES province(code),
        locale TEXT NOT NULL DEFAULT 'th',
        active INTEGER NOT NULL DEFAULT 1,
        session_version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        CHECK ((role = 'lao_clerk') = (lao_id IS NOT NULL)),
        CHECK ((role IN ('facilitator', 'district')) = (district_code IS NOT NULL)),
        CHECK ((role = 'province') = (province_code IS NOT NULL))
    );
    """)


@migration(4, "programme settings and dimensions")
def _programme(db):
    _run(db, """
    CREATE TABLE programme (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        year_be INTEGER NOT NULL,
        start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),
        end_month INTEGER NOT NULL CHECK (end_month BETWEEN 1 AND 12),
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT
    );
    CREATE TABLE dimension (
        id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        name TEXT NOT NULL UNIQUE
    );
    """)


@migration(5, "model LAO selection")
def _model_lao(db):
    _run(db, """
    CREATE TABLE model_lao (
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        selected_by INTEGER REFERENCES user(id),
        selected_at TEXT NOT NULL,
        PRIMARY KEY (programme_year, district_code)
    );
    CREATE TABLE model_lao_change (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        previous_lao_id INTEGER REFERENCES lao(id),
        changed_by INTEGER REFERENCES user(id),
        changed_at TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """)


@migration(6, "working group, operation plan, orders, issued documents, emblems")
def _working_group(db):
    _run(db, """
    CREATE TABLE working_group (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        duties TEXT NOT NULL DEFAULT '[]',
        signer_name TEXT NOT NULL DEFAULT '',
        signer_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT,
        UNIQUE (lao_id, programme_year)
    );
    CREATE TABLE working_group_member (
        id INTEGER PRIMARY KEY,
        working_group_id INTEGER NOT NULL REFERENCES working_group(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        position TEXT NOT NULL DEFAULT '',
        group_role TEXT NOT NULL CHECK (group_role IN
            ('chair', 'adviser', 'member', 'secretary', 'assistant_secretary')),
        category TEXT NOT NULL
    );
    CREATE INDEX working_group_member_group ON working_group_member(working_group_id, position_no);
    CREATE TABLE operation_activity (
        id INTEGER PRIMARY KEY,
        working_group_id INTEGER NOT NULL REFERENCES working_group(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        activity TEXT NOT NULL,
        start_month TEXT NOT NULL,
        end_month TEXT NOT NULL,
        responsible TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'planned'
            CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
        CHECK (start_month <= end_month)
    );
    CREATE INDEX operation_activity_group ON operation_activity(working_group_id, position_no);
    CREATE TABLE lao_order (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        programme_year INTEGER NOT NULL,
        year_be INTEGER NOT NULL,
        number INTEGER NOT NULL CHECK (number > 0),
        order_date TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        replaces_order_id INTEGER REFERENCES lao_order(id),
        snapshot TEXT NOT NULL,
        issued_by INTEGER REFERENCES user(id),
        issued_at TEXT NOT NULL,
        UNIQUE (lao_id, year_be, number)
    );
    CREATE TABLE issued_document (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        kind TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('docx', 'pdf')),
        order_id INTEGER REFERENCES lao_order(id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        content BLOB NOT NULL,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        UNIQUE (order_id, format)
    );
    CREATE INDEX issued_document_lao ON issued_document(lao_id, kind);
    CREATE TABLE lao_emblem (
        lao_id INTEGER PRIMARY KEY REFERENCES lao(id) ON DELETE CASCADE,
        mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/svg+xml')),
        content BLOB NOT NULL,
        png BLOB NOT NULL,
        width_px INTEGER NOT NULL,
        height_px INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        uploaded_by INTEGER REFERENCES user(id),
        uploaded_at TEXT NOT NULL
    );
    """)


@migration(7, "forums, attendees, agenda items, projects")
def _forums(db):
    _run(db, """
    CREATE TABLE forum (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('village', 'lao')),
        village_id INTEGER REFERENCES village(id),
        title TEXT NOT NULL,
        meeting_no INTEGER,
        meeting_year_be INTEGER,
        held_on TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        place TEXT NOT NULL,
        organisers TEXT NOT NULL DEFAULT '[]',
        reviews_community_plan INTEGER NOT NULL DEFAULT 1,
        used_bmn INTEGER NOT NULL DEFAULT 0,
        used_village_data INTEGER NOT NULL DEFAULT 0,
        dimensions TEXT NOT NULL DEFAULT '[]',
        head_count INTEGER,
        head_count_male INTEGER,
        head_count_female INTEGER,
        recorder_name TEXT NOT NULL DEFAULT '',
        recorder_position TEXT NOT NULL DEFAULT '',
        checker_name TEXT NOT NULL DEFAULT '',
        checker_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL,
        CHECK ((level = 'village') = (village_id IS NOT NULL)),
        CHECK (start_time < end_time)
    );
    CREATE INDEX forum_lao ON forum(lao_id, programme_year, held_on);
    CREATE TABLE forum_attendee (
        id INTEGER PRIMARY KEY,
        forum_id INTEGER NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('present', 'absent', 'participant')),
        position_no INTEGER NOT NULL,
        name TEXT NOT NULL,
        position TEXT NOT NULL DEFAULT '',
        substitute_for TEXT NOT NULL DEFAULT '',
        absence_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX forum_attendee_forum ON forum_attendee(forum_id, kind, position_no);
    CREATE TABLE forum_agenda (
        id INTEGER PRIMARY KEY,
        forum_id INTEGER NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        title TEXT NOT NULL,
        discussion TEXT NOT NULL DEFAULT '',
        resolution TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX forum_agenda_forum ON forum_agenda(forum_id, position_no);
    CREATE TABLE project (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        forum_id INTEGER REFERENCES forum(id) ON DELETE SET NULL,
        rank INTEGER NOT NULL CHECK (rank > 0),
        name TEXT NOT NULL,
        dimension TEXT NOT NULL DEFAULT '',
        village_id INTEGER REFERENCES village(id) ON DELETE SET NULL
    );
    CREATE INDEX project_lao ON project(lao_id, programme_year, rank);
    """)


@migration(8, "project plan and budget tracking")
def _project_tracking(db):
    _run(db, """
    ALTER TABLE project ADD COLUMN within_authority INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE project ADD COLUMN in_development_plan INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE project ADD COLUMN plan_reference TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN in_budget_draft INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE project ADD COLUMN budget_satang INTEGER CHECK (budget_satang IS NULL OR budget_satang >= 0);
    ALTER TABLE project ADD COLUMN updated_at TEXT
    """)


@migration(9, "pending project imports")
def _project_import(db):
    _run(db, """
    CREATE TABLE project_import (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        rows TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """)


@migration(10, "bi-monthly reports and their submitted versions")
def _reports(db):
    _run(db, """
    ALTER TABLE programme ADD COLUMN late_days INTEGER NOT NULL DEFAULT 15;
    CREATE TABLE report (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        period INTEGER NOT NULL CHECK (period > 0),
        status TEXT NOT NULL DEFAULT 'draft'
            CHECK (status IN ('draft', 'submitted', 'acknowledged', 'returned')),
        progress TEXT NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '',
        suggestions TEXT NOT NULL DEFAULT '',
        reporter_name TEXT NOT NULL DEFAULT '',
        reporter_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        submitted_count INTEGER NOT NULL DEFAULT 0,
        review_comment TEXT NOT NULL DEFAULT '',
        reviewed_by INTEGER REFERENCES user(id),
        reviewed_at TEXT,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL,
        UNIQUE (lao_id, programme_year, period)
    );
    CREATE TABLE report_submission (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        submitted_by INTEGER REFERENCES user(id),
        submitted_at TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        pdf BLOB NOT NULL,
        docx BLOB NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        docx_sha256 TEXT NOT NULL,
        UNIQUE (report_id, number)
    )
    """)



@migration(11, "background export jobs")
def _export_jobs(db):
    _run(db, """
    CREATE TABLE export_job (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        period INTEGER NOT NULL CHECK (period > 0),
        province_code TEXT REFERENCES province(code),
        formats TEXT NOT NULL CHECK (formats IN ('pdf', 'docx', 'pdf,docx')),
        status TEXT NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')),
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        file_name TEXT NOT NULL DEFAULT '',
        size INTEGER,
        sha256 TEXT,
        pid INTEGER,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        heartbeat_at TEXT
    );
    CREATE INDEX export_job_status ON export_job (status, id);
    CREATE INDEX export_job_user ON export_job (user_id, id)
    """)


# Tables whose rows decide an LAO's five criteria, and how a row finds its LAO.
_COMPLIANCE_SOURCES = {
    "lao": "{row}.id",
    "village": "{row}.lao_id",
    "working_group": "{row}.lao_id",
    "lao_order": "{row}.lao_id",
    "forum": "{row}.lao_id",
    "project": "{row}.lao_id",
    "working_group_member": "(SELECT lao_id FROM working_group WHERE id = {row}.working_group_id)",
    "operation_activity": "(SELECT lao_id FROM working_group WHERE id = {row}.working_group_id)",
}


@migration(12, "compliance cache kept fresh by per-LAO change stamps")
def _compliance_cache(db):
    """compliance_cache holds each LAO's five criteria as last computed, with the LAO's
    change stamp at that time. Triggers bump the stamp of an LAO whenever a row that
    decides its criteria changes (stamp 0 is everyone's: programme settings and
    dimensions), whatever code path writes it. A cached row whose stamps differ from
    the current ones is stale and is computed again; so roll-ups read one row per LAO
    instead of recomputing 878 LAOs on every page view."""
    statements = ["""
    CREATE TABLE lao_stamp (
        lao_id INTEGER PRIMARY KEY,
        stamp INTEGER NOT NULL DEFAULT 1
    )""", """
    CREATE TABLE compliance_cache (
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        stamp INTEGER NOT NULL,
        global_stamp INTEGER NOT NULL,
        met TEXT NOT NULL,
        result TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        PRIMARY KEY (lao_id, programme_year)
    )"""]
    bump = ("INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT {lao} AS lao_id) WHERE lao_id"
            " IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1")
    for table, lao in _COMPLIANCE_SOURCES.items():
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = ";\n".join(bump.format(lao=lao.format(row=row)) for row in rows)
            statements.append(f"CREATE TRIGGER {table}_{event.lower()}_stamp AFTER {event} ON {table}"
                              f" BEGIN {body}; END")
    for table in ("programme", "dimension"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            statements.append(f"CREATE TRIGGER {table}_{event.lower()}_stamp AFTER {event} ON {table}"
                              f" BEGIN {bump.format(lao='0')}; END")
    for statement in statements:
        db.execute(statement)


@migration(13, "sign-in throttling")
def _login_throttle(db):
    # One row per account name (as typed, lower-cased; it need not exist, so a lock says
    # nothing about which usernames are real) and per client address. Kept in the
    # database so every server process counts the same failures.
    _run(db, """
    CREATE TABLE login_throttle (
        kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
        key TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        window_start TEXT NOT NULL,
        locked_until TEXT,
        PRIMARY KEY (kind, key)
    )
    """)



@migration(14, "indexes on the foreign keys that grow with the data")
def _foreign_key_indexes(db):
    """A forum's projects, a village's forums and projects, an LAO's model-LAO rows: each
    looked up (and checked on delete) by these columns, which without an index means a
    scan of the whole table per row, slow at national size."""
    _run(db, """
    CREATE INDEX IF NOT EXISTS project_forum ON project(forum_id);
    CREATE INDEX IF NOT EXISTS project_village ON project(village_id);
    CREATE INDEX IF NOT EXISTS forum_village ON forum(village_id);
    CREATE INDEX IF NOT EXISTS model_lao_lao ON model_lao(lao_id);
    CREATE INDEX IF NOT EXISTS model_lao_change_district ON model_lao_change(district_code, programme_year)
    """)


@migration(15, "versions on every editable record, and the values each save replaced")
def _record_versions(db):
    # Existing rows start at version 1; a working group or report at version 0 has never
    # been saved by its form (defaults only).
    _run(db, """
    ALTER TABLE lao ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE lao ADD COLUMN updated_by INTEGER REFERENCES user(id);
    ALTER TABLE village ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE village ADD COLUMN updated_by INTEGER REFERENCES user(id);
    ALTER TABLE village ADD COLUMN updated_at TEXT;
    ALTER TABLE programme ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE user ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE user ADD COLUMN updated_by INTEGER REFERENCES user(id);
    ALTER TABLE user ADD COLUMN updated_at TEXT;
    ALTER TABLE model_lao ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE project ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE project ADD COLUMN updated_by INTEGER REFERENCES user(id);
    ALTER TABLE working_group ADD COLUMN plan_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE working_group ADD COLUMN plan_updated_by INTEGER REFERENCES user(id);
    ALTER TABLE working_group ADD COLUMN plan_updated_at TEXT;
    UPDATE working_group SET plan_version = 1
        WHERE EXISTS (SELECT 1 FROM operation_activity a WHERE a.working_group_id = working_group.id);
    ALTER TABLE project_import ADD COLUMN list_versions TEXT;
    CREATE TABLE record_version (
        kind TEXT NOT NULL,
        record_key TEXT NOT NULL,
        version INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        saved_by INTEGER,
        saved_at TEXT,
        PRIMARY KEY (kind, record_key, version)
    ) WITHOUT ROWID
    """)


@migration(16, "audit log with a hash chain")
def _audit_log(db):
    # No foreign keys: an entry outlives the user and the LAO it names. Written only by
    # the TEMP triggers of formsvc/store/audit.py; the two triggers below refuse changes
    # to entries through any connection (someone with the file can drop them: see
    # docs/audit.md on keeping the last hash elsewhere).
    _run(db, """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        lao_id INTEGER,
        before TEXT,
        after TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_log_lao ON audit_log (lao_id, id);
    CREATE INDEX audit_log_table ON audit_log (table_name, id);
    CREATE INDEX audit_log_row ON audit_log (table_name, row_id);
    CREATE INDEX audit_log_user ON audit_log (user_id, id);
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """)



@migration(17, "days late recorded on each submitted report version")
def _submission_days_late(db):
    # How many days after the period's due day the version was sent, fixed when it is
    # sent (store/reports.py). Versions sent before this column existed get it from
    # their submitted_at (its Thai calendar date) and the late-days setting now.
    from formsvc.domain import thai
    from formsvc.domain.reports import DEFAULT_LATE_DAYS, days_late_on, periods

    db.execute("ALTER TABLE report_submission ADD COLUMN days_late INTEGER NOT NULL DEFAULT 0"
               " CHECK (days_late >= 0)")
    programme = db.execute("SELECT start_month, end_month, late_days FROM programme WHERE id = 1").fetchone()
    if programme is None:
        return
    start_month, end_month, late_days = programme
    late_days = DEFAULT_LATE_DAYS if late_days is None else late_days
    rows = db.execute("SELECT s.id, s.submitted_at, r.programme_year, r.period FROM report_submission s"
                      " JOIN report r ON r.id = s.report_id").fetchall()
    updates = []
    for submission_id, submitted_at, year, number in rows:
        period = next((p for p in periods(year, start_month, end_month) if p.number == number), None)
        if period is not None:
            days = days_late_on(period, thai.local_date(submitted_at), late_days)
            if days:
                updates.append((days, submission_id))
    db.conn.executemany("UPDATE report_submission SET days_late = ? WHERE id = ?", updates)


@migration(18, "rules version of cached criteria; the forum a pending project import attaches to")
def _rules_version(db):
    """A cached row computed under other rules (RULES_VERSION, thresholds: see
    formsvc.domain.criteria.rules_stamp) is stale like one with an old data stamp; rows
    cached before this migration have none, so they are all computed again. A pending
    import remembers the LAO-level forum whose ranked list it is; no foreign key, so a
    pending import never stops a forum being removed (the confirmation checks it again)."""
    _run(db, """
    ALTER TABLE compliance_cache ADD COLUMN rules_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE project_import ADD COLUMN forum_id INTEGER
    """)


@migration(19, "model LAO terms: which LAO served each district in which periods")
def _model_lao_terms(db):
    """model_lao keeps a district's current model LAO; model_lao_term keeps who served
    which periods (from_period to to_period, NULL while serving), so a replaced LAO keeps
    its reports in the periods it served and every view of a period shows the LAO of that
    period. Built from the change log: a district's first selection serves from period 1,
    each later change from the period its date fell in (the months in force now); a
    term left with no period is dropped. Written out here, not imported, so the
    migration stays as it was when later code changes."""
    import datetime as _dt
    from zoneinfo import ZoneInfo

    _run(db, """
    CREATE TABLE model_lao_term (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        from_period INTEGER NOT NULL CHECK (from_period >= 1),
        to_period INTEGER CHECK (to_period IS NULL OR to_period >= from_period),
        change_id INTEGER REFERENCES model_lao_change(id)
    );
    CREATE INDEX model_lao_term_district ON model_lao_term(programme_year, district_code, from_period);
    CREATE INDEX model_lao_term_lao ON model_lao_term(lao_id, programme_year);
    ALTER TABLE model_lao_change ADD COLUMN from_period INTEGER
    """)
    months = db.execute("SELECT start_month, end_month FROM programme WHERE id = 1").fetchone() or (1, 9)

    def period_of(changed_at: str, year_be: int) -> int:
        moment = _dt.datetime.fromisoformat(changed_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_dt.timezone.utc)
        day = moment.astimezone(ZoneInfo("Asia/Bangkok")).date()
        year, (start, end) = year_be - 543, months
        if day.year < year or (day.year == year and day.month < start):
            return 1
        last = (end - start) // 2 + 1
        if day.year > year or day.month > end:
            return last
        return (day.month - start) // 2 + 1

    terms: dict[tuple, list] = {}
    for change_id, year, district, lao_id, changed_at in db.execute(
            "SELECT id, programme_year, district_code, lao_id, changed_at FROM model_lao_change ORDER BY id"):
        chain = terms.setdefault((year, district), [])
        start = 1 if not chain else period_of(changed_at, year)
        if chain:
            chain[-1][3] = start - 1
            if chain[-1][3] < chain[-1][2]:
                chain.pop()  # replaced in the period it began: it served none
        start = max(start, chain[-1][3] + 1) if chain else start
        chain.append([lao_id, change_id, start, None])
        db.execute("UPDATE model_lao_change SET from_period = ? WHERE id = ?", [start, change_id])
    # a selection the change log does not hold serves the whole year
    for year, district, lao_id in db.execute("SELECT programme_year, district_code, lao_id FROM model_lao"):
        terms.setdefault((year, district), []) or terms[(year, district)].append([lao_id, None, 1, None])
    db.conn.executemany(
        "INSERT INTO model_lao_term (programme_year, district_code, lao_id, from_period, to_period, change_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(year, district, lao_id, start, end, change_id)
         for (year, district), chain in terms.items() for lao_id, change_id, start, end in chain])



@migration(20, "programme settings and dimensions per programme year")
def _programme_years(db):
    """One programme row per programme year (the open year is the latest one opened) and
    each year's own list of dimensions; the single settings row and the dimension list
    become the existing year's. The stamp triggers of migration 12 go with the old
    tables and are made again: any change to a year's settings or dimensions still makes
    every cached criterion stale."""
    _run(db, """
    CREATE TABLE programme_new (
        year_be INTEGER PRIMARY KEY,
        start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),
        end_month INTEGER NOT NULL CHECK (end_month BETWEEN 1 AND 12),
        late_days INTEGER NOT NULL DEFAULT 15 CHECK (late_days >= 0),
        version INTEGER NOT NULL DEFAULT 1,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT,
        opened_by INTEGER REFERENCES user(id),
        opened_at TEXT
    );
    INSERT INTO programme_new (year_be, start_month, end_month, late_days, version, updated_by, updated_at)
        SELECT year_be, start_month, end_month, late_days, version, updated_by, updated_at FROM programme;
    DROP TABLE programme;
    ALTER TABLE programme_new RENAME TO programme;
    CREATE TABLE dimension_new (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL REFERENCES programme(year_be) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (programme_year, name)
    );
    INSERT INTO dimension_new (id, programme_year, position, name)
        SELECT d.id, p.year_be, d.position, d.name FROM dimension d JOIN programme p;
    DROP TABLE dimension;
    ALTER TABLE dimension_new RENAME TO dimension;
    CREATE INDEX dimension_year ON dimension(programme_year, position)
    """)
    bump = ("INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1)"
            " ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1")
    for table in ("programme", "dimension"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_stamp AFTER {event} ON {table}"
                       f" BEGIN {bump}; END")


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def current_version(db: sqlite_utils.Database) -> int:
    if not db["schema_version"].exists():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all). Returns those applied."""
    target = latest_version() if target is None else target
    with db.atomic():
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    done = {row[0] for row in db.execute("SELECT version FROM schema_version")}
    pending = [m for m in MIGRATIONS if m[0] not in done and m[0] <= target]
    if not pending:
        return []
    applied = []
    with audit.paused(db.conn):
        for version, name, fn in pending:
            with db.atomic():
                fn(db)
                db.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now_iso()),
                )
            applied.append(version)
    return applied
