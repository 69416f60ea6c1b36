-- +goose Up
-- Risk assessment (风险评估): the threat and vulnerability catalogs of each
-- organization, its risk method versions, assessments, risk scenarios and
-- the treatment plan. A method version is never changed once written: an
-- assessment names the version it uses, so its results can be recomputed
-- and compared.
CREATE TABLE threats (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL REFERENCES organizations(id),
    code      TEXT NOT NULL,
    category  TEXT NOT NULL,
    name      TEXT NOT NULL,
    guidance  TEXT NOT NULL DEFAULT '',
    frequency INTEGER NOT NULL
);
CREATE UNIQUE INDEX threats_code ON threats (org_id, code);

CREATE TABLE vulnerabilities (
    id       TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL REFERENCES organizations(id),
    code     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    name     TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    severity INTEGER NOT NULL
);
CREATE UNIQUE INDEX vulnerabilities_code ON vulnerabilities (org_id, code);

CREATE TABLE risk_methods (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    version    INTEGER NOT NULL,
    method     TEXT NOT NULL, -- JSON of isms.RiskMethod
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE risk_assessments (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    title          TEXT NOT NULL,
    scope          TEXT NOT NULL DEFAULT '',
    dept_ids       TEXT NOT NULL DEFAULT '[]',
    method_version INTEGER NOT NULL,
    team           TEXT NOT NULL DEFAULT '',
    start_on       TEXT NOT NULL DEFAULT '',
    end_on         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    consultation   TEXT NOT NULL DEFAULT '',
    review_reason  TEXT NOT NULL DEFAULT '',
    created_by_id  TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX risk_assessments_org ON risk_assessments (org_id, created_at);

CREATE TABLE risks (
    id             TEXT PRIMARY KEY,
    n              INTEGER NOT NULL UNIQUE, -- printed FX-000123
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    assessment_id  TEXT NOT NULL REFERENCES risk_assessments(id),
    asset_id       TEXT NOT NULL REFERENCES assets(id),
    threat_id      TEXT NOT NULL REFERENCES threats(id),
    vuln_id        TEXT NOT NULL REFERENCES vulnerabilities(id),
    dept_id        TEXT REFERENCES departments(id),
    description    TEXT NOT NULL DEFAULT '',
    controls       TEXT NOT NULL DEFAULT '',
    control_effect TEXT NOT NULL DEFAULT '',
    control_kind   TEXT NOT NULL DEFAULT '',
    t              INTEGER NOT NULL DEFAULT 0,
    v              INTEGER NOT NULL DEFAULT 0,
    ia             INTEGER NOT NULL DEFAULT 0,
    va             INTEGER NOT NULL DEFAULT 0,
    likelihood     INTEGER NOT NULL DEFAULT 0,
    impact         INTEGER NOT NULL DEFAULT 0,
    l              REAL NOT NULL,
    f              REAL NOT NULL,
    r              REAL NOT NULL,
    level          INTEGER NOT NULL,
    cell_l         INTEGER NOT NULL, -- heat map row: likelihood on 1–5
    cell_f         INTEGER NOT NULL, -- heat map column: loss or impact on 1–5
    acceptable     BOOLEAN NOT NULL,
    treatment      TEXT NOT NULL DEFAULT '',
    residual_t     INTEGER NOT NULL DEFAULT 0,
    residual_v     INTEGER NOT NULL DEFAULT 0,
    residual_va    INTEGER NOT NULL DEFAULT 0,
    residual_l     INTEGER NOT NULL DEFAULT 0,
    residual_i     INTEGER NOT NULL DEFAULT 0,
    residual_r     REAL NOT NULL DEFAULT 0,
    residual_level INTEGER NOT NULL DEFAULT 0,
    residual_ok    BOOLEAN NOT NULL DEFAULT FALSE,
    acceptance     TEXT NOT NULL DEFAULT '',
    approval_id    TEXT NOT NULL DEFAULT '',
    accepted_by    TEXT NOT NULL DEFAULT '',
    accepted_at    TIMESTAMP,
    review_reason  TEXT NOT NULL DEFAULT '',
    method_version INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX risks_list ON risks (org_id, n);
CREATE INDEX risks_level ON risks (org_id, level, n);
CREATE INDEX risks_assessment ON risks (assessment_id, n);
CREATE INDEX risks_asset ON risks (asset_id);
CREATE INDEX risks_dept ON risks (dept_id, n);

CREATE TABLE risk_treatments (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    risk_id    TEXT NOT NULL REFERENCES risks(id),
    measure    TEXT NOT NULL,
    dept_id    TEXT NOT NULL REFERENCES departments(id),
    person_id  TEXT REFERENCES people(id),
    start_on   TEXT NOT NULL DEFAULT '',
    due_on     TEXT NOT NULL,
    cost       TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    priority   TEXT NOT NULL,
    task_id    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX risk_treatments_risk ON risk_treatments (risk_id);
CREATE INDEX risk_treatments_org ON risk_treatments (org_id, status, due_on);

-- +goose Down
DROP TABLE risk_treatments;
DROP TABLE risks;
DROP TABLE risk_assessments;
DROP TABLE risk_methods;
DROP TABLE vulnerabilities;
DROP TABLE threats;
