// Command bench measures Hookhub against a bare net/http server in the same
// run: ingest throughput and latency, end-to-end delivery throughput and
// latency, fan-out, draining a large backlog, workflow runs, and Hookhub's
// memory.
//
//	go run ./bench [--duration 10s] [--only ingest,e2e] [--database-url postgres://…] [--json out.json]
//
// It builds cmd/hookhub, starts a fresh Hookhub process per scenario on an
// empty store, drives it with wrk when it is installed (the closed-loop
// scenarios) and its own load generator otherwise, and receives deliveries
// on an in-process receiver. Progress goes to stderr, the table to stdout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	duration     time.Duration
	warmup       time.Duration
	conns        int
	rate         float64
	fanout       int
	backlog      int
	only         []string
	databaseURL  string
	jsonPath     string
	workers      int
	keep         bool
	drainTimeout time.Duration
	fillTimeout  time.Duration
	stall        time.Duration
	profileDir   string
	redisAddr    string
	bodySize     int
	load         string // auto, wrk or builtin
	wrkPath      string
	wrkThreads   int
	scaleout     []int // Hookhub process counts of the scaleout scenario
}

var allScenarios = []string{"baseline", "ingest", "e2e", "floor", "latency", "fanout", "backlog", "bus", "console", "workflow", "ordered", "tracing", "scaleout"}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time of each throughput scenario")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "load before each measured window, left out of the figures")
	fs.IntVar(&c.conns, "conns", 64, "keep-alive connections of the load generator")
	fs.Float64Var(&c.rate, "rate", 2000, "offered events/s of the latency scenario (open loop)")
	fs.IntVar(&c.fanout, "fanout", 50, "destinations of the fanout and backlog scenarios")
	fs.IntVar(&c.backlog, "backlog", 1_000_000, "deliveries queued by the backlog scenario")
	only := fs.String("only", strings.Join(allScenarios, ","), "comma-separated scenarios to run")
	fs.StringVar(&c.databaseURL, "database-url", "", "also run the Hookhub scenarios on PostgreSQL; a fresh database is created next to this one per scenario")
	fs.StringVar(&c.jsonPath, "json", "", "also write the figures as JSON to this file")
	fs.IntVar(&c.workers, "workers", 0, "Hookhub --delivery-workers (0: Hookhub's default)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (binary, data, Hookhub logs)")
	fs.DurationVar(&c.drainTimeout, "drain-timeout", 5*time.Minute, "longest wait for a queue to drain")
	fs.DurationVar(&c.fillTimeout, "fill-timeout", 5*time.Minute, "longest time to queue the backlog")
	fs.DurationVar(&c.stall, "stall", 60*time.Second, "give up draining when nothing arrives for this long")
	fs.StringVar(&c.redisAddr, "redis-addr", defaultRedisAddr(), "Redis (host:port) of the bus scenario's Redis Streams destination")
	fs.IntVar(&c.bodySize, "body-size", defaultBodySize, fmt.Sprintf("bytes of every webhook body (at least %d)", minBodySize))
	fs.StringVar(&c.load, "load", "auto", "load generator of the closed-loop scenarios (baseline, ingest, e2e, floor, bus, scaleout): auto (wrk when installed), wrk or builtin")
	fs.StringVar(&c.wrkPath, "wrk", "wrk", "the wrk binary (a name looked up in PATH, or a path)")
	fs.IntVar(&c.wrkThreads, "wrk-threads", 2, "wrk threads (-t); its connections are --conns")
	scaleout := fs.String("scaleout", "1,2,3", "Hookhub process counts of the scaleout scenario (PostgreSQL: --database-url or HOOKHUB_TEST_POSTGRES_URL)")
	fs.StringVar(&c.profileDir, "cpuprofile-dir", "", "write Hookhub CPU profiles of each measured window here (uses hookhub --debug-listen)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !slices.Contains(allScenarios, s) {
			return c, fmt.Errorf("--only: unknown scenario %q (have %s)", s, strings.Join(allScenarios, ", "))
		}
		c.only = append(c.only, s)
	}
	for _, s := range strings.Split(*scaleout, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 8 {
			return c, fmt.Errorf("--scaleout: %q is not a process count from 1 to 8", s)
		}
		c.scaleout = append(c.scaleout, n)
	}
	switch {
	case c.conns < 1, c.fanout < 1, c.backlog < 1, c.rate <= 0, c.duration <= 0, c.warmup < 0, c.wrkThreads < 1:
		return c, errors.New("--conns, --fanout, --backlog, --rate, --duration and --wrk-threads must be positive")
	case c.bodySize < minBodySize:
		return c, fmt.Errorf("--body-size must be at least %d", minBodySize)
	case !slices.Contains([]string{"auto", "wrk", "builtin"}, c.load):
		return c, fmt.Errorf("--load: %q is not auto, wrk or builtin", c.load)
	case c.wants("scaleout") && len(c.scaleout) == 0:
		return c, errors.New("--scaleout: no process count")
	}
	return c, nil
}

func (c config) wants(s string) bool { return slices.Contains(c.only, s) }

var started = time.Now()

// logf prints a progress line to stderr with the time since start.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(started).Seconds(), fmt.Sprintf(format, args...))
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == baselineServerArg {
		os.Exit(serveBaseline())
	}
	if len(os.Args) >= 2 && os.Args[1] == floorServerArg {
		os.Exit(serveFloor(os.Args[2:]))
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if len(rep.Failures) > 0 {
		os.Exit(1)
	}
}

// run executes the chosen scenarios and prints the report.
func run(ctx context.Context, cfg config) (*report, error) {
	tmp, err := os.MkdirTemp("", "hookhub-bench-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	if cfg.keep {
		logf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	rep := &report{Started: started.UTC(), Host: hostInfo(), Settings: cfg.settings()}
	b := &bench{cfg: cfg, tmp: tmp, rep: rep, empty: map[string]emptyRate{}, e2eRate: map[string]float64{}}
	if err := b.chooseLoad(); err != nil {
		return nil, err
	}
	if slices.ContainsFunc(cfg.only, func(s string) bool { return s != "baseline" && s != "floor" }) {
		logf("building hookhub")
		if b.bin, err = buildHub(ctx, tmp); err != nil {
			return nil, err
		}
	}
	if cfg.profileDir != "" {
		if err := os.MkdirAll(cfg.profileDir, 0o755); err != nil {
			return nil, fmt.Errorf("profile dir: %w", err)
		}
	}
	stores := []string{"sqlite"}
	if cfg.databaseURL != "" {
		stores = append(stores, "postgres")
	}
	steps := []struct {
		name string
		fn   func(context.Context, string) error
	}{
		{"ingest", b.runIngest}, {"e2e", b.runE2E}, {"floor", b.runFloor}, {"latency", b.runLatency},
		{"fanout", b.runFanout}, {"backlog", b.runBacklog}, {"bus", b.runBus}, {"console", b.runConsole},
		{"workflow", b.runWorkflow}, {"ordered", b.runOrdered}, {"tracing", b.runTracing},
	}
	if cfg.wants("baseline") {
		logf("baseline: bare net/http, %d connections", cfg.conns)
		if err := b.runBaseline(ctx); err != nil {
			rep.Failures = append(rep.Failures, err.Error())
			logf("  FAILED: %v", err)
		}
	}
	for _, store := range stores {
		for _, s := range steps {
			if !cfg.wants(s.name) || ctx.Err() != nil {
				continue
			}
			logf("%s on %s", s.name, store)
			if err := s.fn(ctx, store); err != nil {
				rep.Failures = append(rep.Failures, fmt.Sprintf("%s on %s: %v", s.name, store, err))
				logf("  FAILED: %v", err)
			}
		}
	}
	if cfg.wants("scaleout") && ctx.Err() == nil {
		if err := b.runScaleout(ctx); err != nil {
			rep.Failures = append(rep.Failures, fmt.Sprintf("scaleout on postgres: %v", err))
			logf("  FAILED: %v", err)
		}
	}
	if ctx.Err() != nil {
		rep.Failures = append(rep.Failures, "interrupted")
	}
	rep.Seconds = time.Since(started).Seconds()
	rep.finish()
	logf("done in %s", time.Since(started).Round(time.Second))
	if err := rep.writeTable(os.Stdout); err != nil {
		return rep, err
	}
	if cfg.jsonPath != "" {
		if err := writeJSONFile(cfg.jsonPath, rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func writeJSONFile(path string, rep *report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	if err := rep.writeJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("json: %w", err)
	}
	return f.Close()
}

func hostInfo() map[string]string {
	return map[string]string{"cpus": fmt.Sprint(runtime.NumCPU()), "go": runtime.Version(), "os": runtime.GOOS + "/" + runtime.GOARCH}
}

// settings are the flags as they shape the figures (the database URL is left
// out: it may hold a password).
func (c config) settings() map[string]string {
	return map[string]string{
		"duration": c.duration.String(), "warmup": c.warmup.String(), "conns": fmt.Sprint(c.conns),
		"rate": fmt.Sprint(c.rate), "fanout": fmt.Sprint(c.fanout), "backlog": fmt.Sprint(c.backlog),
		"only": strings.Join(c.only, ","), "workers": fmt.Sprint(c.workers), "postgres": fmt.Sprint(c.databaseURL != ""),
		"body_size": fmt.Sprint(c.bodySize), "load": c.load, "wrk_threads": fmt.Sprint(c.wrkThreads),
		"scaleout": joinInts(c.scaleout),
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// chooseLoad finds wrk unless --load builtin, and records in the report
// which generator drives what.
func (b *bench) chooseLoad() error {
	b.rep.LoadGenerators = map[string]string{"open_loop_and_gated": genBuiltin}
	if b.cfg.load != "builtin" {
		t, err := findWrk(b.cfg.wrkPath)
		switch {
		case err == nil:
			b.wrk = t
		case b.cfg.load == "wrk":
			return fmt.Errorf("--load wrk: %w", err)
		default:
			logf("wrk not found (%v): the built-in generator drives every scenario", err)
		}
	}
	if b.wrk != nil {
		b.rep.LoadGenerators["closed_loop"] = fmt.Sprintf("wrk %s (%s), %d threads", b.wrk.version, b.wrk.bin, b.cfg.wrkThreads)
		logf("load generator: wrk %s, %d threads, %d connections, for baseline, ingest, e2e, floor, bus and scaleout; built-in for the rest and for a second baseline",
			b.wrk.version, b.cfg.wrkThreads, b.cfg.conns)
	} else {
		b.rep.LoadGenerators["closed_loop"] = genBuiltin
	}
	return nil
}
