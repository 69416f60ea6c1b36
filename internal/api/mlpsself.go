package api

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// GB/T 22239 self-assessments.

func (a *API) listSelfAssessments(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	xs, err := a.svc.SelfAssessments(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"self_assessments": xs})
}

func (a *API) startSelfAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Level      int      `json:"level"`
		Extensions []string `json:"extensions"`
		Title      string   `json:"title"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.StartSelfAssessment(r.Context(), actor, r.PathValue("id"),
		isms.SelfAssessment{Level: in.Level, Extensions: in.Extensions, Title: in.Title})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

// selfItem is a check as the API shows it: with its requirement's
// titles and control point, and the control point's ISO overlaps.
type selfItem struct {
	isms.SelfCheck
	TitleZH      string   `json:"title_zh"`
	TitleEN      string   `json:"title_en"`
	ControlPoint string   `json:"control_point"` // its reference, e.g. CES1-02
	ISO          []string `json:"iso27001"`
	SoAEvidence  int      `json:"soa_evidence"`
	RiskNumber   string   `json:"risk_number,omitempty"`
}

func selfItemOf(d service.SelfAssessmentDetail, c isms.SelfCheck) selfItem {
	n, cp := d.Item(c), d.ControlPoint(c)
	zh := n.TitleZH
	if n.OwnTitleZH != "" {
		zh = n.OwnTitleZH
	}
	return selfItem{SelfCheck: c, TitleZH: zh, TitleEN: n.TitleEN, ControlPoint: cp.Ref, ISO: d.ISO[cp.Ref],
		SoAEvidence: d.SoAEvidence[cp.Ref], RiskNumber: d.Risks[c.RiskID]}
}

func (a *API) getSelfAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.SelfAssessment(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	items := make([]selfItem, len(d.Checks))
	for i, c := range d.Checks {
		items[i] = selfItemOf(d, c)
	}
	rate, ok := d.Assessment.Counts.Rate()
	out := map[string]any{"assessment": d.Assessment, "checks": items, "today": d.Today}
	if ok {
		// Internal, never the official conclusion.
		out["internal_rate"] = rate
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) putSelfChecks(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Checks []isms.SelfCheckInput `json:"checks"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := a.svc.RecordSelfChecks(r.Context(), actor, r.PathValue("id"), in.Checks)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"changed": n})
}

func (a *API) closeSelfAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.CloseSelfAssessment(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) getSelfCheck(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.SelfCheckItem(r.Context(), actor, r.PathValue("id"), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"check": selfItemOf(d.SelfAssessmentDetail, d.Check), "evidence": d.Evidence})
}

func (a *API) addSelfEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	d, err := a.svc.SelfCheckItem(r.Context(), actor, r.PathValue("id"), r.PathValue("ref"))
	if err != nil {
		return err
	}
	e, err := a.svc.AddMLPSEvidence(r.Context(), actor, isms.EvidenceSelfCheck, d.Check.ID, in, name, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) exportSelfAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return a.svc.SelfAssessmentXLSX(r.Context(), actor, r.PathValue("id"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}
