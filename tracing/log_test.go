package tracing

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// A collector that is down fails every export: one line per interval,
// then one that says how many were kept quiet.
func TestExportErrorsLoggedOncePerInterval(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := &limitedLog{log: slog.New(slog.NewTextHandler(&buf, nil)), every: time.Hour}
	for range 3 {
		l.Handle(errors.New("connection refused"))
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Fatalf("%d lines for 3 errors within the interval, want 1:\n%s", n, buf.String())
	}
	l.mu.Lock()
	l.last = l.last.Add(-2 * time.Hour) // the interval has passed
	l.mu.Unlock()
	l.Handle(errors.New("connection refused"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "similar_errors_not_logged=2") {
		t.Errorf("log after the interval:\n%s", buf.String())
	}
}
