-- +goose Up
-- Time-based one-time passwords (RFC 6238) and their recovery codes.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN totp_setup BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMP,
    PRIMARY KEY (account_id, code_hash)
);

-- +goose Down
DROP TABLE recovery_codes;
ALTER TABLE sessions DROP COLUMN totp_setup;
ALTER TABLE accounts DROP COLUMN totp_last_step;
ALTER TABLE accounts DROP COLUMN totp_pending;
ALTER TABLE accounts DROP COLUMN totp_secret;
