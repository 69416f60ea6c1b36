package service

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Records control (记录控制): record types, the register every module
// files into, legal holds, and approved disposal with its log.

//go:embed defaults/records.yaml
var defaultRecordTypesYAML []byte

// DefaultRecordTypes returns the built-in record types (a fresh copy of
// the catalog, read once).
func DefaultRecordTypes() ([]isms.RecordType, error) {
	defs, err := recordTypeCatalog()
	return slices.Clone(defs), err
}

var recordTypeCatalog = sync.OnceValues(parseRecordTypes)

func parseRecordTypes() ([]isms.RecordType, error) {
	var raw []struct {
		Code            string `yaml:"code"`
		NameZH          string `yaml:"name_zh"`
		NameEN          string `yaml:"name_en"`
		Category        string `yaml:"category"`
		Form            string `yaml:"form"`
		Medium          string `yaml:"medium"`
		RetentionMonths int    `yaml:"retention_months"`
	}
	if err := yaml.Unmarshal(defaultRecordTypesYAML, &raw); err != nil {
		return nil, fmt.Errorf("default record types: %w", err)
	}
	out := make([]isms.RecordType, len(raw))
	for i, r := range raw {
		out[i] = isms.RecordType{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Category: r.Category, Form: r.Form,
			Medium: r.Medium, RetentionMonths: r.RetentionMonths}
	}
	return out, nil
}

// Record type codes the modules file under.
const (
	recDuty       = "duty_record"
	recLegal      = "legal_evaluation"
	recDocReview  = "document_review"
	recDocAck     = "document_ack"
	recDisposal   = "disposal_log"
	recordsEntity = "record"
)

// RecordTypes lists the actor's organization's record types.
func (s *Service) RecordTypes(ctx context.Context, a isms.Actor) ([]isms.RecordType, error) {
	if err := a.Require(isms.ActViewRecords); err != nil {
		return nil, err
	}
	return s.st.RecordTypes(ctx, a.OrgID)
}

// RecordType reads one type of the actor's organization.
func (s *Service) RecordType(ctx context.Context, a isms.Actor, id string) (isms.RecordType, error) {
	if err := a.Require(isms.ActViewRecords); err != nil {
		return isms.RecordType{}, err
	}
	if !isms.ValidID(id) {
		return isms.RecordType{}, isms.NotFound("record_type")
	}
	t, err := s.st.RecordType(ctx, id)
	if err == nil && t.OrgID != a.OrgID {
		return isms.RecordType{}, isms.NotFound("record_type")
	}
	return t, err
}

// CreateRecordType adds a record type.
func (s *Service) CreateRecordType(ctx context.Context, a isms.Actor, t isms.RecordType) (isms.RecordType, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return t, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = s.createRecordType(ctx, tx, a, a.OrgID, t)
		return err
	})
	return t, err
}

func (s *Service) createRecordType(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, t isms.RecordType) (isms.RecordType, error) {
	now := s.clock.Now()
	t.ID, t.OrgID, t.CreatedAt, t.UpdatedAt, t.HoldReason, t.HoldBy, t.HoldAt = newID(), orgID, now, now, "", "", nil
	t.Normalize()
	if err := t.Validate(); err != nil {
		return t, err
	}
	if _, err := liveDept(ctx, tx, orgID, "owner_department_id", t.OwnerDeptID); err != nil {
		return t, err
	}
	if err := tx.CreateRecordType(ctx, &t); err != nil {
		return t, err
	}
	return t, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "record_type.create", EntityType: "record_type", EntityID: t.ID,
		Summary: t.Code + " " + t.NameZH, Data: t})
}

// UpdateRecordType changes a type's fields. A new retention period
// applies to the type's records at once: whether a record is due for
// disposal is computed from its date and its type's period.
func (s *Service) UpdateRecordType(ctx context.Context, a isms.Actor, id string, in isms.RecordType) (isms.RecordType, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return in, err
	}
	if !isms.ValidID(id) {
		return in, isms.NotFound("record_type")
	}
	var t isms.RecordType
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.recordTypeForChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		t = in
		t.ID, t.OrgID, t.CreatedAt, t.UpdatedAt = old.ID, old.OrgID, old.CreatedAt, s.clock.Now()
		t.HoldReason, t.HoldBy, t.HoldAt = old.HoldReason, old.HoldBy, old.HoldAt
		t.Normalize()
		if err := t.Validate(); err != nil {
			return err
		}
		if _, err := liveDept(ctx, tx, t.OrgID, "owner_department_id", t.OwnerDeptID); err != nil {
			return err
		}
		if err := tx.UpdateRecordType(ctx, &t); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "record_type.update", EntityType: "record_type", EntityID: t.ID,
			Summary: t.Code + " " + t.NameZH, Data: map[string]any{"before": old, "after": t}})
	})
	return t, err
}

func (s *Service) recordTypeForChange(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.RecordType, error) {
	t, err := tx.RecordType(ctx, id)
	if err == nil && t.OrgID != a.OrgID {
		err = isms.NotFound("record_type")
	}
	return t, err
}

// HoldRecordType places a legal hold on every record of a type (reason
// required) or, with release, lifts it.
func (s *Service) HoldRecordType(ctx context.Context, a isms.Actor, id, reason string, release bool) (isms.RecordType, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return isms.RecordType{}, err
	}
	reason = strings.TrimSpace(reason)
	if !release && reason == "" {
		return isms.RecordType{}, isms.Invalid("hold_reason", isms.M("record.hold_reason_required"))
	}
	if !isms.ValidID(id) {
		return isms.RecordType{}, isms.NotFound("record_type")
	}
	var t isms.RecordType
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = s.recordTypeForChange(ctx, tx, a, id); err != nil {
			return err
		}
		action := "record_type.hold"
		if release {
			if t.HoldReason == "" {
				return isms.Conflict("", isms.M("record.not_held"))
			}
			action, reason = "record_type.release", ""
		}
		now := s.clock.Now()
		if err := tx.SetRecordTypeHold(ctx, id, reason, a.Name(), now); err != nil {
			return err
		}
		data := map[string]any{"reason": reason, "released_reason": t.HoldReason}
		t.HoldReason, t.HoldBy, t.HoldAt = reason, a.Name(), &now
		if release {
			t.HoldBy, t.HoldAt = "", nil
		}
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: action, EntityType: "record_type", EntityID: t.ID,
			Summary: t.Code + " " + t.NameZH, Data: data})
	})
	return t, err
}

// ApplyDefaultRecordTypes adds the built-in types the organization lacks
// (by code) and says how many it added.
func (s *Service) ApplyDefaultRecordTypes(ctx context.Context, a isms.Actor) (int, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return 0, err
	}
	added := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		added, err = s.addDefaultRecordTypes(ctx, tx, a, a.OrgID)
		return err
	})
	return added, err
}

func (s *Service) addDefaultRecordTypes(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string) (int, error) {
	defs, err := DefaultRecordTypes()
	if err != nil {
		return 0, err
	}
	have, err := tx.RecordTypes(ctx, orgID)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, d := range defs {
		if slices.ContainsFunc(have, func(t isms.RecordType) bool { return t.Code == d.Code }) {
			continue
		}
		if _, err := s.createRecordType(ctx, tx, a, orgID, d); err != nil {
			return added, fmt.Errorf("record type %s: %w", d.Code, err)
		}
		added++
	}
	return added, nil
}

// ensureRecordType returns the organization's type with code, creating it
// from the built-in catalog (or, for a code the catalog lacks, as an
// "other evidence" type named by its code) so that every record a module
// files carries a type.
func (s *Service) ensureRecordType(ctx context.Context, tx *store.Tx, a isms.Actor, orgID, code string) (isms.RecordType, error) {
	t, found, err := tx.RecordTypeByCode(ctx, orgID, code)
	if err != nil || found {
		return t, err
	}
	defs, err := DefaultRecordTypes()
	if err != nil {
		return t, err
	}
	t = isms.RecordType{Code: code, NameZH: code, NameEN: code, Category: "d", Form: "form", Medium: "electronic", RetentionMonths: 36}
	if i := slices.IndexFunc(defs, func(d isms.RecordType) bool { return d.Code == code }); i >= 0 {
		t = defs[i]
	}
	return s.createRecordType(ctx, tx, a, orgID, t)
}

// newRecord is what a module says about a record it files.
type newRecord struct {
	TypeCode   string
	Title      string
	Date       string // ISO day; "" is the organization's today
	DeptID     string
	SourceType string
	SourceID   string
}

// fileRecord files a module's record in the register, in the module's
// transaction.
func (s *Service) fileRecord(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, nr newRecord) (isms.Record, error) {
	t, err := s.ensureRecordType(ctx, tx, a, orgID, nr.TypeCode)
	if err != nil {
		return isms.Record{}, err
	}
	if nr.Date == "" {
		if nr.Date, err = s.orgToday(ctx, tx, orgID); err != nil {
			return isms.Record{}, err
		}
	}
	r := isms.Record{ID: newID(), OrgID: orgID, TypeID: t.ID, Title: truncate(nr.Title, 300), RecordDate: nr.Date,
		DeptID: nr.DeptID, SourceType: nr.SourceType, SourceID: nr.SourceID, CreatedBy: a.Name(), CreatedAt: s.clock.Now(), Type: t}
	return r, s.insertRecord(ctx, tx, a, &r)
}

func (s *Service) insertRecord(ctx context.Context, tx *store.Tx, a isms.Actor, r *isms.Record) error {
	if err := tx.CreateRecord(ctx, r); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: r.OrgID, Action: "record.file", EntityType: recordsEntity, EntityID: r.ID,
		Summary: r.Number() + " " + r.Type.NameZH + " " + r.Title, Data: map[string]any{"number": r.Number(), "type": r.Type.Code,
			"title": r.Title, "record_date": r.RecordDate, "source_type": r.SourceType, "source_id": r.SourceID}})
}

// RegisterRecord enters a record by hand: a paper logbook volume, a
// signed form, a certificate.
func (s *Service) RegisterRecord(ctx context.Context, a isms.Actor, in isms.Record) (isms.Record, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return in, err
	}
	r := isms.Record{TypeID: in.TypeID, Title: in.Title, RecordDate: in.RecordDate, DeptID: in.DeptID, Location: in.Location}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		today, err := s.orgToday(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		r.Normalize()
		if err := r.Validate(today); err != nil {
			return err
		}
		if r.Type, err = s.recordTypeForChange(ctx, tx, a, r.TypeID); err != nil {
			if isms.ErrorCode(err) == isms.CodeNotFound {
				return isms.Invalid("type_id", isms.M("record.type_unknown"))
			}
			return err
		}
		if _, err := liveDept(ctx, tx, a.OrgID, "department_id", r.DeptID); err != nil {
			return err
		}
		r.ID, r.OrgID, r.CreatedBy, r.CreatedAt = newID(), a.OrgID, a.Name(), s.clock.Now()
		if err := s.insertRecord(ctx, tx, a, &r); err != nil {
			return err
		}
		r.Compute(today)
		return nil
	})
	return r, err
}

// RecordList is a page of the register.
type RecordList struct {
	Records []isms.Record `json:"records"`
	Today   string        `json:"today"`
	// Next is the cursor of the following page ("" on the last).
	Next string `json:"next"`
}

// ListRecords lists a page of the register, newest first, each record's
// retention and state computed for the organization's today.
func (s *Service) ListRecords(ctx context.Context, a isms.Actor, f store.RecordFilter) (RecordList, error) {
	var out RecordList
	if err := a.Require(isms.ActViewRecords); err != nil {
		return out, err
	}
	if f.State != "" && !slices.Contains(isms.RecordStates, f.State) {
		return out, isms.Invalid("state", isms.M("field.one_of", "values", strings.Join(isms.RecordStates, ", ")))
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return out, err
	}
	f.OrgID, out.Today = a.OrgID, today
	if f.State == isms.RecordDue || f.State == isms.RecordKept {
		if f.Cutoffs, err = s.cutoffs(ctx, a.OrgID, today); err != nil {
			return out, err
		}
	}
	f.Limit = isms.ClampLimit(f.Limit)
	if out.Records, err = s.st.ListRecords(ctx, f); err != nil {
		return out, err
	}
	for i := range out.Records {
		out.Records[i].Compute(today)
	}
	if n := len(out.Records); n == f.Limit {
		out.Next = RecordCursor(out.Records[n-1])
	}
	return out, nil
}

// RecordCursor is the page cursor after r: its date and number.
func RecordCursor(r isms.Record) string { return fmt.Sprintf("%s.%d", r.RecordDate, r.N) }

// ParseRecordCursor reads a cursor into the filter; a malformed one is
// ignored (the first page).
func ParseRecordCursor(c string, f *store.RecordFilter) {
	date, n, ok := strings.Cut(c, ".")
	if _, err := time.Parse(time.DateOnly, date); !ok || err != nil {
		return
	}
	var v int64
	if _, err := fmt.Sscanf(n, "%d", &v); err == nil {
		f.AfterDate, f.AfterN = date, v
	}
}

// cutoffs maps each type kept for a limited time to its cutoff on today.
func (s *Service) cutoffs(ctx context.Context, orgID, today string) (map[string]string, error) {
	types, err := s.st.RecordTypes(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, t := range types {
		if c := isms.RetentionCutoff(today, t.RetentionMonths); c != "" {
			out[t.ID] = c
		}
	}
	return out, nil
}

// orgTodayRead is orgToday outside a transaction.
func (s *Service) orgTodayRead(ctx context.Context, orgID string) (string, error) {
	org, err := s.st.Organization(ctx, orgID)
	if err != nil {
		return "", err
	}
	return s.clock.Now().In(orgLocation(org)).Format(time.DateOnly), nil
}

// RecordEntry reads one record of the actor's organization.
func (s *Service) RecordEntry(ctx context.Context, a isms.Actor, id string) (isms.Record, error) {
	if err := a.Require(isms.ActViewRecords); err != nil {
		return isms.Record{}, err
	}
	if !isms.ValidID(id) {
		return isms.Record{}, isms.NotFound("record")
	}
	r, err := s.st.Record(ctx, id)
	if err == nil && r.OrgID != a.OrgID {
		return isms.Record{}, isms.NotFound("record")
	}
	if err != nil {
		return r, err
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	r.Compute(today)
	return r, err
}

// recordsForChange reads the organization's records with these IDs in
// the transaction; an ID that is not one of them is an error naming it.
func (s *Service) recordsForChange(ctx context.Context, tx *store.Tx, a isms.Actor, ids []string) ([]isms.Record, error) {
	ids = dedupe(ids)
	if len(ids) == 0 {
		return nil, isms.Invalid("record_ids", isms.M("record.none_selected"))
	}
	for _, id := range ids {
		if !isms.ValidID(id) {
			return nil, isms.Invalid("record_ids", isms.M("record.unknown", "id", id))
		}
	}
	rs, err := tx.RecordsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, r := range rs {
		if r.OrgID == a.OrgID {
			found[r.ID] = true
		}
	}
	for _, id := range ids {
		if !found[id] {
			return nil, isms.Invalid("record_ids", isms.M("record.unknown", "id", id))
		}
	}
	today, err := s.orgToday(ctx, tx, a.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].Compute(today)
	}
	return rs, nil
}

// HoldRecords places a legal hold on records (reason required) or, with
// release, lifts theirs. A disposed record cannot be held.
func (s *Service) HoldRecords(ctx context.Context, a isms.Actor, ids []string, reason string, release bool) (int, error) {
	if err := a.Require(isms.ActManageRecords); err != nil {
		return 0, err
	}
	reason = strings.TrimSpace(reason)
	if !release && reason == "" {
		return 0, isms.Invalid("hold_reason", isms.M("record.hold_reason_required"))
	}
	if len([]rune(reason)) > 1000 {
		return 0, isms.Invalid("hold_reason", isms.M("field.too_long", "max", 1000))
	}
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		rs, err := s.recordsForChange(ctx, tx, a, ids)
		if err != nil {
			return err
		}
		var change []string
		var numbers []string
		for _, r := range rs {
			if r.DisposedAt != nil {
				return isms.Conflict("record_ids", isms.M("record.already_disposed", "number", r.Number()))
			}
			if (r.HoldReason == "") == release {
				continue // already as asked
			}
			change, numbers = append(change, r.ID), append(numbers, r.Number())
		}
		if len(change) == 0 {
			return nil
		}
		action := "record.hold"
		if release {
			action, reason = "record.release", ""
		}
		if err := tx.SetRecordHold(ctx, change, reason, a.Name(), s.clock.Now()); err != nil {
			return err
		}
		n = len(change)
		for i, id := range change {
			if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: recordsEntity, EntityID: id,
				Summary: numbers[i], Data: map[string]any{"reason": reason}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// onHold is the refusal for a record under legal hold, its own or its
// type's.
func onHold(r isms.Record) isms.Msg {
	reason := r.HoldReason
	if reason == "" {
		reason = r.Type.HoldReason
	}
	return isms.M("record.on_hold", "number", r.Number(), "reason", reason)
}

// disposable says why r cannot be disposed of on its own terms, or nil.
func disposable(r isms.Record) *isms.Msg {
	var m isms.Msg
	switch r.State {
	case isms.RecordDue:
		return nil
	case isms.RecordDisposed:
		m = isms.M("record.already_disposed", "number", r.Number())
	case isms.RecordInDisp:
		m = isms.M("record.in_disposal", "number", r.Number())
	case isms.RecordHeld:
		m = onHold(r)
	default:
		if r.RetainUntil == "" {
			m = isms.M("record.permanent", "number", r.Number())
		} else {
			m = isms.M("record.within_retention", "number", r.Number(), "until", r.RetainUntil)
		}
	}
	return &m
}

// RequestDisposal asks to dispose of records past retention. Every record
// must be due (past retention, not held, in no other disposal); the first
// that is not is named and nothing is written. The approvers get a task.
func (s *Service) RequestDisposal(ctx context.Context, a isms.Actor, req isms.DisposalRequest) (isms.Disposal, error) {
	var d isms.Disposal
	if err := a.Require(isms.ActManageRecords); err != nil {
		return d, err
	}
	if err := req.Validate(); err != nil {
		return d, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		rs, err := s.recordsForChange(ctx, tx, a, req.RecordIDs)
		if err != nil {
			return err
		}
		ids := make([]string, len(rs))
		for i, r := range rs {
			if m := disposable(r); m != nil {
				return isms.Conflict("record_ids", *m)
			}
			ids[i] = r.ID
		}
		d = isms.Disposal{ID: newID(), OrgID: a.OrgID, Status: isms.DisposalPending, Method: req.Method, Reason: req.Reason,
			RequestedByID: a.AccountID, RequestedBy: a.Name(), RequestedAt: s.clock.Now(), RecordCount: len(ids)}
		if err := tx.CreateDisposal(ctx, &d, ids); err != nil {
			return err
		}
		if err := s.askApprover(ctx, tx, a, d); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "disposal.request", EntityType: "disposal", EntityID: d.ID,
			Summary: fmt.Sprintf("%d records, %s", len(ids), d.Method), Data: map[string]any{"method": d.Method,
				"reason": d.Reason, "records": numbersOf(rs)}})
	})
	return d, err
}

// askApprover gives the approval task to the management representative,
// or the top manager where nobody holds that role; with neither, the
// request waits on the disposal page.
func (s *Service) askApprover(ctx context.Context, tx *store.Tx, a isms.Actor, d isms.Disposal) error {
	for _, role := range isms.RolesAllowing(isms.ActApproveDisposal) {
		if role == isms.RoleOwner {
			continue
		}
		n, err := tx.CountRoleHolders(ctx, d.OrgID, role)
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		_, err = s.createTask(ctx, tx, a, NewTask{TitleZH: fmt.Sprintf("审批记录销毁申请（%d 条）", d.RecordCount),
			TitleEN: fmt.Sprintf("Approve a records disposal (%d records)", d.RecordCount), AssigneeRole: role,
			DueAt: s.clock.Now().Add(7 * 24 * time.Hour), SourceType: "disposal", SourceID: d.ID})
		return err
	}
	return nil
}

func numbersOf(rs []isms.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Number()
	}
	return out
}

// disposalForChange reads a disposal of the actor's organization in tx.
func (s *Service) disposalForChange(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Disposal, error) {
	if !isms.ValidID(id) {
		return isms.Disposal{}, isms.NotFound("disposal")
	}
	d, err := tx.Disposal(ctx, id)
	if err == nil && d.OrgID != a.OrgID {
		err = isms.NotFound("disposal")
	}
	return d, err
}

// DecideDisposal approves or rejects a pending disposal. The approver is
// not the requester; an approval re-checks every record, since a hold may
// have been placed since the request.
func (s *Service) DecideDisposal(ctx context.Context, a isms.Actor, id string, approve bool, note string) (isms.Disposal, error) {
	var d isms.Disposal
	if err := a.Require(isms.ActApproveDisposal); err != nil {
		return d, err
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return d, isms.Invalid("note", isms.M("record.reject_reason_required"))
	}
	if len([]rune(note)) > 2000 {
		return d, isms.Invalid("note", isms.M("field.too_long", "max", 2000))
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.disposalForChange(ctx, tx, a, id); err != nil {
			return err
		}
		if d.Status != isms.DisposalPending {
			return isms.Conflict("status", isms.M("disposal.not_pending", "status", d.Status))
		}
		if d.RequestedByID == a.AccountID {
			return isms.Forbidden(isms.M("disposal.self_approval"))
		}
		action := "disposal.reject"
		d.Status = isms.DisposalRejected
		if approve {
			ids, err := tx.DisposalItems(ctx, d.ID)
			if err != nil {
				return err
			}
			rs, err := s.recordsForChange(ctx, tx, a, ids)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.HoldReason != "" || r.Type.HoldReason != "" {
					return isms.Conflict("record_ids", onHold(r))
				}
			}
			action, d.Status = "disposal.approve", isms.DisposalApproved
		}
		now := s.clock.Now()
		d.DecidedBy, d.DecidedAt, d.DecisionNote = a.Name(), &now, note
		if err := tx.DecideDisposal(ctx, &d); err != nil {
			return err
		}
		if err := s.closeSourceTasks(ctx, tx, a, "disposal", d.ID, action+" "+note); err != nil {
			return err
		}
		if approve && d.RequestedByID != "" {
			if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: fmt.Sprintf("执行已批准的记录销毁（%d 条）", d.RecordCount),
				TitleEN:         fmt.Sprintf("Carry out an approved records disposal (%d records)", d.RecordCount),
				AssigneeAccount: d.RequestedByID, DueAt: now.Add(14 * 24 * time.Hour), SourceType: "disposal", SourceID: d.ID}); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: action, EntityType: "disposal", EntityID: d.ID,
			Summary: fmt.Sprintf("%d records", d.RecordCount), Data: map[string]any{"note": note}})
	})
	return d, err
}

// closeSourceTasks completes the open tasks a module record gave out.
func (s *Service) closeSourceTasks(ctx context.Context, tx *store.Tx, a isms.Actor, sourceType, id, evidence string) error {
	open, err := tx.OpenTasksFor(ctx, sourceType, id)
	if err != nil {
		return err
	}
	for _, t := range open {
		if err := s.finishDone(ctx, tx, a, &t, evidence); err != nil {
			return err
		}
	}
	return nil
}

// ExecuteDisposal records that an approved disposal was carried out (who,
// when, how, witnessed by whom): its records are marked disposed and the
// disposal is filed as a permanent record of its own.
func (s *Service) ExecuteDisposal(ctx context.Context, a isms.Actor, id string, e isms.DisposalExecution) (isms.Disposal, error) {
	var d isms.Disposal
	if err := a.Require(isms.ActManageRecords); err != nil {
		return d, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.disposalForChange(ctx, tx, a, id); err != nil {
			return err
		}
		if d.Status != isms.DisposalApproved {
			return isms.Conflict("status", isms.M("disposal.not_approved", "status", d.Status))
		}
		today, err := s.orgToday(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		if err := e.Validate(today); err != nil {
			return err
		}
		loc, err := zones{}.of(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		if d.DecidedAt != nil && e.ExecutedOn < d.DecidedAt.In(loc).Format(time.DateOnly) {
			return isms.Invalid("executed_on", isms.M("disposal.before_approval"))
		}
		if e.Method != "" {
			d.Method = e.Method
		}
		d.Status, d.ExecutedBy, d.ExecutedOn, d.Witness, d.ExecutionNote = isms.DisposalDone, a.Name(), e.ExecutedOn, e.Witness, e.Note
		if err := tx.ExecuteDisposal(ctx, &d, s.clock.Now()); err != nil {
			return err
		}
		if err := s.closeSourceTasks(ctx, tx, a, "disposal", d.ID, "disposal.execute "+e.ExecutedOn); err != nil {
			return err
		}
		if _, err := s.fileRecord(ctx, tx, a, d.OrgID, newRecord{TypeCode: recDisposal,
			Title: fmt.Sprintf("%s · %d · %s", e.ExecutedOn, d.RecordCount, d.Method), Date: e.ExecutedOn,
			SourceType: "disposal", SourceID: d.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "disposal.execute", EntityType: "disposal", EntityID: d.ID,
			Summary: fmt.Sprintf("%d records, %s, %s", d.RecordCount, d.Method, d.ExecutedOn), Data: e})
	})
	return d, err
}

// ListDisposals lists the organization's disposals; those done are the
// disposal log.
func (s *Service) ListDisposals(ctx context.Context, a isms.Actor, status string) ([]isms.Disposal, error) {
	if err := a.Require(isms.ActViewRecords); err != nil {
		return nil, err
	}
	if status != "" && !slices.Contains(isms.DisposalStatuses, status) {
		return nil, isms.Invalid("status", isms.M("field.one_of", "values", strings.Join(isms.DisposalStatuses, ", ")))
	}
	return s.st.ListDisposals(ctx, a.OrgID, status)
}

// Disposal reads one disposal with its records.
func (s *Service) Disposal(ctx context.Context, a isms.Actor, id string) (isms.Disposal, error) {
	if err := a.Require(isms.ActViewRecords); err != nil {
		return isms.Disposal{}, err
	}
	if !isms.ValidID(id) {
		return isms.Disposal{}, isms.NotFound("disposal")
	}
	d, err := s.st.Disposal(ctx, id)
	if err == nil && d.OrgID != a.OrgID {
		return isms.Disposal{}, isms.NotFound("disposal")
	}
	if err != nil {
		return d, err
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	for i := range d.Records {
		d.Records[i].Compute(today)
	}
	return d, err
}
