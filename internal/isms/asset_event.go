package isms

import (
	"time"
)

// Asset lifecycle steps (seed-requirements §5.2). Each is filed as an
// event with who and when; those whose kind has an approving role in the
// organization's settings wait for that approval before they take
// effect. Every step that takes effect files a record in the records
// register, so the asset's history is also evidence.
const (
	EventAcceptance   = "acceptance"    // 验收: a pending asset goes into use
	EventOwnerChange  = "owner_change"  // 负责人变更: filed within a week
	EventTransfer     = "transfer"      // 调用: another department or place
	EventRepair       = "repair"        // 维修: on site or sent out
	EventRepairReturn = "repair_return" // back from repair: accepted, virus-checked
	EventScrap        = "scrap"         // 报废: proposal, appraisal, approval, data wiped
)

// AssetEvents lists the steps in display order.
var AssetEvents = []string{EventAcceptance, EventOwnerChange, EventTransfer, EventRepair, EventRepairReturn, EventScrap}

// Event statuses.
const (
	EventRecorded = "recorded" // took effect without approval
	EventPending  = "pending"  // waits for approval
	EventApproved = "approved" // approved and took effect
	EventRejected = "rejected"
)

// AssetEvent is one lifecycle step of an asset.
type AssetEvent struct {
	ID         string       `json:"id"`
	OrgID      string       `json:"org_id"`
	AssetID    string       `json:"asset_id"`
	Kind       string       `json:"kind"`
	Date       string       `json:"date"` // the day it happened
	Note       string       `json:"note"`
	Details    EventDetails `json:"details"`
	Status     string       `json:"status"`
	Late       bool         `json:"late"` // an owner change filed after the allowed days
	FiledByID  string       `json:"filed_by_id"`
	FiledBy    string       `json:"filed_by"`
	FiledAt    time.Time    `json:"filed_at"`
	ApprovalID string       `json:"approval_id"`
	DecidedBy  string       `json:"decided_by"`
	DecidedAt  *time.Time   `json:"decided_at"`
	RecordID   string       `json:"record_id"` // the record filed when it took effect
}

// EventDetails are the step's own facts; each kind uses some of them.
type EventDetails struct {
	// Acceptance: the result and the virus check of new equipment.
	Result string `json:"result,omitempty"`
	// Owner change.
	FromOwnerID string `json:"from_owner_id,omitempty"`
	ToOwnerID   string `json:"to_owner_id,omitempty"`
	// Transfer.
	FromDeptID   string `json:"from_department_id,omitempty"`
	ToDeptID     string `json:"to_department_id,omitempty"`
	FromLocation string `json:"from_location,omitempty"`
	ToLocation   string `json:"to_location,omitempty"`
	// Repair: sent out to a vendor, or external technicians on site under
	// supervision.
	SentOut    bool   `json:"sent_out,omitempty"`
	Vendor     string `json:"vendor,omitempty"`
	Supervisor string `json:"supervisor,omitempty"`
	Fault      string `json:"fault,omitempty"`
	// Data handling before equipment leaves or is scrapped.
	DataBackedUp bool `json:"data_backed_up,omitempty"`
	DataWiped    bool `json:"data_wiped,omitempty"`
	// Return from repair and acceptance of new equipment.
	Accepted     bool `json:"accepted,omitempty"`
	VirusChecked bool `json:"virus_checked,omitempty"`
	// Scrapping: why, and the appraisal (鉴定) of usage and repair value.
	Reason    string `json:"reason,omitempty"`
	Appraisal string `json:"appraisal,omitempty"`
	Disposal  string `json:"disposal,omitempty"` // how the remains were disposed of
}

// Validate checks a step against the asset it is filed for; today bounds
// its date. The rules are the seeds': new equipment is virus-checked on
// acceptance; data is backed up and wiped before equipment leaves for
// repair or is scrapped; external technicians on site are supervised;
// returned equipment is accepted and virus-checked.
func (e *AssetEvent) Validate(x Asset, today string) error {
	var p Problems
	TrimFields(&e.Kind, &e.Date, &e.Note, &e.Details.Result, &e.Details.ToOwnerID, &e.Details.ToDeptID, &e.Details.ToLocation,
		&e.Details.Vendor, &e.Details.Supervisor, &e.Details.Fault, &e.Details.Reason, &e.Details.Appraisal, &e.Details.Disposal)
	oneOf(&p, "kind", e.Kind, AssetEvents)
	if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
		p.Add("date", "field.bad_date")
	} else if e.Date > today {
		p.Add("date", "record.date_future")
	}
	checkText(&p, "note", e.Note, false, 2000)
	d := &e.Details
	for _, f := range [][2]string{{"result", d.Result}, {"vendor", d.Vendor}, {"supervisor", d.Supervisor},
		{"fault", d.Fault}, {"reason", d.Reason}, {"appraisal", d.Appraisal}, {"disposal", d.Disposal}, {"to_location", d.ToLocation}} {
		checkText(&p, f[0], f[1], false, 2000)
	}
	state := func(want string) {
		if x.Status != want {
			p.Add("kind", "asset.wrong_status", "status", Msg{ID: "ui.asset.status_" + x.Status}) // the status by its name
		}
	}
	switch e.Kind {
	case EventAcceptance:
		state(AssetPending)
		checkText(&p, "result", d.Result, true, 2000)
		if x.IsComputer() && !d.VirusChecked {
			p.Add("virus_checked", "asset.virus_check")
		}
	case EventOwnerChange:
		if x.Status == AssetScrapped {
			p.Add("kind", "asset.wrong_status", "status", Msg{ID: "ui.asset.status_" + x.Status}) // the status by its name
		}
		if !ValidID(d.ToOwnerID) {
			p.Add("to_owner_id", "field.required")
		} else if d.ToOwnerID == x.OwnerID {
			p.Add("to_owner_id", "asset.same_owner")
		}
	case EventTransfer:
		state(AssetInUse)
		checkOptionalID(&p, "to_department_id", d.ToDeptID)
		if d.ToDeptID == "" && d.ToLocation == "" {
			p.Add("to_department_id", "asset.transfer_where")
		} else if d.ToDeptID == x.DeptID && (d.ToLocation == "" || d.ToLocation == x.Location) {
			p.Add("to_department_id", "asset.transfer_same")
		}
	case EventRepair:
		state(AssetInUse)
		checkText(&p, "fault", d.Fault, true, 2000)
		if d.SentOut {
			checkText(&p, "vendor", d.Vendor, true, 200)
			if !d.DataBackedUp {
				p.Add("data_backed_up", "asset.backup_first")
			}
			if !d.DataWiped {
				p.Add("data_wiped", "asset.wipe_first")
			}
		} else if d.Vendor != "" && d.Supervisor == "" {
			p.Add("supervisor", "asset.supervise_onsite")
		}
	case EventRepairReturn:
		state(AssetInRepair)
		if !d.Accepted {
			p.Add("accepted", "asset.accept_return")
		}
		if !d.VirusChecked {
			p.Add("virus_checked", "asset.virus_check")
		}
	case EventScrap:
		if x.Status == AssetScrapped {
			p.Add("kind", "asset.wrong_status", "status", Msg{ID: "ui.asset.status_" + x.Status}) // the status by its name
		}
		checkText(&p, "reason", d.Reason, true, 2000)
		checkText(&p, "appraisal", d.Appraisal, true, 2000)
		if (x.IsComputer() || x.Type == "data_resource") && !d.DataWiped {
			p.Add("data_wiped", "asset.wipe_first")
		}
	}
	return p.Err()
}

// OwnerChangeLate reports whether an owner change on date, filed on
// filed, missed the allowed days.
func OwnerChangeLate(date, filed string, days int) bool {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return false
	}
	return filed > d.AddDate(0, 0, days).Format(time.DateOnly)
}

// EventRecordType is the record type code a step files under.
func EventRecordType(kind string) string {
	switch kind {
	case EventRepair, EventRepairReturn:
		return "asset_repair"
	}
	return "asset_" + kind
}
