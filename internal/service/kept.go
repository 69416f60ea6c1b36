package service

import "sync"

// kept is what the service keeps in memory between requests: values
// under keys that carry a stamp the database moves on with every change
// they depend on, so a kept value is never stale, only unread once its
// stamp has moved. It holds at most max entries and, when full, starts
// again: old stamps are never asked for, so no eviction order is needed.
type kept[K comparable, V any] struct {
	mu  sync.Mutex
	max int
	m   map[K]V
}

func newKept[K comparable, V any](max int) *kept[K, V] { return &kept[K, V]{max: max} }

func (c *kept[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *kept[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}
