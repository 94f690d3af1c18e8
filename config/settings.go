package config

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub/secret"
)

// setting is one configuration entry; every source (YAML, env, flag) goes
// through its set function, so all three are parsed and validated alike.
type setting struct {
	name   string // flag name and YAML key
	usage  string
	def    string
	secret bool
	set    func(string) error
	show   func() string
}

// Env returns the environment variable name of a setting.
func (s setting) env() string {
	return "HOOKHUB_" + strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
}

func settings(c *Config) []setting {
	str := func(p *string) func() string { return func() string { return *p } }
	sec := func(p *Secret) func() string { return func() string { return p.String() } }
	return []setting{
		{name: "listen", def: "127.0.0.1:8080", usage: "address to serve on",
			set: func(v string) error {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("must be host:port")
				}
				c.Listen = v
				return nil
			}, show: str(&c.Listen)},
		{name: "data-dir", def: "./hookhub-data", usage: "directory for the SQLite database and generated keys",
			set: func(v string) error { c.DataDir = v; return nil }, show: str(&c.DataDir)},
		{name: "database-url", secret: true, usage: "postgres://… to use PostgreSQL instead of the embedded SQLite",
			set: func(v string) error { c.DatabaseURL = Secret(v); return nil }, show: sec(&c.DatabaseURL)},
		{name: "public-url", usage: "base URL senders and users reach Hookhub at (default http://<listen>)",
			set: func(v string) error { c.PublicURL = v; return nil }, show: str(&c.PublicURL)},
		{name: "outbound-allow", usage: "comma-separated CIDRs outbound requests may reach despite the SSRF guard (e.g. 127.0.0.1/32)",
			set:  func(v string) error { p, err := parsePrefixes(v); c.OutboundAllow = p; return err },
			show: func() string { return joinPrefixes(c.OutboundAllow) }},
		{name: "log-format", def: "text", usage: "log format: text or json",
			set: func(v string) error {
				if v != "text" && v != "json" {
					return fmt.Errorf("must be text or json")
				}
				c.LogFormat = v
				return nil
			}, show: str(&c.LogFormat)},
		{name: "log-level", def: "info", usage: "log level: debug, info, warn or error",
			set:  func(v string) error { return c.LogLevel.UnmarshalText([]byte(v)) },
			show: func() string { return strings.ToLower(c.LogLevel.String()) }},
		{name: "secret-key", secret: true, usage: "master key for secrets at rest, base64 of 32 bytes (default: generated into the data directory)",
			set: func(v string) error {
				if _, err := secret.ParseKey(v); err != nil {
					return err
				}
				c.SecretKey = Secret(v)
				return nil
			}, show: sec(&c.SecretKey)},
		{name: "admin-password", secret: true, usage: "password of the admin user created on first start (default: generated and printed once)",
			set: func(v string) error {
				if len(v) < 8 {
					return fmt.Errorf("must be at least 8 characters")
				}
				c.AdminPassword = Secret(v)
				return nil
			}, show: sec(&c.AdminPassword)},
		{name: "admin-api-key", secret: true, usage: "admin API key created on first start, as printed by an earlier start (default: generated and printed once)",
			set: func(v string) error {
				if _, ok := secret.APIKeyID(v); !ok {
					return fmt.Errorf("must look like hh_key_…_…")
				}
				c.AdminAPIKey = Secret(v)
				return nil
			}, show: sec(&c.AdminAPIKey)},
		{name: "shutdown-timeout", def: "30s", usage: "how long SIGTERM waits for in-flight requests and commits",
			set:  func(v string) error { d, err := positiveDuration(v); c.ShutdownTimeout = d; return err },
			show: func() string { return c.ShutdownTimeout.String() }},
		{name: "delivery-workers", def: "64", usage: "outbound requests in flight at once across all destinations",
			set:  func(v string) error { n, err := positiveInt(v); c.DeliveryWorkers = n; return err },
			show: func() string { return strconv.Itoa(c.DeliveryWorkers) }},
		{name: "delivery-lease", def: "60s", usage: "how long a claimed delivery belongs to one process; a process that dies has its deliveries sent again after it (keep it above twice the largest destination timeout)",
			set:  func(v string) error { d, err := positiveDuration(v); c.DeliveryLease = d; return err },
			show: func() string { return c.DeliveryLease.String() }},
		{name: "debug-listen", usage: "address for Go's pprof profiles at /debug/pprof/ (default: off; keep it on loopback)",
			set: func(v string) error {
				if v == "" {
					c.DebugListen = ""
					return nil
				}
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("must be host:port")
				}
				c.DebugListen = v
				return nil
			}, show: str(&c.DebugListen)},
		{name: "ingest-max-inflight", def: "1024", usage: "webhook requests handled at once; past it ingest answers 503 with Retry-After",
			set:  func(v string) error { n, err := positiveInt(v); c.IngestInflight = n; return err },
			show: func() string { return strconv.Itoa(c.IngestInflight) }},
		{name: "ingest-max-inflight-bytes", def: "268435456", usage: "webhook body bytes held at once (default 256 MiB); past it ingest answers 503 with Retry-After",
			set:  func(v string) error { n, err := positiveInt(v); c.IngestBytes = int64(n); return err },
			show: func() string { return strconv.FormatInt(c.IngestBytes, 10) }},
		{name: "max-body-bytes", def: "1048576", usage: "default largest request body a source accepts",
			set:  func(v string) error { n, err := positiveInt(v); c.MaxBodyBytes = int64(n); return err },
			show: func() string { return strconv.FormatInt(c.MaxBodyBytes, 10) }},
	}
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("must be a positive duration such as 30s")
	}
	return d, nil
}

func positiveInt(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("must be a positive integer")
	}
	return n, nil
}

func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			if a, err := netip.ParseAddr(f); err == nil {
				f = fmt.Sprintf("%s/%d", a, a.BitLen())
			}
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 127.0.0.1/32", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
