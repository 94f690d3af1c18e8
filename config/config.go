// Package config builds Hookhub's one typed, validated configuration from
// defaults, an optional YAML file, HOOKHUB_* environment variables and flags, in
// rising order of precedence.
package config

import (
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Secret is a string that never prints: logs, --help and dumps show "<secret>".
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the value from encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the value itself, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// Config is every server setting.
type Config struct {
	ConfigFile      string
	Listen          string
	DataDir         string
	DatabaseURL     Secret // may carry a password
	PublicURL       string // base of the URLs shown to users; default http://<listen>
	OutboundAllow   []netip.Prefix
	LogFormat       string // text or json
	LogLevel        slog.Level
	SecretKey       Secret
	AdminPassword   Secret
	AdminAPIKey     Secret
	ShutdownTimeout time.Duration
	DeliveryWorkers int
	DeliveryLease   time.Duration // how long a claimed delivery belongs to one process
	MaxBodyBytes    int64         // default source body limit
	IngestInflight  int           // webhook requests handled at once; more get 503
	IngestBytes     int64         // webhook body bytes held at once; more get 503
	DebugListen     string        // pprof listener; empty means none
}

// UsesPostgres reports whether the PostgreSQL store is selected.
func (c *Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// BaseURL returns PublicURL, or one derived from Listen.
func (c *Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return "http://" + c.Listen
}

// validate checks what single settings cannot: combinations and shapes.
func (c *Config) validate() error {
	if c.DatabaseURL != "" {
		u, err := url.Parse(string(c.DatabaseURL))
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return fmt.Errorf("invalid value for --database-url (HOOKHUB_DATABASE_URL): must be a postgres:// URL")
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("invalid value %q for --public-url (HOOKHUB_PUBLIC_URL): must be an http(s) URL", c.PublicURL)
		}
	}
	if c.IngestBytes < c.MaxBodyBytes {
		return fmt.Errorf("invalid value %d for --ingest-max-inflight-bytes (HOOKHUB_INGEST_MAX_INFLIGHT_BYTES): must be at least --max-body-bytes (%d)", c.IngestBytes, c.MaxBodyBytes)
	}
	if c.DataDir == "" {
		return fmt.Errorf("invalid value for --data-dir (HOOKHUB_DATA_DIR): must not be empty")
	}
	return nil
}

// String renders the configuration with secrets hidden, one setting per line.
func (c *Config) String() string {
	var b strings.Builder
	for _, s := range settings(c) {
		fmt.Fprintf(&b, "%s=%s\n", s.name, s.show())
	}
	return b.String()
}
