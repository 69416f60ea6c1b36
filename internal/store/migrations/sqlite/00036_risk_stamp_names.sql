-- +goose Up
-- The register shows each risk's asset by code and name and its threat
-- and vulnerability by name, and its pages are kept by the organization's
-- risk stamp: renaming any of them moves the stamp on, as writing a risk
-- does.
-- +goose StatementBegin
CREATE TRIGGER assets_risk_stamp AFTER UPDATE OF code, name ON assets
    WHEN OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO risk_stamps (org_id, v) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET v = v + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER threats_risk_stamp AFTER UPDATE OF name ON threats WHEN OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO risk_stamps (org_id, v) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET v = v + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vulnerabilities_risk_stamp AFTER UPDATE OF name ON vulnerabilities WHEN OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO risk_stamps (org_id, v) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET v = v + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER vulnerabilities_risk_stamp;
DROP TRIGGER threats_risk_stamp;
DROP TRIGGER assets_risk_stamp;
