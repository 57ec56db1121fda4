-- name: programme settings and dimensions

    CREATE TABLE programme (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        year_be INTEGER NOT NULL,
        start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),
        end_month INTEGER NOT NULL CHECK (end_month BETWEEN 1 AND 12),
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT
    );
    CREATE TABLE dimension (
        id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        name TEXT NOT NULL UNIQUE
    );
