-- +goose Up
-- Frameworks as data (控制框架): catalogs of requirements, built in
-- (org_id NULL, read-only) or imported by an organization; their trees of
-- requirement nodes, an organization's own Chinese titles for nodes, and
-- mappings between requirements of two frameworks. An organization's data
-- refers to a requirement by framework and reference (ref), so importing
-- a new version keeps whatever is attached to an unchanged reference.
CREATE TABLE frameworks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT REFERENCES organizations(id),
    code       TEXT NOT NULL,
    name_zh    TEXT NOT NULL DEFAULT '',
    name_en    TEXT NOT NULL DEFAULT '',
    version    TEXT NOT NULL DEFAULT '',
    publisher  TEXT NOT NULL DEFAULT '',
    origin     TEXT NOT NULL,
    file_name  TEXT NOT NULL DEFAULT '',
    file_hash  TEXT NOT NULL DEFAULT '',
    nodes      INTEGER NOT NULL DEFAULT 0,
    assessable INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX frameworks_code ON frameworks (coalesce(org_id, ''), code);

CREATE TABLE requirement_nodes (
    id           TEXT PRIMARY KEY,
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    ref          TEXT NOT NULL,
    parent_ref   TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    depth        INTEGER NOT NULL,
    title_zh     TEXT NOT NULL DEFAULT '',
    title_en     TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    assessable   BOOLEAN NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '{}',
    withdrawn    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX requirement_nodes_ref ON requirement_nodes (framework_id, ref);
CREATE INDEX requirement_nodes_order ON requirement_nodes (framework_id, position);

CREATE TABLE requirement_titles (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    node_id    TEXT NOT NULL REFERENCES requirement_nodes(id),
    title_zh   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, node_id)
);

CREATE TABLE requirement_mappings (
    id             TEXT PRIMARY KEY,
    org_id         TEXT REFERENCES organizations(id),
    source_node_id TEXT NOT NULL REFERENCES requirement_nodes(id),
    target_node_id TEXT NOT NULL REFERENCES requirement_nodes(id),
    relation       TEXT NOT NULL
);
CREATE UNIQUE INDEX requirement_mappings_pair ON requirement_mappings (coalesce(org_id, ''), source_node_id, target_node_id);
CREATE INDEX requirement_mappings_target ON requirement_mappings (target_node_id);

-- +goose Down
DROP TABLE requirement_mappings;
DROP TABLE requirement_titles;
DROP TABLE requirement_nodes;
DROP TABLE frameworks;
