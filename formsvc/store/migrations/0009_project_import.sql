-- name: pending project imports

    CREATE TABLE project_import (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        rows TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
