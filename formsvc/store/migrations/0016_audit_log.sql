-- name: audit log with a hash chain
-- No foreign keys: an entry outlives the user and the LAO it names. Written only by
-- the TEMP triggers of formsvc/store/audit.py; the two triggers below refuse changes
-- to entries through any connection (someone with the file can drop them: see
-- docs/audit.md on keeping the last hash elsewhere).

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
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
