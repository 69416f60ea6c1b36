-- +goose Up
-- The register shows each risk's asset by code and name and its threat
-- and vulnerability by name, and its pages are kept by the organization's
-- risk stamp: renaming any of them moves the stamp on, as writing a risk
-- does.
-- +goose StatementBegin
CREATE FUNCTION bump_risk_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO risk_stamps (org_id, v) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET v = risk_stamps.v + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER assets_risk_stamp AFTER UPDATE OF code, name ON assets FOR EACH ROW
    WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION bump_risk_stamp();
CREATE TRIGGER threats_risk_stamp AFTER UPDATE OF name ON threats FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION bump_risk_stamp();
CREATE TRIGGER vulnerabilities_risk_stamp AFTER UPDATE OF name ON vulnerabilities FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION bump_risk_stamp();

-- +goose Down
DROP TRIGGER vulnerabilities_risk_stamp ON vulnerabilities;
DROP TRIGGER threats_risk_stamp ON threats;
DROP TRIGGER assets_risk_stamp ON assets;
DROP FUNCTION bump_risk_stamp();
