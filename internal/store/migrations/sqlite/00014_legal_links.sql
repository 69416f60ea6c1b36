-- +goose Up
-- A legal register item names the documents that carry it out (codes) and
-- the controls or clauses it bears on (identifiers, any standard's).
ALTER TABLE legal_items ADD COLUMN related_documents TEXT NOT NULL DEFAULT '';
ALTER TABLE legal_items ADD COLUMN related_controls TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE legal_items DROP COLUMN related_controls;
ALTER TABLE legal_items DROP COLUMN related_documents;
