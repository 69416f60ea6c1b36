package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"openisms/internal/store"
)

func main() {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	f, _ := os.Create("/tmp/verify.prof")
	pprof.StartCPUProfile(f)
	for range 3 {
		t := time.Now()
		res, err := st.VerifyAudit(ctx)
		fmt.Println(res.Count, res.Break, err, time.Since(t))
	}
	pprof.StopCPUProfile()
}
