package isms

import "time"

// SecuritySettings are an organization's sign-in and password rules. The
// defaults come from the seed procedures (口令控制策略) and the MLPS level-3
// expectations; each organization may tighten or relax them.
type SecuritySettings struct {
	PasswordMinLength    int `json:"password_min_length"`
	PasswordMinClasses   int `json:"password_min_classes"`
	PasswordMaxAgeDays   int `json:"password_max_age_days"`
	AdminPasswordMaxAge  int `json:"admin_password_max_age_days"`
	LockoutThreshold     int `json:"lockout_threshold"`
	LockoutMinutes       int `json:"lockout_minutes"`
	SessionIdleMinutes   int `json:"session_idle_minutes"`
	SessionAbsoluteHours int `json:"session_absolute_hours"`
	// RequireAdminTOTP makes the three administrators (and an interim
	// owner) enrol a one-time password generator before anything else.
	RequireAdminTOTP bool `json:"require_admin_totp"`
}

// DefaultSecuritySettings: length ≥ 8 and at least two character classes
// (seed 002 篇4, 篇21); administrators change every 15 days, everyone else
// at least monthly (篇4 L393, 篇2 L185); lock for 15 minutes after 5
// failures; 30 minutes idle, 12 hours at most per session.
func DefaultSecuritySettings() SecuritySettings {
	return SecuritySettings{
		PasswordMinLength:    8,
		PasswordMinClasses:   2,
		PasswordMaxAgeDays:   30,
		AdminPasswordMaxAge:  15,
		LockoutThreshold:     5,
		LockoutMinutes:       15,
		SessionIdleMinutes:   30,
		SessionAbsoluteHours: 12,
		RequireAdminTOTP:     true,
	}
}

// Validate checks that every number is in a range that still protects.
func (s SecuritySettings) Validate() error {
	var p Problems
	rng := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			p.Add(field, "field.range", "min", lo, "max", hi)
		}
	}
	rng("password_min_length", s.PasswordMinLength, 8, 128)
	rng("password_min_classes", s.PasswordMinClasses, 2, 4)
	rng("password_max_age_days", s.PasswordMaxAgeDays, 1, 366)
	rng("admin_password_max_age_days", s.AdminPasswordMaxAge, 1, 366)
	rng("lockout_threshold", s.LockoutThreshold, 3, 20)
	rng("lockout_minutes", s.LockoutMinutes, 1, 1440)
	rng("session_idle_minutes", s.SessionIdleMinutes, 5, 480)
	rng("session_absolute_hours", s.SessionAbsoluteHours, 1, 72)
	return p.Err()
}

// PasswordMaxAge returns how long a password of this account may live.
func (s SecuritySettings) PasswordMaxAge(privileged bool) time.Duration {
	days := s.PasswordMaxAgeDays
	if privileged {
		days = s.AdminPasswordMaxAge
	}
	return time.Duration(days) * 24 * time.Hour
}
