-- +goose Up
-- MLPS (网络安全等级保护): grading objects (定级对象) with the facts the
-- filing forms ask for, their data categories (表六) and linked assets;
-- grading versions through expert review, authority approval and filing;
-- submissions to the public security bureau, certificates (备案证明), the
-- filing forms' hand-filled fields and the materials checklists.
CREATE TABLE mlps_objects (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organizations(id),
    n                   INTEGER NOT NULL,
    code                TEXT NOT NULL DEFAULT '',
    name                TEXT NOT NULL,
    type                TEXT NOT NULL,
    tech                TEXT NOT NULL DEFAULT '',
    tech_details        TEXT NOT NULL DEFAULT '{}',
    system_kind         TEXT NOT NULL DEFAULT '',
    deployment          TEXT NOT NULL DEFAULT '',
    dept_id             TEXT NOT NULL DEFAULT '',
    construction_by     TEXT NOT NULL DEFAULT '',
    operation_by        TEXT NOT NULL DEFAULT '',
    security_by         TEXT NOT NULL DEFAULT '',
    business_type       TEXT NOT NULL DEFAULT '',
    business_desc       TEXT NOT NULL DEFAULT '',
    service_scope       TEXT NOT NULL DEFAULT '',
    service_scope_count INTEGER NOT NULL DEFAULT 0,
    service_users       TEXT NOT NULL DEFAULT '',
    network_coverage    TEXT NOT NULL DEFAULT '',
    network_nature      TEXT NOT NULL DEFAULT '',
    source_ips          TEXT NOT NULL DEFAULT '',
    domains             TEXT NOT NULL DEFAULT '',
    ports               TEXT NOT NULL DEFAULT '',
    interconnections    TEXT NOT NULL DEFAULT '',
    interconnect_note   TEXT NOT NULL DEFAULT '',
    live_on             TEXT NOT NULL DEFAULT '',
    outsourced          BOOLEAN NOT NULL DEFAULT FALSE,
    outsourced_to       TEXT NOT NULL DEFAULT '',
    parent_id           TEXT NOT NULL DEFAULT '',
    parent_name         TEXT NOT NULL DEFAULT '',
    parent_unit         TEXT NOT NULL DEFAULT '',
    authority           TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    updated_by          TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mlps_objects_n ON mlps_objects (org_id, n);
CREATE UNIQUE INDEX mlps_objects_code ON mlps_objects (org_id, code) WHERE code <> '';

CREATE TABLE mlps_data_categories (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    object_id      TEXT NOT NULL REFERENCES mlps_objects(id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    level          TEXT NOT NULL,
    category       TEXT NOT NULL DEFAULT '',
    dept_id        TEXT NOT NULL DEFAULT '',
    person_id      TEXT NOT NULL DEFAULT '',
    personal       TEXT NOT NULL,
    volume         TEXT NOT NULL DEFAULT '',
    monthly_growth TEXT NOT NULL DEFAULT '',
    sources        TEXT NOT NULL DEFAULT '',
    source_units   TEXT NOT NULL DEFAULT '',
    outflow_units  TEXT NOT NULL DEFAULT '',
    interaction    TEXT NOT NULL DEFAULT '',
    storage_cloud  TEXT NOT NULL DEFAULT '',
    storage_room   TEXT NOT NULL DEFAULT '',
    storage_region TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mlps_data_categories_object ON mlps_data_categories (object_id, position);

CREATE TABLE mlps_object_assets (
    object_id TEXT NOT NULL REFERENCES mlps_objects(id),
    asset_id  TEXT NOT NULL REFERENCES assets(id),
    org_id    TEXT NOT NULL REFERENCES organizations(id),
    role      TEXT NOT NULL,
    PRIMARY KEY (object_id, asset_id)
);
CREATE INDEX mlps_object_assets_asset ON mlps_object_assets (asset_id);

CREATE TABLE mlps_gradings (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organizations(id),
    object_id          TEXT NOT NULL REFERENCES mlps_objects(id),
    version            INTEGER NOT NULL,
    template           TEXT NOT NULL,
    ticks              TEXT NOT NULL DEFAULT '[]',
    business           INTEGER NOT NULL DEFAULT 0,
    service            INTEGER NOT NULL DEFAULT 0,
    level              INTEGER NOT NULL DEFAULT 0,
    reason             TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    return_reason      TEXT NOT NULL DEFAULT '',
    returned_by        TEXT NOT NULL DEFAULT '',
    submitted_on       TEXT NOT NULL DEFAULT '',
    review_experts     TEXT NOT NULL DEFAULT '',
    review_on          TEXT NOT NULL DEFAULT '',
    review_conclusion  TEXT NOT NULL DEFAULT '',
    review_opinions    TEXT NOT NULL DEFAULT '',
    review_level       INTEGER NOT NULL DEFAULT 0,
    authority_name     TEXT NOT NULL DEFAULT '',
    authority_on       TEXT NOT NULL DEFAULT '',
    authority_decision TEXT NOT NULL DEFAULT '',
    authority_opinion  TEXT NOT NULL DEFAULT '',
    authority_level    INTEGER NOT NULL DEFAULT 0,
    confirmed_on       TEXT NOT NULL DEFAULT '',
    filed_on           TEXT NOT NULL DEFAULT '',
    graded_by          TEXT NOT NULL DEFAULT '',
    updated_by         TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mlps_gradings_version ON mlps_gradings (object_id, version);
CREATE INDEX mlps_gradings_org ON mlps_gradings (org_id, object_id);

CREATE TABLE mlps_filings (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    object_id    TEXT NOT NULL REFERENCES mlps_objects(id),
    grading_id   TEXT NOT NULL REFERENCES mlps_gradings(id),
    bureau       TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    template     TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    decided_on   TEXT NOT NULL DEFAULT '',
    reasons      TEXT NOT NULL DEFAULT '',
    regrade      BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX mlps_filings_grading ON mlps_filings (grading_id, submitted_on);

CREATE TABLE mlps_certificates (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    object_id   TEXT NOT NULL REFERENCES mlps_objects(id),
    grading_id  TEXT NOT NULL REFERENCES mlps_gradings(id),
    filing_id   TEXT NOT NULL REFERENCES mlps_filings(id),
    number      TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX mlps_certificates_object ON mlps_certificates (object_id, issued_on);

-- The fields of a filing form the data cannot fill, typed in on the form
-- and kept per grading and template (JSON: field key → value).
CREATE TABLE mlps_form_fields (
    grading_id TEXT NOT NULL REFERENCES mlps_gradings(id),
    template   TEXT NOT NULL,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    data       TEXT NOT NULL DEFAULT '{}',
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (grading_id, template)
);

-- Materials checklists (表四/表五 and the seed's two packages): whether
-- each item is there; its files are evidence with subject 'mlps_material'.
CREATE TABLE mlps_materials (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    grading_id TEXT NOT NULL REFERENCES mlps_gradings(id),
    checklist  TEXT NOT NULL,
    item       TEXT NOT NULL,
    present    BOOLEAN NOT NULL DEFAULT FALSE,
    note       TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mlps_materials_item ON mlps_materials (grading_id, checklist, item);

-- +goose Down
DROP TABLE mlps_materials;
DROP TABLE mlps_form_fields;
DROP TABLE mlps_certificates;
DROP TABLE mlps_filings;
DROP TABLE mlps_gradings;
DROP TABLE mlps_object_assets;
DROP TABLE mlps_data_categories;
DROP TABLE mlps_objects;
