package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Sizes of the console scenario's store: the issue's "100k events and 10k
// incidents".
const (
	consoleEvents    = 100_000
	consoleIncidents = 10_000
	consoleSamples   = 40 // timed loads of each page
)

// consolePages are the list pages timed, with filters that hit and miss.
var consolePages = []string{
	"/", "/events", "/events?status=rejected", "/events?type=push", "/sources",
	"/incidents", "/incidents?status=triggered", "/incidents?severity=critical", "/incidents?q=disk",
	"/destinations", "/deliveries?status=failed",
}

// runConsole fills a hub with events and incidents, signs in and times each
// console list page: the time to the last byte over loopback, which is the
// server's time plus a loopback round trip.
func (b *bench) runConsole(ctx context.Context, store string) error {
	return b.withHub(ctx, "console", store, func(h hubRun) error {
		srcID, err := b.fillConsole(ctx, h)
		if err != nil {
			return err
		}
		cookie, err := consoleLogin(ctx, h.hub)
		if err != nil {
			return err
		}
		pages := append(consolePages, "/events?source_id="+srcID, "/sources/"+srcID)
		for _, p := range pages {
			lat, err := timePage(ctx, h.hub, cookie, p)
			if err != nil {
				return err
			}
			name := "GET " + p
			if strings.Contains(p, srcID) {
				name = strings.ReplaceAll(name, srcID, "{source}")
			}
			logf("  %s: p50 %.1f ms, p99 %.1f ms", name, ms(percentile(lat, 50)), ms(percentile(lat, 99)))
			b.fig("console", store, name+" p50", ms(percentile(lat, 50)), "ms", "p50", atMost(100))
			b.fig("console", store, name+" p99", ms(percentile(lat, 99)), "ms", "p99", atMost(100))
		}
		return nil
	})
}

// fillConsole posts the events (signed pushes) and the incidents (one Panther
// alert each, with its own alert ID) and returns the push source's ID.
func (b *bench) fillConsole(ctx context.Context, h hubRun) (string, error) {
	start := time.Now()
	var src struct{ ID, URL string }
	if err := h.api(ctx, "POST", "/api/v1/sources", map[string]any{"name": "bench pushes", "type": "github",
		"verification": map[string]any{"scheme": "github", "secret": hmacSecret}}, &src); err != nil {
		return "", fmt.Errorf("console: create source: %w", err)
	}
	spec := loadSpec{Conns: b.cfg.conns, MaxRequests: consoleEvents, Duration: 10 * time.Minute,
		Targets: []loadTarget{b.hook(src.URL)}}
	if _, err := runLoad(ctx, spec); err != nil {
		return "", fmt.Errorf("console: fill events: %w", err)
	}
	var alerts struct{ URL string }
	if err := h.api(ctx, "POST", "/api/v1/sources", map[string]any{"name": "bench alerts", "type": "panther"}, &alerts); err != nil {
		return "", fmt.Errorf("console: create alert source: %w", err)
	}
	severities := []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"}
	spec = loadSpec{Conns: 8, MaxRequests: consoleIncidents, Duration: 10 * time.Minute,
		Targets: []loadTarget{newJSONPost(alerts.URL, func(i int64) string {
			return fmt.Sprintf(`{"id":"bench.rule","severity":%q,"type":"RULE","title":"Disk full on host-%d","alertId":"bench-%d","alertContext":{}}`,
				severities[i%5], i, i)
		})}}
	if _, err := runLoad(ctx, spec); err != nil {
		return "", fmt.Errorf("console: fill incidents: %w", err)
	}
	logf("  filled %d events and %d incidents in %s", consoleEvents, consoleIncidents, time.Since(start).Round(time.Second))
	return src.ID, nil
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consoleLogin signs in through the login form and returns the session cookie.
func consoleLogin(ctx context.Context, h *hub) (*http.Cookie, error) {
	noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/login", nil)
	resp, err := noRedirect.Do(req)
	if err != nil {
		return nil, fmt.Errorf("console: login page: %w", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("console: the login page has no form token")
	}
	form := url.Values{"csrf_token": {string(m[1])}, "username": {"admin"}, "password": {adminPassword}}
	req, _ = http.NewRequestWithContext(ctx, "POST", h.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = noRedirect.Do(req)
	if err != nil {
		return nil, fmt.Errorf("console: sign in: %w", err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "hookhub_session" && c.Value != "" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("console: sign-in answered %d without a session", resp.StatusCode)
}

// timePage loads a page a few times to warm up, then consoleSamples times,
// one after another, and returns the sorted latencies.
func timePage(ctx context.Context, h *hub, cookie *http.Cookie, path string) ([]time.Duration, error) {
	var lat []time.Duration
	for i := range consoleSamples + 3 {
		req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		req.AddCookie(cookie)
		t0 := time.Now()
		resp, err := h.client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("console: GET %s: %w", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("</html>")) {
			return nil, fmt.Errorf("console: GET %s answered %d", path, resp.StatusCode)
		}
		if i >= 3 {
			lat = append(lat, d)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, nil
}
