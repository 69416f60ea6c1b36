-- +goose Up
-- Recurring duties, their occurrences (tasks) and the in-app inbox.

CREATE TABLE obligations (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    code             TEXT NOT NULL DEFAULT '',
    title_zh         TEXT NOT NULL,
    title_en         TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    dept_id          TEXT REFERENCES departments(id),
    owner_role       TEXT NOT NULL DEFAULT '',
    owner_account    TEXT REFERENCES accounts(id),
    schedule         TEXT NOT NULL,
    lead_days        INTEGER NOT NULL DEFAULT 0,
    grace_days       INTEGER NOT NULL DEFAULT 0,
    escalation       TEXT NOT NULL DEFAULT '[]',
    evidence         TEXT NOT NULL DEFAULT 'note',
    record_kind      TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT '',
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    -- The scheduler's bookmark: occurrences up to generated_until exist as
    -- tasks; next_run_at is when the next one must be generated (its due
    -- time less the reminder lead), NULL when the rule is exhausted.
    generated_until  TIMESTAMP NOT NULL,
    next_run_at      TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    archived_at      TIMESTAMP
);
CREATE UNIQUE INDEX obligations_code ON obligations (org_id, code) WHERE code <> '';
CREATE INDEX obligations_org ON obligations (org_id, title_zh, id);
CREATE INDEX obligations_next_run ON obligations (next_run_at);

CREATE TABLE tasks (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organizations(id),
    obligation_id      TEXT REFERENCES obligations(id),
    title_zh           TEXT NOT NULL,
    title_en           TEXT NOT NULL DEFAULT '',
    dept_id            TEXT REFERENCES departments(id),
    assignee_role      TEXT NOT NULL DEFAULT '',
    assignee_account   TEXT REFERENCES accounts(id),
    assigned_by        TEXT NOT NULL DEFAULT '',
    due_at             TIMESTAMP NOT NULL,
    grace_days         INTEGER NOT NULL DEFAULT 0,
    deadline_at        TIMESTAMP NOT NULL,
    remind_at          TIMESTAMP NOT NULL,
    reminded           BOOLEAN NOT NULL DEFAULT FALSE,
    escalation         TEXT NOT NULL DEFAULT '[]',
    escalation_level   INTEGER NOT NULL DEFAULT 0,
    next_escalation_at TIMESTAMP,
    status             TEXT NOT NULL CHECK (status IN ('open','done','skip_requested','skipped')),
    evidence           TEXT NOT NULL DEFAULT '',
    skip_reason        TEXT NOT NULL DEFAULT '',
    approval_id        TEXT REFERENCES approvals(id),
    completed_by       TEXT NOT NULL DEFAULT '',
    completed_at       TIMESTAMP,
    source_type        TEXT NOT NULL DEFAULT '',
    source_id          TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL
);
-- One task per obligation per due time, however many schedulers run.
CREATE UNIQUE INDEX tasks_occurrence ON tasks (obligation_id, due_at);
CREATE INDEX tasks_org_due ON tasks (org_id, status, due_at);
CREATE INDEX tasks_account_due ON tasks (assignee_account, status, due_at);
CREATE INDEX tasks_role_due ON tasks (org_id, assignee_role, status, due_at);
CREATE INDEX tasks_remind ON tasks (remind_at) WHERE reminded = FALSE;
CREATE INDEX tasks_escalate ON tasks (next_escalation_at) WHERE next_escalation_at IS NOT NULL;

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    task_id     TEXT REFERENCES tasks(id),
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_inbox ON notifications (account_id, created_at);
CREATE INDEX notifications_unread ON notifications (account_id) WHERE read_at IS NULL;

-- An approval that only one named account may decide (a task's assigner).
ALTER TABLE approvals ADD COLUMN approver TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE approvals DROP COLUMN approver;
DROP TABLE notifications;
DROP TABLE tasks;
DROP TABLE obligations;
