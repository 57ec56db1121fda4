-- name: deleted records: forums, villages and projects kept 30 days for restoring
-- Deleting a forum, a village/community or a project still deletes its rows, so every
-- query, count, export, document, criterion and change stamp (migration 12) sees it gone
-- exactly as before; a copy of the rows (the record and its children, and the rows that
-- pointed to it) is kept here as JSON for 30 days, so it can be put back.

    CREATE TABLE deleted_record (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('forum', 'village', 'project')),
        record_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        data TEXT NOT NULL,
        deleted_by INTEGER REFERENCES user(id),
        deleted_at TEXT NOT NULL
    );
    CREATE INDEX deleted_record_lao ON deleted_record(lao_id, deleted_at);
    CREATE INDEX deleted_record_at ON deleted_record(deleted_at);
    CREATE INDEX deleted_record_user ON deleted_record(deleted_by)
