-- name: working group, operation plan, orders, issued documents, emblems

    CREATE TABLE working_group (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        duties TEXT NOT NULL DEFAULT '[]',
        signer_name TEXT NOT NULL DEFAULT '',
        signer_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT,
        UNIQUE (lao_id, programme_year)
    );
    CREATE TABLE working_group_member (
        id INTEGER PRIMARY KEY,
        working_group_id INTEGER NOT NULL REFERENCES working_group(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        position TEXT NOT NULL DEFAULT '',
        group_role TEXT NOT NULL CHECK (group_role IN
            ('chair', 'adviser', 'member', 'secretary', 'assistant_secretary')),
        category TEXT NOT NULL
    );
    CREATE INDEX working_group_member_group ON working_group_member(working_group_id, position_no);
    CREATE TABLE operation_activity (
        id INTEGER PRIMARY KEY,
        working_group_id INTEGER NOT NULL REFERENCES working_group(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        activity TEXT NOT NULL,
        start_month TEXT NOT NULL,
        end_month TEXT NOT NULL,
        responsible TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'planned'
            CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
        CHECK (start_month <= end_month)
    );
    CREATE INDEX operation_activity_group ON operation_activity(working_group_id, position_no);
    CREATE TABLE lao_order (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        programme_year INTEGER NOT NULL,
        year_be INTEGER NOT NULL,
        number INTEGER NOT NULL CHECK (number > 0),
        order_date TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        replaces_order_id INTEGER REFERENCES lao_order(id),
        snapshot TEXT NOT NULL,
        issued_by INTEGER REFERENCES user(id),
        issued_at TEXT NOT NULL,
        UNIQUE (lao_id, year_be, number)
    );
    CREATE TABLE issued_document (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        kind TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('docx', 'pdf')),
        order_id INTEGER REFERENCES lao_order(id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        content BLOB NOT NULL,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        UNIQUE (order_id, format)
    );
    CREATE INDEX issued_document_lao ON issued_document(lao_id, kind);
    CREATE TABLE lao_emblem (
        lao_id INTEGER PRIMARY KEY REFERENCES lao(id) ON DELETE CASCADE,
        mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/svg+xml')),
        content BLOB NOT NULL,
        png BLOB NOT NULL,
        width_px INTEGER NOT NULL,
        height_px INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        uploaded_by INTEGER REFERENCES user(id),
        uploaded_at TEXT NOT NULL
    );
