// Package trail makes the audit trail tamper-evident: the canonical
// encoding of an entry, the hash chain that links entries, and the walk
// that verifies a chain.
//
// Storage lives in package store; this package never touches a database,
// so the chain's rules can be read and tested on their own.
package trail

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"time"

	"openisms/internal/isms"
)

// AlgSHA256 is the default hash algorithm. Every entry names its
// algorithm so an installation can move to SM3 without breaking old links.
const AlgSHA256 = "sha256"

// GenesisHash is the prev_hash of the first entry.
const GenesisHash = ""

// timeLayout fixes the fractional digits so the encoding of a time is one
// string, whatever the engine returns.
const timeLayout = "2006-01-02T15:04:05.000000Z"

var algorithms = map[string]func() hash.Hash{
	AlgSHA256: sha256.New,
}

// Canonical appends the canonical encoding of e (every field but Hash and
// PrevHash) to dst. Each field is its length as a uvarint and then its
// bytes, in a fixed order, so no two different entries encode alike.
func Canonical(dst []byte, e *isms.AuditEntry) []byte {
	dst = append(dst, "isms-trail-v1"...)
	dst = field(dst, strconv.FormatInt(e.Seq, 10))
	dst = timeField(dst, e.At)
	dst = field(dst, e.OrgID)
	dst = field(dst, e.Actor)
	dst = field(dst, e.ActorName)
	dst = field(dst, e.Action)
	dst = field(dst, e.EntityType)
	dst = field(dst, e.EntityID)
	dst = field(dst, e.Summary)
	dst = field(dst, e.Data)
	dst = field(dst, e.IP)
	dst = field(dst, e.Alg)
	return dst
}

// timeField appends the time as a field in timeLayout, written by hand:
// time.Format is the largest single cost of verifying a long trail.
func timeField(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	if year < 0 || year > 9999 {
		return field(dst, t.Format(timeLayout))
	}
	dst = append(dst, 27) // len("2006-01-02T15:04:05.000000Z")
	dst = appendDigits(dst, year, 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int(month), 2)
	dst = append(dst, '-')
	dst = appendDigits(dst, day, 2)
	dst = append(dst, 'T')
	dst = appendDigits(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, min, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec, 2)
	dst = append(dst, '.')
	dst = appendDigits(dst, t.Nanosecond()/1000, 6)
	return append(dst, 'Z')
}

func appendDigits(dst []byte, v, width int) []byte {
	var buf [8]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[:width]...)
}

func field(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Compute returns the hex hash of e chained to e.PrevHash, with buf as
// scratch space (it may be nil; it is returned grown for reuse).
func Compute(e *isms.AuditEntry, buf []byte) (string, []byte, error) {
	newHash, ok := algorithms[e.Alg]
	if !ok {
		return "", buf, fmt.Errorf("trail: unknown hash algorithm %q", e.Alg)
	}
	h := newHash()
	buf = append(buf[:0], e.PrevHash...)
	buf = Canonical(buf, e)
	h.Write(buf)
	var sum [64]byte
	return hex.EncodeToString(h.Sum(sum[:0])), buf, nil
}

// Seal links e after prevHash: it sets PrevHash, Alg (if empty) and Hash.
func Seal(e *isms.AuditEntry, prevHash string) error {
	if e.Alg == "" {
		e.Alg = AlgSHA256
	}
	e.At = isms.Normalize(e.At)
	e.PrevHash = prevHash
	h, _, err := Compute(e, nil)
	if err != nil {
		return err
	}
	e.Hash = h
	return nil
}
