-- +goose Up
-- The full text of a requirement as an organization that owns the
-- standard imports it (the built-in catalogs ship identifiers and short
-- paraphrases only).
CREATE TABLE requirement_texts (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    node_id    TEXT NOT NULL REFERENCES requirement_nodes(id),
    text       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, node_id)
);

-- +goose Down
DROP TABLE requirement_texts;
