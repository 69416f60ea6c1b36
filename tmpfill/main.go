package main

import (
	"context"
	"os"
	"strconv"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

func main() {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	n, _ := strconv.Atoi(os.Args[2])
	for done := 0; done < n; {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for k := 0; k < 20000 && done < n; k++ {
				done++
				if err := tx.AppendAudit(ctx, &isms.AuditEntry{At: time.Now(), OrgID: "0192e4a0-0000-7000-8000-000000000001", Actor: "0192e4a0-0000-7000-8000-000000000002",
					ActorName: "zhangsan", Action: "person.update", EntityType: "person", EntityID: "0192e4a0-0000-7000-8000-000000000003",
					Summary: "王建国 E" + strconv.Itoa(done), Data: `{"post":["网络管理员","网络主管"]}`, IP: "10.1.2.3"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			panic(err)
		}
	}
	st.Close()
}
