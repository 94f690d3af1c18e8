package app

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// slowClient opens a connection to the hub, writes head at once and then
// one byte every 50 ms, as a client trickling its request would. It returns
// the server's answer, or nil when the server closed the connection
// without one.
func slowClient(t *testing.T, h *testHub, head string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", h.main.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := c.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	// Long after every timeout under test: a read still blocked then means
	// the server let the client hold the connection.
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		t.Fatalf("the server held a trickling client for 20 s")
	}
	if err != nil {
		return nil
	}
	return resp
}

// TestSlowRequestsAreCutOff trickles request bodies to the ingest and API
// endpoints and request headers to the server: bodies get 408 and nothing is
// stored, headers get the connection closed, each once its timeout passes.
// Timeouts act before the store is reached, so SQLite alone is enough.
func TestSlowRequestsAreCutOff(t *testing.T) {
	t.Parallel()
	h := startHubWith(t, "", func(m *Main) {
		m.bodyTimeout, m.headerTimeout = 500*time.Millisecond, 500*time.Millisecond
	})
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "slow"}, &src)
	for _, tc := range []struct{ name, head string }{
		{"webhook", fmt.Sprintf("POST /hooks/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n", src.Key)},
		{"chunked webhook", fmt.Sprintf("POST /hooks/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nf4240\r\n", src.Key)},
		{"API call", fmt.Sprintf("POST /api/v1/sources HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", h.key)},
	} {
		start := time.Now()
		resp := slowClient(t, h, tc.head)
		t.Logf("%s answered after %v", tc.name, time.Since(start))
		if resp == nil {
			t.Fatalf("%s: connection closed without an answer", tc.name)
		}
		var e struct{ Error struct{ Code string } }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestTimeout || e.Error.Code != "timeout" {
			t.Errorf("%s: %d %q, want 408 timeout", tc.name, resp.StatusCode, e.Error.Code)
		}
	}
	start := time.Now()
	resp := slowClient(t, h, "POST /hooks/"+src.Key+" HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	t.Logf("headers cut after %v", time.Since(start))
	if resp != nil && resp.StatusCode < 400 {
		t.Errorf("trickled headers answered %d", resp.StatusCode)
	}
	if evs := h.events("source_id=" + src.ID); len(evs) != 0 {
		t.Fatalf("a cut-off request was stored: %+v", evs)
	}
	var l list[source]
	h.mustAPI(200, "GET", "/api/v1/sources", nil, &l)
	if len(l.Data) != 1 {
		t.Fatalf("a cut-off API call created something: %d sources", len(l.Data))
	}
	// Ordinary requests still work.
	if code, body := h.post("/hooks/"+src.Key, jsonCT, []byte(`{"ok":true}`)); code != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("a prompt webhook: %d %s", code, body)
	}
}
