package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestPutOpen(t *testing.T) {
	l := Local{Dir: t.TempDir()}
	content := "巡检记录：温湿度正常\n"
	sum, n, err := l.Put(strings.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(content))
	if sum != hex.EncodeToString(want[:]) || n != int64(len(content)) {
		t.Fatalf("sum %s size %d", sum, n)
	}
	// Storing it again is a no-op with the same name.
	if again, _, err := l.Put(strings.NewReader(content), 1<<20); err != nil || again != sum {
		t.Fatalf("again: %s %v", again, err)
	}
	f, err := l.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if string(b) != content {
		t.Fatalf("read %q", b)
	}
	if _, _, err := l.Put(strings.NewReader(strings.Repeat("x", 11)), 10); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("limit: %v", err)
	}
	entries, _ := os.ReadDir(l.Dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".upload-") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
	if _, err := l.Open("../../etc/passwd"); err == nil {
		t.Fatal("path outside the store opened")
	}
}
