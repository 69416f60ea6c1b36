package isms

import "time"

// Channel carries notifications out of the program: an SMTP server for
// people's email, or a group robot or webhook.
type Channel struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Kind      string    `json:"kind"` // smtp, dingtalk, wecom, feishu, webhook
	Name      string    `json:"name"`
	Config    string    `json:"-"` // JSON of notify.Config; holds secrets, never shown
	Carries   string    `json:"carries"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Delivery is one message queued for, sent by or failed on a channel.
type Delivery struct {
	ID             string     `json:"id"`
	OrgID          string     `json:"org_id"`
	ChannelID      string     `json:"channel_id"`
	NotificationID string     `json:"notification_id"`
	Message        string     `json:"message"` // JSON of notify.Message
	Status         string     `json:"status"`  // pending, sent, failed
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	LastError      string     `json:"last_error"`
	CreatedAt      time.Time  `json:"created_at"`
	SentAt         *time.Time `json:"sent_at"`
}
