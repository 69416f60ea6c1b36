-- +goose Up
-- The scheduler's daily MLPS duty pass: when each object is next due for
-- it (claimed by moving it on, so one scheduler does each), and the
-- rectification fixer's and verifier's stored names, which the accounts
-- they name already give.
ALTER TABLE mlps_objects ADD COLUMN duties_due_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00+00:00';
CREATE INDEX mlps_objects_duties ON mlps_objects (duties_due_at) WHERE status = 'active';
ALTER TABLE mlps_rectifications DROP COLUMN fixed_by_name;
ALTER TABLE mlps_rectifications DROP COLUMN verified_name;

-- +goose Down
ALTER TABLE mlps_rectifications ADD COLUMN verified_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mlps_rectifications ADD COLUMN fixed_by_name TEXT NOT NULL DEFAULT '';
DROP INDEX mlps_objects_duties;
ALTER TABLE mlps_objects DROP COLUMN duties_due_at;
