package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	get := Flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return get()
}

func TestDefaults(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "isms-data" || c.DB != filepath.Join("isms-data", "isms.db") || c.LogFormat != "text" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	env := map[string]string{"ISMS_ADDR": "0.0.0.0:9000", "ISMS_DATA_DIR": "/var/lib/isms", "ISMS_DB": "postgres://u@h/db"}
	c, err := parse(t, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DB != "postgres://u@h/db" {
		t.Fatalf("env not applied: %+v", c)
	}
	c, err = parse(t, env, "-addr", "127.0.0.1:7000", "-db", "/tmp/x.db")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DB != "/tmp/x.db" {
		t.Fatalf("flags did not win: %+v", c)
	}
}

func TestDBFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "dsn")
	if err := os.WriteFile(f, []byte("postgres://secret@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := parse(t, map[string]string{"ISMS_DB_FILE": f})
	if err != nil || c.DB != "postgres://secret@h/db" {
		t.Fatalf("got %+v, %v", c, err)
	}
}

func TestValidateNamesTheSetting(t *testing.T) {
	cases := map[string][]string{
		"addr":       {"-addr", "localhost"},
		"log-format": {"-log-format", "xml"},
		"log-level":  {"-log-level", "loud"},
		"db":         {"-db", "mysql://x"},
	}
	for name, args := range cases {
		_, err := parse(t, nil, args...)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v does not name %s", args, err, name)
		}
	}
}
