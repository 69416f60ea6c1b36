package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// appendEntries writes n entries, one transaction each.
func appendEntries(t testing.TB, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			return tx.AppendAudit(ctx, &isms.AuditEntry{At: base.Add(time.Duration(i) * time.Second), OrgID: "org-1",
				Actor: "cli:test", ActorName: "测试", Action: "person.create", EntityType: "person",
				EntityID: fmt.Sprintf("p-%d", i), Summary: fmt.Sprintf("张三 %d", i), Data: `{"n":1}`})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs SQL on the trail with its append-only guard lifted, as an
// attacker with database access could.
func tamper(t *testing.T, st *store.Store, stmts ...string) {
	t.Helper()
	db := st.DB()
	var pre, post []string
	if st.Engine == store.Postgres {
		pre = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER"}
		post = []string{"ALTER TABLE audit_log ENABLE TRIGGER USER"}
	} else {
		pre = []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	}
	for _, s := range append(append(pre, stmts...), post...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestTrailRefusesChanges(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		appendEntries(t, st, 3)
		for _, s := range []string{
			"UPDATE audit_log SET summary = 'x' WHERE seq = 2",
			"DELETE FROM audit_log WHERE seq = 3",
		} {
			if _, err := st.DB().Exec(s); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want append-only refusal", s, err)
			}
		}
		if st.Engine == store.Postgres {
			if _, err := st.DB().Exec("TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE allowed")
			}
		}
	})
}

func TestVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name    string
		sql     []string
		wantSeq int64
	}{
		{"edit a field", []string{"UPDATE audit_log SET summary = '李四 4' WHERE seq = 5"}, 5},
		{"edit the actor", []string{"UPDATE audit_log SET actor = 'someone' WHERE seq = 7"}, 7},
		{"delete an entry", []string{"DELETE FROM audit_log WHERE seq = 4"}, 5},
		{"delete the last entry and recompute nothing", []string{"DELETE FROM audit_log WHERE seq = 10"}, 0},
		{"swap two entries", []string{
			"UPDATE audit_log SET seq = -1 WHERE seq = 3",
			"UPDATE audit_log SET seq = 3 WHERE seq = 6",
			"UPDATE audit_log SET seq = 6 WHERE seq = -1"}, 3},
		{"insert an entry", []string{
			"INSERT INTO audit_log (seq, at, org_id, actor, action, alg, prev_hash, hash) " +
				"SELECT 11, at, org_id, actor, 'person.archive', alg, hash, 'forged' FROM audit_log WHERE seq = 10"}, 11},
		{"insert in the middle", []string{
			"UPDATE audit_log SET seq = seq + 100 WHERE seq > 5",
			"INSERT INTO audit_log (seq, at, org_id, actor, action, alg, prev_hash, hash) " +
				"SELECT 6, at, org_id, actor, 'person.archive', alg, hash, 'forged' FROM audit_log WHERE seq = 5"}, 6},
		{"rehash an edited entry", []string{"UPDATE audit_log SET summary = 'x', hash = prev_hash WHERE seq = 2"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
				appendEntries(t, st, 10)
				res, err := st.VerifyAudit(context.Background())
				if err != nil || res.Break != nil || res.Count != 10 {
					t.Fatalf("before tampering: %+v %v", res, err)
				}
				tamper(t, st, tc.sql...)
				res, err = st.VerifyAudit(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if tc.wantSeq == 0 {
					// Cutting off the tail leaves a valid shorter chain; the
					// head hash differs from the one recorded before.
					if res.Count != 9 {
						t.Fatalf("count %d", res.Count)
					}
					return
				}
				if res.Break == nil {
					t.Fatalf("tampering not detected: %+v", res)
				}
				if res.Break.Seq != tc.wantSeq {
					t.Fatalf("break at %d (%s), want %d", res.Break.Seq, res.Break.Reason, tc.wantSeq)
				}
			})
		})
	}
}

// Entries appended after a tampered one still chain to it: verification
// names the first break, not the last.
func TestVerifyNamesFirstBreak(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		appendEntries(t, st, 2000)
		tamper(t, st, "UPDATE audit_log SET data = '{}' WHERE seq = 1500", "UPDATE audit_log SET data = '{}' WHERE seq = 700")
		res, err := st.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Break == nil || res.Break.Seq != 700 {
			t.Fatalf("break %+v, want 700", res.Break)
		}
	})
}

// Appends from concurrent transactions form one unbroken chain.
func TestConcurrentAppends(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		errs := make(chan error, 8)
		for w := range 8 {
			go func() {
				for i := range 25 {
					err := st.InTx(ctx, func(tx *store.Tx) error {
						for k := range 2 {
							if err := tx.AppendAudit(ctx, &isms.AuditEntry{At: time.Now(), Actor: "w", Action: "test",
								Summary: fmt.Sprintf("%d/%d/%d", w, i, k)}); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		res, err := st.VerifyAudit(ctx)
		if err != nil || res.Break != nil || res.Count != 400 {
			t.Fatalf("verify: %+v %v", res, err)
		}
	})
}
