-- +goose Up
-- The Statement of Applicability (适用性声明, XX-A-02): an organization's
-- working copy has one row per requirement of a framework, keyed by the
-- requirement's reference so a new version of the framework keeps it; the
-- row's links to documents, risks and assets; its evidence; and frozen
-- versions (a JSON snapshot of every row, submitted and then approved or
-- returned by the top manager).
CREATE TABLE soa_rows (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    framework_id   TEXT NOT NULL REFERENCES frameworks(id),
    ref            TEXT NOT NULL,
    applicable     BOOLEAN,
    reasons        TEXT NOT NULL DEFAULT '',
    justification  TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'not_started',
    dept_id        TEXT NOT NULL DEFAULT '',
    owner_id       TEXT NOT NULL DEFAULT '',
    implementation TEXT NOT NULL DEFAULT '',
    review_note    TEXT NOT NULL DEFAULT '',
    reviewed_on    TEXT NOT NULL DEFAULT '',
    updated_by     TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX soa_rows_ref ON soa_rows (org_id, framework_id, ref);

CREATE TABLE soa_links (
    org_id    TEXT NOT NULL REFERENCES organizations(id),
    row_id    TEXT NOT NULL REFERENCES soa_rows(id),
    kind      TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (row_id, kind, target_id)
);

CREATE TABLE soa_evidence (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    row_id        TEXT NOT NULL REFERENCES soa_rows(id),
    title         TEXT NOT NULL,
    attachment_id TEXT NOT NULL DEFAULT '',
    record_id     TEXT NOT NULL DEFAULT '',
    effective_on  TEXT NOT NULL,
    expires_on    TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL,
    added_at      TIMESTAMP NOT NULL
);
CREATE INDEX soa_evidence_row ON soa_evidence (row_id);

CREATE TABLE soa_versions (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    number       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    approval_id  TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP,
    comment      TEXT NOT NULL DEFAULT '',
    rows         TEXT NOT NULL
);
CREATE INDEX soa_versions_framework ON soa_versions (org_id, framework_id, submitted_at);

-- +goose Down
DROP TABLE soa_versions;
DROP TABLE soa_evidence;
DROP TABLE soa_links;
DROP TABLE soa_rows;
