package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"openisms/internal/isms"
)

// The decoder turns any body into a value or an *isms.Error, never a panic
// or an unclassified error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{"name":1}`, `[]`, `{`, `{"a":1}`, `{"name":"x"} x`, ``, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var v struct {
			Name string   `json:"name"`
			N    int      `json:"n"`
			Tags []string `json:"tags"`
		}
		err := decode(r, &v)
		var e *isms.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
		if e != nil && e.Code != isms.CodeInvalid {
			t.Fatalf("code %s", e.Code)
		}
	})
}

func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor("张三", "0192e4a0-0000-7000-8000-000000000001"))
	f.Add("bm9wZQ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err == nil && !isms.ValidID(c.ID) {
			t.Fatalf("cursor %q decoded to invalid id %q", s, c.ID)
		}
	})
}
