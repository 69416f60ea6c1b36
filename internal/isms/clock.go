package isms

import (
	"sync"
	"time"
)

// Clock tells the time. Code that needs "now" takes a Clock so tests can
// control deadlines, lockouts and expiries.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock. Times are UTC and truncated to microseconds,
// the precision both database engines keep, so a value reads back equal.
type SystemClock struct{}

// Now returns the current time in UTC at microsecond precision.
func (SystemClock) Now() time.Time { return Normalize(time.Now()) }

// Normalize returns t in UTC truncated to microseconds.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// FakeClock is a settable clock for tests.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock returns a FakeClock set to t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{t: Normalize(t)} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
