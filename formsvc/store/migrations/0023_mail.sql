-- name: e-mail addresses, notice opt-out and the mail outbox
-- A user may give an e-mail address and turn notices off. The outbox holds one row per
-- message to send: written in the same transaction as the event it tells of (a report
-- submitted, returned or acknowledged) or by the runner's reminder step, and sent by
-- the runner, never inside a request. A reminder has a key (kind, user, year, period)
-- that can be queued once only.

    ALTER TABLE user ADD COLUMN email TEXT NOT NULL DEFAULT '';
    ALTER TABLE user ADD COLUMN notify INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE mail_outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('due_7', 'due_1', 'submitted', 'returned', 'acknowledged')),
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        period INTEGER NOT NULL,
        once_key TEXT UNIQUE,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'skipped', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX mail_outbox_queued ON mail_outbox(status, next_attempt_at);
    CREATE INDEX mail_outbox_user ON mail_outbox(user_id);
    CREATE INDEX mail_outbox_lao ON mail_outbox(lao_id)
    ;
