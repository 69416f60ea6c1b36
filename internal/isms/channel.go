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

// Attachment is a file attached to a record; its bytes are in the blob
// store under SHA256.
type Attachment struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	OwnerType   string    `json:"owner_type"` // "task", …
	OwnerID     string    `json:"owner_id"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}
