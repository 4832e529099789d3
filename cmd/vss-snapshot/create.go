package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

const defaultTimeout = 10 * time.Minute

// setFlags are the flags create and exec share: how the set is made.
type setFlags struct {
	persistent bool // exec only: create is always persistent
	noWriters  bool
	context    string
	include    listFlag
	exclude    listFlag
	timeout    time.Duration
	provider   string
	backupType string
}

func (f *setFlags) define(fs *flag.FlagSet, withPersistent bool) {
	if withPersistent {
		fs.BoolVar(&f.persistent, "persistent", false, "keep the shadow copies after the program exits (vshadow -p)")
		fs.BoolVar(&f.persistent, "p", false, "short for --persistent")
	}
	fs.BoolVar(&f.noWriters, "no-writers", false, "make the shadow copies without writers taking part: faster, but applications'\nfiles are only crash-consistent (vshadow -nw)")
	fs.BoolVar(&f.noWriters, "nw", false, "short for --no-writers")
	fs.StringVar(&f.context, "context", "", "the VSS `context` by name, instead of the one the other flags pick:\n"+contextList())
	fs.Var(&f.include, "writer-include", "let only this `writer` (a name or ID) take part; repeat or separate with commas (vshadow -wi)")
	fs.Var(&f.exclude, "writer-exclude", "leave this `writer` (a name or ID) out; repeat or separate with commas (vshadow -wx)")
	fs.DurationVar(&f.timeout, "timeout", defaultTimeout, "how long making the shadow copies may take, and cleaning up after them")
	fs.StringVar(&f.provider, "provider", "", "the `ID` of the provider to use, such as the system provider\n{b5946137-7b9f-4925-af80-51abd60b20d5}; default: VSS chooses")
	fs.StringVar(&f.backupType, "backup-type", "copy", "the backup `type` writers are told of: "+backupTypeList()+";\nonly copy leaves application logs and backup history alone")
}

func contextList() string {
	var b strings.Builder
	for _, c := range contextNames {
		kind := "temporary"
		if c.Persistent {
			kind = "persistent"
		}
		writers := "with writers"
		if !c.Writers {
			writers = "without writers"
		}
		fmt.Fprintf(&b, "  %s (%s, %s, %s)\n", c.Name, c.Const, kind, writers)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func backupTypeList() string {
	names := make([]string, len(backupTypes))
	for i, t := range backupTypes {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// guidPattern matches an ID, with or without braces.
var guidPattern = regexp.MustCompile(`^(\{` + guid + `\}|` + guid + `)$`)

const guid = `[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`

// request checks the flags and volumes and turns them into a request.
// persistentOnly refuses a temporary context (create's shadow copies
// would vanish as it exits).
func (f *setFlags) request(volumes []string, persistentOnly bool) (createRequest, error) {
	req := createRequest{
		IncludeWriters: f.include,
		ExcludeWriters: f.exclude,
		Timeout:        f.timeout,
		Provider:       f.provider,
		BackupType:     f.backupType,
	}
	if len(volumes) == 0 {
		return req, fmt.Errorf("name at least one volume, such as C:")
	}
	seen := map[string]bool{}
	for _, v := range volumes {
		if v == "" {
			return req, fmt.Errorf("a volume is empty")
		}
		p := volumePath(v)
		if seen[strings.ToUpper(p)] {
			return req, fmt.Errorf("volume %s is named twice", v)
		}
		seen[strings.ToUpper(p)] = true
		req.Volumes = append(req.Volumes, p)
	}
	if f.timeout <= 0 {
		return req, fmt.Errorf("--timeout must be positive, not %v", f.timeout)
	}
	if f.provider != "" && !guidPattern.MatchString(f.provider) {
		return req, fmt.Errorf("--provider %q is not a provider ID such as {b5946137-7b9f-4925-af80-51abd60b20d5}", f.provider)
	}
	if !knownBackupType(f.backupType) {
		return req, fmt.Errorf("--backup-type %q is not one of %s", f.backupType, backupTypeList())
	}
	if f.noWriters && (len(f.include) > 0 || len(f.exclude) > 0) {
		return req, fmt.Errorf("--no-writers leaves every writer out: --writer-include and --writer-exclude do not go with it")
	}
	req.Context = contextFor(f.persistent || persistentOnly, f.noWriters)
	if f.context != "" {
		if f.persistent || f.noWriters {
			return req, fmt.Errorf("--context names the context: --persistent and --no-writers do not go with it")
		}
		req.Context = f.context
	}
	c, ok := lookupContext(req.Context)
	if !ok {
		return req, fmt.Errorf("--context %q is not one of the contexts the help lists", f.context)
	}
	if persistentOnly && !c.Persistent {
		return req, fmt.Errorf("context %s is temporary: its shadow copies would be deleted as create exits; use a persistent context, or exec to work on temporary ones", c.Name)
	}
	if !c.Writers && (len(f.include) > 0 || len(f.exclude) > 0) {
		return req, fmt.Errorf("context %s takes no writers: --writer-include and --writer-exclude do not go with it", c.Name)
	}
	return req, nil
}

func lookupContext(name string) (contextInfo, bool) {
	for _, c := range contextNames {
		if c.Name == name {
			return c, true
		}
	}
	return contextInfo{}, false
}

func knownBackupType(name string) bool {
	for _, t := range backupTypes {
		if t.Name == name {
			return true
		}
	}
	return false
}

var createCmd = &command{
	name:  "create",
	args:  "[flags] VOLUME...",
	short: "make persistent shadow copies of volumes",
	long: `Create makes one shadow copy set with a persistent shadow copy of each
VOLUME (C:, D:\, a mounted folder or a volume GUID path) and prints, for
each, its ID, the volume and the device path through which it can be read.
The shadow copies stay until "vss-snapshot delete" deletes them.

Writers (SQL Server, Exchange, Hyper-V, ...) take part unless --no-writers
is given: they bring their data to a consistent state for the moment of
the copy. The backup is a copy backup by default, so applications keep
their logs and backup history.

To work on shadow copies that disappear afterwards, use exec.`,
	examples: `	vss-snapshot create C:
	vss-snapshot create --no-writers --json D: E:\mnt\data
	vss-snapshot create --writer-exclude "SQL Server Writer" --timeout 2m C:
	vss-snapshot create --script setvars.cmd C:   (then: call setvars.cmd)`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		var f setFlags
		f.define(fs, false)
		asJSON := fs.Bool("json", false, "print the shadow copies as JSON")
		script := fs.String("script", "", "also write to `file` a cmd script of SET lines for the variables exec sets\n(see 'vss-snapshot help environment'; vshadow -script)")
		return func(ctx context.Context, a *app, args []string) int {
			args = dropDashDash(args)
			req, err := f.request(args, true)
			if err != nil {
				return a.usageError(err.Error(), "create")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			prog := a.startProgress()
			set, err := svc.Create(ctx, req, prog.report())
			prog.stop()
			if err != nil {
				return a.fail(ctx, err)
			}
			snaps, setID := set.Snapshots(), set.ID()
			// Close ends the backup (BackupComplete) and releases the
			// service; persistent shadow copies stay.
			closeErr := set.Close(context.WithoutCancel(ctx))
			if closeErr != nil {
				code := a.fail(ctx, fmt.Errorf("completing the backup: %w", closeErr))
				a.reportLeft(snaps)
				return code
			}
			if *script != "" {
				if err := os.WriteFile(*script, []byte(setScript(req.Volumes, setID, snaps)), 0o666); err != nil {
					a.fail(ctx, fmt.Errorf("writing the script: %w", err))
					a.reportLeft(snaps)
					return exitFailed
				}
			}
			if *asJSON {
				return a.printJSON(snaps)
			}
			a.printTable(snaps)
			return exitOK
		}
	},
}

// reportLeft says which shadow copies a failed command leaves behind.
func (a *app) reportLeft(snaps []snapshot) {
	for _, s := range snaps {
		fmt.Fprintf(a.stderr, "%s: shadow copy %s of %s may remain; delete it with: vss-snapshot delete %s\n", progName, s.ID, s.Volume, s.ID)
	}
}

func (a *app) printJSON(v any) int {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(a.stderr, "%s: %v\n", progName, err)
		return exitFailed
	}
	return exitOK
}

// setScript is the cmd script of create --script: the variables of
// shadowEnv as SET lines.
func setScript(volumes []string, setID string, snaps []snapshot) string {
	var b strings.Builder
	b.WriteString("@echo off\r\nrem Shadow copies made by vss-snapshot create\r\n")
	for _, kv := range shadowEnv(volumes, setID, snaps) {
		fmt.Fprintf(&b, "SET %s\r\n", kv)
	}
	return b.String()
}
