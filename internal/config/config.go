// Package config reads the server's configuration from the environment
// (ISMS_*, with *_FILE variants for secrets) and command-line flags, which
// win. The result is validated once and passed explicitly; nothing here is
// global.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// Config is everything the server needs to start.
type Config struct {
	Addr      string // HTTP listen address
	DB        string // SQLite path or postgres:// DSN
	DataDir   string // where the SQLite file and local data live
	LogFormat string // "text" or "json"
	LogLevel  string // "debug", "info", "warn", "error"
}

// Var documents one setting, for flags and `isms help`.
type Var struct {
	Env, Flag, Default, Help string
}

// Vars lists every setting.
var Vars = []Var{
	{"ISMS_ADDR", "addr", "127.0.0.1:8080", "HTTP listen address"},
	{"ISMS_DB", "db", "<data-dir>/isms.db", "SQLite file path, or a postgres:// DSN (ISMS_DB_FILE reads it from a file)"},
	{"ISMS_DATA_DIR", "data-dir", "isms-data", "directory for the SQLite database and local data"},
	{"ISMS_LOG_FORMAT", "log-format", "text", "log format: text or json"},
	{"ISMS_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error"},
}

// Flags registers the settings on fs, with defaults from env (looked up by
// getenv), and returns a function that yields the validated Config after
// fs.Parse.
func Flags(fs *flag.FlagSet, getenv func(string) string) func() (Config, error) {
	var c Config
	val := func(env, def string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", val("ISMS_ADDR", "127.0.0.1:8080"), "HTTP listen address (env ISMS_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", val("ISMS_DATA_DIR", "isms-data"), "data directory (env ISMS_DATA_DIR)")
	fs.StringVar(&c.DB, "db", getenv("ISMS_DB"), "SQLite path or postgres:// DSN (env ISMS_DB or ISMS_DB_FILE; default <data-dir>/isms.db)")
	fs.StringVar(&c.LogFormat, "log-format", val("ISMS_LOG_FORMAT", "text"), "log format: text or json (env ISMS_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", val("ISMS_LOG_LEVEL", "info"), "log level (env ISMS_LOG_LEVEL)")
	return func() (Config, error) {
		if c.DB == "" {
			if file := getenv("ISMS_DB_FILE"); file != "" {
				b, err := os.ReadFile(file)
				if err != nil {
					return c, fmt.Errorf("ISMS_DB_FILE: %w", err)
				}
				c.DB = strings.TrimSpace(string(b))
			}
		}
		if c.DB == "" {
			c.DB = filepath.Join(c.DataDir, "isms.db")
		}
		return c, c.Validate()
	}
}

// Validate checks every setting and names the one that is wrong.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want host:port (%v)", c.Addr, err))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data-dir: must not be empty"))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log-format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if strings.Contains(c.DB, "://") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") && !strings.HasPrefix(c.DB, "sqlite://") {
		errs = append(errs, fmt.Errorf("db: only SQLite paths and postgres:// DSNs are supported"))
	}
	return errors.Join(errs...)
}
