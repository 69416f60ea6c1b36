-- +goose Up
-- Where an organization is (行政区划代码, GB/T 2260) and its industry: the
-- filters of a supervising body's dashboards.
ALTER TABLE organizations ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN industry TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE organizations DROP COLUMN industry;
ALTER TABLE organizations DROP COLUMN region_code;
