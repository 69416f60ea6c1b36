-- +goose Up
-- Channels that carry notifications out (SMTP, group robots, webhooks)
-- and the queue of deliveries with their log.

CREATE TABLE channels (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    kind        TEXT NOT NULL CHECK (kind IN ('smtp','dingtalk','wecom','feishu','webhook')),
    name        TEXT NOT NULL,
    config      TEXT NOT NULL,
    -- Which notifications a group channel carries: "escalation" (default)
    -- or "all". SMTP carries each person's own messages.
    carries     TEXT NOT NULL DEFAULT 'escalation',
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX channels_org ON channels (org_id, kind);

CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id),
    channel_id      TEXT NOT NULL REFERENCES channels(id),
    notification_id TEXT REFERENCES notifications(id),
    message         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_org ON deliveries (org_id, created_at);

-- A person may turn email off; escalations are sent regardless.
ALTER TABLE accounts ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE accounts DROP COLUMN notify_email;
DROP TABLE deliveries;
DROP TABLE channels;
