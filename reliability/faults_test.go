package reliability

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultyReceiver answers each path with one kind of misbehaviour, and counts
// requests per path.
type faultyReceiver struct {
	URL string
	mu  sync.Mutex
	n   map[string]int
}

func startFaulty(t *testing.T) *faultyReceiver {
	t.Helper()
	f := &faultyReceiver{n: map[string]int{}}
	f.URL = serve(t, f)
	return f
}

func (f *faultyReceiver) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[path]
}

func (f *faultyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<10))
	if !strings.Contains(string(body), `"fault"`) {
		w.WriteHeader(http.StatusOK) // the ping a new destination gets
		return
	}
	f.mu.Lock()
	f.n[r.URL.Path]++
	n := f.n[r.URL.Path]
	f.mu.Unlock()
	switch r.URL.Path {
	case "/timeout": // answers long after the destination's timeout
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	case "/reset": // drops the connection with a TCP reset
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	case "/slow-body": // 200 at once, then a body trickling for longer than the timeout
		w.WriteHeader(http.StatusOK)
		for i := 0; i < 100 && r.Context().Err() == nil; i++ {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
		}
	case "/huge-body": // 200 with 8 MB of body
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("b", 64<<10))
		for range 128 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case "/huge-headers": // 200 with 200 KB of headers
		for i := range 50 {
			w.Header().Set(fmt.Sprintf("X-Big-%d", i), strings.Repeat("h", 4000))
		}
		w.WriteHeader(http.StatusOK)
	case "/giant-headers": // 4 MB of headers, more than any client should hold
		for i := range 1000 {
			w.Header().Set(fmt.Sprintf("X-Giant-%d", i), strings.Repeat("g", 4000))
		}
		w.WriteHeader(http.StatusOK)
	case "/429", "/503": // busy once, asking for a pause, then fine
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			code := http.StatusTooManyRequests
			if r.URL.Path == "/503" {
				code = http.StatusServiceUnavailable
			}
			w.WriteHeader(code)
			return
		}
		w.WriteHeader(http.StatusOK)
	case "/410":
		w.WriteHeader(http.StatusGone)
	case "/redirect": // redirects must not be followed
		http.Redirect(w, r, "/redirect-target", http.StatusFound)
	case "/redirect-target":
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// faultCase is one misbehaving receiver and what its delivery must show.
type faultCase struct {
	path     string
	retries  int                                                // max_retries of its destination
	want     string                                             // the delivery's final status
	attempts int                                                // recorded attempts when it is final
	check    func(t *testing.T, d delivery, dst map[string]any) // further checks
}

// TestReceiverFaults sends one webhook to each kind of failing receiver and
// checks the attempt log and the delivery's outcome: timeouts, resets and
// slow bodies are bounded and retried, huge answers are cut and say so,
// 429/503 wait as long as Retry-After asks, 410 fails and disables, and
// redirects are not followed.
func TestReceiverFaults(t *testing.T) {
	needBinary(t)
	h := startHub(t, newHubConfig(t, ""))
	api := h.api()
	rc := startFaulty(t)
	cases := []faultCase{
		{path: "/timeout", retries: 1, want: "failed", attempts: 2, check: attemptErrors("timed out")},
		{path: "/reset", retries: 1, want: "failed", attempts: 2, check: attemptErrors("reset", "EOF")},
		{path: "/slow-body", retries: 0, want: "", attempts: 1, check: boundedDuration},
		{path: "/huge-body", retries: 0, want: "succeeded", attempts: 1, check: truncatedBody},
		{path: "/huge-headers", retries: 0, want: "succeeded", attempts: 1, check: truncatedHeaders},
		{path: "/giant-headers", retries: 1, want: "failed", attempts: 2, check: giantHeadersRefused},
		{path: "/429", retries: 3, want: "succeeded", attempts: 2, check: waitedRetryAfter(429)},
		{path: "/503", retries: 3, want: "succeeded", attempts: 2, check: waitedRetryAfter(503)},
		{path: "/410", retries: 5, want: "failed", attempts: 1, check: goneDisables},
		{path: "/redirect", retries: 1, want: "failed", attempts: 2, check: redirectNotFollowed(rc)},
	}
	type running struct {
		c    faultCase
		dest string
		evt  string
	}
	var runs []running
	for _, c := range cases {
		dest := api.createDestination(t, "fault "+c.path, rc.URL+c.path, map[string]any{
			"timeout_seconds": 1, "retry": map[string]any{"max_retries": c.retries, "schedule_seconds": []int{1}}})
		src := api.createSource(t, map[string]any{"name": "fault " + c.path, "destination_ids": []string{dest}})
		resp, err := http.Post(src.URL, "application/json", strings.NewReader(`{"fault":"`+c.path+`"}`))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("ingest for %s: %v %v", c.path, resp, err)
		}
		resp.Body.Close()
		runs = append(runs, running{c: c, dest: dest, evt: resp.Header.Get("X-Hookhub-Event-Id")})
	}
	deadline := time.Now().Add(40 * time.Second)
	for _, r := range runs {
		t.Run(strings.TrimPrefix(r.c.path, "/"), func(t *testing.T) {
			var d delivery
			var ds []delivery
			defer func() {
				if t.Failed() {
					t.Logf("deliveries: %+v; receiver saw %d requests", ds, rc.count(r.c.path))
				}
			}()
			waitFor(t, time.Until(deadline), r.c.path+" delivery to finish", func() bool {
				ds = api.deliveries(t, "event_id="+r.evt)
				if len(ds) != 1 || ds[0].Status == "pending" {
					return false
				}
				d = api.delivery(t, ds[0].ID)
				return len(d.Attempts) >= r.c.attempts
			})
			if r.c.want != "" && d.Status != r.c.want {
				t.Errorf("status %s, want %s (last error %q)", d.Status, r.c.want, d.LastError)
			}
			if len(d.Attempts) != r.c.attempts {
				t.Errorf("%d attempts recorded, want %d", len(d.Attempts), r.c.attempts)
			}
			var dst map[string]any
			api.must(t, "GET", "/api/v1/destinations/"+r.dest, nil, &dst)
			r.c.check(t, d, dst)
			t.Logf("%s: %s after %d attempts: %s", r.c.path, d.Status, len(d.Attempts), describeAttempts(d))
		})
	}
}

func describeAttempts(d delivery) string {
	var parts []string
	for _, a := range d.Attempts {
		s := fmt.Sprintf("#%d %d %dms", a.Number, a.StatusCode, a.DurationMS)
		if a.Error != "" {
			s += " " + a.Error
		}
		if len(a.Truncated) > 0 {
			s += fmt.Sprintf(" cut %v", a.Truncated)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// attemptErrors wants every attempt to have no status, an error naming one of
// words, and to end within the destination's timeout (1 s) and a margin.
func attemptErrors(words ...string) func(*testing.T, delivery, map[string]any) {
	return func(t *testing.T, d delivery, _ map[string]any) {
		for _, a := range d.Attempts {
			if a.StatusCode != 0 || !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(a.Error, w) }) {
				t.Errorf("attempt %d: status %d error %q, want an error naming one of %v", a.Number, a.StatusCode, a.Error, words)
			}
			if a.DurationMS > 3000 {
				t.Errorf("attempt %d took %d ms with a 1 s timeout", a.Number, a.DurationMS)
			}
		}
	}
}

// boundedDuration wants a body trickling past the timeout to end the attempt
// in time, whatever its outcome.
func boundedDuration(t *testing.T, d delivery, _ map[string]any) {
	for _, a := range d.Attempts {
		if a.DurationMS > 3000 {
			t.Errorf("attempt %d took %d ms with a 1 s timeout", a.Number, a.DurationMS)
		}
	}
}

func truncatedBody(t *testing.T, d delivery, _ map[string]any) {
	a := d.Attempts[0]
	if len(a.ResponseBody) > 64<<10 || !slices.Contains(a.Truncated, "response_body") {
		t.Errorf("kept %d bytes of an 8 MB body, truncated %v", len(a.ResponseBody), a.Truncated)
	}
}

func truncatedHeaders(t *testing.T, d delivery, _ map[string]any) {
	a := d.Attempts[0]
	if n := headerBytes(a.ResponseHeaders); n > 16<<10 || !slices.Contains(a.Truncated, "response_headers") {
		t.Errorf("kept %d bytes of 200 KB of headers, truncated %v", n, a.Truncated)
	}
}

func giantHeadersRefused(t *testing.T, d delivery, _ map[string]any) {
	for _, a := range d.Attempts {
		if a.StatusCode/100 == 2 || a.Error == "" || headerBytes(a.ResponseHeaders) > 16<<10 {
			t.Errorf("attempt %d: status %d error %q, %d bytes of headers kept", a.Number, a.StatusCode, a.Error, headerBytes(a.ResponseHeaders))
		}
	}
}

func headerBytes(h map[string][]string) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

// waitedRetryAfter wants the first attempt to be status and the retry to come
// no sooner than its Retry-After (3 s), though the schedule says 1 s.
func waitedRetryAfter(status int) func(*testing.T, delivery, map[string]any) {
	return func(t *testing.T, d delivery, _ map[string]any) {
		first, second := attemptByNumber(d, 1), attemptByNumber(d, 2)
		if first.StatusCode != status || second.StatusCode != 200 {
			t.Fatalf("attempts answered %d then %d, want %d then 200", first.StatusCode, second.StatusCode, status)
		}
		if gap := second.StartedAt.Sub(first.StartedAt); gap < 2900*time.Millisecond {
			t.Errorf("retried %s after a %d asking Retry-After: 3", gap, status)
		}
	}
}

func attemptByNumber(d delivery, n int) attempt {
	for _, a := range d.Attempts {
		if a.Number == n {
			return a
		}
	}
	return attempt{}
}

func goneDisables(t *testing.T, d delivery, dst map[string]any) {
	if d.Attempts[0].StatusCode != 410 {
		t.Errorf("attempt answered %d, want 410", d.Attempts[0].StatusCode)
	}
	if dst["enabled"] != false {
		t.Errorf("destination still enabled after 410: %v (%v)", dst["enabled"], dst["disabled_reason"])
	}
}

func redirectNotFollowed(rc *faultyReceiver) func(*testing.T, delivery, map[string]any) {
	return func(t *testing.T, d delivery, _ map[string]any) {
		for _, a := range d.Attempts {
			if a.StatusCode != 302 {
				t.Errorf("attempt %d: status %d, want the 302 itself", a.Number, a.StatusCode)
			}
		}
		if n := rc.count("/redirect-target"); n != 0 {
			t.Errorf("the redirect target was reached %d times", n)
		}
	}
}
