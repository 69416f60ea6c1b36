package service

import (
	"context"
	"fmt"
	"sync"

	"openisms/internal/isms"
)

// riskCounts keeps what a register filter counts — how many risks match
// and the heat map — between requests. Entries are keyed by the
// organization's risk stamp, which every write of a risk moves on in the
// same transaction (store.touchRisks), so a kept count is never stale and
// several instances on one database stay right without talking to each
// other.
type riskCounts struct {
	mu sync.Mutex
	m  map[countKey]countEntry
}

type countKey struct {
	org    string
	stamp  int64
	filter string // the filter without paging and sort
}

type countEntry struct {
	total   int
	heatMap [5][5]int
	hasMap  bool
}

// maxCounts bounds the cache; when full it starts again (filters are
// few, stamps move on).
const maxCounts = 2048

func (c *riskCounts) get(k countKey) (countEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	return e, ok
}

func (c *riskCounts) put(k countKey, e countEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCounts {
		c.m = map[countKey]countEntry{}
	}
	c.m[k] = e
}

// countsOf returns the total and (when asked) the heat map of the risks
// matching f, computed once per stamp.
func (s *Service) countsOf(ctx context.Context, f isms.RiskFilter, withMap bool) (countEntry, error) {
	stamp, err := s.st.RiskStamp(ctx, f.OrgID)
	if err != nil {
		return countEntry{}, err
	}
	g := f
	g.Offset, g.Limit, g.Sort, g.Desc = 0, 0, "", false
	k := countKey{org: f.OrgID, stamp: stamp, filter: fmt.Sprintf("%+v", g)}
	if e, ok := s.counts.get(k); ok && (e.hasMap || !withMap) {
		return e, nil
	}
	var e countEntry
	if withMap {
		// The heat map's cells add up to the total when no cell is
		// chosen; with a cell, the total is that cell's count.
		if e.heatMap, err = s.st.HeatMap(ctx, f); err != nil {
			return e, err
		}
		e.hasMap = true
		if f.CellL > 0 && f.CellF > 0 {
			e.total = e.heatMap[f.CellL-1][f.CellF-1]
		} else {
			for _, row := range e.heatMap {
				for _, n := range row {
					e.total += n
				}
			}
		}
	} else if e.total, err = s.st.CountRisks(ctx, f); err != nil {
		return e, err
	}
	s.counts.put(k, e)
	return e, nil
}
