// Package notify delivers messages outside the program: email over SMTP,
// and group robots of DingTalk, WeCom and Feishu, or any JSON webhook. It
// knows wire formats and signatures; what to send and when is decided by
// the service, which queues deliveries and retries them.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Kinds of channel.
const (
	SMTP     = "smtp"
	DingTalk = "dingtalk"
	WeCom    = "wecom"
	Feishu   = "feishu"
	Webhook  = "webhook"
)

// Kinds lists every channel kind.
var Kinds = []string{SMTP, DingTalk, WeCom, Feishu, Webhook}

// Config is a channel's settings; which fields matter depends on the kind.
type Config struct {
	URL      string `json:"url,omitempty"`    // robots and webhooks
	Secret   string `json:"secret,omitempty"` // DingTalk and Feishu signing secret
	Host     string `json:"host,omitempty"`   // SMTP
	Port     int    `json:"port,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	From     string `json:"from,omitempty"`
	TLS      string `json:"tls,omitempty"` // "none", "starttls" (default), "tls"
}

// Message is what is delivered.
type Message struct {
	To      string `json:"to,omitempty"` // email address
	Subject string `json:"subject"`
	Text    string `json:"text"`
	Link    string `json:"link,omitempty"`
	Kind    string `json:"kind,omitempty"`
}

// CheckURL refuses webhook addresses that are not https, except on the
// loopback interface (for testing).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("not a URL")
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && isLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("must be https")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DingTalkSign is DingTalk's custom-robot signature: Base64 of
// HMAC-SHA256 with the secret as key over "timestamp\nsecret", timestamp
// in milliseconds.
func DingTalkSign(secret string, timestampMS int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMS, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// FeishuSign is Feishu's custom-bot signature: Base64 of HMAC-SHA256 with
// "timestamp\nsecret" as key over an empty message, timestamp in seconds.
func FeishuSign(secret string, timestampS int64) string {
	mac := hmac.New(sha256.New, []byte(strconv.FormatInt(timestampS, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Sender delivers messages.
type Sender struct {
	HTTP *http.Client
	Now  func() time.Time
}

// NewSender returns a sender with a bounded HTTP client.
func NewSender() *Sender {
	return &Sender{HTTP: &http.Client{Timeout: 15 * time.Second}, Now: time.Now}
}

// Send delivers m through a channel of kind with cfg. The error says why a
// delivery failed, for the delivery log.
func (s *Sender) Send(ctx context.Context, kind string, cfg Config, m Message) error {
	text := m.Subject
	if m.Text != "" {
		text += "\n" + m.Text
	}
	switch kind {
	case SMTP:
		return sendMail(cfg, m)
	case DingTalk:
		u := cfg.URL
		if cfg.Secret != "" {
			ts := s.Now().UnixMilli()
			u += sep(u) + "timestamp=" + strconv.FormatInt(ts, 10) + "&sign=" + url.QueryEscape(DingTalkSign(cfg.Secret, ts))
		}
		return s.post(ctx, u, map[string]any{"msgtype": "text", "text": map[string]string{"content": text}}, "errcode")
	case WeCom:
		return s.post(ctx, cfg.URL, map[string]any{"msgtype": "text", "text": map[string]string{"content": text}}, "errcode")
	case Feishu:
		body := map[string]any{"msg_type": "text", "content": map[string]string{"text": text}}
		if cfg.Secret != "" {
			ts := s.Now().Unix()
			body["timestamp"] = strconv.FormatInt(ts, 10)
			body["sign"] = FeishuSign(cfg.Secret, ts)
		}
		return s.post(ctx, cfg.URL, body, "code")
	case Webhook:
		return s.post(ctx, cfg.URL, m, "")
	}
	return fmt.Errorf("unknown channel kind %q", kind)
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// post sends JSON and checks the answer: a 2xx status and, for robots, a
// zero error code in the field named codeField.
func (s *Sender) post(ctx context.Context, u string, body any, codeField string) error {
	if err := CheckURL(u); err != nil {
		return fmt.Errorf("webhook URL %s", err)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := s.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d: %s", res.StatusCode, strings.TrimSpace(string(answer)))
	}
	if codeField == "" {
		return nil
	}
	var reply map[string]any
	if err := json.Unmarshal(answer, &reply); err != nil {
		return fmt.Errorf("unreadable answer: %s", strings.TrimSpace(string(answer)))
	}
	if code, ok := reply[codeField].(float64); ok && code != 0 {
		msg, _ := reply["errmsg"].(string)
		if msg == "" {
			msg, _ = reply["msg"].(string)
		}
		return fmt.Errorf("%s %v: %s", codeField, code, msg)
	}
	return nil
}

// sendMail sends one plain-text message.
func sendMail(cfg Config, m Message) error {
	if cfg.Host == "" || cfg.From == "" || m.To == "" {
		return fmt.Errorf("SMTP host, sender and recipient are required")
	}
	port := cfg.Port
	if port == 0 {
		port = 587
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(port))
	body := "From: " + cfg.From + "\r\nTo: " + m.To + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", m.Subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(m.Text, "\n", "\r\n") + "\r\n"
	var conn net.Conn
	var err error
	dialer := &net.Dialer{Timeout: 15 * time.Second}
	if cfg.TLS == "tls" {
		conn, err = tls.DialWithDialer(dialer, "tcp", addr, &tls.Config{ServerName: cfg.Host})
	} else {
		conn, err = dialer.Dial("tcp", addr)
	}
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if cfg.TLS != "none" && cfg.TLS != "tls" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(&tls.Config{ServerName: cfg.Host}); err != nil {
				return err
			}
		} else if !isLoopback(cfg.Host) {
			return fmt.Errorf("server offers no STARTTLS; set tls to none to send in clear")
		}
	}
	if cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
