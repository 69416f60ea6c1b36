-- +goose Up
-- The legal and regulatory register (法律法规清单) and its periodic
-- compliance evaluations (合规性评价). Dates are ISO text (YYYY-MM-DD):
-- they are calendar days, not instants.
CREATE TABLE legal_items (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    issuer        TEXT NOT NULL DEFAULT '',
    number        TEXT NOT NULL DEFAULT '',
    issued_on     TEXT NOT NULL DEFAULT '',
    effective_on  TEXT NOT NULL DEFAULT '',
    abolished_on  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    applicability TEXT NOT NULL,
    obligations   TEXT NOT NULL DEFAULT '',
    owner_dept_id TEXT REFERENCES departments(id),
    next_review   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX legal_items_title ON legal_items (org_id, title);
CREATE INDEX legal_items_review ON legal_items (org_id, next_review);

CREATE TABLE legal_evaluations (
    id           TEXT PRIMARY KEY,
    item_id      TEXT NOT NULL REFERENCES legal_items(id),
    evaluated_on TEXT NOT NULL,
    result       TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    evaluator    TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX legal_evaluations_item ON legal_evaluations (item_id, evaluated_on);

-- +goose Down
DROP TABLE legal_evaluations;
DROP TABLE legal_items;
