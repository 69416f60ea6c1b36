package isms

import (
	"slices"
	"strings"
	"time"
)

// Broadcast is a notice or a training announcement from a supervising
// body to every organization below it, whose readers are recorded.
type Broadcast struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Kind      string    `json:"kind"` // BroadcastKinds
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// Read with it.
	OrgName  string     `json:"org_name,omitempty"`
	Targets  int        `json:"targets"`           // organizations it went to
	ReadOrgs int        `json:"read_orgs"`         // of which someone has read it
	ReadAt   *time.Time `json:"read_at,omitempty"` // when the reader read it, for a recipient
}

// Kinds of broadcast.
const (
	BroadcastNotice   = "notice"   // 通知
	BroadcastTraining = "training" // 培训通知
)

// BroadcastKinds lists the kinds.
var BroadcastKinds = []string{BroadcastNotice, BroadcastTraining}

// Check validates a broadcast.
func (b *Broadcast) Check() error {
	var p Problems
	TrimFields(&b.Title, &b.Body)
	if !slices.Contains(BroadcastKinds, b.Kind) {
		p.Add("kind", "field.one_of", "values", strings.Join(BroadcastKinds, ", "))
	}
	checkText(&p, "title", b.Title, true, 200)
	if len([]rune(b.Body)) > 20000 {
		p.Add("body", "field.too_long", "max", 20000)
	}
	return p.Err()
}

// Receipt is how a broadcast stands in one organization: who read it
// first and when, and how many of its accounts have.
type Receipt struct {
	OrgID       string     `json:"org_id"`
	OrgName     string     `json:"org_name"`
	FirstReadAt *time.Time `json:"first_read_at"`
	FirstReader string     `json:"first_reader"`
	Readers     int        `json:"readers"`
}
