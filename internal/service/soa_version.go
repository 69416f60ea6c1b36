package service

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// soaLines freezes the working copy as a version's lines: names rather
// than IDs.
func soaLines(entries []SoAEntry, names SoANames) []isms.SoALine {
	deptName, personName := names.Departments, names.People
	labels := func(r isms.SoARow, kind string) []string {
		out := []string{}
		for _, l := range r.LinksOf(kind) {
			out = append(out, l.Label)
		}
		return out
	}
	lines := make([]isms.SoALine, 0, len(entries))
	for _, e := range entries {
		r := e.Row
		zh := e.Node.Title("zh")
		if e.Node.MissingZH() {
			zh = ""
		}
		lines = append(lines, isms.SoALine{Ref: e.Node.Ref, TitleZH: zh, TitleEN: e.Node.TitleEN,
			Category: e.Node.Category, Applicable: r.Applicable, Reasons: r.Reasons, Justification: r.Justification,
			Status: r.Status, Department: deptName[r.DeptID], Owner: personName[r.OwnerID], Implementation: r.Implementation,
			Documents: labels(r, isms.LinkDocument), Risks: labels(r, isms.LinkRisk), Assets: labels(r, isms.LinkAsset),
			Evidence: r.Evidence, ReviewedOn: r.ReviewedOn})
	}
	return lines
}

// SubmitSoA freezes the working copy as a version and asks the top
// manager to approve it. Every line must be decided; only one version
// waits at a time.
func (s *Service) SubmitSoA(ctx context.Context, a isms.Actor, frameworkID, note string) (isms.SoAVersion, error) {
	var v isms.SoAVersion
	if err := a.Require(isms.ActManageSoA); err != nil {
		return v, err
	}
	if a.AccountID == "" {
		// The approver must be someone else, so a person submits.
		return v, isms.Forbidden(isms.M("soa.submit_needs_account"))
	}
	x, err := s.SoA(ctx, a, frameworkID)
	if err != nil {
		return v, err
	}
	var undecided []string
	for _, e := range x.Entries {
		if !e.Row.Decided() {
			undecided = append(undecided, e.Node.Ref)
		}
	}
	if len(undecided) > 0 {
		list := strings.Join(undecided[:min(len(undecided), 10)], ", ")
		if len(undecided) > 10 {
			list += " …"
		}
		return v, isms.Invalid("applicable", isms.M("soa.undecided", "count", len(undecided), "refs", list))
	}
	if len(x.Entries) == 0 {
		return v, isms.Invalid("framework", isms.M("soa.empty"))
	}
	lines := soaLines(x.Entries, x.Names)
	note = truncate(strings.TrimSpace(note), 1000)
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if pending, err := tx.PendingSoAVersion(ctx, a.OrgID, x.Framework.ID); err != nil {
			return err
		} else if pending {
			return isms.Conflict("status", isms.M("soa.pending"))
		}
		if n, err := tx.CountRoleHolders(ctx, a.OrgID, isms.RoleTopManager); err != nil {
			return err
		} else if n == 0 {
			return isms.Invalid("approval", isms.M("asset.no_approver", "role", string(isms.RoleTopManager)))
		}
		now := s.clock.Now()
		v = isms.SoAVersion{ID: newID(), OrgID: a.OrgID, FrameworkID: x.Framework.ID, Status: isms.SoASubmitted,
			SubmittedBy: a.Name(), SubmittedAt: now, Comment: note, Rows: lines}
		ap := isms.Approval{ID: newID(), OrgID: a.OrgID, Kind: approvalKindSoA, SubjectType: "soa_version", SubjectID: v.ID,
			Summary:     "适用性声明 " + x.Framework.Code + " " + now.Format(time.DateOnly),
			RequestedBy: a.AccountID, RequestedAt: now, RequiredRole: isms.RoleTopManager, Status: isms.ApprovalPending}
		if err := tx.CreateApproval(ctx, &ap); err != nil {
			return err
		}
		v.ApprovalID = ap.ID
		if err := tx.CreateSoAVersion(ctx, &v); err != nil {
			return err
		}
		if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "批准适用性声明：" + x.Framework.Code,
			TitleEN: "Approve the Statement of Applicability: " + x.Framework.Code, AssigneeRole: isms.RoleTopManager,
			DueAt: now.Add(7 * 24 * time.Hour), SourceType: "soa_version", SourceID: v.ID}); err != nil {
			return err
		}
		_, _, applicable, implemented, _, _ := x.Counts()
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.submit", EntityType: "soa_version", EntityID: v.ID,
			Summary: ap.Summary, Data: map[string]any{"framework": x.Framework.Code, "lines": len(lines),
				"applicable": applicable, "implemented": implemented, "note": note}})
	})
	return v, err
}

// applySoAApproval carries out the top manager's decision on a version:
// approved versions get the next number; returned ones keep the reason.
func (s *Service) applySoAApproval(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	v, err := tx.SoAVersion(ctx, ap.SubjectID)
	if err != nil {
		return err
	}
	if v.Status != isms.SoASubmitted {
		return nil
	}
	v.Status, v.DecidedBy = isms.SoAReturned, a.Name()
	comment := ap.FirstComment
	if ap.Status == isms.ApprovalApproved {
		v.Status = isms.SoAApproved
	}
	if comment != "" {
		v.Comment = comment
	}
	if err := tx.DecideSoAVersion(ctx, &v, s.clock.Now()); err != nil {
		return err
	}
	action := "soa.return"
	if v.Status == isms.SoAApproved {
		action = "soa.approve"
	}
	return s.record(ctx, tx, a, audit{OrgID: v.OrgID, Action: action, EntityType: "soa_version", EntityID: v.ID,
		Summary: v.Label(), Data: map[string]any{"approval_id": ap.ID, "number": v.Number, "comment": comment}})
}

// SoAVersions lists a framework's SoA versions, newest first.
func (s *Service) SoAVersions(ctx context.Context, a isms.Actor, frameworkID string) ([]isms.SoAVersion, error) {
	f, err := s.soaFramework(ctx, a, frameworkID)
	if err != nil {
		return nil, err
	}
	return s.st.SoAVersions(ctx, a.OrgID, f.ID)
}

// SoAVersion reads one version with its lines.
func (s *Service) SoAVersion(ctx context.Context, a isms.Actor, id string) (isms.SoAVersion, error) {
	if err := a.Require(isms.ActViewSoA); err != nil {
		return isms.SoAVersion{}, err
	}
	if !isms.ValidID(id) {
		return isms.SoAVersion{}, isms.NotFound("soa_version")
	}
	return s.st.SoAVersion(ctx, a.OrgID, id)
}

// WorkingVersion is the name by which outputs ask for the working copy.
const WorkingVersion = "working"

// SoAOutput picks what printing and exporting show: the latest approved
// version unless another version, or the working copy, is asked for.
func (s *Service) SoAOutput(ctx context.Context, a isms.Actor, frameworkID, version string) (isms.Framework, isms.SoAVersion, error) {
	var v isms.SoAVersion
	f, err := s.soaFramework(ctx, a, frameworkID)
	if err != nil {
		return f, v, err
	}
	switch version {
	case WorkingVersion:
		today, err := s.orgTodayRead(ctx, a.OrgID)
		if err != nil {
			return f, v, err
		}
		entries, err := s.soaEntries(ctx, a.OrgID, f.ID, today, nil)
		if err != nil {
			return f, v, err
		}
		names, err := s.soaNames(ctx, a.OrgID, entries)
		v = isms.SoAVersion{OrgID: a.OrgID, FrameworkID: f.ID, Status: WorkingVersion, Rows: soaLines(entries, names)}
		return f, v, err
	case "":
		vs, err := s.st.SoAVersions(ctx, a.OrgID, f.ID)
		if err != nil {
			return f, v, err
		}
		i := slices.IndexFunc(vs, func(v isms.SoAVersion) bool { return v.Status == isms.SoAApproved })
		if i < 0 {
			return f, v, isms.Invalid("version", isms.M("soa.no_approved"))
		}
		version = vs[i].ID
	}
	v, err = s.SoAVersion(ctx, a, version)
	if err == nil && v.FrameworkID != f.ID {
		err = isms.NotFound("soa_version")
	}
	return f, v, err
}

// DiffSoA compares two versions of the same framework's SoA (either may
// be the working copy), the older first.
func (s *Service) DiffSoA(ctx context.Context, a isms.Actor, frameworkID, from, to string) (isms.SoAVersion, isms.SoAVersion, []isms.SoAChange, error) {
	_, older, err := s.SoAOutput(ctx, a, frameworkID, from)
	if err != nil {
		return older, isms.SoAVersion{}, nil, err
	}
	_, newer, err := s.SoAOutput(ctx, a, frameworkID, to)
	if err != nil {
		return older, newer, nil, err
	}
	return older, newer, isms.DiffSoA(older.Rows, newer.Rows), nil
}

// SoAHeader names what an output prints about a version: organization,
// framework, version, who prepared and approved it.
func (s *Service) SoAHeader(ctx context.Context, a isms.Actor, f isms.Framework, v isms.SoAVersion) (export.SoAHeader, error) {
	h := export.SoAHeader{Framework: f.Code + " " + f.NameZH}
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return h, err
	}
	h.Organization = org.Name
	if v.Status == WorkingVersion {
		h.Version, h.Status = "工作稿 Working copy", "未批准 not approved"
		return h, nil
	}
	labels, err := s.AccountLabels(ctx, a, v.SubmittedBy, v.DecidedBy)
	if err != nil {
		return h, err
	}
	who := func(id string) string {
		if l := labels[id]; l != "" {
			return l
		}
		return id
	}
	h.Version, h.Comment = v.Label(), v.Comment
	h.PreparedBy, h.PreparedAt = who(v.SubmittedBy), v.SubmittedAt.Format(time.DateOnly)
	switch v.Status {
	case isms.SoAApproved:
		h.Status = "已批准 approved"
	case isms.SoAReturned:
		h.Status = "已退回 returned"
	default:
		h.Status = "待批准 awaiting approval"
	}
	if v.DecidedAt != nil {
		h.ApprovedBy, h.ApprovedAt = who(v.DecidedBy), v.DecidedAt.Format(time.DateOnly)
	}
	return h, nil
}

// ExportSoA writes a version (the latest approved unless asked) as a
// workbook; start is called with the file name before the first byte.
func (s *Service) ExportSoA(ctx context.Context, a isms.Actor, frameworkID, version string, start func(name string), w io.Writer) error {
	f, v, err := s.SoAOutput(ctx, a, frameworkID, version)
	if err != nil {
		return err
	}
	h, err := s.SoAHeader(ctx, a, f, v)
	if err != nil {
		return err
	}
	label := v.Label()
	if v.Status == WorkingVersion {
		label = "working"
	}
	start(export.SafeName("SoA-" + f.Code + "-" + label + ".xlsx"))
	return export.SoAXLSX(w, h, v.Rows)
}

// CanDecideSoA reports whether the actor may approve or return a
// submitted version.
func (s *Service) CanDecideSoA(ctx context.Context, a isms.Actor, v isms.SoAVersion) bool {
	if v.Status != isms.SoASubmitted || v.OrgID != a.OrgID {
		return false
	}
	ap, err := s.st.Approval(ctx, v.ApprovalID)
	return err == nil && ap.CanDecide(a.AccountID, a.Roles) == nil
}

// SoAFramework reads a framework the actor's SoA may be on.
func (s *Service) SoAFramework(ctx context.Context, a isms.Actor, id string) (isms.Framework, error) {
	return s.soaFramework(ctx, a, id)
}
