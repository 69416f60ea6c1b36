-- +goose Up
-- Files attached to records (task evidence first). The bytes live in the
-- blob store under their SHA-256; this is who uploaded what, for which record.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    owner_type   TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, created_at);

-- +goose Down
DROP TABLE attachments;
