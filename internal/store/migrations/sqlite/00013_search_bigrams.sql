-- +goose Up
-- Two-character search through the trigram index. Each column is indexed
-- with a trailing space, so every occurrence of a two-character string is
-- the start of some trigram ("口令" at the end of a title still starts
-- "令 " … "口令 "); a two-character query looks up the trigrams that start
-- with it in the index's vocabulary and matches any of them.
DROP TRIGGER documents_fts_update;
DROP TRIGGER documents_fts_insert;
INSERT INTO documents_fts (documents_fts) VALUES ('delete-all');
-- Lifecycle steps used to blank the search text of the documents they
-- touched; take it back from each document's newest version.
UPDATE documents SET body = coalesce((SELECT v.body FROM document_versions v WHERE v.document_id = documents.id
    ORDER BY v.created_at DESC, v.id DESC LIMIT 1), '');
-- +goose StatementBegin
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code || ' ', new.title || ' ', new.body || ' ');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_fts_update AFTER UPDATE OF code, title, body ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.n;
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code || ' ', new.title || ' ', new.body || ' ');
END;
-- +goose StatementEnd
INSERT INTO documents_fts (rowid, code, title, body) SELECT n, code || ' ', title || ' ', body || ' ' FROM documents;
CREATE VIRTUAL TABLE documents_terms USING fts5vocab(documents_fts, 'row');

-- +goose Down
DROP TABLE documents_terms;
DROP TRIGGER documents_fts_update;
DROP TRIGGER documents_fts_insert;
INSERT INTO documents_fts (documents_fts) VALUES ('delete-all');
-- +goose StatementBegin
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code, new.title, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_fts_update AFTER UPDATE OF code, title, body ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.n;
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code, new.title, new.body);
END;
-- +goose StatementEnd
INSERT INTO documents_fts (rowid, code, title, body) SELECT n, code, title, body FROM documents;
