-- name: a user's position for documents and lists; a forum's count of others and not stated
-- A person's position (ตำแหน่ง) goes with their display name wherever the system names
-- them and fills the reporter and minute-taker of new reports and forums. A forum's
-- head count is men, women and others or not stated, which add up to the total.

    ALTER TABLE user ADD COLUMN position TEXT NOT NULL DEFAULT '';
    ALTER TABLE forum ADD COLUMN head_count_other INTEGER;
