package server

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// gatedWriter blocks every write until open is closed, like a client that
// stops reading, and records what was written.
type gatedWriter struct {
	header http.Header
	open   chan struct{}
	mu     sync.Mutex
	buf    bytes.Buffer
}

func (g *gatedWriter) Header() http.Header { return g.header }
func (g *gatedWriter) WriteHeader(int)     {}
func (g *gatedWriter) Flush()              {}
func (g *gatedWriter) Write(b []byte) (int, error) {
	<-g.open
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.Write(b)
}

// ids returns the event IDs of the data messages written so far.
func (g *gatedWriter) ids() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(g.buf.Bytes()))
	id := ""
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			id = v
		} else if strings.HasPrefix(line, "data: ") {
			out = append(out, id)
		}
	}
	return out
}

// TestStreamSubscriberThatFallsBehindMissesNothing fills a subscriber's
// buffer while its client reads nothing: the events dropped for it are
// caught up from the store, in order and each once.
func TestStreamSubscriberThatFallsBehindMissesNothing(t *testing.T) {
	s, _ := authWalkServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &gatedWriter{header: http.Header{}, open: make(chan struct{})}
	r := httptest.NewRequest("GET", "/api/v1/events/stream", nil).WithContext(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.handleEventStream(w, r) }()
	waitFor(t, func() bool { s.stream.mu.Lock(); defer s.stream.mu.Unlock(); return len(s.stream.subs) == 1 })
	const n = 400 // more than the subscriber's buffer of 256
	var want []string
	for i := 0; i < n; i++ {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "t", Status: hookhub.EventAccepted,
			ReceivedAt: time.Now().UTC(), Headers: map[string][]string{}, Body: []byte("{}")}
		if err := s.store.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev}}); err != nil {
			t.Fatal(err)
		}
		s.stream.publish(ev)
		want = append(want, ev.ID)
	}
	close(w.open)
	waitFor(t, func() bool { return len(w.ids()) >= n })
	// Give a wrongly repeated event the chance to show before checking.
	s.stream.publish(&hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "last", Status: hookhub.EventAccepted})
	waitFor(t, func() bool { return len(w.ids()) >= n+1 })
	cancel()
	<-done
	got := w.ids()
	if len(got) != n+1 || strings.Join(got[:n], ",") != strings.Join(want, ",") {
		t.Fatalf("got %d events, want %d in order then the last one", len(got), n+1)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
