-- name: forums, attendees, agenda items, projects

    CREATE TABLE forum (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('village', 'lao')),
        village_id INTEGER REFERENCES village(id),
        title TEXT NOT NULL,
        meeting_no INTEGER,
        meeting_year_be INTEGER,
        held_on TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        place TEXT NOT NULL,
        organisers TEXT NOT NULL DEFAULT '[]',
        reviews_community_plan INTEGER NOT NULL DEFAULT 1,
        used_bmn INTEGER NOT NULL DEFAULT 0,
        used_village_data INTEGER NOT NULL DEFAULT 0,
        dimensions TEXT NOT NULL DEFAULT '[]',
        head_count INTEGER,
        head_count_male INTEGER,
        head_count_female INTEGER,
        recorder_name TEXT NOT NULL DEFAULT '',
        recorder_position TEXT NOT NULL DEFAULT '',
        checker_name TEXT NOT NULL DEFAULT '',
        checker_position TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES user(id),
        created_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES user(id),
        updated_at TEXT NOT NULL,
        CHECK ((level = 'village') = (village_id IS NOT NULL)),
        CHECK (start_time < end_time)
    );
    CREATE INDEX forum_lao ON forum(lao_id, programme_year, held_on);
    CREATE TABLE forum_attendee (
        id INTEGER PRIMARY KEY,
        forum_id INTEGER NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('present', 'absent', 'participant')),
        position_no INTEGER NOT NULL,
        name TEXT NOT NULL,
        position TEXT NOT NULL DEFAULT '',
        substitute_for TEXT NOT NULL DEFAULT '',
        absence_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX forum_attendee_forum ON forum_attendee(forum_id, kind, position_no);
    CREATE TABLE forum_agenda (
        id INTEGER PRIMARY KEY,
        forum_id INTEGER NOT NULL REFERENCES forum(id) ON DELETE CASCADE,
        position_no INTEGER NOT NULL,
        title TEXT NOT NULL,
        discussion TEXT NOT NULL DEFAULT '',
        resolution TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX forum_agenda_forum ON forum_agenda(forum_id, position_no);
    CREATE TABLE project (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id) ON DELETE CASCADE,
        programme_year INTEGER NOT NULL,
        forum_id INTEGER REFERENCES forum(id) ON DELETE SET NULL,
        rank INTEGER NOT NULL CHECK (rank > 0),
        name TEXT NOT NULL,
        dimension TEXT NOT NULL DEFAULT '',
        village_id INTEGER REFERENCES village(id) ON DELETE SET NULL
    );
    CREATE INDEX project_lao ON project(lao_id, programme_year, rank);
