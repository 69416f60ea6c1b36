package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Broadcasts: a supervising body's notices and training announcements to
// every organization below it, with read receipts.

// SendBroadcast sends a notice from the actor's body to every
// organization it supervises, telling each one's liaison (else its ISMS
// team) in the inbox and by its channels.
func (s *Service) SendBroadcast(ctx context.Context, a isms.Actor, in isms.Broadcast) (isms.Broadcast, error) {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return in, err
	}
	if err := in.Check(); err != nil {
		return in, err
	}
	orgs, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return in, err
	}
	if len(orgs) == 0 {
		return in, isms.Conflict("", isms.M("broadcast.nobody"))
	}
	in.ID, in.OrgID, in.CreatedBy, in.CreatedAt = newID(), a.OrgID, a.Name(), s.clock.Now()
	targets := make([]string, len(orgs))
	for i, o := range orgs {
		targets[i] = o.ID
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateBroadcast(ctx, &in, targets); err != nil {
			return err
		}
		sender, err := tx.Organization(ctx, a.OrgID)
		if err != nil {
			return err
		}
		for _, org := range targets {
			to, err := campaignContacts(ctx, tx, org)
			if err != nil {
				return err
			}
			if err := s.notifyAccounts(ctx, tx, org, to, "broadcast", sender.Name+"："+in.Title, "/broadcasts/"+in.ID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "broadcast.send", EntityType: "broadcast", EntityID: in.ID,
			Summary: in.Title, Data: map[string]any{"kind": in.Kind, "targets": len(targets)}})
	})
	in.Targets = len(targets)
	return in, err
}

// BroadcastList is what the actor sees of broadcasts: those its body
// sent (with supervision.view) and those sent to its organization.
type BroadcastList struct {
	Sent, Received []isms.Broadcast
}

// Broadcasts lists the actor's broadcasts. Any account reads the notices
// sent to its organization.
func (s *Service) Broadcasts(ctx context.Context, a isms.Actor) (BroadcastList, error) {
	var l BroadcastList
	var err error
	if a.Can(isms.ActSupervise) {
		if l.Sent, err = s.st.BroadcastsSent(ctx, a.OrgID); err != nil {
			return l, err
		}
	}
	l.Received, err = s.st.BroadcastsTo(ctx, a.OrgID, a.AccountID)
	return l, err
}

// BroadcastView is a broadcast as its reader sees it; the sender sees
// the receipts too.
type BroadcastView struct {
	isms.Broadcast
	Sender   bool
	Receipts []isms.Receipt
}

// Broadcast reads a broadcast: the sending body's supervisors see who
// read it in each organization; an account of an organization it went to
// reads it, which is recorded (once) as that account's receipt.
func (s *Service) Broadcast(ctx context.Context, a isms.Actor, id string) (BroadcastView, error) {
	var v BroadcastView
	if !isms.ValidID(id) {
		return v, isms.NotFound("broadcast")
	}
	b, err := s.st.Broadcast(ctx, id, a.AccountID)
	if err != nil {
		return v, err
	}
	v.Broadcast = b
	if b.OrgID == a.OrgID && a.Can(isms.ActSupervise) {
		v.Sender = true
		v.Receipts, err = s.st.Receipts(ctx, id)
		return v, err
	}
	ok, err := s.st.BroadcastTargeted(ctx, id, a.OrgID)
	if err != nil {
		return v, err
	}
	if !ok {
		return v, isms.NotFound("broadcast")
	}
	if a.AccountID == "" || b.ReadAt != nil {
		return v, nil
	}
	now := s.clock.Now()
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		first, err := tx.MarkBroadcastRead(ctx, id, a.AccountID, a.OrgID, now)
		if err != nil || !first {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "broadcast.read", EntityType: "broadcast", EntityID: id,
			Summary: b.Title})
	})
	v.ReadAt = &now
	return v, err
}
