-- name: geography

    CREATE TABLE province (
        code TEXT PRIMARY KEY,
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    CREATE TABLE district (
        code TEXT PRIMARY KEY,
        province_code TEXT NOT NULL REFERENCES province(code),
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('amphoe', 'khet'))
    );
    CREATE INDEX district_province ON district(province_code);
    CREATE TABLE subdistrict (
        code TEXT PRIMARY KEY,
        district_code TEXT NOT NULL REFERENCES district(code),
        name_th TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    CREATE INDEX subdistrict_district ON subdistrict(district_code);
