package isms

import (
	"time"
)

// Account is a sign-in identity in one organization. Usernames are unique
// across the installation (case-insensitive), so a person signs in with a
// name and a password and never has to pick an organization first.
type Account struct {
	ID                 string     `json:"id"`
	OrgID              string     `json:"org_id"`
	PersonID           string     `json:"person_id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Privileged         bool       `json:"privileged"`
	MustChangePassword bool       `json:"must_change_password"`
	PasswordChangedAt  time.Time  `json:"password_changed_at"`
	FailedAttempts     int        `json:"failed_attempts"`
	LockedUntil        *time.Time `json:"locked_until"`
	LastSignInAt       *time.Time `json:"last_sign_in_at"`
	LastSignInIP       string     `json:"last_sign_in_ip"`
	Language           string     `json:"language"` // "" follows the browser
	TOTPEnabled        bool       `json:"totp_enabled"`
	NotifyEmail        bool       `json:"notify_email"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	ArchivedAt         *time.Time `json:"archived_at"`
	PasswordHash       string     `json:"-"`
}

// AccountPatch changes some fields of an account.
type AccountPatch struct {
	PersonID    *string `json:"person_id"`
	DisplayName *string `json:"display_name"`
	Privileged  *bool   `json:"privileged"`
}

// Apply copies the set fields of p onto a.
func (p AccountPatch) Apply(a *Account) {
	set(&a.PersonID, p.PersonID)
	set(&a.DisplayName, p.DisplayName)
	set(&a.Privileged, p.Privileged)
}

// Normalize trims text.
func (a *Account) Normalize() {
	TrimFields(&a.PersonID, &a.Username, &a.DisplayName)
}

// Validate checks the fields that need no stored state.
func (a *Account) Validate() error {
	var p Problems
	if !ValidID(a.OrgID) {
		p.Add("org_id", "field.bad_id")
	}
	checkOptionalID(&p, "person_id", a.PersonID)
	if !validUsername(a.Username) {
		p.Add("username", "account.username_rule")
	}
	checkText(&p, "display_name", a.DisplayName, false, 100)
	return p.Err()
}

// validUsername: 3–64 of a-z A-Z 0-9 . _ - @, starting with a letter or
// digit. Sign-in names stay ASCII so they can be typed on any keyboard and
// passed to LDAP later; the display name carries the Chinese name.
func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 64 {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if i == 0 && !alnum {
			return false
		}
		if !alnum && c != '.' && c != '_' && c != '-' && c != '@' {
			return false
		}
	}
	return true
}

// Locked reports whether the account is locked out at now.
func (a *Account) Locked(now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// PasswordExpired reports whether the password is older than allowed.
func (a *Account) PasswordExpired(s SecuritySettings, now time.Time) bool {
	return now.Sub(a.PasswordChangedAt) > s.PasswordMaxAge(a.Privileged)
}

// Session is a signed-in browser or API client. The token itself is never
// stored: ID is the SHA-256 of it.
type Session struct {
	ID             string        `json:"-"`
	AccountID      string        `json:"account_id"`
	OrgID          string        `json:"org_id"`
	CreatedAt      time.Time     `json:"created_at"`
	LastSeenAt     time.Time     `json:"last_seen_at"`
	ExpiresAt      time.Time     `json:"expires_at"`
	IdleTimeout    time.Duration `json:"-"`
	IP             string        `json:"ip"`
	UserAgent      string        `json:"user_agent"`
	PasswordChange bool          `json:"password_change_required"`
	// TOTPSetup restricts a session to enrolling a one-time password
	// generator, which the account\'s roles require.
	TOTPSetup bool `json:"totp_setup_required"`
}

// Expired reports whether the session has ended by age or idleness.
func (s *Session) Expired(now time.Time) bool {
	return !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > s.IdleTimeout
}

// APIToken is a long-lived credential for programs. Only its hash is kept;
// Prefix (the first characters) lets people tell tokens apart.
type APIToken struct {
	ID         string     `json:"id"`
	AccountID  string     `json:"account_id"`
	OrgID      string     `json:"org_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Hash       string     `json:"-"`
}

// Validate checks a new token's fields.
func (t *APIToken) Validate(now time.Time) error {
	var p Problems
	checkText(&p, "name", t.Name, true, 100)
	if t.ExpiresAt != nil && !t.ExpiresAt.After(now) {
		p.Add("expires_at", "token.expiry_past")
	}
	return p.Err()
}
