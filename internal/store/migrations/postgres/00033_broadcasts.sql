-- +goose Up
-- Notices and training announcements from a supervising body to every
-- organization below it, with who read them.
CREATE TABLE broadcasts (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX broadcasts_org ON broadcasts (org_id, created_at);

CREATE TABLE broadcast_targets (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (broadcast_id, org_id)
);
CREATE INDEX broadcast_targets_org ON broadcast_targets (org_id);

CREATE TABLE broadcast_reads (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    read_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (broadcast_id, account_id)
);
CREATE INDEX broadcast_reads_org ON broadcast_reads (broadcast_id, org_id, read_at);

-- +goose Down
DROP TABLE broadcast_reads;
DROP TABLE broadcast_targets;
DROP TABLE broadcasts;
