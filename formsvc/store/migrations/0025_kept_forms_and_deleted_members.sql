-- name: typing kept across a language switch or an expired session; deleted working group members
-- kept_form: what a user typed in a page's form but could not save yet (they switched the
-- interface language, or their session had expired when they pressed a button), kept for
-- that user and that page only, until the page is opened again by the same user (or a
-- few days pass). Never shown to anyone else, never saved by itself.
-- deleted_record: a working group member dropped from the saved list is kept 30 days
-- like a forum, a village or a project (kind 'member'); SQLite cannot change a CHECK, so
-- the table is made again with the same rows.

    CREATE TABLE kept_form (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('language', 'expired')),
        data TEXT NOT NULL,
        kept_at TEXT NOT NULL,
        UNIQUE (user_id, path)
    );
    CREATE INDEX kept_form_at ON kept_form(kept_at);

    CREATE TABLE deleted_record_new (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('forum', 'village', 'project', 'member')),
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
