-- +goose Up
-- Security objectives (信息安全目标, XX-A-03), decomposed to departments,
-- and effectiveness measures (有效性测量) of controls and measures: what
-- is measured, against which target, how often; approved by the top
-- manager; and their measurements. A measurement's evidence is kept in
-- the evidence table (subject 'measurement').
CREATE TABLE objectives (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    n            INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    parent_id    TEXT NOT NULL DEFAULT '',
    dept_id      TEXT NOT NULL DEFAULT '',
    statement    TEXT NOT NULL,
    metric       TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    direction    TEXT NOT NULL,
    target       DOUBLE PRECISION NOT NULL,
    threshold    DOUBLE PRECISION,
    frequency    TEXT NOT NULL,
    owner_id     TEXT NOT NULL DEFAULT '',
    framework_id TEXT NOT NULL DEFAULT '',
    ref          TEXT NOT NULL DEFAULT '',
    measure_id   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    approval_id  TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMPTZ,
    comment      TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX objectives_n ON objectives (org_id, n);

CREATE TABLE measurements (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    objective_id TEXT NOT NULL REFERENCES objectives(id),
    taken_on     TEXT NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    measured_by  TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX measurements_objective ON measurements (objective_id, taken_on);

-- +goose Down
DROP TABLE measurements;
DROP TABLE objectives;
