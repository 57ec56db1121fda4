-- name: monitoring visits of province and district offices to a model LAO (guideline §7.2)
-- monitoring_visit: a visit of the province office (สถ.จ./พช.จ.) or the district office
-- to an LAO: the day, who went (one "name, position" a line), what they found, what
-- they recommended, and the follow-up: the day it is due, the day it was done and a
-- note. Versioned like the other edited records (record_version keeps what a save
-- replaced); audited (it has lao_id, so every entry names its LAO).
-- No change-stamp triggers (migration 12): a visit decides none of the LAO's criteria.
-- deleted_record: a deleted visit is kept 30 days like a forum (kind 'visit'); SQLite
-- cannot change a CHECK, so the table is made again with the same rows (as in 25).

    CREATE TABLE monitoring_visit (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        office TEXT NOT NULL CHECK (office IN ('province', 'district')),
        visited_on TEXT NOT NULL,
        visitors TEXT NOT NULL,
        findings TEXT NOT NULL,
        recommendations TEXT NOT NULL DEFAULT '',
        follow_up_due TEXT,
        follow_up_done_on TEXT,
        follow_up_note TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX monitoring_visit_lao ON monitoring_visit(lao_id, programme_year, visited_on);
    CREATE INDEX monitoring_visit_follow_up ON monitoring_visit(follow_up_due) WHERE follow_up_done_on IS NULL;
    CREATE INDEX monitoring_visit_created_by ON monitoring_visit(created_by);
    CREATE INDEX monitoring_visit_updated_by ON monitoring_visit(updated_by);

    CREATE TABLE deleted_record_new (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('forum', 'village', 'project', 'member', 'visit')),
        record_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        data TEXT NOT NULL,
        deleted_by INTEGER REFERENCES user(id),
        deleted_at TEXT NOT NULL
    );
    INSERT INTO deleted_record_new (id, lao_id, kind, record_id, label, data, deleted_by, deleted_at)
        SELECT id, lao_id, kind, record_id, label, data, deleted_by, deleted_at FROM deleted_record;
    DROP TABLE deleted_record;
    ALTER TABLE deleted_record_new RENAME TO deleted_record;
    CREATE INDEX deleted_record_lao ON deleted_record(lao_id, deleted_at);
    CREATE INDEX deleted_record_at ON deleted_record(deleted_at);
    CREATE INDEX deleted_record_user ON deleted_record(deleted_by)
