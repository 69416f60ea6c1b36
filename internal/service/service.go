// Package service holds the use cases that the web UI, the JSON API and the
// CLI share. Every method that writes follows one shape: check scope,
// validate with package isms, open one transaction, write through package
// store, append the audit entry inside that transaction, commit.
//
// Nothing here knows about HTTP or terminals.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/store"
)

// Service is the application's use cases over one store.
type Service struct {
	st     *store.Store
	clock  isms.Clock
	hasher auth.Hasher
	dummy  string // hash checked for unknown sign-in names
	log    *slog.Logger
	sender *notify.Sender
	blobs  blob.Local
	// The risk register's counts and pages, by risk stamp (riskcache.go).
	counts *kept[countKey, countEntry]
	pages  *kept[countKey, []isms.RiskLine]
	dash   dashCache // supervising bodies' roll-ups, by dashboard stamp
	// builtinsDone says the built-in frameworks are installed (ensureBuiltins).
	builtinsDone atomic.Bool
	builtinsMu   sync.Mutex
}

// New returns a Service.
func New(st *store.Store, clock isms.Clock, hasher auth.Hasher, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{st: st, clock: clock, hasher: hasher, dummy: hasher.DummyHash(), log: log, sender: notify.NewSender(),
		counts: newKept[countKey, countEntry](maxCounts), pages: newKept[countKey, []isms.RiskLine](maxCounts),
		dash: dashCache{views: newKept[dashKey, *bodyView](maxDashViews)}}
}

// Store returns the underlying store (for health checks and tools).
func (s *Service) Store() *store.Store { return s.st }

// Clock returns the service's clock.
func (s *Service) Clock() isms.Clock { return s.clock }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// audit is what a use case says about a change for the trail.
type audit struct {
	OrgID      string
	Action     string
	EntityType string
	EntityID   string
	Summary    string
	Data       any
}

// record appends one audit entry for actor inside tx.
func (s *Service) record(ctx context.Context, tx *store.Tx, a isms.Actor, e audit) error {
	data := ""
	if e.Data != nil {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return isms.Internal(err)
		}
		data = string(b)
	}
	return tx.AppendAudit(ctx, &isms.AuditEntry{
		At:         s.clock.Now(),
		OrgID:      e.OrgID,
		Actor:      a.Name(),
		ActorName:  a.Username,
		Action:     e.Action,
		EntityType: e.EntityType,
		EntityID:   e.EntityID,
		Summary:    e.Summary,
		Data:       data,
		IP:         a.IP,
	})
}

// changes lists the JSON fields that differ between before and after as
// {"field": [old, new]}, for update entries in the trail.
func changes(before, after any) map[string][2]any {
	var b, a map[string]any
	bb, _ := json.Marshal(before)
	ab, _ := json.Marshal(after)
	_ = json.Unmarshal(bb, &b)
	_ = json.Unmarshal(ab, &a)
	out := map[string][2]any{}
	for k, av := range a {
		if k == "updated_at" || k == "created_at" {
			continue
		}
		if bv := b[k]; !reflect.DeepEqual(av, bv) {
			out[k] = [2]any{bv, av}
		}
	}
	return out
}

// inScope hides an organization outside the actor's scope: the caller
// gets not-found, exactly as for an ID that does not exist.
func inScope(a isms.Actor, o isms.Organization) error {
	if !a.CanReachOrg(o.Path) {
		return isms.NotFound("organization")
	}
	return nil
}

// recordOrg checks the organization a new record goes into: the actor's
// own (records never cross organizations) and not archived.
func recordOrg(ctx context.Context, tx *store.Tx, a isms.Actor, field, orgID string) (isms.Organization, error) {
	if !isms.ValidID(orgID) {
		return isms.Organization{}, isms.Invalid(field, isms.M("field.bad_id"))
	}
	if !a.OwnOrg(orgID) {
		return isms.Organization{}, isms.Invalid(field, isms.M("ref.org_missing"))
	}
	o, err := tx.Organization(ctx, orgID)
	if isms.ErrorCode(err) == isms.CodeNotFound {
		return o, isms.Invalid(field, isms.M("ref.org_missing"))
	}
	if err != nil {
		return o, err
	}
	if o.ArchivedAt != nil {
		return o, isms.Invalid(field, isms.M("ref.org_archived"))
	}
	return o, nil
}

// writableOrg loads an organization in the actor's tree that is not
// archived (a parent for a new sub-organization). field names the input
// that referred to it.
func writableOrg(ctx context.Context, tx *store.Tx, a isms.Actor, field, orgID string) (isms.Organization, error) {
	if !isms.ValidID(orgID) {
		return isms.Organization{}, isms.Invalid(field, isms.M("field.bad_id"))
	}
	o, err := tx.Organization(ctx, orgID)
	if err == nil {
		err = inScope(a, o)
	}
	if isms.ErrorCode(err) == isms.CodeNotFound {
		return o, isms.Invalid(field, isms.M("ref.org_missing"))
	}
	if err != nil {
		return o, err
	}
	if o.ArchivedAt != nil {
		return o, isms.Invalid(field, isms.M("ref.org_archived"))
	}
	return o, nil
}

// Now is the service clock's time (for views that grade by it).
func (s *Service) Now() time.Time { return s.clock.Now() }
