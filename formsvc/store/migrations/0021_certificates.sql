-- name: certificates: one current per LAO and programme year, replaced ones kept
-- A certificate (เกียรติบัตร) is issued once per LAO and programme year; issuing again
-- replaces it: the old one stays, with its files, marked replaced. Its files
-- (issued_document rows of kind 'certificate') point to it. Certificates issued before
-- this step become certificates of the latest programme year opened by their date of
-- issue (the first year if none); of several for one LAO and year, the latest is
-- current and each earlier one was replaced when the next was issued.

    CREATE TABLE certificate (
        id INTEGER PRIMARY KEY,
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        programme_year INTEGER NOT NULL,
        issued_by INTEGER REFERENCES user(id),
        issued_at TEXT NOT NULL,
        replaced_by INTEGER REFERENCES user(id),
        replaced_at TEXT
    );
    ALTER TABLE issued_document ADD COLUMN certificate_id INTEGER REFERENCES certificate(id);
    WITH issued AS (
        SELECT min(id) AS id, lao_id, created_by, created_at,
            coalesce(
                (SELECT max(year_be) FROM programme
                  WHERE year_be <= CAST(substr(created_at, 1, 4) AS INTEGER) + 543),
                (SELECT min(year_be) FROM programme)
            ) AS programme_year
        FROM issued_document WHERE kind = 'certificate' GROUP BY lao_id, created_at
    )
    INSERT INTO certificate (id, lao_id, programme_year, issued_by, issued_at, replaced_by, replaced_at)
        SELECT i.id, i.lao_id, i.programme_year, i.created_by, i.created_at,
            (SELECT n.created_by FROM issued n WHERE n.lao_id = i.lao_id AND n.programme_year = i.programme_year
              AND n.created_at > i.created_at ORDER BY n.created_at LIMIT 1),
            (SELECT min(n.created_at) FROM issued n WHERE n.lao_id = i.lao_id AND n.programme_year = i.programme_year
              AND n.created_at > i.created_at)
        FROM issued i;
    UPDATE issued_document SET certificate_id = (
        SELECT c.id FROM certificate c WHERE c.lao_id = issued_document.lao_id AND c.issued_at = issued_document.created_at
    ) WHERE kind = 'certificate';
    CREATE UNIQUE INDEX certificate_current ON certificate(lao_id, programme_year) WHERE replaced_at IS NULL;
    CREATE INDEX issued_document_certificate ON issued_document(certificate_id)
    ;
