-- +goose Up
-- Modules look up the tasks their records gave out (a legal item's
-- review task, later a document's); the scheduler finds items falling due.
CREATE INDEX tasks_source ON tasks (source_type, source_id) WHERE source_type <> '';
CREATE INDEX legal_items_due ON legal_items (next_review);

-- +goose Down
DROP INDEX legal_items_due;
DROP INDEX tasks_source;
