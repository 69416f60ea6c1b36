package isms

// Actor is who does something: an account signed in by session or token,
// or the command line run by an operator on the server itself.
type Actor struct {
	AccountID string
	OrgID     string
	// OrgPath is the actor's organization path; the actor may act within
	// that subtree. Roles (a later layer) narrow this further.
	OrgPath  string
	Username string
	Via      string // "session", "token", "cli", "system"
	IP       string
	// PasswordChange restricts a session to changing its password.
	PasswordChange bool
	// TOTPSetup restricts a session to enrolling a one-time password.
	TOTPSetup bool
	// Roles are the account's active roles in its organization.
	Roles []Role
	// Language is the account's chosen UI language ("" not chosen).
	Language string
}

// Can reports whether the actor's roles allow act. The console may do
// everything.
func (a Actor) Can(act Action) bool {
	if a.IsCLI() {
		return true
	}
	for _, r := range a.Roles {
		if RoleAllows(r, act) {
			return true
		}
	}
	return false
}

// Require returns a forbidden error unless the actor may do act.
func (a Actor) Require(act Action) error {
	if a.Can(act) {
		return nil
	}
	return Forbidden(M("permission.denied", "action", string(act)))
}

// NeedsTOTP reports whether holding these roles requires a one-time
// password (when the organization requires it for administrators).
func NeedsTOTP(roles []Role) bool {
	for _, r := range roles {
		if r.IsAdmin() || r == RoleOwner {
			return true
		}
	}
	return false
}

// HasRole reports whether the actor holds r.
func (a Actor) HasRole(r Role) bool {
	for _, h := range a.Roles {
		if h == r {
			return true
		}
	}
	return false
}

// OwnOrg reports whether records of orgID are the actor's to see: an
// account sees the records (departments, people, accounts, trail) of its
// own organization only.
func (a Actor) OwnOrg(orgID string) bool { return a.IsCLI() || orgID == a.OrgID }

// CLIActor is the operator at the server's console. Whoever can run the
// binary against the database already holds everything, so the CLI is not
// scoped; every change it makes is still in the trail under this name.
func CLIActor(osUser string) Actor {
	return Actor{Username: "cli:" + osUser, Via: "cli"}
}

// IsCLI reports whether the actor is the console operator.
func (a Actor) IsCLI() bool { return a.Via == "cli" || a.Via == "system" }

// Name is how the trail names the actor.
func (a Actor) Name() string {
	if a.AccountID != "" {
		return a.AccountID
	}
	return a.Username
}

// CanReachOrg reports whether an organization with the given path is in
// the actor's tree: its own organization and those below it, whose names,
// structure and summary it may see (never their records).
func (a Actor) CanReachOrg(path string) bool {
	return a.IsCLI() || IsUnder(path, a.OrgPath)
}
