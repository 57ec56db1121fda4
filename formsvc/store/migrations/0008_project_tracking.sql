-- name: project plan and budget tracking

    ALTER TABLE project ADD COLUMN within_authority INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE project ADD COLUMN in_development_plan INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE project ADD COLUMN plan_reference TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN in_budget_draft INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE project ADD COLUMN budget_satang INTEGER CHECK (budget_satang IS NULL OR budget_satang >= 0);
    ALTER TABLE project ADD COLUMN updated_at TEXT;
