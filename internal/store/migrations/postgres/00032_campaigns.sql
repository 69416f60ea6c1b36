-- +goose Up
-- Campaigns of a supervising body over the organizations it supervises:
-- phases, the submissions required in each, the audience with the review
-- chain of each member (fixed when it joins), the submissions with their
-- frozen versions and the reviewers' decisions; and each organization's
-- MLPS liaison (联络员).
CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    title      TEXT NOT NULL,
    basis_no   TEXT NOT NULL DEFAULT '',
    basis      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    opened_at  TIMESTAMPTZ,
    closed_at  TIMESTAMPTZ
);
CREATE INDEX campaigns_org ON campaigns (org_id, created_at);

CREATE TABLE campaign_phases (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL
);
CREATE INDEX campaign_phases_campaign ON campaign_phases (campaign_id, position);

CREATE TABLE campaign_requirements (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    phase_id    TEXT NOT NULL REFERENCES campaign_phases(id),
    position    INTEGER NOT NULL,
    type_code   TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    schema      TEXT NOT NULL
);
CREATE INDEX campaign_requirements_campaign ON campaign_requirements (campaign_id, position);

CREATE TABLE campaign_members (
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id),
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    chain          TEXT NOT NULL,
    reopened_until TEXT NOT NULL DEFAULT '',
    added_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, org_id)
);
CREATE INDEX campaign_members_org ON campaign_members (org_id);

-- One row per member and level of its chain: who reviews what.
CREATE TABLE campaign_reviewers (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    level       INTEGER NOT NULL,
    body_id     TEXT NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (campaign_id, org_id, level)
);
CREATE INDEX campaign_reviewers_body ON campaign_reviewers (body_id, campaign_id);

CREATE TABLE submissions (
    id             TEXT PRIMARY KEY,
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id),
    requirement_id TEXT NOT NULL REFERENCES campaign_requirements(id),
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    status         TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    level          INTEGER NOT NULL DEFAULT 0,
    reached        INTEGER NOT NULL DEFAULT -1,
    data           TEXT NOT NULL DEFAULT '{}',
    updated_by     TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ NOT NULL,
    submitted_at   TIMESTAMPTZ,
    first_at       TIMESTAMPTZ
);
CREATE UNIQUE INDEX submissions_requirement_org ON submissions (requirement_id, org_id);
CREATE INDEX submissions_campaign ON submissions (campaign_id, org_id);
CREATE INDEX submissions_org ON submissions (org_id, status);

CREATE TABLE submission_versions (
    submission_id TEXT NOT NULL REFERENCES submissions(id),
    version       INTEGER NOT NULL,
    data          TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (submission_id, version)
);

CREATE TABLE submission_reviews (
    id              TEXT PRIMARY KEY,
    submission_id   TEXT NOT NULL REFERENCES submissions(id),
    version         INTEGER NOT NULL,
    level           INTEGER NOT NULL,
    reviewer_org_id TEXT NOT NULL REFERENCES organizations(id),
    reviewer        TEXT NOT NULL,
    decision        TEXT NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX submission_reviews_submission ON submission_reviews (submission_id, decided_at);

CREATE TABLE org_liaisons (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id),
    name       TEXT NOT NULL,
    post       TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    account_id TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE org_liaisons;
DROP TABLE submission_reviews;
DROP TABLE submission_versions;
DROP TABLE submissions;
DROP TABLE campaign_reviewers;
DROP TABLE campaign_members;
DROP TABLE campaign_requirements;
DROP TABLE campaign_phases;
DROP TABLE campaigns;
