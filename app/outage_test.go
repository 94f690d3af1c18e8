package app

import (
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultProxy forwards TCP to a database and can stall (hold every byte, as a
// network partition does) or cut (close and refuse every connection).
type faultProxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	stalled bool
	cut     bool
	resume  chan struct{} // closed when a stall ends
	conns   map[net.Conn]bool
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target, resume: make(chan struct{}), conns: map[net.Conn]bool{}}
	close(p.resume)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.closeAll() })
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

func (p *faultProxy) pipe(c net.Conn) {
	p.gate()
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	go p.copy(s, c)
	p.copy(c, s)
}

// copy moves bytes from src to dst, holding them while stalled.
func (p *faultProxy) copy(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// gate waits while the proxy is stalled.
func (p *faultProxy) gate() {
	p.mu.Lock()
	ch := p.resume
	p.mu.Unlock()
	<-ch
}

func (p *faultProxy) stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stalled {
		p.stalled, p.resume = true, make(chan struct{})
	}
}

func (p *faultProxy) cutOff() {
	p.mu.Lock()
	p.cut = true
	p.mu.Unlock()
	p.closeAll()
}

func (p *faultProxy) heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
	if p.stalled {
		p.stalled = false
		close(p.resume)
	}
}

func (p *faultProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// outageClient gives up long after any store timeout: a request it gives up
// on was hanging.
var outageClient = &http.Client{Timeout: 20 * time.Second}

// postPatiently posts a webhook and returns the status, failing the test on a
// hang or a broken connection.
func postPatiently(t *testing.T, url string) int {
	t.Helper()
	resp, err := outageClient.Post(url, "application/json", strings.NewReader(`{"n":1}`))
	if err != nil {
		t.Fatalf("post %s: %v (the request hung or broke)", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestDatabaseOutageAnswers503 runs ingest against PostgreSQL through a
// proxy that stalls and then cuts the connection: the source lookup and the
// commit must answer 503 within the store timeout, never 500, never hang, and
// ingest must recover by itself.
func TestDatabaseOutageAnswers503(t *testing.T) {
	t.Parallel()
	base := postgresBase(t)
	dbURL := freshPostgres(t, base)
	proxy := newFaultProxy(t, "127.0.0.1:5432")
	h := startHubWith(t, strings.Replace(dbURL, "127.0.0.1:5432", proxy.addr(), 1), func(m *Main) {
		m.storeTimeout = time.Second
	})
	var warm, cold source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "warm"}, &warm)
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "cold"}, &cold)
	if code := postPatiently(t, warm.URL); code != 200 {
		t.Fatalf("before the outage: %d", code)
	}
	for _, fault := range []struct {
		name  string
		apply func()
	}{{"stalled", proxy.stall}, {"cut off", proxy.cutOff}} {
		fault.apply()
		// cold is looked up in the store; warm is cached and only committed.
		for _, src := range []source{cold, warm} {
			start := time.Now()
			code := postPatiently(t, src.URL)
			t.Logf("%s database, %s source: %d after %v", fault.name, src.Key, code, time.Since(start))
			if code != 503 {
				t.Errorf("%s database, %s source: %d, want 503", fault.name, src.Key, code)
			}
		}
		if resp, err := outageClient.Get(h.url + "/readyz"); err != nil || resp.StatusCode != 503 {
			t.Errorf("%s database: readyz %v %v", fault.name, resp, err)
		}
		proxy.heal()
		eventually(t, "ingest to recover", func() bool { return postPatiently(t, warm.URL) == 200 })
	}
	if code := postPatiently(t, cold.URL); code != 200 {
		t.Fatalf("after the outage the cold source answers %d", code)
	}
}

// TestLockedSQLiteAnswers503 holds SQLite's write lock from another
// connection, as another process would: the commit must give up within the
// store timeout and answer 503, and succeed once the lock is gone.
func TestLockedSQLiteAnswers503(t *testing.T) {
	t.Parallel()
	h := startHubWith(t, "", func(m *Main) { m.storeTimeout = time.Second })
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s"}, &src)
	if code := postPatiently(t, src.URL); code != 200 {
		t.Fatalf("before the lock: %d", code)
	}
	db, err := sql.Open("sqlite", filepath.Join(h.main.Config.DataDir, "hookhub.db")+"?_pragma=busy_timeout(100)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
	if _, err := tx.Exec(`UPDATE sources SET name = name WHERE id = ?`, src.ID); err != nil {
		t.Fatalf("hold the write lock: %v", err)
	}
	start := time.Now()
	code := postPatiently(t, src.URL)
	took := time.Since(start)
	tx.Rollback()
	if code != 503 {
		t.Fatalf("locked database: %d, want 503", code)
	}
	// The driver would wait out SQLite's 10 s busy timeout; the store
	// timeout (1 s here) must end the wait well before that.
	if took > 8*time.Second {
		t.Fatalf("locked database answered after %v: the store timeout did not bound the commit", took)
	}
	if code := postPatiently(t, src.URL); code != 200 {
		t.Fatalf("after the lock: %d", code)
	}
}

// postgresBase returns HOOKHUB_TEST_POSTGRES_URL, skipping the test when it
// is unset.
func postgresBase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
	}
	return base
}
