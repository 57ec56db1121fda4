-- name: attachments: photos and PDF scans of an LAO's records, stored beside the database
-- A photo (re-encoded, without EXIF/GPS) or a PDF scan attached to one of an LAO's
-- records: the record is named by its kind and id (owner_kind 'forum', 'visit',
-- 'report'; other kinds, such as working-group meetings, can attach without a schema
-- change: the code says which kinds exist). The bytes are a file named by their SHA-256
-- in a folder beside the database (formsvc.store.attachments); a photo's thumbnail
-- likewise. A deleted attachment keeps its row 30 days (deleted_at) so it can be
-- restored; a file leaves the disk only when no row names it. The programme year sets
-- each LAO's quota in MB.

    CREATE TABLE attachment (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        owner_kind TEXT NOT NULL CHECK (owner_kind GLOB '[a-z]*' AND length(owner_kind) <= 20),
        owner_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'pdf')),
        file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        size INTEGER NOT NULL CHECK (size > 0),
        thumb_sha256 TEXT CHECK (thumb_sha256 IS NULL OR (length(thumb_sha256) = 64 AND thumb_sha256 NOT GLOB '*[^0-9a-f]*')),
        width INTEGER,
        height INTEGER,
        pages INTEGER,
        uploaded_by INTEGER REFERENCES user(id),
        uploaded_at TEXT NOT NULL,
        deleted_by INTEGER REFERENCES user(id),
        deleted_at TEXT
    );
    CREATE INDEX attachment_owner ON attachment(lao_id, owner_kind, owner_id);
    CREATE INDEX attachment_sha256 ON attachment(sha256);
    CREATE INDEX attachment_thumb ON attachment(thumb_sha256);
    CREATE INDEX attachment_uploaded_by ON attachment(uploaded_by);
    CREATE INDEX attachment_deleted_by ON attachment(deleted_by);
    ALTER TABLE programme ADD COLUMN attachment_quota_mb INTEGER NOT NULL DEFAULT 200
        CHECK (attachment_quota_mb BETWEEN 0 AND 100000);
