-- +goose Up
-- MLPS level evaluations (等级测评): the agencies, the evaluations with
-- their conclusions as the reports state them, and the issues found with
-- their rectification (四定, fixed, verified by someone else).
CREATE TABLE mlps_agencies (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    name          TEXT NOT NULL,
    qualification TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    contacts      TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mlps_agencies_name ON mlps_agencies (org_id, name);

CREATE TABLE mlps_evaluations (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    object_id     TEXT NOT NULL REFERENCES mlps_objects(id),
    grading_id    TEXT NOT NULL REFERENCES mlps_gradings(id),
    level         INTEGER NOT NULL,
    agency_id     TEXT NOT NULL REFERENCES mlps_agencies(id),
    started_on    TEXT NOT NULL DEFAULT '',
    completed_on  TEXT NOT NULL,
    report_no     TEXT NOT NULL,
    template      TEXT NOT NULL,
    score         DOUBLE PRECISION,
    rating        TEXT NOT NULL DEFAULT '',
    rate          DOUBLE PRECISION,
    conclusion    TEXT NOT NULL DEFAULT '',
    major_hazards INTEGER NOT NULL DEFAULT 0,
    notes         TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX mlps_evaluations_object ON mlps_evaluations (org_id, object_id, completed_on);

CREATE TABLE mlps_rectifications (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    evaluation_id TEXT NOT NULL REFERENCES mlps_evaluations(id),
    object_id     TEXT NOT NULL REFERENCES mlps_objects(id),
    n             INTEGER NOT NULL,
    description   TEXT NOT NULL,
    category      TEXT NOT NULL DEFAULT '',
    control_point TEXT NOT NULL DEFAULT '',
    risk          TEXT NOT NULL,
    major_hazard  BOOLEAN NOT NULL DEFAULT FALSE,
    person_id     TEXT NOT NULL DEFAULT '',
    measure       TEXT NOT NULL DEFAULT '',
    deadline      TEXT NOT NULL DEFAULT '',
    funds         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    fixed_by      TEXT NOT NULL DEFAULT '',
    fixed_by_name TEXT NOT NULL DEFAULT '',
    fixed_on      TEXT NOT NULL DEFAULT '',
    fix_note      TEXT NOT NULL DEFAULT '',
    verified_by   TEXT NOT NULL DEFAULT '',
    verified_name TEXT NOT NULL DEFAULT '',
    verified_on   TEXT NOT NULL DEFAULT '',
    verify_note   TEXT NOT NULL DEFAULT '',
    task_id       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mlps_rectifications_n ON mlps_rectifications (evaluation_id, n);
CREATE INDEX mlps_rectifications_org ON mlps_rectifications (org_id, object_id, status);

-- +goose Down
DROP TABLE mlps_rectifications;
DROP TABLE mlps_evaluations;
DROP TABLE mlps_agencies;
