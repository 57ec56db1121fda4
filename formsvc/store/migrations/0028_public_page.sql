-- name: public page shown or hidden per programme year
-- The public page (/public and its open data) of a programme year is shown unless an
-- admin hid it: a row here with shown = 0. No row: shown. A table of its own, not a
-- column of programme: turning the page off changes no setting a criterion rests on,
-- so it leaves the compliance cache's global stamp alone.

    CREATE TABLE public_page (
        programme_year INTEGER PRIMARY KEY REFERENCES programme(year_be) ON DELETE CASCADE,
        shown INTEGER NOT NULL DEFAULT 1 CHECK (shown IN (0, 1)),
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL
    )
    ;
