package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// sink is a destination receiver that records every request and answers
// with a status the test can change.
type sink struct {
	mu     sync.Mutex
	status int // 0 answers 200
	reqs   []sinkRequest
	srv    *httptest.Server
}

type sinkRequest struct {
	header http.Header
	body   string
}

// newSink starts a sink on 127.0.0.1 and stops it when the test ends.
func newSink(t *testing.T) *sink {
	t.Helper()
	s := &sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, sinkRequest{header: r.Header.Clone(), body: string(body)})
	status := s.status
	s.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
}

func (s *sink) setStatus(code int) {
	s.mu.Lock()
	s.status = code
	s.mu.Unlock()
}

// requests returns a copy of what the sink has received so far.
func (s *sink) requests() []sinkRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkRequest(nil), s.reqs...)
}

// withEvent returns the requests whose X-Hookhub-Event is typ.
func (s *sink) withEvent(typ string) []sinkRequest {
	var out []sinkRequest
	for _, r := range s.requests() {
		if r.header.Get("X-Hookhub-Event") == typ {
			out = append(out, r)
		}
	}
	return out
}

// withDelivery returns the requests that carried delivery id.
func (s *sink) withDelivery(id string) []sinkRequest {
	var out []sinkRequest
	for _, r := range s.requests() {
		if r.header.Get("X-Hookhub-Delivery") == id {
			out = append(out, r)
		}
	}
	return out
}

// destination is the part of a destination's JSON the tests read.
type destination struct {
	ID      string            `json:"id"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Secret  string            `json:"secret"`
	Signing struct {
		Scheme        string     `json:"scheme"`
		PreviousUntil *time.Time `json:"previous_secret_until"`
	} `json:"signing"`
}

type deliveryOut struct {
	ID            string    `json:"id"`
	EventID       string    `json:"event_id"`
	DestinationID string    `json:"destination_id"`
	Status        string    `json:"status"`
	AttemptCount  int       `json:"attempt_count"`
	LastError     string    `json:"last_error"`
	CreatedAt     time.Time `json:"created_at"`
	Attempts      []attempt `json:"attempts"`
}

type attempt struct {
	Number         int                 `json:"number"`
	Trigger        string              `json:"trigger"`
	URL            string              `json:"url"`
	StatusCode     int                 `json:"status_code"`
	RequestHeaders map[string][]string `json:"request_headers"`
	ResponseBody   string              `json:"response_body"`
	Error          string              `json:"error"`
}

// createDestination creates a destination with the given settings on top of
// a name and URL, and returns it with its one-time secret.
func (h *testHub) createDestination(name, url string, extra map[string]any) destination {
	h.t.Helper()
	body := map[string]any{"name": name, "url": url}
	for k, v := range extra {
		body[k] = v
	}
	var d destination
	h.mustAPI(201, "POST", "/api/v1/destinations", body, &d)
	return d
}

// deliveries lists every delivery matching query, newest first.
func (h *testHub) deliveries(query string) []deliveryOut {
	h.t.Helper()
	var l list[deliveryOut]
	h.mustAPI(200, "GET", "/api/v1/deliveries?limit=500&"+query, nil, &l)
	return l.Data
}

// delivery reads one delivery with its attempts.
func (h *testHub) delivery(id string) deliveryOut {
	h.t.Helper()
	var d deliveryOut
	h.mustAPI(200, "GET", "/api/v1/deliveries/"+id, nil, &d)
	return d
}

// raw calls the API with extra headers and returns the status, headers and
// body as they came.
func (h *testHub) raw(method, path string, headers map[string]string, body any) (int, http.Header, []byte) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+h.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}
