package isms

import "time"

// AuditEntry is one link in the tamper-evident trail. Hash covers every
// other field and PrevHash, so changing, removing, inserting or reordering
// entries breaks the chain at that point.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	OrgID      string    `json:"org_id"`
	Actor      string    `json:"actor"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	EntityType string    `json:"entity_type"`
	EntityID   string    `json:"entity_id"`
	Summary    string    `json:"summary"`
	Data       string    `json:"data"`
	IP         string    `json:"ip"`
	Alg        string    `json:"alg"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// AuditFilter narrows a listing of the trail.
type AuditFilter struct {
	OrgID      string // scope: entries of this organization, "" = all (CLI)
	Actor      string
	EntityType string
	EntityID   string
	Action     string
	From, To   time.Time
	BeforeSeq  int64 // keyset cursor: entries with seq < BeforeSeq
	Limit      int
}
