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
CREATE FUNCTION bump_mlps_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = OLD.org_id;
    ELSE
        UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION bump_link_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id IN (OLD.supervisor_id, OLD.supervised_id);
    ELSE
        UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id IN (NEW.supervisor_id, NEW.supervised_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION bump_org_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET mlps_stamp = mlps_stamp + 1 WHERE id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION bump_campaign_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE campaigns SET stamp = stamp + 1 WHERE id = OLD.campaign_id;
    ELSE
        UPDATE campaigns SET stamp = stamp + 1 WHERE id = NEW.campaign_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER mlps_objects_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_objects FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER mlps_gradings_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_gradings FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER mlps_filings_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_filings FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER mlps_certificates_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_certificates FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER mlps_evaluations_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_evaluations FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER mlps_rectifications_stamp AFTER INSERT OR UPDATE OR DELETE ON mlps_rectifications FOR EACH ROW EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER tasks_mlps_stamp_ins AFTER INSERT OR UPDATE ON tasks FOR EACH ROW WHEN (NEW.source_type = 'mlps_evaluation') EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER tasks_mlps_stamp_del AFTER DELETE ON tasks FOR EACH ROW WHEN (OLD.source_type = 'mlps_evaluation') EXECUTE FUNCTION bump_mlps_stamp();
CREATE TRIGGER supervision_links_stamp AFTER INSERT OR DELETE ON supervision_links FOR EACH ROW EXECUTE FUNCTION bump_link_stamp();
CREATE TRIGGER organizations_stamp AFTER UPDATE OF name, region_code, industry, archived_at ON organizations FOR EACH ROW EXECUTE FUNCTION bump_org_stamp();
CREATE TRIGGER submissions_stamp AFTER INSERT OR UPDATE OR DELETE ON submissions FOR EACH ROW EXECUTE FUNCTION bump_campaign_stamp();
CREATE TRIGGER campaign_members_stamp AFTER INSERT OR UPDATE OR DELETE ON campaign_members FOR EACH ROW EXECUTE FUNCTION bump_campaign_stamp();
CREATE TRIGGER campaign_requirements_stamp AFTER INSERT OR UPDATE OR DELETE ON campaign_requirements FOR EACH ROW EXECUTE FUNCTION bump_campaign_stamp();

-- +goose Down
DROP TRIGGER mlps_objects_stamp ON mlps_objects;
DROP TRIGGER mlps_gradings_stamp ON mlps_gradings;
DROP TRIGGER mlps_filings_stamp ON mlps_filings;
DROP TRIGGER mlps_certificates_stamp ON mlps_certificates;
DROP TRIGGER mlps_evaluations_stamp ON mlps_evaluations;
DROP TRIGGER mlps_rectifications_stamp ON mlps_rectifications;
DROP TRIGGER tasks_mlps_stamp_ins ON tasks;
DROP TRIGGER tasks_mlps_stamp_del ON tasks;
DROP TRIGGER supervision_links_stamp ON supervision_links;
DROP TRIGGER organizations_stamp ON organizations;
DROP TRIGGER submissions_stamp ON submissions;
DROP TRIGGER campaign_members_stamp ON campaign_members;
DROP TRIGGER campaign_requirements_stamp ON campaign_requirements;
DROP FUNCTION bump_campaign_stamp();
DROP FUNCTION bump_org_stamp();
DROP FUNCTION bump_link_stamp();
DROP FUNCTION bump_mlps_stamp();
ALTER TABLE campaigns DROP COLUMN stamp;
ALTER TABLE organizations DROP COLUMN mlps_stamp;
