-- name: rules version of cached criteria; the forum a pending project import attaches to
-- A cached row computed under other rules (RULES_VERSION, thresholds: see
-- formsvc.domain.criteria.rules_stamp) is stale like one with an old data stamp; rows
-- cached before this migration have none, so they are all computed again. A pending
-- import remembers the LAO-level forum whose ranked list it is; no foreign key, so a
-- pending import never stops a forum being removed (the confirmation checks it again).

    ALTER TABLE compliance_cache ADD COLUMN rules_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE project_import ADD COLUMN forum_id INTEGER;
