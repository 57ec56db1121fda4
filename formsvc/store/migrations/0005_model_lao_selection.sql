-- name: model LAO selection

    CREATE TABLE model_lao (
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        selected_by INTEGER REFERENCES user(id),
        selected_at TEXT NOT NULL,
        PRIMARY KEY (programme_year, district_code)
    );
    CREATE TABLE model_lao_change (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        previous_lao_id INTEGER REFERENCES lao(id),
        changed_by INTEGER REFERENCES user(id),
        changed_at TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
