package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadResponse(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		status int
		keep   bool
	}{
		{"content length", "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhello", 202, true},
		{"no body", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nDate: x\r\n\r\n", 202, true},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\n, w\r\n0\r\nTrailer: t\r\n\r\n", 200, true},
		{"connection close", "HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno", 401, false},
		{"header case", "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 2\r\nconnection: Close\r\n\r\nok", 200, false},
		{"no content", "HTTP/1.1 204 No Content\r\n\r\n", 204, true},
		{"HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, false},
		{"HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", 200, true},
		{"body to the end", "HTTP/1.1 200 OK\r\n\r\nuntil close", 200, false},
	}
	for _, tt := range tests {
		// The next answer on the connection must start right after this one.
		br := bufio.NewReader(strings.NewReader(tt.raw + "NEXT"))
		status, keep, started, err := readResponse(br)
		if err != nil || status != tt.status || keep != tt.keep || !started {
			t.Errorf("%s: status %d keep %v started %v err %v; want %d %v", tt.name, status, keep, started, err, tt.status, tt.keep)
			continue
		}
		rest, _ := io.ReadAll(br)
		if tt.keep && string(rest) != "NEXT" {
			t.Errorf("%s: left %q unread, want the next answer", tt.name, rest)
		}
	}
}

func TestReadResponseErrors(t *testing.T) {
	for _, raw := range []string{
		"", "garbage\r\n\r\n", "HTTP/1.1 2x2 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	} {
		if _, _, _, err := readResponse(bufio.NewReader(strings.NewReader(raw))); err == nil {
			t.Errorf("readResponse(%q) took a broken answer", raw)
		}
	}
	if _, _, started, _ := readResponse(bufio.NewReader(strings.NewReader(""))); started {
		t.Error("an empty answer counts as started")
	}
}

// recorder is a server that keeps what the load generator sent.
type recorder struct {
	mu     sync.Mutex
	ids    map[string]int
	bad    int // requests whose signature does not verify
	status atomic.Int32
}

// newRecorder starts it; configure, when set, changes the server first.
func newRecorder(t *testing.T, secret string, configure ...func(*http.Server)) (*recorder, *httptest.Server) {
	rec := &recorder{ids: map[string]int{}}
	rec.status.Store(http.StatusAccepted)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ok := checkMAC(body, secret, r.Header.Get("X-Hub-Signature-256"))
		rec.mu.Lock()
		rec.ids[r.Header.Get("X-GitHub-Delivery")]++
		if !ok {
			rec.bad++
		}
		rec.mu.Unlock()
		const answer = `{"accepted":true}`
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.WriteHeader(int(rec.status.Load()))
		io.WriteString(w, answer)
	}))
	for _, c := range configure {
		c(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return rec, srv
}

func TestRunLoadSendsExactlyMaxRequests(t *testing.T) {
	rec, srv := newRecorder(t, "s3cret")
	var windows []bool
	var mu sync.Mutex
	spec := loadSpec{Conns: 8, Duration: time.Minute, MaxRequests: 500,
		Targets:  []loadTarget{newWebhook(srv.URL+"/hooks/x", "s3cret", defaultBodySize)},
		OnWindow: func(open bool, _ time.Time) { mu.Lock(); windows = append(windows, open); mu.Unlock() }}
	res, err := runLoad(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 500 || res.Sent != 500 || res.Measured != 500 || res.Errors != 0 || len(res.Lat) != 500 {
		t.Errorf("ok %d sent %d measured %d errors %d samples %d; want 500 each and no errors (%v %s)",
			res.OK, res.Sent, res.Measured, res.Errors, len(res.Lat), res.Statuses, res.FirstErr)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.ids) != 500 || rec.bad != 0 {
		t.Errorf("server saw %d distinct delivery ids (want 500), %d bad signatures", len(rec.ids), rec.bad)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(windows) != 2 || !windows[0] || windows[1] {
		t.Errorf("window events %v, want open then close", windows)
	}
}

func TestRunLoadCountsErrorAnswers(t *testing.T) {
	rec, srv := newRecorder(t, "s")
	rec.status.Store(http.StatusUnauthorized)
	spec := loadSpec{Conns: 2, Duration: time.Minute, MaxRequests: 20, Targets: []loadTarget{newWebhook(srv.URL+"/h", "s", minBodySize)}}
	res, err := runLoad(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 0 || res.Errors != 20 || res.Statuses[401] != 20 || res.FirstErr != "HTTP 401" {
		t.Errorf("ok %d errors %d statuses %v first %q; want 20 answers of 401", res.OK, res.Errors, res.Statuses, res.FirstErr)
	}
}

func TestRunLoadSplitsConnectionsOverTargets(t *testing.T) {
	var a, b atomic.Int64
	count := func(n *atomic.Int64) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			n.Add(1)
		}))
		t.Cleanup(s.Close)
		return s
	}
	sa, sb := count(&a), count(&b)
	wh := newWebhook(sa.URL+"/h", "s", minBodySize)
	spec := loadSpec{Conns: 4, Duration: time.Minute, MaxRequests: 400, Targets: []loadTarget{wh, wh.to(sb.URL)}}
	res, err := runLoad(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 400 || a.Load()+b.Load() != 400 || a.Load() == 0 || b.Load() == 0 {
		t.Errorf("ok %d, servers got %d and %d; want 400 over both", res.OK, a.Load(), b.Load())
	}
}

// A server that closes every connection after one answer, with or without
// saying so, costs reconnections but no errors.
func TestRunLoadReconnects(t *testing.T) {
	for _, announce := range []bool{true, false} {
		rec, srv := newRecorder(t, "s", func(s *http.Server) {
			if announce {
				s.SetKeepAlivesEnabled(false) // answers carry Connection: close
			} else {
				s.Handler = closeAfter(s.Handler) // closes without saying so
			}
		})
		spec := loadSpec{Conns: 2, Duration: time.Minute, MaxRequests: 50, Targets: []loadTarget{newWebhook(srv.URL+"/h", "s", minBodySize)}}
		res, err := runLoad(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		if res.OK != 50 || res.Errors != 0 {
			t.Errorf("announce %v: ok %d errors %d (%v %s); want 50 and none", announce, res.OK, res.Errors, res.Statuses, res.FirstErr)
		}
		rec.mu.Lock()
		if len(rec.ids) != 50 {
			t.Errorf("announce %v: server saw %d distinct requests, want 50", announce, len(rec.ids))
		}
		rec.mu.Unlock()
	}
}

// closeAfter answers and then closes the connection silently, as a server
// whose idle timeout fired would.
func closeAfter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			buf.Flush()
			conn.Close()
		}
	})
}
