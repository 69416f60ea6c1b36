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
}

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

// CanReachOrg reports whether the actor's scope includes an organization
// with the given path.
func (a Actor) CanReachOrg(path string) bool {
	return a.IsCLI() || IsUnder(path, a.OrgPath)
}
