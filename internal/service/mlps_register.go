package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// FiledObject is a grading object graded and filed before the
// organization used this system: its level, when it was confirmed and
// filed, and its filing certificate.
type FiledObject struct {
	Object            isms.MLPSObject
	Level             int
	ConfirmedOn       string // 定级时间
	FiledOn           string // the bureau accepted the filing
	Bureau, CertNo    string
	CertIssuedOn      string
	EvaluatedOn       string // the latest evaluation, if any: when,
	EvaluationOutcome string // its conclusion (2025 template)
	AgencyID          string // and by which of the organization's agencies
}

// RegisterFiledObjects records objects already graded and filed: each
// gets a grading in force at its level (filed), the accepted filing and
// the certificate, in one transaction, each in the trail. The demo uses it
// to stand up an organization with years of MLPS history at once.
func (s *Service) RegisterFiledObjects(ctx context.Context, a isms.Actor, objs []FiledObject) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		for i := range objs {
			x := &objs[i]
			o := &x.Object
			o.ID, o.OrgID, o.Status, o.CreatedAt, o.UpdatedAt = newID(), a.OrgID, "active", now, now
			o.Normalize()
			if err := o.Validate(); err != nil {
				return err
			}
			if x.Level < 1 || x.Level > 5 {
				return isms.Invalid("level", isms.M("field.range", "min", 1, "max", 5))
			}
			if err := tx.CreateMLPSObject(ctx, o); err != nil {
				return err
			}
			g := isms.Grading{ID: newID(), OrgID: a.OrgID, ObjectID: o.ID, Version: 1, Template: "2020", Business: x.Level,
				Service: x.Level, Level: x.Level, Reason: "已定级备案系统登记", Status: isms.GradingFiled, ConfirmedOn: x.ConfirmedOn,
				FiledOn: x.FiledOn, GradedBy: a.Name(), UpdatedBy: a.Name(), CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateGrading(ctx, &g); err != nil {
				return err
			}
			f := isms.Filing{ID: newID(), OrgID: a.OrgID, ObjectID: o.ID, GradingID: g.ID, Bureau: x.Bureau, SubmittedOn: x.FiledOn,
				Template: isms.FormClassic, Outcome: isms.FilingAccepted, DecidedOn: x.FiledOn, RecordedBy: a.Name(), CreatedAt: now}
			if err := tx.CreateFiling(ctx, &f); err != nil {
				return err
			}
			c := isms.Certificate{ID: newID(), OrgID: a.OrgID, ObjectID: o.ID, GradingID: g.ID, FilingID: f.ID, Number: x.CertNo,
				Bureau: x.Bureau, IssuedOn: x.CertIssuedOn, RecordedBy: a.Name(), CreatedAt: now}
			if err := tx.CreateCertificate(ctx, &c); err != nil {
				return err
			}
			if x.EvaluatedOn != "" && x.AgencyID != "" {
				e := isms.Evaluation{ID: newID(), OrgID: a.OrgID, ObjectID: o.ID, GradingID: g.ID, AgencyID: x.AgencyID, CompletedOn: x.EvaluatedOn, ReportNo: "登记-" + o.Code,
					Template: isms.EvalTemplate2025, Conclusion: x.EvaluationOutcome, RecordedBy: a.Name(), CreatedAt: now}
				if err := tx.CreateEvaluation(ctx, &e); err != nil {
					return err
				}
			}
			if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.register_filed", EntityType: "mlps_object",
				EntityID: o.ID, Summary: o.Label(), Data: x}); err != nil {
				return err
			}
		}
		return tx.MLPSDutiesDue(ctx, a.OrgID, now)
	})
}
