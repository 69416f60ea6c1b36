// Command isms is OpenISMS: the server and its administration commands.
//
//	isms serve | migrate | init | user | token | audit verify | demo | version | help
//
// Every command reads the same configuration (env ISMS_*, flags win); run
// "isms help" or "isms CMD -h" for the options.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"openisms/internal/app"
	"openisms/internal/config"
	"openisms/internal/demo"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/load"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
	"openisms/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name, usage, help string
	run               func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what a command gets: its flag set, streams and the parsed
// configuration.
type cmdEnv struct {
	fs       *flag.FlagSet
	cfg      func() (config.Config, error)
	stdin    io.Reader
	out, err io.Writer
}

func commands() []command {
	return []command{
		{"serve", "isms serve [flags]", "Run the HTTP server (API, /healthz, /readyz). Migrates the database first.", cmdServe},
		{"migrate", "isms migrate [flags]", "Apply pending database migrations and exit.", cmdMigrate},
		{"init", "isms init -org NAME [-template T] [-mode split|owner] [-short S] [-credit-code C] [flags]", "Create the first organization and its administrator accounts (三员, or one interim owner); prints their passwords.", cmdInit},
		{"template", "isms template list | apply -org ID -name T | export -org ID [-name T] [flags]", "List the organization templates, apply one to an organization (adds what is missing), or write an organization's structure as a template (YAML on standard output).", cmdTemplate},
		{"role", "isms role grant|revoke|list -user U [-role R] [flags]", "Grant or revoke roles from the console (bootstrap and recovery; every change is audited).", cmdRole},
		{"user", "isms user add|passwd|disable|list [flags]", "Manage sign-in accounts.", cmdUser},
		{"token", "isms token create|revoke [flags]", "Issue or revoke API tokens.", cmdToken},
		{"framework", "isms framework list -org ID | import -org ID [-code C] [-format csv|oscal|yaml] FILE | export -org ID [-format csv|oscal] CODE", "List the control frameworks an organization sees, import a framework file (a file with the code of an imported framework updates it in place and prints what changed), or write one to standard output.", cmdFramework},
		{"audit", "isms audit verify [flags]", "Verify the audit trail's hash chain.", cmdAudit},
		{"demo", "isms demo [-size small|large] [flags]", "Fill an empty database with a demo organization tree; prints the sign-in.", cmdDemo},
		{"load", "isms load -user U [-password P] [-c 16] [-d 30s | -n N] [-url http://127.0.0.1:8080] PATH...", "Measure a running server on this machine: N signed-in clients request the paths in turn; prints throughput and p50/p90/p99 latencies.", cmdLoad},
		{"version", "isms version", "Print the version.", nil},
		{"help", "isms help [CMD]", "Explain the commands and settings.", nil},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "isms", version)
		return 0
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			return run(ctx, []string{rest[0], "-h"}, stdin, stdout, stderr)
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		fs := flag.NewFlagSet("isms "+name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		env := &cmdEnv{fs: fs, cfg: config.Flags(fs, os.Getenv), stdin: stdin, out: stdout, err: stderr}
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s\n\nOptions:\n", c.usage, c.help)
			fs.PrintDefaults()
		}
		if err := c.run(ctx, env, rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var exit exitError
			if errors.As(err, &exit) {
				return int(exit)
			}
			fmt.Fprintln(stderr, "isms "+name+":", describe(err))
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "isms: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

// exitError ends a command with a status and no further message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// describe renders an error for the console: domain errors in Chinese and
// English with their fields, others as they are.
func describe(err error) string {
	var e *isms.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(i18n.T(i18n.EN, e.Message) + " / " + i18n.T(i18n.ZH, e.Message))
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s / %s", f.Field, i18n.T(i18n.EN, f.Msg), i18n.T(i18n.ZH, f.Msg))
	}
	return b.String()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "OpenISMS — information security management system (ISO/IEC 27001, MLPS)")
	fmt.Fprintln(w, "\nUsage: isms <command> [flags]\n\nCommands:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.help)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nSettings (environment variable / flag / default):")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, v := range config.Vars {
		fmt.Fprintf(tw, "  %s\t-%s\t%s\t%s\n", v.Env, v.Flag, v.Default, v.Help)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nRun 'isms <command> -h' for a command's options.")
}

// open parses flags and opens the migrated store.
func (e *cmdEnv) open(ctx context.Context, args []string) (*service.Service, *store.Store, config.Config, error) {
	if err := e.fs.Parse(args); err != nil {
		return nil, nil, config.Config{}, err
	}
	cfg, err := e.cfg()
	if err != nil {
		return nil, nil, cfg, err
	}
	log := app.Logger(cfg)
	st, err := app.OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, cfg, err
	}
	return app.NewService(st, log, cfg.DataDir), st, cfg, nil
}

func cliActor() isms.Actor {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return isms.CLIActor(name)
}

func cmdServe(ctx context.Context, e *cmdEnv, args []string) error {
	demoFlag := e.fs.Bool("demo", false, "on an empty database, create the demo organization with one account per role and print their sign-ins")
	svc, st, cfg, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *demoFlag {
		if need, err := svc.NeedsSetup(ctx); err != nil {
			return err
		} else if need {
			res, err := demo.Run(ctx, svc, cliActor(), demo.Small, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.out, "demo data: %d organizations, %d departments, %d people\n", res.Organizations, res.Departments, res.People)
			printDemoAccounts(e.out, res)
		} else {
			fmt.Fprintln(e.out, "the database already has data: the demo accounts printed when it was created still apply")
		}
	}
	// A server's live heap is small and its garbage is mostly pages
	// already sent; at Go's default GOGC of 100 the register under load
	// spends a tenth of its CPU collecting. Unless the operator chose,
	// collect at 400 % (GOMEMLIMIT, when set, still caps the heap).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return app.Serve(ctx, ln, svc, app.Logger(cfg), *demoFlag, e.out)
}

func cmdMigrate(ctx context.Context, e *cmdEnv, args []string) error {
	_, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "schema at version %d (%s)\n", s.Current, st.Engine)
	return nil
}

func cmdInit(ctx context.Context, e *cmdEnv, args []string) error {
	org := e.fs.String("org", "", "organization name (required)")
	short := e.fs.String("short", "", "short name")
	code := e.fs.String("credit-code", "", "unified social credit code (统一社会信用代码)")
	mode := e.fs.String("mode", "split", "split: three administrator accounts (三员); owner: one interim owner account")
	tplName := e.fs.String("template", "", "set the organization up from a template: "+strings.Join(orgtemplate.Names(), ", "))
	svc, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *org == "" {
		return errors.New("-org is required")
	}
	var tpl *orgtemplate.Template
	if *tplName != "" {
		t, err := orgtemplate.Load(*tplName)
		if err != nil {
			return err
		}
		tpl = &t
	}
	res, err := svc.Bootstrap(ctx, cliActor(), service.BootstrapInput{
		Organization: isms.Organization{Name: *org, ShortName: *short, CreditCode: *code},
		Mode:         service.BootstrapMode(*mode), Template: tpl})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "organization: %s (%s)\n", res.Organization.Name, res.Organization.ID)
	if tpl != nil {
		r := res.Template
		fmt.Fprintf(e.out, "template %s: %d departments, %d matrix rows, %d marks, %d documents, %d record types, %d profile entries\n",
			tpl.Name, r.Departments, r.MatrixRows, r.Marks, r.Documents, r.RecordTypes, r.Profile)
	}
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tSIGN-IN NAME\tPASSWORD (change at first sign-in)")
	for _, a := range res.Accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Role, a.Account.Username, a.Password)
	}
	tw.Flush()
	if *mode == string(service.BootstrapOwner) {
		fmt.Fprintln(e.out, "warning: one owner account holds the three administrators' duties; split them (三员分立) before going live")
	}
	return nil
}

func cmdTemplate(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 {
		e.fs.Usage()
		return exitError(2)
	}
	sub, args := args[0], args[1:]
	if sub == "list" {
		for _, n := range orgtemplate.Names() {
			t, err := orgtemplate.Load(n)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.out, "%s\t%s / %s\n", n, t.TitleZH, t.TitleEN)
		}
		return nil
	}
	org := e.fs.String("org", "", "organization ID (required)")
	name := e.fs.String("name", "", "template name")
	svc, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "apply":
		t, err := orgtemplate.Load(*name)
		if err != nil {
			return err
		}
		r, err := svc.ApplyTemplate(ctx, cliActor(), *org, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "added %d departments, %d matrix rows, %d marks, %d documents, %d record types, %d profile entries\n",
			r.Departments, r.MatrixRows, r.Marks, r.Documents, r.RecordTypes, r.Profile)
	case "export":
		if *name == "" {
			*name = "custom"
		}
		t, err := svc.ExportTemplate(ctx, cliActor(), *org, *name)
		if err != nil {
			return err
		}
		b, err := orgtemplate.Marshal(t)
		if err != nil {
			return err
		}
		_, err = e.out.Write(b)
		return err
	default:
		e.fs.Usage()
		return exitError(2)
	}
	return nil
}

func cmdRole(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 {
		e.fs.Usage()
		return exitError(2)
	}
	sub, args := args[0], args[1:]
	username := e.fs.String("user", "", "sign-in name (required)")
	role := e.fs.String("role", "", "role: "+isms.JoinRoles(isms.GrantableRoles))
	svc, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	a := cliActor()
	acct, err := svc.AccountByUsername(ctx, a, *username)
	if err != nil {
		return err
	}
	switch sub {
	case "grant":
		if _, err := svc.GrantRole(ctx, a, acct.ID, isms.Role(*role)); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s now holds %s\n", acct.Username, *role)
	case "revoke":
		if _, err := svc.RevokeRole(ctx, a, acct.ID, isms.Role(*role)); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s no longer holds %s\n", acct.Username, *role)
	case "list":
		grants, err := svc.ListGrants(ctx, a, acct.ID)
		if err != nil {
			return err
		}
		for _, g := range grants {
			fmt.Fprintf(e.out, "%s\t%s\t%s\n", g.Role, g.Status, g.GrantedAt.Format(time.RFC3339))
		}
	default:
		return fmt.Errorf("unknown subcommand %q: want grant, revoke or list", sub)
	}
	return nil
}

func readPassword(e *cmdEnv, fromStdin bool) (string, error) {
	if !fromStdin {
		return "", nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func cmdUser(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 {
		e.fs.Usage()
		return exitError(2)
	}
	sub, args := args[0], args[1:]
	a := cliActor()
	switch sub {
	case "add":
		org := e.fs.String("org", "", "organization ID (required)")
		username := e.fs.String("username", "", "sign-in name (required)")
		name := e.fs.String("name", "", "display name")
		person := e.fs.String("person", "", "ID of the person this account belongs to")
		priv := e.fs.Bool("privileged", false, "administrator account (shorter password age)")
		stdin := e.fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		pw, err := readPassword(e, *stdin)
		if err != nil {
			return err
		}
		acct, gen, err := svc.CreateAccount(ctx, a, service.NewAccount{OrgID: *org, Username: *username, DisplayName: *name,
			PersonID: *person, Privileged: *priv, Password: pw})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "account %s created (%s)\n", acct.Username, acct.ID)
		if gen != "" {
			fmt.Fprintf(e.out, "password: %s  (must be changed at first sign-in)\n", gen)
		}
		return nil
	case "passwd":
		stdin := e.fs.Bool("password-stdin", false, "read the new password from standard input instead of generating one")
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		if e.fs.NArg() != 1 {
			return errors.New("usage: isms user passwd [-password-stdin] USERNAME")
		}
		acct, err := svc.AccountByUsername(ctx, a, e.fs.Arg(0))
		if err != nil {
			return err
		}
		pw, err := readPassword(e, *stdin)
		if err != nil {
			return err
		}
		gen, err := svc.ResetPassword(ctx, a, acct.ID, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "password of %s reset; it must be changed at the next sign-in\n", acct.Username)
		if gen != "" {
			fmt.Fprintf(e.out, "password: %s\n", gen)
		}
		return nil
	case "disable":
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		if e.fs.NArg() != 1 {
			return errors.New("usage: isms user disable USERNAME")
		}
		acct, err := svc.AccountByUsername(ctx, a, e.fs.Arg(0))
		if err != nil {
			return err
		}
		if _, err := svc.ArchiveAccount(ctx, a, acct.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "account %s disabled; its sessions have ended\n", acct.Username)
		return nil
	case "list":
		org := e.fs.String("org", "", "only this organization's accounts")
		status := e.fs.String("status", "active", "active, archived or all")
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tNAME\tORG\tPRIVILEGED\tLAST SIGN-IN\tSTATUS")
		f := isms.ListFilter{OrgID: *org, Status: *status, Limit: isms.MaxPageSize}
		for {
			items, err := svc.ListAccounts(ctx, a, f)
			if err != nil {
				return err
			}
			for _, acct := range items {
				last, state := "-", "active"
				if acct.LastSignInAt != nil {
					last = acct.LastSignInAt.Format(time.RFC3339)
				}
				if acct.ArchivedAt != nil {
					state = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\n", acct.Username, acct.DisplayName, acct.OrgID, acct.Privileged, last, state)
			}
			if len(items) < f.Limit {
				break
			}
			last := items[len(items)-1]
			f.After = isms.Cursor{Name: strings.ToLower(last.Username), ID: last.ID}
		}
		return tw.Flush()
	}
	return fmt.Errorf("unknown subcommand %q: want add, passwd, disable or list", sub)
}

func cmdToken(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 {
		e.fs.Usage()
		return exitError(2)
	}
	sub, args := args[0], args[1:]
	a := cliActor()
	switch sub {
	case "create":
		username := e.fs.String("user", "", "account the token acts as (required)")
		name := e.fs.String("name", "", "what the token is for (required)")
		days := e.fs.Int("days", 0, "expire after this many days (0: never)")
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		acct, err := svc.AccountByUsername(ctx, a, *username)
		if err != nil {
			return err
		}
		var exp *time.Time
		if *days > 0 {
			t := svc.Clock().Now().Add(time.Duration(*days) * 24 * time.Hour)
			exp = &t
		}
		t, secret, err := svc.CreateToken(ctx, a, acct.ID, *name, exp)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "token %s (%s) for %s\n%s\nStore it now: it is not shown again.\n", t.ID, t.Name, acct.Username, secret)
		return nil
	case "revoke":
		svc, st, _, err := e.open(ctx, args)
		if err != nil {
			return err
		}
		defer st.Close()
		if e.fs.NArg() != 1 {
			return errors.New("usage: isms token revoke TOKEN-ID")
		}
		t, err := svc.RevokeToken(ctx, a, e.fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "token %s (%s) revoked\n", t.ID, t.Name)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q: want create or revoke", sub)
}

func cmdAudit(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		e.fs.Usage()
		return exitError(2)
	}
	svc, st, _, err := e.open(ctx, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	// Verification allocates a little per entry and keeps almost nothing:
	// collecting garbage less often makes a million entries ~15% faster in
	// this short-lived process.
	debug.SetGCPercent(400)
	start := time.Now()
	res, err := svc.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if res.Break != nil {
		fmt.Fprintf(e.out, "BROKEN at entry %d: %s\n(%d entries read)\n", res.Break.Seq, res.Break.Reason, res.Count)
		return exitError(1)
	}
	fmt.Fprintf(e.out, "ok: %d entries, head %s (%.2fs)\n", res.Count, res.Head, time.Since(start).Seconds())
	return nil
}

func cmdFramework(ctx context.Context, e *cmdEnv, args []string) error {
	if len(args) == 0 {
		e.fs.Usage()
		return exitError(2)
	}
	sub, args := args[0], args[1:]
	org := e.fs.String("org", "", "organization ID (required)")
	code := e.fs.String("code", "", "framework code (import: required for CSV)")
	format := e.fs.String("format", "", "import: csv, oscal or yaml (detected when empty); export: csv (default) or oscal")
	base := e.fs.String("base", "", "import of an OSCAL profile: the code of the catalog it selects from")
	svc, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	a := cliActor()
	a.OrgID = *org
	switch sub {
	case "list":
		fs, err := svc.Frameworks(ctx, a)
		if err != nil {
			return err
		}
		for _, f := range fs {
			fmt.Fprintf(e.out, "%s\t%s\t%s\t%d nodes\t%d assessable\t%s\n", f.Code, f.Version, f.Origin, f.Nodes, f.Assessable, f.Name("en"))
		}
	case "import":
		if e.fs.NArg() != 1 {
			return errors.New("usage: isms framework import -org ID [-code C] [-format F] [-base CATALOG] FILE")
		}
		file, err := os.Open(e.fs.Arg(0))
		if err != nil {
			return err
		}
		defer file.Close()
		ch, err := svc.ImportFramework(ctx, a, service.FrameworkImport{FileName: file.Name(), Format: *format, Code: *code,
			Base: *base}, file)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s %s: %d nodes (%d assessable); added %d, changed %d, removed %d\n", ch.Framework.Code,
			ch.Framework.Version, ch.Framework.Nodes, ch.Framework.Assessable, len(ch.Added), len(ch.Changed), len(ch.Removed))
		if f := ch.Framework; f.RefControls+f.Threats+len(ch.LibraryRemoved) > 0 {
			fmt.Fprintf(e.out, "library: %d reference controls, %d threats; added %d, changed %d, removed %d\n", f.RefControls,
				f.Threats, len(ch.LibraryAdded), len(ch.LibraryChanged), len(ch.LibraryRemoved))
		}
	case "export":
		if e.fs.NArg() != 1 {
			return errors.New("usage: isms framework export -org ID [-format csv|oscal] CODE")
		}
		fs, err := svc.Frameworks(ctx, a)
		if err != nil {
			return err
		}
		if *format == "" {
			*format = "csv"
		}
		for _, f := range fs {
			if f.Code == e.fs.Arg(0) {
				return svc.ExportFramework(ctx, a, f.ID, *format, func(isms.Framework) {}, e.out)
			}
		}
		return fmt.Errorf("no framework %q in this organization", e.fs.Arg(0))
	default:
		e.fs.Usage()
		return exitError(2)
	}
	return nil
}

func cmdDemo(ctx context.Context, e *cmdEnv, args []string) error {
	sizeName := e.fs.String("size", "small", "small (4 organizations), large (1,000 organizations, 20,000 departments, 100,000 people, 10,000 assets, 200,000 risk scenarios, a city MLPS body over 20 counties and the 1,000 with 5 filed objects each) or city (that supervision alone)")
	svc, st, _, err := e.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	size, err := demo.SizeByName(*sizeName)
	if err != nil {
		return err
	}
	start := time.Now()
	last := time.Now()
	res, err := demo.Run(ctx, svc, cliActor(), size, func(done, total int) {
		if time.Since(last) > 5*time.Second {
			slog.Info("demo", "organizations", done, "of", total)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "demo data: %d organizations, %d departments, %d people, %d assets, %d risk scenarios (%.1fs)\n",
		res.Organizations, res.Departments, res.People, res.Assets, res.Risks, time.Since(start).Seconds())
	printDemoAccounts(e.out, res)
	return nil
}

// printDemoAccounts prints the demo's sign-ins, one per role.
func printDemoAccounts(w io.Writer, res demo.Result) {
	fmt.Fprintln(w, "demo accounts (one per role):")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ROLE\tSIGN-IN NAME\tPASSWORD")
	for _, a := range res.Accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Role, a.Username, a.Password)
	}
	tw.Flush()
}

func cmdLoad(ctx context.Context, e *cmdEnv, args []string) error {
	base := e.fs.String("url", "", "the server (loopback only); default: http://127.0.0.1 at -addr's port")
	user := e.fs.String("user", "", "sign-in name of the account the clients use")
	password := e.fs.String("password", os.Getenv("ISMS_LOAD_PASSWORD"), "its password (or set ISMS_LOAD_PASSWORD)")
	clients := e.fs.Int("c", 16, "concurrent clients")
	duration := e.fs.Duration("d", 30*time.Second, "how long to run (ignored with -n)")
	requests := e.fs.Int("n", 0, "stop after this many requests in all")
	warmup := e.fs.Int("warmup", 5, "unmeasured requests per client first")
	pathsFile := e.fs.String("paths-file", "", "a file of paths, one per line (# comments)")
	if err := e.fs.Parse(args); err != nil {
		return err
	}
	cfg, err := e.cfg()
	if err != nil {
		return err
	}
	if *base == "" {
		_, port, _ := net.SplitHostPort(cfg.Addr)
		*base = "http://127.0.0.1:" + port
	}
	paths := e.fs.Args()
	if *pathsFile != "" {
		b, err := os.ReadFile(*pathsFile)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				paths = append(paths, line)
			}
		}
	}
	if *user == "" || len(paths) == 0 {
		return fmt.Errorf("give -user and at least one path (e.g. /risks)")
	}
	c := load.Config{Base: *base, Username: *user, Password: *password, Paths: paths, Clients: *clients, Warmup: *warmup}
	if *requests > 0 {
		c.Requests = *requests
	} else {
		c.Duration = *duration
	}
	fmt.Fprintf(e.out, "%s: %d clients, %d paths\n", *base, c.Clients, len(paths))
	r, err := load.Run(ctx, c)
	if err != nil {
		return err
	}
	r.Print(e.out, paths)
	if r.Errors > 0 {
		return exitError(1)
	}
	return nil
}
