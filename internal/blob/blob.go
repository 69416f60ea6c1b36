// Package blob keeps the bytes of attachments, content-addressed by
// SHA-256: the same file uploaded twice is stored once, and a stored file
// can be checked against its name. Metadata (who, what, for which record)
// lives in the database; this package only stores and opens bytes.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Local stores blobs in a directory: <dir>/<first two hex>/<sha256>.
type Local struct{ Dir string }

// ErrTooLarge means the content exceeded the limit given to Put.
var ErrTooLarge = errors.New("blob: content too large")

// Put stores the content of r (at most limit bytes) and returns its
// SHA-256 in hex and its size. The file appears under its name only when
// complete (write to a temporary file, sync, rename).
func (l Local) Put(r io.Reader, limit int64) (string, int64, error) {
	if err := os.MkdirAll(l.Dir, 0o750); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(l.Dir, ".upload-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	final := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return "", 0, err
	}
	if _, err := os.Stat(final); err == nil {
		return sum, n, nil // already stored
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, err
	}
	return sum, n, nil
}

// Open opens a stored blob.
func (l Local) Open(sum string) (*os.File, error) {
	if len(sum) != 64 {
		return nil, fmt.Errorf("blob: bad name %q", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return nil, fmt.Errorf("blob: bad name %q", sum)
	}
	return os.Open(l.path(sum))
}

func (l Local) path(sum string) string { return filepath.Join(l.Dir, sum[:2], sum) }
