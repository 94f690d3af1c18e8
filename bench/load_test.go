package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, ms(i))
	}
	tests := []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", []time.Duration{ms(7)}, 99, ms(7)},
		{"p50 of 1..100", hundred, 50, ms(50)},
		{"p99 of 1..100", hundred, 99, ms(99)},
		{"p100 is the max", hundred, 100, ms(100)},
		{"nearest rank rounds up", []time.Duration{ms(1), ms(2), ms(3)}, 50, ms(2)},
		{"p99 of 3 is the max", []time.Duration{ms(1), ms(2), ms(3)}, 99, ms(3)},
	}
	for _, tt := range tests {
		if got := percentile(tt.samples, tt.p); got != tt.want {
			t.Errorf("%s: percentile(p%g) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

// sendOne builds one request of a sender and parses it as a server would.
func sendOne(t *testing.T, send func([]byte, time.Time) []byte, now time.Time) (*http.Request, []byte) {
	t.Helper()
	raw := send(nil, now)
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("the request does not parse: %v\n%q", err, raw)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	return req, body
}

func checkSignature(t *testing.T, req *http.Request, body []byte, secret string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if got, want := req.Header.Get("X-Hub-Signature-256"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
}

func TestWebhookRequest(t *testing.T) {
	for _, size := range []int{minBodySize, defaultBodySize, 500, 4096} {
		wh := newWebhook("http://127.0.0.1:1/hooks/k?x=1", "s3cret", size)
		send := wh.newSender()
		now := time.Unix(1700000000, 123456789)
		req, body := sendOne(t, send, now)
		if req.Method != "POST" || req.Host != "127.0.0.1:1" || req.URL.RequestURI() != "/hooks/k?x=1" {
			t.Errorf("request line: %s %s, host %s", req.Method, req.URL.RequestURI(), req.Host)
		}
		if len(body) != size || req.ContentLength != int64(size) {
			t.Errorf("body is %d bytes (Content-Length %d), want %d", len(body), req.ContentLength, size)
		}
		if !json.Valid(body) {
			t.Errorf("body is not JSON: %s", body)
		}
		if req.Header.Get("X-GitHub-Event") != "push" || req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers: %v", req.Header)
		}
		checkSignature(t, req, body, "s3cret")
		sent, ok := sendTime(body[:len(tsPrefix)+19])
		if !ok || sent != now.UnixNano() {
			t.Errorf("sendTime = %d, %v; want %d", sent, ok, now.UnixNano())
		}
		// Another connection's sender shares the delivery-id sequence.
		next, _ := sendOne(t, wh.to("http://127.0.0.2:2").newSender(), now)
		if next.Header.Get("X-GitHub-Delivery") == req.Header.Get("X-GitHub-Delivery") {
			t.Error("two requests share a delivery id; Hookhub would drop the second as a duplicate")
		}
		if next.Host != "127.0.0.2:2" {
			t.Errorf("to() sent to %s", next.Host)
		}
	}
}

func TestWebhookBodyCarriesDeliveryID(t *testing.T) {
	wh := newWebhook("http://127.0.0.1:1/hooks/k", "s", defaultBodySize)
	req, body := sendOne(t, wh.newSender(), time.Now())
	var payload struct{ Delivery string }
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	// The ordered scenario keys deliveries on the number after the dash.
	if payload.Delivery != req.Header.Get("X-GitHub-Delivery") || !strings.Contains(payload.Delivery, "-") {
		t.Errorf("body delivery %q, header %q", payload.Delivery, req.Header.Get("X-GitHub-Delivery"))
	}
}

func TestJSONPost(t *testing.T) {
	p := newJSONPost("http://127.0.0.1:1/hooks/a", func(i int64) string { return fmt.Sprintf(`{"n":%d}`, i) })
	s1, s2 := p.newSender(), p.newSender()
	_, b0 := sendOne(t, s1, time.Now())
	req, b1 := sendOne(t, s2, time.Now())
	if string(b0) != `{"n":0}` || string(b1) != `{"n":1}` || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("bodies %s, %s; headers %v", b0, b1, req.Header)
	}
}

func TestSendTimeIgnoresOtherBodies(t *testing.T) {
	for _, b := range []string{"", `{"destination_id":"dst_1","hookhub_version":"x"}`, `{"bench_ts":12}`} {
		if _, ok := sendTime([]byte(b)); ok {
			t.Errorf("sendTime(%q) accepted a body without a bench timestamp", b)
		}
	}
}

func sampleReport() *report {
	r := &report{Started: time.Unix(0, 0).UTC(), Host: map[string]string{}, Settings: map[string]string{}}
	r.add(&figure{Scenario: "baseline", Store: "net/http", Name: "requests/s", Value: 20000, Unit: "req/s", base: "rate"})
	r.add(&figure{Scenario: "baseline", Store: "net/http", Name: "latency p99", Value: 4, Unit: "ms", base: "p99"})
	r.add(&figure{Scenario: "ingest", Store: "sqlite", Name: "requests/s", Value: 12000, Unit: "req/s", base: "rate", Target: baselineAtLeast(0.5)})
	r.add(&figure{Scenario: "ingest", Store: "sqlite", Name: "latency p99", Value: 25, Unit: "ms", base: "p99", Target: atMost(20)})
	r.add(&figure{Scenario: "backlog", Store: "sqlite", Name: "peak RSS", Value: 80, Unit: "MB"})
	r.finish()
	return r
}

func TestReportFinish(t *testing.T) {
	r := sampleReport()
	ingest, p99, rss := r.Figures[2], r.Figures[3], r.Figures[4]
	if ingest.Ratio == nil || *ingest.Ratio != 0.6 {
		t.Errorf("ingest ratio = %v, want 0.6", ingest.Ratio)
	}
	if ingest.Met == nil || !*ingest.Met {
		t.Error("ingest at 0.6× baseline should meet >= 0.5×")
	}
	if p99.Met == nil || *p99.Met {
		t.Error("p99 of 25 ms should miss <= 20 ms")
	}
	if p99.Ratio == nil || *p99.Ratio != 6.25 {
		t.Errorf("p99 ratio = %v, want 6.25 (against the baseline's p99)", p99.Ratio)
	}
	if rss.Ratio != nil || rss.Met != nil {
		t.Error("memory has no baseline and no target here")
	}
	if r.Figures[0].Ratio != nil {
		t.Error("the baseline gets no ratio to itself")
	}
}

func TestTargetWithoutBaselineIsNotJudged(t *testing.T) {
	r := &report{}
	r.add(&figure{Scenario: "ingest", Name: "requests/s", Value: 1, Unit: "req/s", base: "rate", Target: baselineAtLeast(0.5)})
	r.finish()
	if r.Figures[0].Met != nil {
		t.Error("a target relative to the baseline was judged in a run without a baseline")
	}
}

func TestTable(t *testing.T) {
	r := sampleReport()
	r.Failures = []string{"backlog on sqlite: boom"}
	var buf bytes.Buffer
	if err := r.writeTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"scenario", "vs baseline",
		"20,000 req/s", "12,000 req/s", "0.60×", ">= 0.5× baseline", "met",
		"25.00 ms", "<= 20.00 ms", "MISSED", "80.0 MB",
		"FAILED", "backlog on sqlite: boom",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 1+5+1 {
		t.Errorf("table has %d lines, want header + 5 figures + 1 failure:\n%s", lines, out)
	}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := sampleReport().writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Figures []struct {
			Scenario string   `json:"scenario"`
			Figure   string   `json:"figure"`
			Value    float64  `json:"value"`
			Ratio    *float64 `json:"ratio_to_baseline"`
			Met      *bool    `json:"met"`
			Target   *struct {
				Op    string  `json:"op"`
				Value float64 `json:"value"`
			} `json:"target"`
		} `json:"figures"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Figures) != 5 {
		t.Fatalf("%d figures in JSON, want 5", len(got.Figures))
	}
	f := got.Figures[3]
	if f.Scenario != "ingest" || f.Figure != "latency p99" || f.Value != 25 || f.Target == nil || f.Target.Op != "<=" || f.Met == nil || *f.Met {
		t.Errorf("ingest p99 in JSON = %+v", f)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{1234567.4, "deliveries/s", "1,234,567 deliveries/s"},
		{999, "req/s", "999 req/s"},
		{-1500, "count", "-1,500"},
		{0, "count", "0"},
		{3.14159, "ms", "3.14 ms"},
		{1.5, "×", "1.50×"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func checkMAC(body []byte, secret, header string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return header == "sha256="+hex.EncodeToString(mac.Sum(nil))
}

// With wrk in the run, every ratio divides by wrk's baseline, the built-in
// baseline included (how close that generator came).
func TestReportRatiosAgainstWrk(t *testing.T) {
	r := &report{}
	r.add(&figure{Scenario: "baseline", Store: "net/http", Load: genBuiltin, Name: "requests/s", Value: 80000, Unit: "req/s", base: "rate"})
	r.add(&figure{Scenario: "baseline", Store: "net/http", Load: genWrk, Name: "requests/s", Value: 100000, Unit: "req/s", base: "rate"})
	r.add(&figure{Scenario: "ingest", Store: "sqlite", Load: genWrk, Name: "requests/s", Value: 50000, Unit: "req/s", base: "rate", Target: baselineAtLeast(0.5)})
	r.add(&figure{Scenario: "fanout", Store: "sqlite", Load: genBuiltin, Name: "deliveries/s", Value: 20000, Unit: "deliveries/s", base: "rate"})
	r.finish()
	if r.RatioBase != genWrk {
		t.Errorf("ratio base %q, want wrk", r.RatioBase)
	}
	want := []float64{0.8, 0, 0.5, 0.2}
	for i, f := range r.Figures {
		switch {
		case i == 1 && f.Ratio != nil:
			t.Error("wrk's baseline got a ratio to itself")
		case i != 1 && (f.Ratio == nil || *f.Ratio != want[i]):
			t.Errorf("%s %s ratio %v, want %v", f.Scenario, f.Load, f.Ratio, want[i])
		}
	}
	if m := r.Figures[2].Met; m == nil || !*m {
		t.Error("ingest at 0.5× of wrk's baseline should meet >= 0.5×")
	}
	var buf bytes.Buffer
	if err := r.writeTable(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"vs baseline (wrk)", "load", "wrk", "built-in", "0.80×"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.load != "auto" || c.wrkThreads != 2 || c.bodySize != defaultBodySize || !slices.Equal(c.scaleout, []int{1, 2, 3}) || !c.wants("scaleout") {
		t.Errorf("defaults: %+v", c)
	}
	c, err = parseFlags([]string{"--load", "builtin", "--scaleout", "1, 3", "--body-size", "1000", "--only", "baseline,scaleout"})
	if err != nil || c.load != "builtin" || !slices.Equal(c.scaleout, []int{1, 3}) || c.bodySize != 1000 || c.wants("ingest") {
		t.Errorf("parsed %+v, %v", c, err)
	}
	for _, bad := range [][]string{
		{"--load", "ab"}, {"--scaleout", "0"}, {"--scaleout", "x"}, {"--scaleout", ""}, {"--body-size", "10"},
		{"--wrk-threads", "0"}, {"--only", "nope"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) took it", bad)
		}
	}
}
