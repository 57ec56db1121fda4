-- name: model LAO selection on record: both district offices' agreement, readiness, the LAO's consent
-- Guideline §3.1 and §4.2(3): the district local-administration office (ท้องถิ่นอำเภอ)
-- and the district community-development office (พัฒนาการอำเภอ) choose the model LAO
-- together, for its readiness, with the LAO's consent. Each change of the model LAO
-- records who of each office agreed (name, position), when, the readiness notes and the
-- LAO's consent (its date, and its letter's number and date as typed). A change whose
-- lao_id equals previous_lao_id and has no from_period is the record of an unchanged
-- selection written later. Changes recorded before this have no record (consent_on NULL):
-- they stay valid and show as not recorded. The consent letter itself is not kept here.

    ALTER TABLE model_lao_change ADD COLUMN local_officer_name TEXT;
    ALTER TABLE model_lao_change ADD COLUMN local_officer_position TEXT;
    ALTER TABLE model_lao_change ADD COLUMN community_officer_name TEXT;
    ALTER TABLE model_lao_change ADD COLUMN community_officer_position TEXT;
    ALTER TABLE model_lao_change ADD COLUMN agreed_on TEXT;
    ALTER TABLE model_lao_change ADD COLUMN readiness_notes TEXT;
    ALTER TABLE model_lao_change ADD COLUMN consent_on TEXT;
    ALTER TABLE model_lao_change ADD COLUMN consent_letter_number TEXT;
    ALTER TABLE model_lao_change ADD COLUMN consent_letter_date TEXT;
