-- name: project details of the local development plan (แบบ ผ.02)
-- What the plan's project form asks of each project: its strategy and plan area
-- (ยุทธศาสตร์, แผนงาน), objective, target (the project's output), KPI, expected result,
-- the unit mainly responsible, and its budget in each of the plan period's five years
-- (satang; year 1 is the period's first year, formsvc.domain.model.plan_years).

    ALTER TABLE project ADD COLUMN strategy TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN plan_area TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN objective TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN target TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN kpi TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN expected_result TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN responsible_unit TEXT NOT NULL DEFAULT '';
    ALTER TABLE project ADD COLUMN plan_satang_1 INTEGER CHECK (plan_satang_1 IS NULL OR plan_satang_1 >= 0);
    ALTER TABLE project ADD COLUMN plan_satang_2 INTEGER CHECK (plan_satang_2 IS NULL OR plan_satang_2 >= 0);
    ALTER TABLE project ADD COLUMN plan_satang_3 INTEGER CHECK (plan_satang_3 IS NULL OR plan_satang_3 >= 0);
    ALTER TABLE project ADD COLUMN plan_satang_4 INTEGER CHECK (plan_satang_4 IS NULL OR plan_satang_4 >= 0);
    ALTER TABLE project ADD COLUMN plan_satang_5 INTEGER CHECK (plan_satang_5 IS NULL OR plan_satang_5 >= 0);
