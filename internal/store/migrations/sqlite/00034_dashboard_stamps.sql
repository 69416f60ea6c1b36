-- +goose Up
-- Stamps a supervising body's dashboard is cached by: an organization's
-- MLPS stamp moves on with every change of its MLPS records, evaluation
-- duties, supervision links, name, region or industry; a campaign's with
-- every change of its submissions, audience or requirements. Triggers
-- keep them, so no write path can forget, and instances sharing a
-- database agree.
ALTER TABLE organizations ADD COLUMN mlps_stamp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN stamp BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER mlps_objects_stamp_insert AFTER INSERT ON mlps_objects BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_objects_stamp_update AFTER UPDATE ON mlps_objects BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_objects_stamp_delete AFTER DELETE ON mlps_objects BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_gradings_stamp_insert AFTER INSERT ON mlps_gradings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_gradings_stamp_update AFTER UPDATE ON mlps_gradings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_gradings_stamp_delete AFTER DELETE ON mlps_gradings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_filings_stamp_insert AFTER INSERT ON mlps_filings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_filings_stamp_update AFTER UPDATE ON mlps_filings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_filings_stamp_delete AFTER DELETE ON mlps_filings BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_certificates_stamp_insert AFTER INSERT ON mlps_certificates BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_certificates_stamp_update AFTER UPDATE ON mlps_certificates BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_certificates_stamp_delete AFTER DELETE ON mlps_certificates BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_evaluations_stamp_insert AFTER INSERT ON mlps_evaluations BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_evaluations_stamp_update AFTER UPDATE ON mlps_evaluations BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_evaluations_stamp_delete AFTER DELETE ON mlps_evaluations BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_rectifications_stamp_insert AFTER INSERT ON mlps_rectifications BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_rectifications_stamp_update AFTER UPDATE ON mlps_rectifications BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER mlps_rectifications_stamp_delete AFTER DELETE ON mlps_rectifications BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tasks_mlps_stamp_insert AFTER INSERT ON tasks WHEN NEW.source_type = 'mlps_evaluation' BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tasks_mlps_stamp_update AFTER UPDATE ON tasks WHEN NEW.source_type = 'mlps_evaluation' BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tasks_mlps_stamp_delete AFTER DELETE ON tasks WHEN OLD.source_type = 'mlps_evaluation' BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER supervision_links_stamp_insert AFTER INSERT ON supervision_links BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id IN (NEW.supervisor_id, NEW.supervised_id); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER supervision_links_stamp_delete AFTER DELETE ON supervision_links BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id IN (OLD.supervisor_id, OLD.supervised_id); END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER organizations_stamp AFTER UPDATE OF name, region_code, industry, archived_at ON organizations BEGIN UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER submissions_stamp_insert AFTER INSERT ON submissions BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER submissions_stamp_update AFTER UPDATE ON submissions BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER submissions_stamp_delete AFTER DELETE ON submissions BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = OLD.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_members_stamp_insert AFTER INSERT ON campaign_members BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_members_stamp_update AFTER UPDATE ON campaign_members BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_members_stamp_delete AFTER DELETE ON campaign_members BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = OLD.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_requirements_stamp_insert AFTER INSERT ON campaign_requirements BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_requirements_stamp_update AFTER UPDATE ON campaign_requirements BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER campaign_requirements_stamp_delete AFTER DELETE ON campaign_requirements BEGIN UPDATE campaigns SET stamp = stamp + 1 WHERE id = OLD.campaign_id; END;
-- +goose StatementEnd


-- +goose Down
DROP TRIGGER mlps_objects_stamp_insert;
DROP TRIGGER mlps_objects_stamp_update;
DROP TRIGGER mlps_objects_stamp_delete;
DROP TRIGGER mlps_gradings_stamp_insert;
DROP TRIGGER mlps_gradings_stamp_update;
DROP TRIGGER mlps_gradings_stamp_delete;
DROP TRIGGER mlps_filings_stamp_insert;
DROP TRIGGER mlps_filings_stamp_update;
DROP TRIGGER mlps_filings_stamp_delete;
DROP TRIGGER mlps_certificates_stamp_insert;
DROP TRIGGER mlps_certificates_stamp_update;
DROP TRIGGER mlps_certificates_stamp_delete;
DROP TRIGGER mlps_evaluations_stamp_insert;
DROP TRIGGER mlps_evaluations_stamp_update;
DROP TRIGGER mlps_evaluations_stamp_delete;
DROP TRIGGER mlps_rectifications_stamp_insert;
DROP TRIGGER mlps_rectifications_stamp_update;
DROP TRIGGER mlps_rectifications_stamp_delete;
DROP TRIGGER tasks_mlps_stamp_insert;
DROP TRIGGER tasks_mlps_stamp_update;
DROP TRIGGER tasks_mlps_stamp_delete;
DROP TRIGGER supervision_links_stamp_insert;
DROP TRIGGER supervision_links_stamp_delete;
DROP TRIGGER organizations_stamp;
DROP TRIGGER submissions_stamp_insert;
DROP TRIGGER submissions_stamp_update;
DROP TRIGGER submissions_stamp_delete;
DROP TRIGGER campaign_members_stamp_insert;
DROP TRIGGER campaign_members_stamp_update;
DROP TRIGGER campaign_members_stamp_delete;
DROP TRIGGER campaign_requirements_stamp_insert;
DROP TRIGGER campaign_requirements_stamp_update;
DROP TRIGGER campaign_requirements_stamp_delete;
ALTER TABLE campaigns DROP COLUMN stamp;
ALTER TABLE organizations DROP COLUMN mlps_stamp;
