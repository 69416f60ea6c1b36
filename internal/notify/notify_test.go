package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"openisms/internal/testutil"
)

// Vectors computed outside Go (Python's hmac and base64) with the
// secret "SEC1234567890abcdef".
func TestSignatures(t *testing.T) {
	const secret = "SEC1234567890abcdef"
	if got := DingTalkSign(secret, 1600000000000); got != "JE4Qwn5uW8ezwMf3yMAJj3Yuw3a1YkV4RfPVBN6DuXc=" {
		t.Errorf("DingTalk: %s", got)
	}
	if got := FeishuSign(secret, 1600000000); got != "DiNdZndShkGXgNOTox2gQ/ecBMDZm75Pq43QG3CEusg=" {
		t.Errorf("Feishu: %s", got)
	}
}

func TestCheckURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://oapi.dingtalk.com/robot/send?access_token=x": true,
		"http://127.0.0.1:8080/hook":                          true,
		"http://localhost/hook":                               true,
		"http://[::1]/hook":                                   true,
		"http://example.com/hook":                             false,
		"ftp://example.com":                                   false,
		"not a url":                                           false,
	} {
		if (CheckURL(u) == nil) != ok {
			t.Errorf("%s: %v", u, CheckURL(u))
		}
	}
}

func TestRobots(t *testing.T) {
	var mu sync.Mutex
	var got []*http.Request
	var bodies []map[string]any
	reply := `{"errcode":0,"errmsg":"ok"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		mu.Lock()
		got, bodies = append(got, r), append(bodies, m)
		rep := reply
		mu.Unlock()
		_, _ = io.WriteString(w, rep)
	}))
	defer srv.Close()
	s := NewSender()
	s.Now = func() time.Time { return time.UnixMilli(1600000000000) }
	ctx := context.Background()
	msg := Message{Subject: "逾期升级：登录日志审查", Text: "Login log review"}

	if err := s.Send(ctx, DingTalk, Config{URL: srv.URL + "/robot/send?access_token=t", Secret: "SEC1234567890abcdef"}, msg); err != nil {
		t.Fatal(err)
	}
	q := got[0].URL.Query()
	if q.Get("timestamp") != "1600000000000" || q.Get("sign") != "JE4Qwn5uW8ezwMf3yMAJj3Yuw3a1YkV4RfPVBN6DuXc=" || q.Get("access_token") != "t" {
		t.Fatalf("DingTalk query: %v", q)
	}
	if bodies[0]["msgtype"] != "text" || !strings.Contains(bodies[0]["text"].(map[string]any)["content"].(string), "登录日志审查") {
		t.Fatalf("DingTalk body: %v", bodies[0])
	}

	reply = `{"code":0,"msg":"success"}`
	if err := s.Send(ctx, Feishu, Config{URL: srv.URL + "/hook", Secret: "SEC1234567890abcdef"}, msg); err != nil {
		t.Fatal(err)
	}
	if bodies[1]["timestamp"] != "1600000000" || bodies[1]["sign"] != "DiNdZndShkGXgNOTox2gQ/ecBMDZm75Pq43QG3CEusg=" || bodies[1]["msg_type"] != "text" {
		t.Fatalf("Feishu body: %v", bodies[1])
	}

	reply = `{"errcode":93000,"errmsg":"invalid webhook url"}`
	if err := s.Send(ctx, WeCom, Config{URL: srv.URL + "/wecom"}, msg); err == nil || !strings.Contains(err.Error(), "93000") {
		t.Fatalf("WeCom error code: %v", err)
	}
	if err := s.Send(ctx, Webhook, Config{URL: "http://example.com/x"}, msg); err == nil || !strings.Contains(err.Error(), "https") {
		t.Fatalf("plain http to a remote host: %v", err)
	}
}

func TestWebhookStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusInternalServerError)
	}))
	defer srv.Close()
	err := NewSender().Send(context.Background(), Webhook, Config{URL: srv.URL}, Message{Subject: "x"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("500: %v", err)
	}
}

func TestEmail(t *testing.T) {
	mb := testutil.StartMailSink(t)
	err := NewSender().Send(context.Background(), SMTP, Config{Host: mb.Host, Port: mb.Port, From: "isms@example.cn", TLS: "none"},
		Message{To: "wang@example.cn", Subject: "逾期升级：服务器月度检查", Text: "请尽快处理。\nhttps://isms.example.cn/tasks/1"})
	if err != nil {
		t.Fatal(err)
	}
	to, msgs := mb.Received()
	if len(msgs) != 1 || to[0] != "wang@example.cn" {
		t.Fatalf("received %d messages to %v", len(msgs), to)
	}
	msg := msgs[0]
	if !strings.Contains(msg, "Subject: =?utf-8?q?") || !strings.Contains(msg, "请尽快处理。\r\n") {
		t.Fatalf("message: %q", msg)
	}
}
