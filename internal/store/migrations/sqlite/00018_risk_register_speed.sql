-- +goose Up
-- The risk register at scale. Each organization's risks carry a stamp
-- that every write of a risk moves on, so that a register's counts and
-- heat map can be kept between requests (on any number of instances)
-- and recomputed only after a change. Each sort of the register has an
-- index, so a page of 50 reads about 50 rows.
CREATE TABLE risk_stamps (
    org_id TEXT PRIMARY KEY REFERENCES organizations(id),
    v      BIGINT NOT NULL
);
CREATE INDEX risks_by_r ON risks (org_id, r, n);
CREATE INDEX risks_by_residual ON risks (org_id, residual_level, n);
CREATE INDEX risks_by_updated ON risks (org_id, updated_at, n);

-- +goose Down
DROP INDEX risks_by_updated;
DROP INDEX risks_by_residual;
DROP INDEX risks_by_r;
DROP TABLE risk_stamps;
