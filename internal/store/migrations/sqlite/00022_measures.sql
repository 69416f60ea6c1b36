-- +goose Up
-- Applied measures (控制措施) and evidence for more than the SoA.
-- A measure satisfies requirements of any framework, named by framework
-- and reference like SoA rows. Evidence moves from soa_evidence into one
-- table whose subject is an SoA row or a measure, so both keep files and
-- records the same way.
CREATE TABLE measures (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    n           INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    dept_id     TEXT NOT NULL DEFAULT '',
    owner_id    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    due_on      TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX measures_n ON measures (org_id, n);

CREATE TABLE measure_requirements (
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    measure_id   TEXT NOT NULL REFERENCES measures(id),
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    ref          TEXT NOT NULL,
    PRIMARY KEY (measure_id, framework_id, ref)
);
CREATE INDEX measure_requirements_ref ON measure_requirements (org_id, framework_id, ref);
-- Coverage reads mappings from both ends.
CREATE INDEX requirement_mappings_source ON requirement_mappings (source_node_id);

CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    subject       TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    title         TEXT NOT NULL,
    attachment_id TEXT NOT NULL DEFAULT '',
    record_id     TEXT NOT NULL DEFAULT '',
    effective_on  TEXT NOT NULL,
    expires_on    TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL,
    added_at      TIMESTAMP NOT NULL
);
CREATE INDEX evidence_subject ON evidence (subject_id);
CREATE INDEX evidence_org ON evidence (org_id, subject);
INSERT INTO evidence (id, org_id, subject, subject_id, title, attachment_id, record_id, effective_on, expires_on,
    added_by, added_at)
    SELECT id, org_id, 'soa_row', row_id, title, attachment_id, record_id, effective_on, expires_on, added_by, added_at
    FROM soa_evidence;
DROP TABLE soa_evidence;
UPDATE attachments SET owner_type = 'evidence' WHERE owner_type = 'soa_evidence';

-- +goose Down
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
INSERT INTO soa_evidence SELECT id, org_id, subject_id, title, attachment_id, record_id, effective_on, expires_on,
    added_by, added_at FROM evidence WHERE subject = 'soa_row';
UPDATE attachments SET owner_type = 'soa_evidence' WHERE owner_type = 'evidence';
DROP TABLE evidence;
DROP INDEX requirement_mappings_source;
DROP TABLE measure_requirements;
DROP TABLE measures;
