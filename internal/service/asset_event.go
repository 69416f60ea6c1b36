package service

import (
	"context"
	"fmt"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Asset lifecycle steps. A step whose kind has an approving role in the
// asset settings becomes an approval request (the approval component:
// never decided by the one who filed it) and a task for that role; it
// takes effect when approved. Every step that takes effect changes the
// asset and files a record, in the transaction that records it.

const approvalKindAssetEvent = "asset_event"

// AssetEvents lists an asset's steps, oldest first.
func (s *Service) AssetEvents(ctx context.Context, a isms.Actor, assetID string) ([]isms.AssetEvent, error) {
	if _, err := s.Asset(ctx, a, assetID); err != nil {
		return nil, err
	}
	return s.st.AssetEvents(ctx, assetID)
}

// LateOwnerChanges lists the owner changes filed after the allowed days.
func (s *Service) LateOwnerChanges(ctx context.Context, a isms.Actor) ([]isms.AssetEvent, error) {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return nil, err
	}
	return s.st.LateOwnerChanges(ctx, a.OrgID, isms.MaxPageSize)
}

// FileAssetEvent files a lifecycle step of an asset.
func (s *Service) FileAssetEvent(ctx context.Context, a isms.Actor, assetID string, in isms.AssetEvent) (isms.AssetEvent, error) {
	if err := a.Require(isms.ActManageAssets); err != nil {
		return in, err
	}
	e := isms.AssetEvent{ID: newID(), OrgID: a.OrgID, Kind: in.Kind, Date: in.Date, Note: in.Note, Details: in.Details,
		FiledByID: a.AccountID, FiledBy: a.Name(), FiledAt: s.clock.Now()}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		x, err := assetForChange(ctx, tx, a, assetID)
		if err != nil {
			return err
		}
		e.AssetID = x.ID
		today, err := s.orgToday(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if err := e.Validate(x, today); err != nil {
			return err
		}
		// Facts the step does not take from the user.
		e.Details.FromOwnerID, e.Details.FromDeptID, e.Details.FromLocation = "", "", ""
		switch e.Kind {
		case isms.EventOwnerChange:
			e.Details.FromOwnerID = x.OwnerID
			if err := livePerson(ctx, tx, a.OrgID, "to_owner_id", e.Details.ToOwnerID); err != nil {
				return err
			}
		case isms.EventTransfer:
			e.Details.FromDeptID, e.Details.FromLocation = x.DeptID, x.Location
			if _, err := liveDept(ctx, tx, a.OrgID, "to_department_id", e.Details.ToDeptID); err != nil {
				return err
			}
		}
		if pending, err := tx.PendingAssetEvents(ctx, x.ID); err != nil {
			return err
		} else if len(pending) > 0 {
			return isms.Conflict("kind", isms.M("asset.event_pending"))
		}
		as, err := assetSettings(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if e.Kind == isms.EventOwnerChange {
			e.Late = isms.OwnerChangeLate(e.Date, today, as.OwnerChangeDays)
		}
		role := as.Approvers[e.Kind]
		if e.Kind == isms.EventRepair && !e.Details.SentOut {
			role = "" // on-site repair is recorded, not approved
		}
		if e.Kind == isms.EventRepairReturn {
			role = ""
		}
		if role == "" {
			e.Status = isms.EventRecorded
			if err := tx.CreateAssetEvent(ctx, &e); err != nil {
				return err
			}
			if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.event", EntityType: "asset", EntityID: x.ID,
				Summary: x.Code + " " + e.Kind, Data: e}); err != nil {
				return err
			}
			return s.applyAssetEvent(ctx, tx, a, x, &e)
		}
		if n, err := tx.CountRoleHolders(ctx, a.OrgID, role); err != nil {
			return err
		} else if n == 0 {
			return isms.Invalid("kind", isms.M("asset.no_approver", "role", string(role)))
		}
		ap := isms.Approval{ID: newID(), OrgID: a.OrgID, Kind: approvalKindAssetEvent, SubjectType: "asset_event", SubjectID: e.ID,
			Summary: fmt.Sprintf("%s %s：%s", x.Code, x.Name, e.Kind), RequestedBy: a.AccountID, RequestedAt: e.FiledAt,
			RequiredRole: role, Status: isms.ApprovalPending}
		if err := tx.CreateApproval(ctx, &ap); err != nil {
			return err
		}
		e.Status, e.ApprovalID = isms.EventPending, ap.ID
		if err := tx.CreateAssetEvent(ctx, &e); err != nil {
			return err
		}
		if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: fmt.Sprintf("审批资产%s：%s %s", eventNameZH[e.Kind], x.Code, x.Name),
			TitleEN: fmt.Sprintf("Approve an asset %s: %s %s", e.Kind, x.Code, x.Name), AssigneeRole: role,
			DueAt: s.clock.Now().Add(7 * 24 * time.Hour), SourceType: "asset", SourceID: x.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.event_request", EntityType: "asset", EntityID: x.ID,
			Summary: x.Code + " " + e.Kind, Data: e})
	})
	return e, err
}

// eventNameZH names the steps in task titles.
var eventNameZH = map[string]string{isms.EventAcceptance: "验收", isms.EventOwnerChange: "负责人变更", isms.EventTransfer: "调用",
	isms.EventRepair: "送修", isms.EventRepairReturn: "维修返回", isms.EventScrap: "报废"}

// eventTitleZH is the title of the record a step files.
var eventTitleZH = map[string]string{isms.EventAcceptance: "资产验收记录", isms.EventOwnerChange: "计算机负责人变更登记",
	isms.EventTransfer: "调用记录单", isms.EventRepair: "电脑维修记录表", isms.EventRepairReturn: "维修返回验收记录", isms.EventScrap: "资产报废记录"}

// applyAssetEvent makes a step take effect: the asset changes and a
// record is filed.
func (s *Service) applyAssetEvent(ctx context.Context, tx *store.Tx, a isms.Actor, x isms.Asset, e *isms.AssetEvent) error {
	before := x
	switch e.Kind {
	case isms.EventAcceptance, isms.EventRepairReturn:
		x.Status = isms.AssetInUse
	case isms.EventOwnerChange:
		x.OwnerID, x.OwnerSince = e.Details.ToOwnerID, e.Date
	case isms.EventTransfer:
		if e.Details.ToDeptID != "" {
			x.DeptID = e.Details.ToDeptID
		}
		if e.Details.ToLocation != "" {
			x.Location = e.Details.ToLocation
		}
	case isms.EventRepair:
		x.Status = isms.AssetInRepair
	case isms.EventScrap:
		x.Status = isms.AssetScrapped
	}
	// References may have gone since the request: a transfer to a
	// department archived meanwhile, an owner who left.
	if x.DeptID != before.DeptID {
		if _, err := liveDept(ctx, tx, a.OrgID, "to_department_id", x.DeptID); err != nil {
			return err
		}
	}
	if x.OwnerID != before.OwnerID {
		if err := livePerson(ctx, tx, a.OrgID, "to_owner_id", x.OwnerID); err != nil {
			return err
		}
	}
	x.UpdatedAt = s.clock.Now()
	if err := tx.UpdateAsset(ctx, &x); err != nil {
		return err
	}
	rec, err := s.fileRecord(ctx, tx, a, a.OrgID, newRecord{TypeCode: isms.EventRecordType(e.Kind),
		Title: eventTitleZH[e.Kind] + " " + x.Code + " " + x.Name, Date: e.Date, DeptID: x.DeptID, SourceType: "asset", SourceID: x.ID})
	if err != nil {
		return err
	}
	e.RecordID = rec.ID
	if err := tx.UpdateAssetEvent(ctx, e); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.event_applied", EntityType: "asset", EntityID: x.ID,
		Summary: x.Code + " " + e.Kind, Data: map[string]any{"event_id": e.ID, "before": before, "after": x, "record": rec.Number()}})
}

// applyAssetApproval carries out a decided asset step.
func (s *Service) applyAssetApproval(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	e, err := tx.AssetEvent(ctx, ap.SubjectID)
	if err != nil {
		return err
	}
	if e.Status != isms.EventPending {
		return nil
	}
	now := s.clock.Now()
	e.DecidedBy, e.DecidedAt = a.Name(), &now
	if err := s.closeSourceTasks(ctx, tx, a, "asset", e.AssetID, ap.ID); err != nil {
		return err
	}
	if ap.Status != isms.ApprovalApproved {
		e.Status = isms.EventRejected
		return tx.UpdateAssetEvent(ctx, &e)
	}
	e.Status = isms.EventApproved
	x, err := tx.Asset(ctx, e.AssetID)
	if err != nil {
		return err
	}
	return s.applyAssetEvent(ctx, tx, a, x, &e)
}
