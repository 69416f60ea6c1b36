-- +goose Up
-- Search in the records register: a trigram index over titles.
CREATE INDEX records_title_trgm ON records USING gin (title gin_trgm_ops);

-- +goose Down
DROP INDEX records_title_trgm;
