-- name: versions on every editable record, and the values each save replaced
-- Existing rows start at version 1; a working group or report at version 0 has never
-- been saved by its form (defaults only).
-- The last statement's ';' stands on a line of its own: SQLite keeps the text of
-- this statement up to the ';' in sqlite_master, and databases made before the
-- migrations were files have that line break there.

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
    ;
