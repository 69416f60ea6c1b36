package store

import "context"

// Counts are the sizes of an organization's registers, for the workbench.
type Counts struct {
	Organizations int // in the subtree
	Departments   int
	People        int // not archived, still working
	Accounts      int
}

// CountRegisters counts the live rows of each register of one organization
// (and the organizations in its subtree) in one round trip.
func (s *Store) CountRegisters(ctx context.Context, orgID, orgPath string) (Counts, error) {
	lo, hi := subtreeRange(orgPath)
	var c Counts
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM organizations WHERE path >= $2 AND path < $3 AND archived_at IS NULL),
		(SELECT count(*) FROM departments WHERE org_id = $1 AND archived_at IS NULL),
		(SELECT count(*) FROM people WHERE org_id = $1 AND archived_at IS NULL AND status = 'active'),
		(SELECT count(*) FROM accounts WHERE org_id = $1 AND archived_at IS NULL)`, orgID, lo, hi).
		Scan(&c.Organizations, &c.Departments, &c.People, &c.Accounts)
	return c, mapErr(err)
}
