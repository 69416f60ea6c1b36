-- +goose Up
-- Search in the records register: a trigram index over titles (records
-- are never renamed or deleted, so an insert trigger keeps it).
CREATE VIRTUAL TABLE records_fts USING fts5(title, content='', contentless_delete=1, tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, title) VALUES (new.n, new.title);
END;
-- +goose StatementEnd
INSERT INTO records_fts (rowid, title) SELECT n, title FROM records;

-- +goose Down
DROP TRIGGER records_fts_insert;
DROP TABLE records_fts;
