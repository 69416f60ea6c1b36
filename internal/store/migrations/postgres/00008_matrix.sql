-- +goose Up
-- The responsibility matrix (职能分配表): rows are clauses or control areas
-- (free-text keys, any standard's numbering), columns are departments.
CREATE TABLE matrix_rows (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    key         TEXT NOT NULL,
    title_zh    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    archived_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX matrix_rows_key ON matrix_rows (org_id, key);
CREATE INDEX matrix_rows_order ON matrix_rows (org_id, position);

CREATE TABLE matrix_cells (
    row_id     TEXT NOT NULL REFERENCES matrix_rows(id),
    dept_id    TEXT NOT NULL REFERENCES departments(id),
    mark       TEXT NOT NULL CHECK (mark IN ('▲','△','-')),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (row_id, dept_id)
);

-- +goose Down
DROP TABLE matrix_cells;
DROP TABLE matrix_rows;
