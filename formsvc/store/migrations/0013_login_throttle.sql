-- name: sign-in throttling
-- One row per account name (as typed, lower-cased; it need not exist, so a lock says
-- nothing about which usernames are real) and per client address. Kept in the
-- database so every server process counts the same failures.

    CREATE TABLE login_throttle (
        kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
        key TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        window_start TEXT NOT NULL,
        locked_until TEXT,
        PRIMARY KEY (kind, key)
    );
