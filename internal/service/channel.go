package service

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/store"
)

// maxAttempts bounds the retries of a delivery; after them it is failed,
// and shows as such in the delivery log.
const maxAttempts = 8

// SetSender replaces how deliveries are sent (tests point it at local
// servers).
func (s *Service) SetSender(n *notify.Sender) { s.sender = n }

// NewChannel is the input for a channel.
type NewChannel struct {
	Kind    string        `json:"kind"`
	Name    string        `json:"name"`
	Config  notify.Config `json:"config"`
	Carries string        `json:"carries"`
}

// CreateChannel adds an SMTP server, group robot or webhook (system
// administrator). Robot and webhook addresses must be https (loopback
// excepted, for testing).
func (s *Service) CreateChannel(ctx context.Context, a isms.Actor, in NewChannel) (isms.Channel, error) {
	if err := a.Require(isms.ActManageSettings); err != nil {
		return isms.Channel{}, err
	}
	var p isms.Problems
	in.Name = strings.TrimSpace(in.Name)
	if !slices.Contains(notify.Kinds, in.Kind) {
		p.Add("kind", "field.one_of", "values", strings.Join(notify.Kinds, ", "))
	}
	if in.Name == "" {
		p.Add("name", "field.required")
	}
	if in.Carries == "" {
		in.Carries = "escalation"
	}
	if in.Carries != "escalation" && in.Carries != "all" {
		p.Add("carries", "field.one_of", "values", "escalation, all")
	}
	switch in.Kind {
	case notify.SMTP:
		if in.Config.Host == "" {
			p.Add("config.host", "field.required")
		}
		if in.Config.From == "" {
			p.Add("config.from", "field.required")
		}
		if in.Config.Port < 0 || in.Config.Port > 65535 {
			p.Add("config.port", "field.range", "min", 1, "max", 65535)
		}
		switch in.Config.TLS {
		case "", "starttls", "tls", "none":
		default:
			p.Add("config.tls", "field.one_of", "values", "starttls, tls, none")
		}
	case notify.DingTalk, notify.WeCom, notify.Feishu, notify.Webhook:
		if err := notify.CheckURL(in.Config.URL); err != nil {
			p.Add("config.url", "channel.url_https")
		}
	}
	if err := p.Err(); err != nil {
		return isms.Channel{}, err
	}
	cfg, _ := json.Marshal(in.Config)
	now := s.clock.Now()
	c := isms.Channel{ID: newID(), OrgID: a.OrgID, Kind: in.Kind, Name: in.Name, Config: string(cfg), Carries: in.Carries,
		Enabled: true, CreatedAt: now, UpdatedAt: now}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateChannel(ctx, &c); err != nil {
			return err
		}
		// The trail names the channel, never its secrets.
		return s.record(ctx, tx, a, audit{OrgID: c.OrgID, Action: "channel.create", EntityType: "channel", EntityID: c.ID,
			Summary: c.Name, Data: map[string]string{"kind": c.Kind, "carries": c.Carries, "url_host": hostOf(in.Config.URL), "smtp_host": in.Config.Host}})
	})
	return c, err
}

func hostOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return u
}

// ListChannels lists the organization's channels (system administrator).
func (s *Service) ListChannels(ctx context.Context, a isms.Actor) ([]isms.Channel, error) {
	if err := a.Require(isms.ActManageSettings); err != nil {
		return nil, err
	}
	return s.st.ListChannels(ctx, a.OrgID)
}

// SetChannelEnabled turns a channel on or off.
func (s *Service) SetChannelEnabled(ctx context.Context, a isms.Actor, id string, on bool) error {
	c, err := s.channelOf(ctx, a, id)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetChannelEnabled(ctx, c.ID, on, s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: c.OrgID, Action: "channel.enable", EntityType: "channel", EntityID: c.ID,
			Summary: c.Name, Data: map[string]bool{"enabled": on}})
	})
}

func (s *Service) channelOf(ctx context.Context, a isms.Actor, id string) (isms.Channel, error) {
	if err := a.Require(isms.ActManageSettings); err != nil {
		return isms.Channel{}, err
	}
	if !isms.ValidID(id) {
		return isms.Channel{}, isms.NotFound("channel")
	}
	c, err := s.st.Channel(ctx, id)
	if err == nil && !a.OwnOrg(c.OrgID) {
		return isms.Channel{}, isms.NotFound("channel")
	}
	return c, err
}

// TestChannel queues a test message on a channel (to an address, for
// SMTP); the delivery log shows how it went.
func (s *Service) TestChannel(ctx context.Context, a isms.Actor, id, to string) (isms.Delivery, error) {
	c, err := s.channelOf(ctx, a, id)
	if err != nil {
		return isms.Delivery{}, err
	}
	if c.Kind == notify.SMTP && !strings.Contains(to, "@") {
		return isms.Delivery{}, isms.Invalid("to", isms.M("field.bad_email"))
	}
	msg, _ := json.Marshal(notify.Message{To: to, Subject: "OpenISMS 测试消息 / test message", Text: "通道配置正确。The channel works.", Kind: "test"})
	now := s.clock.Now()
	d := isms.Delivery{ID: newID(), OrgID: c.OrgID, ChannelID: c.ID, Message: string(msg), Status: "pending", NextAttemptAt: now, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueueDelivery(ctx, &d); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: c.OrgID, Action: "channel.test", EntityType: "channel", EntityID: c.ID, Summary: c.Name})
	})
	return d, err
}

// ListDeliveries is the delivery log (system administrator).
func (s *Service) ListDeliveries(ctx context.Context, a isms.Actor, status string) ([]isms.Delivery, error) {
	if err := a.Require(isms.ActManageSettings); err != nil {
		return nil, err
	}
	return s.st.ListDeliveries(ctx, a.OrgID, status, isms.MaxPageSize)
}

// SetNotifyEmail stores whether the actor wants email (escalations are
// sent regardless).
func (s *Service) SetNotifyEmail(ctx context.Context, a isms.Actor, on bool) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetNotifyEmail(ctx, a.AccountID, on); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "account.notify_email", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username, Data: map[string]bool{"email": on}})
	})
}

// queueOutbound queues the deliveries of one event inside the transaction
// that created its notifications: email to each recipient who has an
// address and wants email (escalations always), and one message to each
// group channel that carries this kind.
func (s *Service) queueOutbound(ctx context.Context, tx *store.Tx, orgID string, accounts []string, kind string, m notify.Message) error {
	channels, err := tx.Channels(ctx, orgID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	queue := func(c isms.Channel, m notify.Message) error {
		b, _ := json.Marshal(m)
		d := isms.Delivery{ID: newID(), OrgID: orgID, ChannelID: c.ID, Message: string(b), NextAttemptAt: now, CreatedAt: now}
		return tx.QueueDelivery(ctx, &d)
	}
	var smtpChannel *isms.Channel
	for i, c := range channels {
		if !c.Enabled {
			continue
		}
		if c.Kind == notify.SMTP {
			if smtpChannel == nil {
				smtpChannel = &channels[i]
			}
			continue
		}
		if c.Carries == "all" || kind == "escalation" {
			if err := queue(c, m); err != nil {
				return err
			}
		}
	}
	if smtpChannel == nil {
		return nil
	}
	for _, acct := range accounts {
		email, on, err := tx.EmailOf(ctx, acct)
		if err != nil {
			return err
		}
		if email == "" || !on && kind != "escalation" {
			continue
		}
		mm := m
		mm.To = email
		if err := queue(*smtpChannel, mm); err != nil {
			return err
		}
	}
	return nil
}

// DeliverDue sends the deliveries that are due, outside any write
// transaction (a slow server never holds the database), and records each
// attempt: sent, retried with backoff, or failed after maxAttempts.
func (s *Service) DeliverDue(ctx context.Context, now time.Time) (sent, failed int, err error) {
	channels := map[string]isms.Channel{}
	for {
		var batch []isms.Delivery
		if err := s.st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = tx.ClaimDeliveries(ctx, now, 5*time.Minute, 50)
			return err
		}); err != nil {
			return sent, failed, err
		}
		for _, d := range batch {
			c, ok := channels[d.ChannelID]
			if !ok {
				if c, err = s.st.Channel(ctx, d.ChannelID); err != nil {
					return sent, failed, err
				}
				channels[d.ChannelID] = c
			}
			var cfg notify.Config
			var m notify.Message
			_ = json.Unmarshal([]byte(c.Config), &cfg)
			_ = json.Unmarshal([]byte(d.Message), &m)
			var sendErr error = errChannelDisabled
			if c.Enabled {
				sendErr = s.sender.Send(ctx, c.Kind, cfg, m)
			}
			var retry *time.Time
			errText := ""
			if sendErr != nil {
				errText = truncate(sendErr.Error(), 500)
				if d.Attempts+1 < maxAttempts {
					at := now.Add(backoff(d.Attempts + 1))
					retry = &at
				}
				failed++
			} else {
				sent++
			}
			if err := s.st.InTx(ctx, func(tx *store.Tx) error {
				return tx.FinishDelivery(ctx, d.ID, sendErr == nil, errText, s.clock.Now(), retry)
			}); err != nil {
				return sent, failed, err
			}
		}
		if len(batch) < 50 {
			return sent, failed, nil
		}
	}
}

var errChannelDisabled = &isms.Error{Code: isms.CodeConflict, Message: isms.M("channel.disabled")}

// backoff is the wait before attempt n+1: 1, 2, 4 … minutes, at most an
// hour.
func backoff(n int) time.Duration {
	d := time.Minute << (n - 1)
	if d > time.Hour || d <= 0 {
		return time.Hour
	}
	return d
}
