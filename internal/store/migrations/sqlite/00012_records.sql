-- +goose Up
-- Records control (记录控制, manual §4.3.3). A record type says where its
-- records come from (category a–d), their form, where they are kept and
-- for how long; records are filed by the modules that make them or
-- registered by hand; disposals are the approved destruction of records
-- past retention and, once carried out, the disposal log. Dates are ISO
-- calendar days (YYYY-MM-DD).
CREATE TABLE record_types (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    code             TEXT NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL,
    form             TEXT NOT NULL,
    medium           TEXT NOT NULL,
    retention_months INTEGER NOT NULL,
    location         TEXT NOT NULL DEFAULT '',
    owner_dept_id    TEXT REFERENCES departments(id),
    document_code    TEXT NOT NULL DEFAULT '',
    hold_reason      TEXT NOT NULL DEFAULT '',
    hold_by          TEXT NOT NULL DEFAULT '',
    hold_at          TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX record_types_code ON record_types (org_id, code);

CREATE TABLE record_disposals (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id),
    status          TEXT NOT NULL,
    method          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    requested_by_id TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    TIMESTAMP NOT NULL,
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMP,
    decision_note   TEXT NOT NULL DEFAULT '',
    executed_by     TEXT NOT NULL DEFAULT '',
    executed_on     TEXT NOT NULL DEFAULT '',
    witness         TEXT NOT NULL DEFAULT '',
    execution_note  TEXT NOT NULL DEFAULT '',
    record_count    INTEGER NOT NULL
);
CREATE INDEX record_disposals_org ON record_disposals (org_id, requested_at);

CREATE TABLE records (
    id          TEXT PRIMARY KEY,
    n           INTEGER NOT NULL UNIQUE, -- identification, printed JL-000123
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    type_id     TEXT NOT NULL REFERENCES record_types(id),
    title       TEXT NOT NULL,
    record_date TEXT NOT NULL,
    dept_id     TEXT REFERENCES departments(id),
    location    TEXT NOT NULL DEFAULT '',
    source_type TEXT NOT NULL DEFAULT '',
    source_id   TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    hold_reason TEXT NOT NULL DEFAULT '',
    hold_by     TEXT NOT NULL DEFAULT '',
    hold_at     TIMESTAMP,
    disposal_id TEXT REFERENCES record_disposals(id),
    disposed_at TIMESTAMP
);
CREATE INDEX records_list ON records (org_id, record_date, n);
CREATE INDEX records_type ON records (type_id, record_date);
CREATE INDEX records_source ON records (source_type, source_id);
CREATE INDEX records_disposal ON records (disposal_id);

-- Which records a disposal covered; kept when a request is rejected, so
-- the log shows what was asked for.
CREATE TABLE record_disposal_items (
    disposal_id TEXT NOT NULL REFERENCES record_disposals(id),
    record_id   TEXT NOT NULL REFERENCES records(id),
    PRIMARY KEY (disposal_id, record_id)
);

-- +goose Down
DROP TABLE record_disposal_items;
DROP TABLE records;
DROP TABLE record_disposals;
DROP TABLE record_types;
