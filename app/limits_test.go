package app

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSourceRateLimit: a source with a rate limit answers 429 with
// Retry-After once its bucket is empty, stores nothing for the refused
// request, refills with time, and can be made unlimited again.
func TestSourceRateLimit(t *testing.T) {
	h := startHub(t, "")
	t0 := time.Now()
	h.clock.set(t0)
	var src struct {
		ID        string
		Key       string
		RateLimit *struct {
			PerSecond float64 `json:"per_second"`
			Burst     int     `json:"burst"`
		} `json:"rate_limit"`
	}
	h.mustAPI(400, "POST", "/api/v1/sources", map[string]any{"name": "bad", "rate_limit": map[string]any{"per_second": -1}}, nil)
	h.mustAPI(400, "POST", "/api/v1/sources", map[string]any{"name": "bad", "rate_limit": map[string]any{"burst": 5}}, nil)
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "limited", "rate_limit": map[string]any{"per_second": 0.5, "burst": 2}}, &src)
	if src.RateLimit == nil || src.RateLimit.PerSecond != 0.5 || src.RateLimit.Burst != 2 {
		t.Fatalf("rate_limit shown as %+v", src.RateLimit)
	}
	post := func() *http.Response {
		resp, err := http.Post(h.url+"/hooks/"+src.Key, "application/json", strings.NewReader(`{"a":1}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for i := range 2 {
		if resp := post(); resp.StatusCode != 200 {
			t.Fatalf("request %d within the burst: %d", i+1, resp.StatusCode)
		}
	}
	resp := post()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("past the burst: %d Retry-After %q, want 429 and 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if n := len(h.events("source_id=" + src.ID)); n != 2 {
		t.Fatalf("%d events stored, want the 2 accepted", n)
	}
	h.clock.set(t0.Add(2 * time.Second))
	if resp := post(); resp.StatusCode != 200 {
		t.Fatalf("after the refill: %d", resp.StatusCode)
	}
	h.mustAPI(200, "PATCH", "/api/v1/sources/"+src.ID, map[string]any{"rate_limit": map[string]any{"per_second": 0}}, &src)
	if src.RateLimit != nil {
		t.Fatalf("rate_limit after removing it: %+v", src.RateLimit)
	}
	for i := range 5 {
		if resp := post(); resp.StatusCode != 200 {
			t.Fatalf("unlimited request %d: %d", i+1, resp.StatusCode)
		}
	}
}

// TestIngestGate: past the cap on requests or body bytes in flight, ingest
// answers 503 with Retry-After before reading, whether the body's length is
// declared or not, and admits requests again once the others are done.
func TestIngestGate(t *testing.T) {
	h := startHubWith(t, "", func(m *Main) { m.Config.IngestInflight, m.Config.IngestBytes = 2, 200_000 })
	var src struct{ Key string }
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gated"}, &src)
	url := h.url + "/hooks/" + src.Key

	// Two requests whose bodies never finish hold both slots.
	var writers []*io.PipeWriter
	done := make(chan int, 2)
	for range 2 {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		go func() {
			resp, err := http.Post(url, "application/json", pr)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		pw.Write([]byte(`{"held":`))
	}
	waitUntil(t, func() bool { return gateRequests(h) == 2 })
	status, header := postStatus(t, url, strings.NewReader(`{"a":1}`), 7)
	if status != 503 || header.Get("Retry-After") != "1" {
		t.Fatalf("past the request cap: %d Retry-After %q", status, header.Get("Retry-After"))
	}
	for _, pw := range writers {
		pw.Write([]byte(`1}`))
		pw.Close()
	}
	for range 2 {
		if s := <-done; s != 200 {
			t.Fatalf("held request answered %d", s)
		}
	}

	big := bytes.Repeat([]byte("x"), 300_000)
	body := append(append([]byte(`{"x":"`), big...), '"', '}')
	if status, _ := postStatus(t, url, bytes.NewReader(body), int64(len(body))); status != 503 {
		t.Fatalf("a declared body past the byte cap: %d", status)
	}
	if status, _ := postStatus(t, url, io.MultiReader(bytes.NewReader(body)), -1); status != 503 {
		t.Fatalf("an undeclared body past the byte cap: %d", status)
	}
	if status, _ := postStatus(t, url, strings.NewReader(`{"a":1}`), 7); status != 200 {
		t.Fatalf("after the others finished: %d", status)
	}
}

// postStatus posts body with the given Content-Length (-1: chunked).
func postStatus(t *testing.T, url string, body io.Reader, length int64) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, body)
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// gateRequests reads the requests in flight from the server's gate.
func gateRequests(h *testHub) int {
	n, _ := h.main.srv.IngestInFlight()
	return n
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
