-- +goose Up
-- Document control (文件控制, manual §4.3.2). A document is the register
-- entry (code, title, owner …); its versions carry the text and walk the
-- lifecycle draft → in_review → approved → published → superseded or
-- obsolete. Dates are ISO calendar days (YYYY-MM-DD).
CREATE TABLE documents (
    id                   TEXT PRIMARY KEY,
    n                    INTEGER NOT NULL UNIQUE, -- stable number, the search index's key
    org_id               TEXT NOT NULL REFERENCES organizations(id),
    code                 TEXT NOT NULL,
    title                TEXT NOT NULL,
    type                 TEXT NOT NULL,
    dept_id              TEXT REFERENCES departments(id),
    author_id            TEXT NOT NULL DEFAULT '',
    compiling_dept_id    TEXT REFERENCES departments(id),
    interpreting_dept_id TEXT REFERENCES departments(id),
    executing            TEXT NOT NULL DEFAULT '',
    confidentiality      TEXT NOT NULL,
    review_months        INTEGER NOT NULL,
    next_review          TEXT NOT NULL DEFAULT '',
    related              TEXT NOT NULL DEFAULT '',
    clauses              TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    revision_status      TEXT NOT NULL DEFAULT '',
    version_label        TEXT NOT NULL,
    current_version_id   TEXT,
    effective_date       TEXT NOT NULL DEFAULT '',
    body                 TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX documents_code ON documents (org_id, code);
CREATE INDEX documents_type ON documents (org_id, type, code);
CREATE INDEX documents_status ON documents (org_id, status, code);
CREATE INDEX documents_dept ON documents (org_id, dept_id, code);
CREATE INDEX documents_review ON documents (next_review);

CREATE TABLE document_versions (
    id             TEXT PRIMARY KEY,
    document_id    TEXT NOT NULL REFERENCES documents(id),
    label          TEXT NOT NULL,
    status         TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    change_note    TEXT NOT NULL DEFAULT '',
    author_id      TEXT NOT NULL DEFAULT '',
    reviewers      TEXT NOT NULL DEFAULT '',
    consulted      TEXT NOT NULL DEFAULT '',
    submitted_at   TIMESTAMP,
    approved_by    TEXT NOT NULL DEFAULT '',
    approved_at    TIMESTAMP,
    effective_date TEXT NOT NULL DEFAULT '',
    trial_end      TEXT NOT NULL DEFAULT '',
    published_at   TIMESTAMP,
    retired_at     TIMESTAMP,
    created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX document_versions_label ON document_versions (document_id, label);
CREATE INDEX document_versions_due ON document_versions (status, effective_date);

-- Review comments, departments' consultation opinions, rejections and
-- approvals, in the order they were given.
CREATE TABLE document_comments (
    id         TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES document_versions(id),
    kind       TEXT NOT NULL,
    account_id TEXT NOT NULL,
    author     TEXT NOT NULL,
    dept_id    TEXT REFERENCES departments(id),
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX document_comments_version ON document_comments (version_id, created_at);

-- Who must read a published version and whether they have.
CREATE TABLE document_acks (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id),
    document_id     TEXT NOT NULL REFERENCES documents(id),
    version_id      TEXT NOT NULL REFERENCES document_versions(id),
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    dept_id         TEXT REFERENCES departments(id),
    task_id         TEXT NOT NULL,
    distributed_by  TEXT NOT NULL,
    distributed_at  TIMESTAMP NOT NULL,
    due_at          TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP
);
CREATE UNIQUE INDEX document_acks_once ON document_acks (version_id, account_id);
CREATE INDEX document_acks_account ON document_acks (account_id, acknowledged_at);

-- Settings kept per organization and module, as JSON.
CREATE TABLE org_settings (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, name)
);

-- Search: a trigram index over code, title and body finds any substring
-- of three characters or more, Chinese included. It holds no copy of the
-- text (contentless); triggers keep it in step with the table.
CREATE VIRTUAL TABLE documents_fts USING fts5(code, title, body, content='', contentless_delete=1, tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code, new.title, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_fts_update AFTER UPDATE OF code, title, body ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.n;
    INSERT INTO documents_fts (rowid, code, title, body) VALUES (new.n, new.code, new.title, new.body);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER documents_fts_update;
DROP TRIGGER documents_fts_insert;
DROP TABLE documents_fts;
DROP TABLE org_settings;
DROP TABLE document_acks;
DROP TABLE document_comments;
DROP TABLE document_versions;
DROP TABLE documents;
