-- name: what the background pre-render last rendered for each LAO
-- prerender_lao: for each LAO whose draft report forms the background pre-render
-- (formsvc/prerender.py) put into the render cache: the last audit_log entry that
-- counted for it then (its own entries, and the programme-wide ones documents read),
-- the Thai day it rendered for (the render cache's key has the day), the period, and
-- when. An LAO is due again when a later entry names it (the audit log records every
-- write, whatever code path makes it) and has been quiet long enough, or on a new day.
-- A cache of work done, like compliance_cache: not audited.

    CREATE TABLE prerender_lao (
        lao_id INTEGER PRIMARY KEY REFERENCES lao(id) ON DELETE CASCADE,
        audit_id INTEGER NOT NULL,
        day TEXT NOT NULL,
        period INTEGER NOT NULL,
        rendered_at TEXT NOT NULL
    );
