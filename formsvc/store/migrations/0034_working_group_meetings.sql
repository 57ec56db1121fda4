-- name: meetings of the LAO's working group (guideline §4.1(4))
-- working_group_meeting: one meeting of the working group, recorded like a forum: the
-- number (ครั้งที่ n/ปี, the Buddhist year of its day), day, times and place, who came
-- (attendees as JSON rows {kind: present|absent|participant, name, position,
-- substitute_for, absence_reason}), the agenda (JSON rows {title, discussion,
-- resolution}), the chair the first meeting chose (empty when none) and who took and
-- checked the minutes. Versioned like the other edited records (record_version keeps
-- what a save replaced); audited (it has lao_id, so every entry names its LAO).
-- deleted_record: a deleted meeting is kept 30 days like a forum (kind 'meeting'), and
-- 'attachment' is allowed for kept attachments; SQLite cannot change a CHECK, so the
-- table is made again with the same rows (as in 27).

    CREATE TABLE working_group_meeting (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        meeting_no INTEGER NOT NULL CHECK (meeting_no BETWEEN 1 AND 9999),
        meeting_year_be INTEGER NOT NULL,
        held_on TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        place TEXT NOT NULL,
        attendees TEXT NOT NULL DEFAULT '[]',
        agenda TEXT NOT NULL DEFAULT '[]',
        chair_name TEXT NOT NULL DEFAULT '',
        chair_position TEXT NOT NULL DEFAULT '',
        recorder_name TEXT NOT NULL DEFAULT '',
        recorder_position TEXT NOT NULL DEFAULT '',
        checker_name TEXT NOT NULL DEFAULT '',
        checker_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX working_group_meeting_lao ON working_group_meeting(lao_id, programme_year, held_on);
    CREATE INDEX working_group_meeting_no ON working_group_meeting(lao_id, meeting_year_be, meeting_no);
    CREATE INDEX working_group_meeting_created_by ON working_group_meeting(created_by);
    CREATE INDEX working_group_meeting_updated_by ON working_group_meeting(updated_by);

    CREATE TABLE deleted_record_new (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('forum', 'village', 'project', 'member', 'visit', 'attachment', 'meeting')),
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
