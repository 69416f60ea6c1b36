-- +goose Up
-- The register's sort indexes also carry the columns its filters test
-- most (level, treatment, acceptable), so a filtered page — even one far
-- down the list — is found in the index and reads only its own rows.
DROP INDEX risks_list;
DROP INDEX risks_level;
DROP INDEX risks_by_r;
DROP INDEX risks_by_residual;
DROP INDEX risks_by_updated;
CREATE INDEX risks_list ON risks (org_id, n, level, treatment, acceptable);
CREATE INDEX risks_level ON risks (org_id, level, n, treatment, acceptable);
CREATE INDEX risks_by_r ON risks (org_id, r, n, level, treatment, acceptable);
CREATE INDEX risks_by_residual ON risks (org_id, residual_level, n, level, treatment, acceptable);
CREATE INDEX risks_by_updated ON risks (org_id, updated_at, n, level, treatment, acceptable);

-- +goose Down
DROP INDEX risks_by_updated;
DROP INDEX risks_by_residual;
DROP INDEX risks_by_r;
DROP INDEX risks_level;
DROP INDEX risks_list;
CREATE INDEX risks_list ON risks (org_id, n);
CREATE INDEX risks_level ON risks (org_id, level, n);
CREATE INDEX risks_by_r ON risks (org_id, r, n);
CREATE INDEX risks_by_residual ON risks (org_id, residual_level, n);
CREATE INDEX risks_by_updated ON risks (org_id, updated_at, n);
