-- name: indexes on the foreign keys that grow with the data
-- A forum's projects, a village's forums and projects, an LAO's model-LAO rows: each
-- looked up (and checked on delete) by these columns, which without an index means a
-- scan of the whole table per row, slow at national size.
-- The last statement's ';' stands on a line of its own: SQLite keeps the text of
-- this statement up to the ';' in sqlite_master, and databases made before the
-- migrations were files have that line break there.

    CREATE INDEX IF NOT EXISTS project_forum ON project(forum_id);
    CREATE INDEX IF NOT EXISTS project_village ON project(village_id);
    CREATE INDEX IF NOT EXISTS forum_village ON forum(village_id);
    CREATE INDEX IF NOT EXISTS model_lao_lao ON model_lao(lao_id);
    CREATE INDEX IF NOT EXISTS model_lao_change_district ON model_lao_change(district_code, programme_year)
    ;
