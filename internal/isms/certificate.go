package isms

import (
	"slices"
	"time"
)

// A filing certificate (备案证明) is valid for a number of years from its
// issue date — for filings made before a cut-over date, from that date —
// and each level evaluation completed while it is valid extends it by a
// year; renewal is asked for in the months before it expires (mlps.md
// §2.4). The figures form a rule value rather than constants in the
// computation, so a jurisdiction's setting can replace them.

// CertificateRule is the validity rule of filing certificates.
type CertificateRule struct {
	ValidYears     int    `json:"valid_years" yaml:"valid_years"`         // 3
	ExtensionYears int    `json:"extension_years" yaml:"extension_years"` // per completed evaluation: 1
	RenewalMonths  int    `json:"renewal_months" yaml:"renewal_months"`   // the window before expiry: 3
	CountsFrom     string `json:"counts_from" yaml:"counts_from"`         // filings before it count from it: 2025-01-01
}

// DefaultCertificateRule is the rule of the MPS 2025 answers (mlps.md §2.4).
var DefaultCertificateRule = CertificateRule{ValidYears: 3, ExtensionYears: 1, RenewalMonths: 3, CountsFrom: "2025-01-01"}

// Certificate validity steps.
const (
	CertStepStart  = "start"  // validity counted from On
	CertStepExtend = "extend" // an evaluation completed On extends it
	CertStepIgnore = "ignore" // an evaluation completed On, outside the validity: no extension
)

// CertificateStep is one line of how an expiry came about.
type CertificateStep struct {
	Kind  string `json:"kind"`
	On    string `json:"on"`    // the date of the event
	Until string `json:"until"` // the last valid day after it
}

// CertificateValidity is a certificate's computed validity and its
// explanation.
type CertificateValidity struct {
	ValidUntil string            `json:"valid_until"` // the last day it is valid
	RenewFrom  string            `json:"renew_from"`  // the first day of the renewal window
	Extensions int               `json:"extensions"`
	Steps      []CertificateStep `json:"steps"`
}

// Validity computes a certificate's last valid day from its issue date
// and the completion dates of the level evaluations of its object (any
// order; those before the issue date or after the validity has run out
// extend nothing, and are listed as ignored). Dates are YYYY-MM-DD.
func (r CertificateRule) Validity(issuedOn string, evaluations []string) (CertificateValidity, error) {
	var v CertificateValidity
	issued, err := time.Parse(time.DateOnly, issuedOn)
	if err != nil {
		return v, Invalid("issued_on", M("field.bad_date"))
	}
	start := issued
	if r.CountsFrom != "" {
		if from, err := time.Parse(time.DateOnly, r.CountsFrom); err == nil && issued.Before(from) {
			start = from
		}
	}
	// until is the first day no longer valid; the last valid day is the
	// day before.
	until := start.AddDate(r.ValidYears, 0, 0)
	last := func() string { return until.AddDate(0, 0, -1).Format(time.DateOnly) }
	v.Steps = append(v.Steps, CertificateStep{Kind: CertStepStart, On: start.Format(time.DateOnly), Until: last()})
	evals := slices.Clone(evaluations)
	slices.Sort(evals)
	for _, e := range evals {
		on, err := time.Parse(time.DateOnly, e)
		if err != nil {
			return v, Invalid("evaluations", M("field.bad_date"))
		}
		if on.Before(issued) || !on.Before(until) {
			v.Steps = append(v.Steps, CertificateStep{Kind: CertStepIgnore, On: e, Until: last()})
			continue
		}
		until = until.AddDate(r.ExtensionYears, 0, 0)
		v.Extensions++
		v.Steps = append(v.Steps, CertificateStep{Kind: CertStepExtend, On: e, Until: last()})
	}
	v.ValidUntil = last()
	v.RenewFrom = until.AddDate(0, -r.RenewalMonths, 0).Format(time.DateOnly)
	return v, nil
}

// RenewalState is where a certificate stands on a day: "valid", "renew"
// (inside the renewal window) or "expired".
func (v CertificateValidity) RenewalState(today string) string {
	switch {
	case today > v.ValidUntil:
		return "expired"
	case today >= v.RenewFrom:
		return "renew"
	}
	return "valid"
}
