-- +goose Up
-- Supervision between organizations (a coordination group over county
-- groups and enterprises, a group over its subsidiaries), separate from
-- the ownership tree. Links chain; a supervised organization may have
-- several supervisors.
CREATE TABLE supervision_links (
    id            TEXT PRIMARY KEY,
    supervisor_id TEXT NOT NULL REFERENCES organizations(id),
    supervised_id TEXT NOT NULL REFERENCES organizations(id),
    kind          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX supervision_links_pair ON supervision_links (supervisor_id, supervised_id);
CREATE INDEX supervision_links_supervised ON supervision_links (supervised_id);

-- +goose Down
DROP TABLE supervision_links;
