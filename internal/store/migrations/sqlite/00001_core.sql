-- +goose Up
-- Platform core: organizations, departments, people, accounts, sessions,
-- API tokens and the audit trail. Times are UTC, written by the driver as
-- "2006-01-02 15:04:05.999999999+00:00", which sorts in time order.

CREATE TABLE organizations (
    id                TEXT PRIMARY KEY,
    parent_id         TEXT REFERENCES organizations(id),
    path              TEXT NOT NULL,
    name              TEXT NOT NULL,
    short_name        TEXT NOT NULL DEFAULT '',
    credit_code       TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL CHECK (kind IN ('enterprise','government','public_institution','other')),
    time_zone         TEXT NOT NULL,
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_phone     TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    security_settings TEXT NOT NULL DEFAULT '{}',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    archived_at       TIMESTAMP
);
CREATE UNIQUE INDEX organizations_credit_code ON organizations (credit_code) WHERE credit_code <> '';
CREATE INDEX organizations_path ON organizations (path);
CREATE INDEX organizations_name ON organizations (name, id);
CREATE INDEX organizations_parent ON organizations (parent_id, name, id);

CREATE TABLE departments (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    parent_id      TEXT REFERENCES departments(id),
    path           TEXT NOT NULL,
    name           TEXT NOT NULL,
    code           TEXT NOT NULL DEFAULT '',
    head_person_id TEXT REFERENCES people(id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP
);
CREATE UNIQUE INDEX departments_sibling_name ON departments (org_id, coalesce(parent_id, ''), name) WHERE archived_at IS NULL;
CREATE INDEX departments_org_name ON departments (org_id, name, id);
CREATE INDEX departments_org_parent ON departments (org_id, parent_id, name, id);
CREATE INDEX departments_path ON departments (org_id, path);

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    dept_id     TEXT REFERENCES departments(id),
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL DEFAULT '',
    employee_no TEXT NOT NULL,
    post        TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('active','left')),
    joined_on   TEXT,
    left_on     TEXT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP
);
CREATE UNIQUE INDEX people_employee_no ON people (org_id, employee_no);
CREATE INDEX people_org_name ON people (org_id, name, id);
CREATE INDEX people_org_dept_name ON people (org_id, dept_id, name, id);
CREATE INDEX people_org_phone ON people (org_id, phone);
CREATE INDEX people_org_email ON people (org_id, email);

-- Search terms of people's names: every character and every pair of
-- adjacent characters, lower-cased, with the name, so one term's people come
-- in list order straight from the primary key. Chinese names are short and
-- searched by one or two characters, which trigram indexes cannot serve.
-- Columns are prefixed so they never clash with people's in a join.
CREATE TABLE person_terms (
    term_org    TEXT NOT NULL,
    term        TEXT NOT NULL,
    term_name   TEXT NOT NULL,
    term_person TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (term_org, term, term_name, term_person)
) WITHOUT ROWID;

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organizations(id),
    person_id            TEXT REFERENCES people(id),
    username             TEXT NOT NULL,
    username_lower       TEXT NOT NULL,
    display_name         TEXT NOT NULL DEFAULT '',
    privileged           BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash        TEXT NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    last_sign_in_at      TIMESTAMP,
    last_sign_in_ip      TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    archived_at          TIMESTAMP
);
CREATE UNIQUE INDEX accounts_username ON accounts (username_lower);
CREATE UNIQUE INDEX accounts_person ON accounts (person_id) WHERE person_id IS NOT NULL AND archived_at IS NULL;
CREATE INDEX accounts_org_name ON accounts (org_id, username_lower, id);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    org_id          TEXT NOT NULL REFERENCES organizations(id),
    created_at      TIMESTAMP NOT NULL,
    last_seen_at    TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    idle_seconds    INTEGER NOT NULL,
    ip              TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    password_change BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_account ON api_tokens (account_id, created_at);

CREATE TABLE password_history (
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    password_hash TEXT NOT NULL,
    changed_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, changed_at);

-- The audit trail: append-only, hash-chained (see package trail).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    org_id      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    entity_id   TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    alg         TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The program never changes or removes an entry; these refuse anyone who tries.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE password_history;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE person_terms;
DROP TABLE people;
DROP TABLE departments;
DROP TABLE organizations;
