package service

import (
	"context"
	"fmt"

	"openisms/internal/isms"
)

// The register's counts — how many risks match a filter and the heat
// map — and its pages are kept between requests (Service.counts and
// Service.pages). Keys carry the organization's risk stamp, which every
// write of a risk moves on in the same transaction (store.touchRisks), as
// does renaming an asset, threat or vulnerability (database triggers), so
// a kept entry is never stale and several instances on one database stay
// right without talking to each other.
type countKey struct {
	org    string
	stamp  int64
	filter string // the filter (for counts without paging and sort)
}

type countEntry struct {
	total   int
	heatMap [5][5]int
	hasMap  bool
	stamp   int64 // the stamp it was read under
}

// maxCounts bounds each of the two (filters are few, stamps move on).
const maxCounts = 2048

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
	e := countEntry{stamp: stamp}
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

// registerPage returns a page of the register's lines under the stamp
// its counts were read under, read once per stamp. A page read after a
// write committed is newer than its key, never older, and is only served
// to requests that read the older stamp.
func (s *Service) registerPage(ctx context.Context, f isms.RiskFilter, stamp int64) ([]isms.RiskLine, error) {
	k := countKey{org: f.OrgID, stamp: stamp, filter: fmt.Sprintf("%+v", f)}
	if ls, ok := s.pages.get(k); ok {
		return ls, nil
	}
	ls, err := s.st.RiskLines(ctx, f)
	if err != nil {
		return nil, err
	}
	s.pages.put(k, ls)
	return ls, nil
}
