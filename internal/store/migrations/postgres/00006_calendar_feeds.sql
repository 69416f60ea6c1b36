-- +goose Up
-- Personal iCalendar feeds: a secret URL per account, revocable.
CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    hash        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_account ON calendar_feeds (account_id);

-- +goose Down
DROP TABLE calendar_feeds;
