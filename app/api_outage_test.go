package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// apiPatiently calls the management API with outageClient and returns the
// status and body, failing the test on a hang or a broken connection.
func (h *testHub) apiPatiently(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := outageClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v (the request hung or broke)", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// TestDatabaseOutageAPIAnswers503 stalls PostgreSQL behind the proxy (every
// connection kept open, no byte passing, as a hung server or a partition
// does): management API calls — reads, writes and the key check before
// them — must answer 503 with the API's error shape once the store
// deadline passes, instead of waiting for the database for ever, and
// answer normally once it is back.
func TestDatabaseOutageAPIAnswers503(t *testing.T) {
	t.Parallel()
	base := postgresBase(t)
	dbURL := freshPostgres(t, base)
	proxy := newFaultProxy(t, "127.0.0.1:5432")
	h := startHubWith(t, strings.Replace(dbURL, "127.0.0.1:5432", proxy.addr(), 1), func(m *Main) {
		m.storeTimeout = time.Second
	})
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "before"}, &src)
	calls := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/sources", nil},
		{"GET", "/api/v1/sources/" + src.ID, nil},
		{"PATCH", "/api/v1/sources/" + src.ID, map[string]any{"name": "renamed"}},
		{"POST", "/api/v1/sources", map[string]any{"name": "during"}},
		{"GET", "/api/v1/events?limit=5", nil},
		{"GET", "/api/v1/destinations", nil},
		{"GET", "/api/v1/incidents", nil},
		{"GET", "/api/v1/workflows", nil},
	}
	proxy.stall()
	for _, c := range calls {
		status, body := h.apiPatiently(t, c.method, c.path, c.body)
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if status != http.StatusServiceUnavailable || json.Unmarshal(body, &e) != nil || e.Error.Code != "unavailable" {
			t.Errorf("%s %s with the database stalled: %d %s, want 503 unavailable", c.method, c.path, status, body)
		}
	}
	proxy.heal()
	eventually(t, "the API to answer again", func() bool {
		status, _ := h.apiPatiently(t, "GET", "/api/v1/sources", nil)
		return status == http.StatusOK
	})
	var got source
	h.mustAPI(200, "GET", "/api/v1/sources/"+src.ID, nil, &got)
}

// TestTestAlertOutlivesStoreDeadline: "Send Test Alert" waits for the
// receiver as long as the destination's timeout allows, not only as long as
// the API's store deadline: a receiver slower than that deadline still
// gets the alert, and the attempt is recorded as a success.
func TestTestAlertOutlivesStoreDeadline(t *testing.T) {
	const storeTimeout = 500 * time.Millisecond
	h := startHubWith(t, "", func(m *Main) { m.storeTimeout = storeTimeout })
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(3 * storeTimeout) // a slow receiver, well within the destination's timeout
		w.WriteHeader(http.StatusOK)
	}))
	defer recv.Close()
	var dst struct{ ID string }
	h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "slow", "url": recv.URL + "/slow", "timeout_seconds": 30}, &dst)
	status, body := h.apiPatiently(t, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil)
	var res struct {
		Success bool
		Attempt struct {
			StatusCode int    `json:"status_code"`
			Error      string `json:"error"`
		}
	}
	if status != http.StatusOK || json.Unmarshal(body, &res) != nil || !res.Success || res.Attempt.StatusCode != 200 {
		t.Fatalf("test alert to a receiver slower than the store deadline: %d %s", status, body)
	}
}
