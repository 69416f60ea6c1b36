-- +goose Up
-- The asset register (资产管理) and its lifecycle. People are referenced
-- from the people register (owner, custodian, responsible user); value
-- and the important flag are computed by the organization's asset
-- settings and stored so the register filters and sorts on them.
CREATE TABLE assets (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    type             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    dept_id          TEXT REFERENCES departments(id),
    owner_id         TEXT REFERENCES people(id),
    custodian_id     TEXT REFERENCES people(id),
    location         TEXT NOT NULL DEFAULT '',
    classification   TEXT NOT NULL DEFAULT '',
    c                INTEGER NOT NULL,
    i                INTEGER NOT NULL,
    a                INTEGER NOT NULL,
    replacement_cost INTEGER NOT NULL DEFAULT 0,
    importance       INTEGER NOT NULL DEFAULT 0,
    value            INTEGER NOT NULL,
    important        BOOLEAN NOT NULL DEFAULT FALSE,
    parent_id        TEXT REFERENCES assets(id),
    status           TEXT NOT NULL,
    serial           TEXT NOT NULL DEFAULT '',
    ip               TEXT NOT NULL DEFAULT '',
    mac              TEXT NOT NULL DEFAULT '',
    user_id          TEXT REFERENCES people(id),
    classified       BOOLEAN NOT NULL DEFAULT FALSE,
    owner_since      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX assets_code ON assets (org_id, code);
CREATE INDEX assets_value ON assets (org_id, value, code);
CREATE INDEX assets_dept ON assets (dept_id, code);
CREATE INDEX assets_important ON assets (org_id, important, code);
CREATE INDEX assets_parent ON assets (parent_id);

-- Lifecycle steps: acceptance, owner change, transfer, repair, return,
-- scrapping. details holds the step's own facts as JSON.
CREATE TABLE asset_events (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    asset_id    TEXT NOT NULL REFERENCES assets(id),
    kind        TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL,
    late        BOOLEAN NOT NULL DEFAULT FALSE,
    filed_by_id TEXT NOT NULL,
    filed_by    TEXT NOT NULL,
    filed_at    TIMESTAMP NOT NULL,
    approval_id TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TIMESTAMP,
    record_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_events_asset ON asset_events (asset_id, filed_at);
CREATE INDEX asset_events_org ON asset_events (org_id, kind, filed_at);

-- +goose Down
DROP TABLE asset_events;
DROP TABLE assets;
