-- name: compliance cache kept fresh by per-LAO change stamps
-- compliance_cache holds each LAO's five criteria as last computed, with the LAO's
-- change stamp at that time. Triggers bump the stamp of an LAO whenever a row that
-- decides its criteria changes (stamp 0 is everyone's: programme settings and
-- dimensions), whatever code path writes it. A cached row whose stamps differ from
-- the current ones is stale and is computed again; so roll-ups read one row per LAO
-- instead of recomputing 878 LAOs on every page view.
--
-- The tables whose rows decide an LAO's criteria, and how a row finds its LAO:
-- lao (id); village, working_group, lao_order, forum, project (lao_id);
-- working_group_member, operation_activity (the lao_id of their working group).
-- Each has one trigger per INSERT, UPDATE (old and new LAO) and DELETE.
-- Migration 20 replaces the programme and dimension triggers with its tables.

    CREATE TABLE lao_stamp (
        lao_id INTEGER PRIMARY KEY,
        stamp INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE compliance_cache (
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        stamp INTEGER NOT NULL,
        global_stamp INTEGER NOT NULL,
        met TEXT NOT NULL,
        result TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        PRIMARY KEY (lao_id, programme_year)
    );
    CREATE TRIGGER lao_insert_stamp AFTER INSERT ON lao BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER lao_update_stamp AFTER UPDATE ON lao BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER lao_delete_stamp AFTER DELETE ON lao BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER village_insert_stamp AFTER INSERT ON village BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER village_update_stamp AFTER UPDATE ON village BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER village_delete_stamp AFTER DELETE ON village BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_insert_stamp AFTER INSERT ON working_group BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_update_stamp AFTER UPDATE ON working_group BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_delete_stamp AFTER DELETE ON working_group BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER lao_order_insert_stamp AFTER INSERT ON lao_order BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER lao_order_update_stamp AFTER UPDATE ON lao_order BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER lao_order_delete_stamp AFTER DELETE ON lao_order BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER forum_insert_stamp AFTER INSERT ON forum BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER forum_update_stamp AFTER UPDATE ON forum BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER forum_delete_stamp AFTER DELETE ON forum BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER project_insert_stamp AFTER INSERT ON project BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER project_update_stamp AFTER UPDATE ON project BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT NEW.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER project_delete_stamp AFTER DELETE ON project BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT OLD.lao_id AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_member_insert_stamp AFTER INSERT ON working_group_member BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = NEW.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_member_update_stamp AFTER UPDATE ON working_group_member BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = OLD.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = NEW.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER working_group_member_delete_stamp AFTER DELETE ON working_group_member BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = OLD.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER operation_activity_insert_stamp AFTER INSERT ON operation_activity BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = NEW.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER operation_activity_update_stamp AFTER UPDATE ON operation_activity BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = OLD.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1;
INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = NEW.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER operation_activity_delete_stamp AFTER DELETE ON operation_activity BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT (SELECT lao_id FROM working_group WHERE id = OLD.working_group_id) AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER programme_insert_stamp AFTER INSERT ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER programme_update_stamp AFTER UPDATE ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER programme_delete_stamp AFTER DELETE ON programme BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_insert_stamp AFTER INSERT ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_update_stamp AFTER UPDATE ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
    CREATE TRIGGER dimension_delete_stamp AFTER DELETE ON dimension BEGIN INSERT INTO lao_stamp (lao_id, stamp) SELECT lao_id, 1 FROM (SELECT 0 AS lao_id) WHERE lao_id IS NOT NULL ON CONFLICT (lao_id) DO UPDATE SET stamp = stamp + 1; END;
