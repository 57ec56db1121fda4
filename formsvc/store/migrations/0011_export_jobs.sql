-- name: background export jobs
-- The last statement's ';' stands on a line of its own: SQLite keeps the text of
-- this statement up to the ';' in sqlite_master, and databases made before the
-- migrations were files have that line break there.

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
    ;
