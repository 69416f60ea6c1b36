package service

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

const approvalKindSoA = "soa_version"

// DefaultSoAFramework is the framework an SoA is on unless an
// organization chooses another.
const DefaultSoAFramework = "ISO27001:2022"

// soaEligible reports whether a requirement gets a line in the SoA: an
// assessable, live control. The management-system clauses of ISO/IEC
// 27001 (category "clause") are mandatory, so they are not in it.
func soaEligible(n isms.RequirementNode) bool {
	return n.Assessable && !n.Withdrawn && n.Category != "clause"
}

// SoAEntry is one line of the working copy: the requirement and the
// organization's row for it (a blank row, never stored, until someone
// saves one). ProposedDept is the responsibility matrix's ▲ department
// for the requirement, offered when the row has none.
type SoAEntry struct {
	Node         isms.RequirementNode `json:"requirement"`
	Row          isms.SoARow          `json:"row"`
	ProposedDept string               `json:"proposed_department_id,omitempty"`
}

// SoA is an organization's Statement of Applicability for a framework:
// the working copy and its versions.
type SoA struct {
	Framework isms.Framework    `json:"framework"`
	Entries   []SoAEntry        `json:"entries"`
	Versions  []isms.SoAVersion `json:"versions"`
	Pending   bool              `json:"pending"` // a version waits for approval
	Today     string            `json:"today"`
}

// Counts sums the working copy for the page's header.
func (x SoA) Counts() (total, decided, applicable, implemented, noEvidence, expiring int) {
	for _, e := range x.Entries {
		total++
		if e.Row.Decided() {
			decided++
		}
		if e.Row.IsApplicable() {
			applicable++
			if e.Row.Status == isms.ImplImplemented {
				implemented++
			}
			if e.Row.Evidence == 0 {
				noEvidence++
			}
		}
		expiring += e.Row.Expiring
	}
	return
}

// SoAFrameworkID finds the framework an organization's SoA is on by
// default.
func (s *Service) SoAFrameworkID(ctx context.Context, a isms.Actor) (string, error) {
	if err := a.Require(isms.ActViewSoA); err != nil {
		return "", err
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return "", err
	}
	var id string
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.FrameworkByCodeFor(ctx, a.OrgID, DefaultSoAFramework)
		id = f.ID
		return err
	})
	return id, err
}

// soaFramework reads a framework the actor's SoA may be on.
func (s *Service) soaFramework(ctx context.Context, a isms.Actor, id string) (isms.Framework, error) {
	if err := a.Require(isms.ActViewSoA); err != nil {
		return isms.Framework{}, err
	}
	if !isms.ValidID(id) {
		return isms.Framework{}, isms.NotFound("framework")
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return isms.Framework{}, err
	}
	return s.st.Framework(ctx, a.OrgID, id)
}

// SoA reads the working copy of the actor's SoA on a framework.
func (s *Service) SoA(ctx context.Context, a isms.Actor, frameworkID string) (SoA, error) {
	var x SoA
	f, err := s.soaFramework(ctx, a, frameworkID)
	if err != nil {
		return x, err
	}
	x.Framework = f
	if x.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return x, err
	}
	if x.Entries, err = s.soaEntries(ctx, a.OrgID, f.ID, x.Today); err != nil {
		return x, err
	}
	if x.Versions, err = s.st.SoAVersions(ctx, a.OrgID, f.ID); err != nil {
		return x, err
	}
	x.Pending = slices.ContainsFunc(x.Versions, func(v isms.SoAVersion) bool { return v.Status == isms.SoASubmitted })
	return x, nil
}

// soaEntries joins a framework's eligible requirements with the
// organization's rows, links and evidence counts.
func (s *Service) soaEntries(ctx context.Context, orgID, frameworkID, today string) ([]SoAEntry, error) {
	nodes, err := s.st.RequirementNodes(ctx, orgID, frameworkID)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.SoARows(ctx, orgID, frameworkID, today, isms.AddDays(today, isms.EvidenceWarnDays))
	if err != nil {
		return nil, err
	}
	links, err := s.st.SoALinks(ctx, orgID, frameworkID)
	if err != nil {
		return nil, err
	}
	byRef := make(map[string]isms.SoARow, len(rows))
	for _, r := range rows {
		r.Links = links[r.ID]
		byRef[r.Ref] = r
	}
	proposals, err := s.matrixProposals(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]SoAEntry, 0, len(nodes))
	for _, n := range nodes {
		if !soaEligible(n) {
			continue
		}
		e := SoAEntry{Node: n}
		if r, ok := byRef[n.Ref]; ok {
			e.Row = r
		} else {
			e.Row = isms.SoARow{OrgID: orgID, FrameworkID: frameworkID, Ref: n.Ref, Status: isms.ImplNotStarted}
		}
		if e.Row.DeptID == "" {
			e.ProposedDept = proposals.dept(n.Ref)
		}
		out = append(out, e)
	}
	return out, nil
}

// proposals maps the responsibility matrix's row keys to the department
// marked ▲ (primary) on them, when exactly one is.
type proposals map[string]string

// dept finds the ▲ department for a reference: the row whose key is the
// reference itself, or failing that the longest key the reference falls
// under ("A.5" for "A.5.15").
func (p proposals) dept(ref string) string {
	for k := ref; k != ""; {
		if d, ok := p[k]; ok {
			return d
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return ""
}

func (s *Service) matrixProposals(ctx context.Context, orgID string) (proposals, error) {
	rows, err := s.st.MatrixRows(ctx, orgID)
	if err != nil {
		return nil, err
	}
	cells, err := s.st.MatrixCells(ctx, orgID)
	if err != nil {
		return nil, err
	}
	p := proposals{}
	for _, r := range rows {
		var primary []string
		for dept, mark := range cells[r.ID] {
			if mark == isms.MarkPrimary {
				primary = append(primary, dept)
			}
		}
		if len(primary) == 1 {
			p[r.Key] = primary[0]
		}
	}
	return p, nil
}

// SoARowDetail is one requirement's line with its evidence.
type SoARowDetail struct {
	Framework isms.Framework     `json:"framework"`
	Entry     SoAEntry           `json:"entry"`
	Evidence  []isms.SoAEvidence `json:"evidence"`
	Today     string             `json:"today"`
}

// soaNode reads a requirement the actor's SoA has a line for.
func (s *Service) soaNode(ctx context.Context, a isms.Actor, nodeID string) (isms.RequirementNode, isms.Framework, error) {
	if err := a.Require(isms.ActViewSoA); err != nil {
		return isms.RequirementNode{}, isms.Framework{}, err
	}
	if !isms.ValidID(nodeID) {
		return isms.RequirementNode{}, isms.Framework{}, isms.NotFound("requirement")
	}
	n, err := s.st.RequirementNode(ctx, a.OrgID, nodeID)
	if err != nil {
		return n, isms.Framework{}, err
	}
	if !soaEligible(n) {
		return n, isms.Framework{}, isms.Invalid("requirement", isms.M("soa.not_a_control", "ref", n.Ref))
	}
	f, err := s.st.Framework(ctx, a.OrgID, n.FrameworkID)
	return n, f, err
}

// SoARow reads a requirement's line of the working copy with its
// evidence.
func (s *Service) SoARow(ctx context.Context, a isms.Actor, nodeID string) (SoARowDetail, error) {
	var d SoARowDetail
	n, f, err := s.soaNode(ctx, a, nodeID)
	if err != nil {
		return d, err
	}
	d.Framework = f
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	entries, err := s.soaEntries(ctx, a.OrgID, f.ID, d.Today)
	if err != nil {
		return d, err
	}
	i := slices.IndexFunc(entries, func(e SoAEntry) bool { return e.Node.ID == n.ID })
	if i < 0 {
		return d, isms.NotFound("requirement")
	}
	d.Entry = entries[i]
	if d.Entry.Row.ID != "" {
		d.Evidence, err = s.st.SoAEvidence(ctx, a.OrgID, d.Entry.Row.ID)
	}
	return d, err
}

// SoARowInput is what someone saves for a requirement's line. Links are
// given as people know them: document codes, risk numbers (FX-000123),
// asset codes.
type SoARowInput struct {
	Applicable     *bool    `json:"applicable"`
	Reasons        []string `json:"reasons"`
	Justification  string   `json:"justification"`
	Status         string   `json:"status"`
	DeptID         string   `json:"department_id"`
	OwnerID        string   `json:"owner_id"`
	Implementation string   `json:"implementation"`
	ReviewedOn     string   `json:"reviewed_on"`
	Documents      []string `json:"documents"`
	Risks          []string `json:"risks"`
	Assets         []string `json:"assets"`
}

// SaveSoARow writes a requirement's line of the working copy with its
// links. Every problem is reported by field; nothing is written then.
func (s *Service) SaveSoARow(ctx context.Context, a isms.Actor, nodeID string, in SoARowInput) (isms.SoARow, error) {
	var r isms.SoARow
	if err := a.Require(isms.ActManageSoA); err != nil {
		return r, err
	}
	n, f, err := s.soaNode(ctx, a, nodeID)
	if err != nil {
		return r, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		old, found, err := tx.SoARowByRef(ctx, a.OrgID, f.ID, n.Ref)
		if err != nil {
			return err
		}
		r = old
		if !found {
			r = isms.SoARow{ID: newID(), OrgID: a.OrgID, FrameworkID: f.ID, Ref: n.Ref}
		}
		r.Applicable, r.Reasons, r.Justification, r.Status = in.Applicable, in.Reasons, in.Justification, in.Status
		r.DeptID, r.OwnerID, r.Implementation, r.ReviewedOn = in.DeptID, in.OwnerID, in.Implementation, in.ReviewedOn
		r.ReviewNote, r.UpdatedBy, r.UpdatedAt = "", a.Name(), s.clock.Now()
		var p isms.Problems
		if err := r.Validate(); err != nil {
			p.Merge(err)
		}
		if err := s.checkDeptAndOwner(ctx, tx, a.OrgID, r.DeptID, r.OwnerID, &p); err != nil {
			return err
		}
		targets := map[string][]string{}
		for kind, keys := range map[string][]string{isms.LinkDocument: in.Documents, isms.LinkRisk: in.Risks,
			isms.LinkAsset: in.Assets} {
			ids, err := s.linkTargets(ctx, tx, a.OrgID, kind, keys, &p)
			if err != nil {
				return err
			}
			targets[kind] = ids
		}
		if err := p.Err(); err != nil {
			return err
		}
		if found {
			err = tx.UpdateSoARow(ctx, &r)
		} else {
			_, err = tx.EnsureSoARows(ctx, []isms.SoARow{r})
		}
		if err != nil {
			return err
		}
		for _, kind := range isms.SoALinkKinds {
			if err := tx.SetSoALinks(ctx, a.OrgID, r.ID, kind, targets[kind]); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.update", EntityType: "soa_row", EntityID: r.ID,
			Summary: f.Code + " " + n.Ref, Data: map[string]any{"before": soaAuditView(old, found), "after": soaAuditView(r, true),
				"documents": in.Documents, "risks": in.Risks, "assets": in.Assets}})
	})
	return r, err
}

// soaAuditView is what the audit trail keeps of a row.
func soaAuditView(r isms.SoARow, found bool) map[string]any {
	if !found {
		return nil
	}
	return map[string]any{"applicable": r.Applicable, "reasons": r.Reasons, "justification": r.Justification,
		"status": r.Status, "department_id": r.DeptID, "owner_id": r.OwnerID, "implementation": r.Implementation,
		"reviewed_on": r.ReviewedOn}
}

// checkDeptAndOwner checks that a department and a person, when given,
// belong to the organization.
func (s *Service) checkDeptAndOwner(ctx context.Context, tx *store.Tx, orgID, deptID, ownerID string, p *isms.Problems) error {
	if deptID != "" && !p.Has("department_id") {
		d, err := tx.Department(ctx, deptID)
		if err != nil && !isms.IsNotFound(err) {
			return err
		}
		if err != nil || d.OrgID != orgID || d.ArchivedAt != nil {
			p.Add("department_id", "field.unknown_department")
		}
	}
	if ownerID != "" && !p.Has("owner_id") {
		x, err := tx.Person(ctx, ownerID)
		if err != nil && !isms.IsNotFound(err) {
			return err
		}
		if err != nil || x.OrgID != orgID {
			p.Add("owner_id", "field.unknown_person")
		}
	}
	return nil
}

// linkTargets resolves typed keys of one kind to IDs, reporting each
// unknown key on the kind's field ("documents", "risks", "assets").
func (s *Service) linkTargets(ctx context.Context, tx *store.Tx, orgID, kind string, keys []string, p *isms.Problems) ([]string, error) {
	field := kind + "s"
	var clean []string
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if kind == isms.LinkRisk {
			n, ok := isms.RiskNumber(k)
			if !ok {
				p.Add(field, "soa.unknown_link", "value", k)
				continue
			}
			k = itoa(int(n))
		}
		if !slices.Contains(clean, k) {
			clean = append(clean, k)
		}
	}
	found, err := tx.LinkTargets(ctx, orgID, kind, clean)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(clean))
	for _, k := range clean {
		id, ok := found[k]
		if !ok {
			if kind == isms.LinkRisk {
				n := 0
				fmt.Sscan(k, &n)
				k = isms.Risk{N: int64(n)}.Number()
			}
			p.Add(field, "soa.unknown_link", "value", k)
			continue
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// EvidenceInput describes an item of evidence: a file (given separately)
// or a record by its number.
type EvidenceInput struct {
	Title        string `json:"title"`
	EffectiveOn  string `json:"effective_on"`
	ExpiresOn    string `json:"expires_on"`
	RecordNumber string `json:"record_number"`
}

// AddSoAEvidence adds an item of evidence to a requirement's line (the
// line is stored if it was still blank). A file is read only when the
// rest is valid; its bytes go to the blob store first.
func (s *Service) AddSoAEvidence(ctx context.Context, a isms.Actor, nodeID string, in EvidenceInput, filename string, file io.Reader) (isms.SoAEvidence, error) {
	var e isms.SoAEvidence
	if err := a.Require(isms.ActManageSoA); err != nil {
		return e, err
	}
	n, f, err := s.soaNode(ctx, a, nodeID)
	if err != nil {
		return e, err
	}
	e = isms.SoAEvidence{ID: newID(), OrgID: a.OrgID, Title: in.Title, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn,
		AddedBy: a.Name(), AddedAt: s.clock.Now()}
	filename = cleanFilename(filename)
	in.RecordNumber = strings.TrimSpace(in.RecordNumber)
	if filename != "" {
		e.AttachmentID = "pending"
	}
	if in.RecordNumber != "" {
		e.RecordID = "pending"
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	var att isms.Attachment
	if filename != "" {
		sum, size, head, err := s.storeUpload(file, MaxAttachment)
		if err != nil {
			return e, err
		}
		att = isms.Attachment{ID: newID(), OrgID: a.OrgID, OwnerType: "soa_evidence", OwnerID: e.ID, SHA256: sum, Size: size,
			Filename: filename, ContentType: http.DetectContentType(head), UploadedBy: a.Name(), CreatedAt: s.clock.Now()}
		e.AttachmentID = att.ID
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if in.RecordNumber != "" {
			id, err := tx.RecordIDByNumber(ctx, a.OrgID, in.RecordNumber)
			if err != nil {
				return err
			}
			if id == "" {
				return isms.Invalid("record_number", isms.M("soa.unknown_link", "value", in.RecordNumber))
			}
			e.RecordID = id
		}
		r, found, err := tx.SoARowByRef(ctx, a.OrgID, f.ID, n.Ref)
		if err != nil {
			return err
		}
		if !found {
			r = isms.SoARow{ID: newID(), OrgID: a.OrgID, FrameworkID: f.ID, Ref: n.Ref, Status: isms.ImplNotStarted,
				UpdatedAt: s.clock.Now()}
			if _, err := tx.EnsureSoARows(ctx, []isms.SoARow{r}); err != nil {
				return err
			}
		}
		e.RowID = r.ID
		if att.ID != "" {
			if err := tx.CreateAttachment(ctx, &att); err != nil {
				return err
			}
		}
		if err := tx.AddSoAEvidence(ctx, &e); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.evidence_add", EntityType: "soa_row", EntityID: r.ID,
			Summary: n.Ref + " " + e.Title, Data: map[string]any{"evidence_id": e.ID, "attachment_id": e.AttachmentID,
				"sha256": att.SHA256, "record_id": e.RecordID, "effective_on": e.EffectiveOn, "expires_on": e.ExpiresOn}})
	})
	return e, err
}

// DeleteSoAEvidence removes an item of evidence from its line.
func (s *Service) DeleteSoAEvidence(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return err
	}
	if !isms.ValidID(id) {
		return isms.NotFound("evidence")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		e, err := tx.SoAEvidenceItem(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteSoAEvidence(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.evidence_remove", EntityType: "soa_row",
			EntityID: e.RowID, Summary: e.Title, Data: e})
	})
}

// soaEvidenceVisible reports whether the actor may open an evidence file.
func (s *Service) soaEvidenceVisible(ctx context.Context, a isms.Actor, evidenceID string) bool {
	if a.Require(isms.ActViewSoA) != nil {
		return false
	}
	_, err := s.st.SoAEvidenceItem(ctx, a.OrgID, evidenceID)
	return err == nil
}

// soaLines freezes the working copy as a version's lines: names rather
// than IDs.
func (s *Service) soaLines(ctx context.Context, orgID string, entries []SoAEntry) ([]isms.SoALine, error) {
	depts, err := s.st.DepartmentNames(ctx, orgID)
	if err != nil {
		return nil, err
	}
	deptName := map[string]string{}
	for _, d := range depts {
		deptName[d.ID] = d.Name
	}
	people, err := s.st.PeopleRefs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	personName := map[string]string{}
	for _, p := range people {
		personName[p.ID] = p.Name
	}
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
	return lines, nil
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
	lines, err := s.soaLines(ctx, a.OrgID, x.Entries)
	if err != nil {
		return v, err
	}
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
		entries, err := s.soaEntries(ctx, a.OrgID, f.ID, today)
		if err != nil {
			return f, v, err
		}
		v = isms.SoAVersion{OrgID: a.OrgID, FrameworkID: f.ID, Status: WorkingVersion}
		v.Rows, err = s.soaLines(ctx, a.OrgID, entries)
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

// Transition is the result of generating an SoA on a new framework
// version from the one on the old version.
type Transition struct {
	Framework isms.Framework `json:"framework"`
	Carried   int            `json:"carried"` // decisions carried over (equal relation)
	Flagged   int            `json:"flagged"` // lines left for review
}

// SoA transition: from the 2013 Annex A to the 2022 one.
const (
	transitionFrom = "ISO27001:2013"
	transitionTo   = "ISO27001:2022"
)

// TransitionSoA generates the 2022 working copy from the organization's
// 2013 SoA through the built-in mapping. A 2022 control that one 2013
// control maps to with the relation "equal" takes that control's
// decisions; every other control gets a review note naming its 2013
// sources and their decisions, so nothing is dropped silently. Links
// to documents, risks and assets are carried to every control a source
// maps to. The 2022 working copy must not have decisions yet.
func (s *Service) TransitionSoA(ctx context.Context, a isms.Actor) (Transition, error) {
	var t Transition
	if err := a.Require(isms.ActManageSoA); err != nil {
		return t, err
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return t, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		from, err := tx.FrameworkByCodeFor(ctx, a.OrgID, transitionFrom)
		if err != nil {
			return err
		}
		to, err := tx.FrameworkByCodeFor(ctx, a.OrgID, transitionTo)
		if err != nil {
			return err
		}
		t.Framework = to
		old, err := tx.SoARowsOf(ctx, a.OrgID, from.ID)
		if err != nil {
			return err
		}
		decidedOld := 0
		for _, r := range old {
			if r.Decided() {
				decidedOld++
			}
		}
		if decidedOld == 0 {
			return isms.Invalid("framework", isms.M("soa.transition_nothing", "framework", from.Code))
		}
		existing, err := tx.SoARowsOf(ctx, a.OrgID, to.ID)
		if err != nil {
			return err
		}
		for _, r := range existing {
			if r.Decided() {
				return isms.Conflict("framework", isms.M("soa.transition_started", "framework", to.Code))
			}
		}
		oldLinks, err := tx.SoALinks(ctx, a.OrgID, from.ID)
		if err != nil {
			return err
		}
		nodes, err := tx.NodesOf(ctx, to.ID)
		if err != nil {
			return err
		}
		sources, err := tx.MappingSources(ctx, a.OrgID, from.ID, to.ID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, n := range nodes {
			if !soaEligible(n) {
				continue
			}
			r, found := existing[n.Ref]
			if !found {
				r = isms.SoARow{ID: newID(), OrgID: a.OrgID, FrameworkID: to.ID, Ref: n.Ref, Status: isms.ImplNotStarted}
			}
			r.UpdatedBy, r.UpdatedAt = a.Name(), now
			srcs := sources[n.Ref]
			var notes []string
			links := map[string][]string{}
			for _, m := range srcs {
				o, ok := old[m.SourceRef]
				for _, l := range oldLinks[o.ID] {
					if ok && !slices.Contains(links[l.Kind], l.TargetID) {
						links[l.Kind] = append(links[l.Kind], l.TargetID)
					}
				}
				notes = append(notes, m.SourceRef+"（"+m.Relation+"）："+describeRow(o, ok))
			}
			switch {
			case len(srcs) == 1 && srcs[0].Relation == isms.RelEqual && old[srcs[0].SourceRef].Decided():
				o := old[srcs[0].SourceRef]
				r.Applicable, r.Reasons, r.Justification, r.Status = o.Applicable, o.Reasons, o.Justification, o.Status
				r.DeptID, r.OwnerID, r.Implementation = o.DeptID, o.OwnerID, o.Implementation
				r.ReviewNote = ""
				t.Carried++
			case len(srcs) == 0:
				r.ReviewNote = "2022 新增控制，需评审。New in 2022: review."
				t.Flagged++
			default:
				r.ReviewNote = "由 2013 转换，需评审。From 2013, review: " + strings.Join(notes, "；")
				t.Flagged++
			}
			if found {
				err = tx.UpdateSoARow(ctx, &r)
			} else {
				_, err = tx.EnsureSoARows(ctx, []isms.SoARow{r})
			}
			if err != nil {
				return err
			}
			for _, kind := range isms.SoALinkKinds {
				if len(links[kind]) > 0 {
					if err := tx.SetSoALinks(ctx, a.OrgID, r.ID, kind, links[kind]); err != nil {
						return err
					}
				}
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.transition", EntityType: "framework", EntityID: to.ID,
			Summary: fmt.Sprintf("%s → %s: %d carried, %d for review", from.Code, to.Code, t.Carried, t.Flagged),
			Data:    map[string]any{"from": from.ID, "to": to.ID, "carried": t.Carried, "flagged": t.Flagged}})
	})
	return t, err
}

// describeRow prints an old row's decision for a review note.
func describeRow(r isms.SoARow, found bool) string {
	switch {
	case !found || !r.Decided():
		return "未决定 undecided"
	case r.IsApplicable():
		return "适用 applicable, " + r.Status
	}
	return "不适用 excluded: " + r.Justification
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
