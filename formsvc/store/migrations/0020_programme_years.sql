-- name: programme settings and dimensions per programme year
-- One programme row per programme year (the open year is the latest one opened) and
-- each year's own list of dimensions; the single settings row and the dimension list
-- become the existing year's. The stamp triggers of migration 12 go with the old
-- tables and are made again: any change to a year's settings or dimensions still makes
-- every cached criterion stale.
-- The last statement's ';' stands on a line of its own: SQLite keeps the text of
-- this statement up to the ';' in sqlite_master, and databases made before the
-- migrations were files have that line break there.

    CREATE TABLE programme_new (
        year_be INTEGER PRIMARY KEY,
        start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),
        end_month INTEGER NOT NULL CHECK (end_month BETWEEN 1 AND 12),
        late_days INTEGER NOT NULL DEFAULT 15 CHECK (late_days >= 0),
        version INTEGER NOT NULL DEFAULT 1,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT,
        opened_by INTEGER REFERENCES user(id),
        opened_at TEXT
    );
    INSERT INTO programme_new (year_be, start_month, end_month, late_days, version, updated_by, updated_at)
        SELECT year_be, start_month, end_month, late_days, version, updated_by, updated_at FROM programme;
    DROP TABLE programme;
    ALTER TABLE programme_new RENAME TO programme;
    CREATE TABLE dimension_new (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL REFERENCES programme(year_be) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (programme_year, name)
    );
    INSERT INTO dimension_new (id, programme_year, position, name)
        SELECT d.id, p.year_be, d.position, d.name FROM dimension d JOIN programme p;
    DROP TABLE dimension;
    ALTER TABLE dimension_new RENAME TO dimension;
    CREATE INDEX dimension_year ON dimension(programme_year, position)
    ;
    CREATE TRIGGER programme_insert_stamp AFTER INSERT ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER programme_update_stamp AFTER UPDATE ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER programme_delete_stamp AFTER DELETE ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_insert_stamp AFTER INSERT ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_update_stamp AFTER UPDATE ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_delete_stamp AFTER DELETE ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) VALUES (0, 1) ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
