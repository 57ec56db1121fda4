-- name: users

    CREATE TABLE user (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN
            ('lao_clerk', 'facilitator', 'district', 'province', 'national', 'admin')),
        lao_id INTEGER REFERENCES lao(id),
        district_code TEXT REFERENCES district(code),
        province_code TEXT REFERENCES province(code),
        locale TEXT NOT NULL DEFAULT 'th',
        active INTEGER NOT NULL DEFAULT 1,
        session_version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        CHECK ((role = 'lao_clerk') = (lao_id IS NOT NULL)),
        CHECK ((role IN ('facilitator', 'district')) = (district_code IS NOT NULL)),
        CHECK ((role = 'province') = (province_code IS NOT NULL))
    );
