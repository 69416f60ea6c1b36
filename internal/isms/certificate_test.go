package isms

import (
	"fmt"
	"testing"
)

// Hand-worked: three years from the issue date (or from 2025-01-01 for an
// earlier filing), a year more per evaluation completed while valid, the
// renewal window the three months before expiry.
func TestCertificateValidity(t *testing.T) {
	r := DefaultCertificateRule
	for _, c := range []struct {
		name        string
		issued      string
		evaluations []string
		until, from string
		extensions  int
		steps       string
	}{
		{"none", "2025-03-10", nil, "2028-03-09", "2027-12-10", 0, "[{start 2025-03-10 2028-03-09}]"},
		{"filed before the cut-over", "2023-06-01", nil, "2027-12-31", "2027-10-01", 0, "[{start 2025-01-01 2027-12-31}]"},
		{"one", "2025-03-10", []string{"2025-11-20"}, "2029-03-09", "2028-12-10", 1,
			"[{start 2025-03-10 2028-03-09} {extend 2025-11-20 2029-03-09}]"},
		{"three, out of order", "2025-03-10", []string{"2027-11-15", "2025-11-20", "2026-11-18"}, "2031-03-09", "2030-12-10", 3,
			"[{start 2025-03-10 2028-03-09} {extend 2025-11-20 2029-03-09} {extend 2026-11-18 2030-03-09} {extend 2027-11-15 2031-03-09}]"},
		{"before the issue and after expiry", "2025-03-10", []string{"2025-01-05", "2028-03-10"}, "2028-03-09", "2027-12-10", 0,
			"[{start 2025-03-10 2028-03-09} {ignore 2025-01-05 2028-03-09} {ignore 2028-03-10 2028-03-09}]"},
		{"on the last day", "2025-03-10", []string{"2028-03-09"}, "2029-03-09", "2028-12-10", 1,
			"[{start 2025-03-10 2028-03-09} {extend 2028-03-09 2029-03-09}]"},
	} {
		v, err := r.Validity(c.issued, c.evaluations)
		if err != nil || v.ValidUntil != c.until || v.RenewFrom != c.from || v.Extensions != c.extensions ||
			fmt.Sprint(v.Steps) != c.steps {
			t.Errorf("%s: %+v %v\nwant until %s, renew from %s, %d extensions, %s", c.name, v, err, c.until, c.from,
				c.extensions, c.steps)
		}
	}
	v, _ := r.Validity("2025-03-10", nil)
	for today, want := range map[string]string{"2027-12-09": "valid", "2027-12-10": "renew", "2028-03-09": "renew",
		"2028-03-10": "expired"} {
		if got := v.RenewalState(today); got != want {
			t.Errorf("%s: %s, want %s", today, got, want)
		}
	}
	if _, err := r.Validity("2025-13-01", nil); ErrorCode(err) != CodeInvalid {
		t.Errorf("bad date: %v", err)
	}
}
