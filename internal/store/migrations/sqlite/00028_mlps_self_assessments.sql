-- +goose Up
-- GB/T 22239-2019 gap self-assessments (差距自评估) of grading objects:
-- the items of one level and the object's extensions, copied from the
-- built-in framework when the assessment starts, each with its result.
CREATE TABLE mlps_self_assessments (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    object_id    TEXT NOT NULL REFERENCES mlps_objects(id),
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    level        INTEGER NOT NULL,
    extensions   TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    closed_at    TIMESTAMP
);
CREATE INDEX mlps_self_assessments_object ON mlps_self_assessments (org_id, object_id, created_at);

CREATE TABLE mlps_self_checks (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    assessment_id    TEXT NOT NULL REFERENCES mlps_self_assessments(id),
    node_id          TEXT NOT NULL, -- no reference: the item keeps its ref if a new version drops the node
    ref              TEXT NOT NULL,
    position         INTEGER NOT NULL,
    result           TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    risk_id          TEXT NOT NULL DEFAULT '',
    rectification_id TEXT NOT NULL DEFAULT '',
    updated_by       TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP
);
CREATE UNIQUE INDEX mlps_self_checks_ref ON mlps_self_checks (assessment_id, ref);
CREATE INDEX mlps_self_checks_order ON mlps_self_checks (assessment_id, position);

-- +goose Down
DROP TABLE mlps_self_checks;
DROP TABLE mlps_self_assessments;
