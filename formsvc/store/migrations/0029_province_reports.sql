-- name: province reports to the national office, their frozen versions, and their notices
-- For each period the province office compiles its report (the district reports it
-- acknowledged, as they were sent, its own comments and recommendations, and its
-- monitoring visits of the period) and submits it to the DLA; every submitted version
-- is kept with its snapshot and documents. National users acknowledge or return it.
-- Same shape as district_report, so one store serves both levels. The mail outbox also
-- tells of province reports: a row names an LAO, a district or a province.

    CREATE TABLE province_report (
        id INTEGER PRIMARY KEY,
        province_code TEXT NOT NULL REFERENCES province(code),
        programme_year INTEGER NOT NULL,
        period INTEGER NOT NULL CHECK (period > 0),
        status TEXT NOT NULL DEFAULT 'draft'
            CHECK (status IN ('draft', 'submitted', 'acknowledged', 'returned')),
        comments TEXT NOT NULL DEFAULT '',
        recommendations TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        submitted_count INTEGER NOT NULL DEFAULT 0,
        review_comment TEXT NOT NULL DEFAULT '',
        reviewed_by INTEGER REFERENCES user(id),
        reviewed_at TEXT,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL,
        UNIQUE (province_code, programme_year, period)
    );
    CREATE TABLE province_report_submission (
        id INTEGER PRIMARY KEY,
        province_report_id INTEGER NOT NULL REFERENCES province_report(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        submitted_by INTEGER REFERENCES user(id),
        submitted_at TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        pdf BLOB NOT NULL,
        docx BLOB NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        docx_sha256 TEXT NOT NULL,
        days_late INTEGER NOT NULL DEFAULT 0 CHECK (days_late >= 0),
        review_decision TEXT,
        review_comment TEXT NOT NULL DEFAULT '',
        UNIQUE (province_report_id, number)
    );
    CREATE INDEX province_report_submission_by ON province_report_submission(submitted_by);
    CREATE INDEX province_report_reviewed_by ON province_report(reviewed_by);
    CREATE INDEX province_report_updated_by ON province_report(updated_by);
    CREATE TABLE mail_outbox_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('due_7', 'due_1', 'submitted', 'returned', 'acknowledged',
            'district_submitted', 'district_returned', 'district_acknowledged',
            'province_submitted', 'province_returned', 'province_acknowledged')),
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        lao_id INTEGER REFERENCES lao(id) ON DELETE CASCADE,
        district_code TEXT REFERENCES district(code),
        province_code TEXT REFERENCES province(code),
        programme_year INTEGER NOT NULL,
        period INTEGER NOT NULL,
        once_key TEXT UNIQUE,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'skipped', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        sent_at TEXT,
        CHECK ((lao_id IS NOT NULL) + (district_code IS NOT NULL) + (province_code IS NOT NULL) = 1)
    );
    INSERT INTO mail_outbox_new (id, kind, user_id, lao_id, district_code, programme_year, period, once_key, status,
            attempts, next_attempt_at, last_error, created_at, sent_at)
        SELECT id, kind, user_id, lao_id, district_code, programme_year, period, once_key, status,
            attempts, next_attempt_at, last_error, created_at, sent_at FROM mail_outbox;
    DROP TABLE mail_outbox;
    ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
    CREATE INDEX mail_outbox_queued ON mail_outbox(status, next_attempt_at);
    CREATE INDEX mail_outbox_user ON mail_outbox(user_id);
    CREATE INDEX mail_outbox_lao ON mail_outbox(lao_id);
    CREATE INDEX mail_outbox_district ON mail_outbox(district_code);
    CREATE INDEX mail_outbox_province ON mail_outbox(province_code)
    ;
