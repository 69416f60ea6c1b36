-- +goose Up
-- A risk's computed results move to a narrow table of their own that
-- carries only the register's result indexes. A method change recomputes
-- every risk of an organization at once; written into the wide risks
-- table, each row's new version also went into all ten of its indexes
-- (PostgreSQL updates a row in place only when no indexed column changes), and
-- 200,000 risks took most of ten seconds. A recompute now writes
-- risk_results alone; risks keep what people enter.
CREATE TABLE risk_results (
    n              INTEGER PRIMARY KEY REFERENCES risks(n), -- the risk's number
    org_id         TEXT NOT NULL,
    ia             INTEGER NOT NULL DEFAULT 0, -- the asset's value the results were computed from
    l              REAL NOT NULL,
    f              REAL NOT NULL,
    r              REAL NOT NULL,
    level          INTEGER NOT NULL,
    cell_l         INTEGER NOT NULL, -- heat map row: likelihood on 1–5
    cell_f         INTEGER NOT NULL, -- heat map column: loss or impact on 1–5
    acceptable     BOOLEAN NOT NULL,
    residual_r     REAL NOT NULL DEFAULT 0,
    residual_level INTEGER NOT NULL DEFAULT 0,
    residual_ok    BOOLEAN NOT NULL DEFAULT FALSE,
    method_version INTEGER NOT NULL
);
INSERT INTO risk_results (n, org_id, ia, l, f, r, level, cell_l, cell_f, acceptable, residual_r, residual_level, residual_ok,
    method_version)
SELECT n, org_id, ia, l, f, r, level, cell_l, cell_f, acceptable, residual_r, residual_level, residual_ok, method_version
FROM risks;
-- The register's sorts on results, each also carrying the result filters.
CREATE INDEX risk_results_level ON risk_results (org_id, level, n, acceptable);
CREATE INDEX risk_results_by_r ON risk_results (org_id, r, n, level, acceptable);
CREATE INDEX risk_results_by_residual ON risk_results (org_id, residual_level, n, level, acceptable);

DROP INDEX risks_list;
DROP INDEX risks_level;
DROP INDEX risks_by_r;
DROP INDEX risks_by_residual;
DROP INDEX risks_by_updated;
ALTER TABLE risks DROP COLUMN ia;
ALTER TABLE risks DROP COLUMN l;
ALTER TABLE risks DROP COLUMN f;
ALTER TABLE risks DROP COLUMN r;
ALTER TABLE risks DROP COLUMN level;
ALTER TABLE risks DROP COLUMN cell_l;
ALTER TABLE risks DROP COLUMN cell_f;
ALTER TABLE risks DROP COLUMN acceptable;
ALTER TABLE risks DROP COLUMN residual_r;
ALTER TABLE risks DROP COLUMN residual_level;
ALTER TABLE risks DROP COLUMN residual_ok;
ALTER TABLE risks DROP COLUMN method_version;
-- The register's sorts on what people enter, carrying the treatment filter.
CREATE INDEX risks_list ON risks (org_id, n, treatment);
CREATE INDEX risks_by_updated ON risks (org_id, updated_at, n, treatment);

-- +goose Down
DROP INDEX risks_by_updated;
DROP INDEX risks_list;
ALTER TABLE risks ADD COLUMN ia INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN l REAL NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN f REAL NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN r REAL NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN cell_l INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN cell_f INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN acceptable BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE risks ADD COLUMN residual_r REAL NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN residual_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risks ADD COLUMN residual_ok BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE risks ADD COLUMN method_version INTEGER NOT NULL DEFAULT 0;
UPDATE risks SET (ia, l, f, r, level, cell_l, cell_f, acceptable, residual_r, residual_level, residual_ok, method_version) =
    (SELECT ia, l, f, r, level, cell_l, cell_f, acceptable, residual_r, residual_level, residual_ok, method_version
     FROM risk_results x WHERE x.n = risks.n);
DROP TABLE risk_results;
CREATE INDEX risks_list ON risks (org_id, n, level, treatment, acceptable);
CREATE INDEX risks_level ON risks (org_id, level, n, treatment, acceptable);
CREATE INDEX risks_by_r ON risks (org_id, r, n, level, treatment, acceptable);
CREATE INDEX risks_by_residual ON risks (org_id, residual_level, n, level, treatment, acceptable);
CREATE INDEX risks_by_updated ON risks (org_id, updated_at, n, level, treatment, acceptable);
