package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// apiClient calls one process's management API with the admin key.
type apiClient struct {
	base, key string
	c         *http.Client
}

func (h *hub) api() *apiClient {
	return &apiClient{base: h.URL, key: h.cfg.AdminKey, c: &http.Client{Timeout: 30 * time.Second}}
}

// do sends one call and decodes a 2xx answer into out; it returns the status.
func (a *apiClient) do(method, path string, in, out any, header ...string) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// must is do that fails the test on any error.
func (a *apiClient) must(t *testing.T, method, path string, in, out any) {
	t.Helper()
	if _, err := a.do(method, path, in, out); err != nil {
		t.Fatal(err)
	}
}

// createDestination makes a webhook destination and returns its id; extra
// fields override the defaults.
func (a *apiClient) createDestination(t *testing.T, name, url string, extra map[string]any) string {
	t.Helper()
	in := map[string]any{"name": name, "url": url, "enabled": true, "timeout_seconds": 2, "max_concurrency": 32,
		"retry": map[string]any{"max_retries": 20, "schedule_seconds": []int{1}}}
	for k, v := range extra {
		in[k] = v
	}
	var out struct{ ID string }
	a.must(t, "POST", "/api/v1/destinations", in, &out)
	return out.ID
}

// source is a created source: its id and ingest URL.
type source struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	Key string `json:"key"`
}

// createSource makes a source; in holds its fields.
func (a *apiClient) createSource(t *testing.T, in map[string]any) source {
	t.Helper()
	var out source
	a.must(t, "POST", "/api/v1/sources", in, &out)
	return out
}

// delivery is a delivery as the API shows it.
type delivery struct {
	ID           string    `json:"id"`
	EventID      string    `json:"event_id"`
	Status       string    `json:"status"`
	AttemptCount int       `json:"attempt_count"`
	LastError    string    `json:"last_error"`
	Attempts     []attempt `json:"attempts"`
}

// attempt is one recorded attempt.
type attempt struct {
	Number          int                 `json:"number"`
	StartedAt       time.Time           `json:"started_at"`
	StatusCode      int                 `json:"status_code"`
	ResponseHeaders map[string][]string `json:"response_headers"`
	ResponseBody    string              `json:"response_body"`
	Error           string              `json:"error"`
	DurationMS      int64               `json:"duration_ms"`
	Truncated       []string            `json:"truncated"`
}

// eventIDs lists every stored event id matching query (e.g. "source_id=…").
func (a *apiClient) eventIDs(t *testing.T, query string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	pageAll(t, a, "/api/v1/events?"+query, func(raw json.RawMessage) {
		var e struct{ ID string }
		json.Unmarshal(raw, &e)
		ids[e.ID] = true
	})
	return ids
}

// deliveries lists every delivery matching query.
func (a *apiClient) deliveries(t *testing.T, query string) []delivery {
	t.Helper()
	var out []delivery
	pageAll(t, a, "/api/v1/deliveries?"+query, func(raw json.RawMessage) {
		var d delivery
		json.Unmarshal(raw, &d)
		out = append(out, d)
	})
	return out
}

// delivery reads one delivery with its attempts.
func (a *apiClient) delivery(t *testing.T, id string) delivery {
	t.Helper()
	var d delivery
	a.must(t, "GET", "/api/v1/deliveries/"+id, nil, &d)
	return d
}

func pageAll(t *testing.T, a *apiClient, path string, each func(json.RawMessage)) {
	t.Helper()
	cursor := ""
	for {
		var l struct {
			Data       []json.RawMessage `json:"data"`
			NextCursor string            `json:"next_cursor"`
		}
		a.must(t, "GET", path+"&limit=500&cursor="+url.QueryEscape(cursor), nil, &l)
		for _, raw := range l.Data {
			each(raw)
		}
		if l.NextCursor == "" {
			return
		}
		cursor = l.NextCursor
	}
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
