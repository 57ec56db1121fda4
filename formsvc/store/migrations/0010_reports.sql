-- name: bi-monthly reports and their submitted versions

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
    );
