-- +goose Up
-- Two-character search: pg_trgm cannot serve a pattern shorter than a
-- trigram, so the register also indexes the set of two-character strings
-- of code, title and body (lower-cased), and a two-character query is one
-- GIN lookup of that set.
-- Lifecycle steps used to blank the search text of the documents they
-- touched; take it back from each document's newest version.
UPDATE documents SET body = coalesce((SELECT v.body FROM document_versions v WHERE v.document_id = documents.id
    ORDER BY v.created_at DESC, v.id DESC LIMIT 1), '');
-- +goose StatementBegin
CREATE FUNCTION doc_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (SELECT substr(lower(t), i, 2) AS g FROM generate_series(1, length(t) - 1) AS i) s
$$;
-- +goose StatementEnd
CREATE INDEX documents_bigrams ON documents USING gin (doc_bigrams(code || ' ' || title || ' ' || body));

-- +goose Down
DROP INDEX documents_bigrams;
DROP FUNCTION doc_bigrams(text);
