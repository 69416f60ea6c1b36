package service

import (
	"context"
	"slices"
	"strings"

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
	Names     SoANames          `json:"names"`
}

// SoANames names the departments and owners the lines refer to.
type SoANames struct {
	Departments map[string]string `json:"departments"` // ID → name
	People      map[string]string `json:"people"`
}

// soaNames names the departments (live ones) and the owners of entries.
func (s *Service) soaNames(ctx context.Context, orgID string, entries []SoAEntry) (SoANames, error) {
	n := SoANames{Departments: map[string]string{}}
	depts, err := s.st.DepartmentNames(ctx, orgID)
	if err != nil {
		return n, err
	}
	for _, d := range depts {
		n.Departments[d.ID] = d.Name
	}
	var owners []string
	for _, e := range entries {
		if id := e.Row.OwnerID; id != "" && !slices.Contains(owners, id) {
			owners = append(owners, id)
		}
	}
	n.People, err = s.st.PersonNames(ctx, orgID, owners)
	return n, err
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
	f, err := s.st.FrameworkByCodeFor(ctx, a.OrgID, DefaultSoAFramework)
	return f.ID, err
}

// soaFramework reads a framework the actor's SoA may be on.
func (s *Service) soaFramework(ctx context.Context, a isms.Actor, id string) (isms.Framework, error) {
	return s.frameworkFor(ctx, a, isms.ActViewSoA, id)
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
	if x.Entries, err = s.soaEntries(ctx, a.OrgID, f.ID, x.Today, nil); err != nil {
		return x, err
	}
	if x.Names, err = s.soaNames(ctx, a.OrgID, x.Entries); err != nil {
		return x, err
	}
	if x.Versions, err = s.st.SoAVersions(ctx, a.OrgID, f.ID); err != nil {
		return x, err
	}
	x.Pending = slices.ContainsFunc(x.Versions, func(v isms.SoAVersion) bool { return v.Status == isms.SoASubmitted })
	return x, nil
}

// soaEntries joins a framework's eligible requirements with the
// organization's rows, links and evidence counts; with only, that one
// requirement's entry alone.
func (s *Service) soaEntries(ctx context.Context, orgID, frameworkID, today string, only *isms.RequirementNode) ([]SoAEntry, error) {
	nodes, ref := []isms.RequirementNode{}, ""
	if only != nil {
		nodes, ref = append(nodes, *only), only.Ref
	} else {
		var err error
		if nodes, err = s.st.RequirementNodes(ctx, orgID, frameworkID); err != nil {
			return nil, err
		}
	}
	rows, err := s.st.SoARows(ctx, orgID, frameworkID, ref, today, isms.AddDays(today, isms.EvidenceWarnDays))
	if err != nil {
		return nil, err
	}
	rowID := ""
	if only != nil && len(rows) == 1 {
		rowID = rows[0].ID
	}
	var links map[string][]isms.SoALink
	if only == nil || rowID != "" {
		if links, err = s.st.SoALinks(ctx, orgID, frameworkID, rowID); err != nil {
			return nil, err
		}
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
	Framework isms.Framework  `json:"framework"`
	Entry     SoAEntry        `json:"entry"`
	Evidence  []isms.Evidence `json:"evidence"`
	// Measures are the applied measures that name this requirement.
	Measures []isms.Measure `json:"measures"`
	Today    string         `json:"today"`
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
	entries, err := s.soaEntries(ctx, a.OrgID, f.ID, d.Today, &n)
	if err != nil {
		return d, err
	}
	d.Entry = entries[0] // soaNode checked that it has a line
	if d.Entry.Row.ID != "" {
		if d.Evidence, err = s.st.Evidence(ctx, a.OrgID, isms.EvidenceSoARow, d.Entry.Row.ID); err != nil {
			return d, err
		}
	}
	d.Measures, err = s.st.Measures(ctx, store.MeasureFilter{OrgID: a.OrgID, FrameworkID: f.ID, Ref: n.Ref, Today: d.Today,
		WarnUntil: isms.AddDays(d.Today, isms.EvidenceWarnDays)})
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
		if err := writeSoARow(ctx, tx, &r, found, targets); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.update", EntityType: "soa_row", EntityID: r.ID,
			Summary: f.Code + " " + n.Ref, Data: map[string]any{"before": soaAuditView(old, found), "after": soaAuditView(r, true),
				"documents": in.Documents, "risks": in.Risks, "assets": in.Assets}})
	})
	return r, err
}

// writeSoARow stores a row (found: it exists already) and replaces its
// links of each kind links names.
func writeSoARow(ctx context.Context, tx *store.Tx, r *isms.SoARow, found bool, links map[string][]string) error {
	var err error
	if found {
		err = tx.UpdateSoARow(ctx, r)
	} else {
		_, err = tx.EnsureSoARows(ctx, []isms.SoARow{*r})
	}
	if err != nil {
		return err
	}
	for kind, ids := range links {
		if err := tx.SetSoALinks(ctx, r.OrgID, r.ID, kind, ids); err != nil {
			return err
		}
	}
	return nil
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
	var clean []string           // as the store looks them up: codes, or risk numbers as digits
	typed := map[string]string{} // what the person typed, for the error
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		key := k
		if kind == isms.LinkRisk {
			n, ok := isms.RiskNumber(k)
			if !ok {
				p.Add(field, "soa.unknown_link", "value", k)
				continue
			}
			key = itoa(int(n))
		}
		if _, dup := typed[key]; !dup {
			clean, typed[key] = append(clean, key), k
		}
	}
	found, err := tx.LinkTargets(ctx, orgID, kind, clean)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(clean))
	for _, k := range clean {
		if id, ok := found[k]; ok {
			ids = append(ids, id)
		} else {
			p.Add(field, "soa.unknown_link", "value", typed[k])
		}
	}
	return ids, nil
}
