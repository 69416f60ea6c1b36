-- +goose Up
-- Role grants per account, and the approval requests that some grants
-- (the three administrators) and later modules need.

CREATE TABLE approvals (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    kind           TEXT NOT NULL,
    subject_type   TEXT NOT NULL,
    subject_id     TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    requested_by   TEXT NOT NULL REFERENCES accounts(id),
    requested_at   TIMESTAMPTZ NOT NULL,
    required_role  TEXT NOT NULL DEFAULT '',
    needs_second   BOOLEAN NOT NULL DEFAULT FALSE,
    status         TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','cancelled')),
    first_by       TEXT NOT NULL DEFAULT '',
    first_at       TIMESTAMPTZ,
    first_comment  TEXT NOT NULL DEFAULT '',
    second_by      TEXT NOT NULL DEFAULT '',
    second_at      TIMESTAMPTZ,
    second_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approvals_org_status ON approvals (org_id, status, requested_at);
CREATE INDEX approvals_subject ON approvals (subject_type, subject_id);

CREATE TABLE role_grants (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending','active','revoked')),
    granted_by  TEXT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL,
    approval_id TEXT REFERENCES approvals(id),
    revoked_by  TEXT NOT NULL DEFAULT '',
    revoked_at  TIMESTAMPTZ
);
-- One live (pending or active) grant of a role per account.
CREATE UNIQUE INDEX role_grants_live ON role_grants (account_id, role) WHERE status <> 'revoked';
CREATE INDEX role_grants_org ON role_grants (org_id, role);

-- Per-account preferences (the UI language).
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE accounts DROP COLUMN language;
DROP TABLE role_grants;
DROP TABLE approvals;
