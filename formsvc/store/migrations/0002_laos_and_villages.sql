-- name: laos and villages

    CREATE TABLE lao (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tambon_municipality', 'tao')),
        district_code TEXT NOT NULL REFERENCES district(code),
        chief_title TEXT NOT NULL DEFAULT '',
        has_kamnan INTEGER NOT NULL DEFAULT 1,
        has_coc INTEGER NOT NULL DEFAULT 1,
        digit_style TEXT NOT NULL DEFAULT 'thai' CHECK (digit_style IN ('thai', 'arabic')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (district_code, kind, name)
    );
    CREATE INDEX lao_district ON lao(district_code);
    CREATE TABLE lao_subdistrict (
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        subdistrict_code TEXT NOT NULL REFERENCES subdistrict(code),
        PRIMARY KEY (lao_id, subdistrict_code)
    );
    CREATE TABLE village (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('village', 'community')),
        number INTEGER,
        name TEXT NOT NULL,
        CHECK ((kind = 'village') = (number IS NOT NULL))
    );
    CREATE UNIQUE INDEX village_number ON village(lao_id, number) WHERE number IS NOT NULL;
    CREATE UNIQUE INDEX village_name ON village(lao_id, kind, name);
