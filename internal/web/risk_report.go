package web

import (
	"net/http"

	"openisms/internal/service"
)

// The register's XLSX export and the residual-risk report (信息安全剩余风险评估报告),
// printable and as a workbook.

func (wb *Web) riskReportRoutes() []route {
	return []route{
		{"GET", "/risks.xlsx", authorized, wb.risksXLSX, false},
		{"GET", "/risks/report", authorized, wb.riskReport, false},
		{"GET", "/risks/report.xlsx", authorized, wb.riskReportXLSX, false},
	}
}

func (wb *Web) risksXLSX(w http.ResponseWriter, r *req) error {
	f := riskFilterOf(r.URL.Query())
	f.Offset = 0
	return wb.svc.RisksXLSX(r.Context(), r.Actor, f, func() { attachXLSX(w, wb.dated("risks")) }, w)
}

// reportData is what the printed report shows.
type reportData struct {
	service.ResidualReport
	Levels []int
}

func (wb *Web) riskReport(w http.ResponseWriter, r *req) error {
	rep, err := wb.svc.RiskReport(r.Context(), r.Actor, r.URL.Query().Get("assessment_id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/report", page{Title: "ui.risk.report", Data: reportData{ResidualReport: rep, Levels: []int{5, 4, 3, 2, 1}}})
}

func (wb *Web) riskReportXLSX(w http.ResponseWriter, r *req) error {
	return wb.svc.RiskReportXLSX(r.Context(), r.Actor, r.URL.Query().Get("assessment_id"), func() { attachXLSX(w, wb.dated("residual-risk-report")) }, w)
}
