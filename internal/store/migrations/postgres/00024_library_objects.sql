-- +goose Up
-- What a CISO Assistant library ships beside its requirement tree:
-- reference controls and threats of a framework, and the requirements
-- that name them. A link names its object by the object's reference, or
-- by URN for an object of another library the file depends on; both ends
-- are kept by reference, like everything else of a framework, and are
-- replaced when a new version is imported.
ALTER TABLE frameworks ADD COLUMN reference_controls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE frameworks ADD COLUMN threats INTEGER NOT NULL DEFAULT 0;

CREATE TABLE library_objects (
    id           TEXT PRIMARY KEY,
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    kind         TEXT NOT NULL,
    ref          TEXT NOT NULL,
    urn          TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    name_zh      TEXT NOT NULL DEFAULT '',
    name_en      TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    csf_function TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX library_objects_ref ON library_objects (framework_id, kind, ref);

CREATE TABLE library_links (
    framework_id TEXT NOT NULL REFERENCES frameworks(id),
    node_ref     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    object_ref   TEXT NOT NULL,
    PRIMARY KEY (framework_id, kind, object_ref, node_ref)
);
CREATE INDEX library_links_node ON library_links (framework_id, node_ref);

-- +goose Down
DROP TABLE library_links;
DROP TABLE library_objects;
ALTER TABLE frameworks DROP COLUMN threats;
ALTER TABLE frameworks DROP COLUMN reference_controls;
