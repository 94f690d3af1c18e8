package app

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPublishIdempotencyKey(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		h.createDestination("orders", rcv.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"order.*"}}})

		publish := func(key string, n int) (string, http.Header) {
			t.Helper()
			code, hdr, body := h.raw("POST", "/api/v1/events", map[string]string{"Idempotency-Key": key},
				map[string]any{"type": "order.created", "payload": map[string]any{"n": n}})
			if code != 202 {
				t.Fatalf("publish with key %s: %d %s", key, code, body)
			}
			var ev event
			if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
				t.Fatalf("publish answer %s: %v", body, err)
			}
			return ev.ID, hdr
		}
		first, hdr := publish("order-7", 1)
		if hdr.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first publish marked as replayed")
		}
		again, hdr := publish("order-7", 2)
		if again != first || hdr.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("same key: event %s (replayed %q), want %s", again, hdr.Get("Idempotent-Replayed"), first)
		}
		var got event
		h.mustAPI(200, "GET", "/api/v1/events/"+first, nil, &got)
		if got.Body != `{"n":1}` {
			t.Fatalf("the original event changed: %q", got.Body)
		}
		other, _ := publish("order-8", 3)
		if other == first {
			t.Fatalf("a different key returned the same event")
		}
		eventually(t, "two deliveries", func() bool { return len(rcv.withEvent("order.created")) >= 2 })
		time.Sleep(300 * time.Millisecond) // room for a wrong third delivery to arrive
		reqs := rcv.withEvent("order.created")
		if len(reqs) != 2 {
			t.Fatalf("receiver got %d order.created requests, want 2: %+v", len(reqs), reqs)
		}
		bodies := []string{reqs[0].body, reqs[1].body}
		slices.Sort(bodies)
		if bodies[0] != `{"n":1}` || bodies[1] != `{"n":3}` {
			t.Fatalf("delivered bodies %q", bodies)
		}
		if n := len(h.deliveries("event_id=" + first)); n != 1 {
			t.Fatalf("event %s has %d deliveries, want 1", first, n)
		}

		// Clients retrying at once: one event, whoever wins.
		ids := make(chan string, 8)
		for i := range cap(ids) {
			go func() {
				code, _, body := h.raw("POST", "/api/v1/events", map[string]string{"Idempotency-Key": "race"},
					map[string]any{"type": "order.created", "payload": map[string]any{"n": 10 + i}})
				var ev event
				json.Unmarshal(body, &ev)
				if code != 202 {
					ev.ID = "status " + strconv.Itoa(code)
				}
				ids <- ev.ID
			}()
		}
		winner := <-ids
		for range cap(ids) - 1 {
			if id := <-ids; id != winner {
				t.Fatalf("concurrent publishes with one key gave %s and %s", winner, id)
			}
		}
		eventually(t, "the raced event", func() bool { return len(rcv.withEvent("order.created")) == 3 })

		// A key is remembered for a day.
		h.clock.set(time.Now().Add(25 * time.Hour))
		if later, _ := publish("order-7", 4); later == first {
			t.Fatalf("a key past its window still returns the old event")
		}
		h.clock.set(time.Time{})
	})
}

// githubSignature signs body as GitHub does.
func githubSignature(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestInspectorFilters(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var gh, plain source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gh", "type": "github",
			"verification": map[string]any{"scheme": "github", "secret": "octo"}}, &gh)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "plain", "type": "generic",
			"event_type": map[string]any{"json_path": "kind"}}, &plain)

		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		at := func(minutes int) { h.clock.set(t0.Add(time.Duration(minutes) * time.Minute)) }
		github := func(delivery, typ, body, sig string) int {
			t.Helper()
			code, _ := h.post("/hooks/"+gh.Key, map[string]string{"Content-Type": "application/json",
				"X-GitHub-Event": typ, "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": sig}, []byte(body))
			return code
		}
		pushBody := `{"ref":"refs/heads/main","commits":[{"id":"c1"}]}`
		at(0)
		if code := github("d-1", "push", pushBody, githubSignature("octo", pushBody)); code != 200 {
			t.Fatalf("push: %d", code)
		}
		at(1)
		if code := github("d-1", "push", pushBody, githubSignature("octo", pushBody)); code != 200 {
			t.Fatalf("redelivered push: %d", code)
		}
		at(2)
		if code := github("d-2", "push", pushBody, githubSignature("wrong", pushBody)); code != 401 {
			t.Fatalf("bad signature: %d, want 401", code)
		}
		at(3)
		if code := github("d-3", "issues", `{"action":"opened"}`, githubSignature("octo", `{"action":"opened"}`)); code != 200 {
			t.Fatalf("issues: %d", code)
		}
		for i, kind := range []string{"a", "b", "a"} {
			at(10 + i)
			if code, body := h.post("/hooks/"+plain.Key, map[string]string{"Content-Type": "application/json"},
				[]byte(`{"kind":"`+kind+`"}`)); code != 200 {
				t.Fatalf("plain %d: %d %s", i, code, body)
			}
		}
		h.clock.set(time.Time{})

		ids := func(query string) []string {
			t.Helper()
			var l list[event]
			h.mustAPI(200, "GET", "/api/v1/events?"+query, nil, &l)
			var out []string
			for _, e := range l.Data {
				out = append(out, e.Type+"/"+e.Status)
			}
			return out
		}
		rfc := func(minutes int) string {
			return url.QueryEscape(t0.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339))
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"source_id=" + gh.ID, []string{"issues/accepted", "/rejected", "push/duplicate", "push/accepted"}},
			{"source_id=" + plain.ID, []string{"a/accepted", "b/accepted", "a/accepted"}},
			{"type=push", []string{"push/duplicate", "push/accepted"}},
			{"type=a", []string{"a/accepted", "a/accepted"}},
			{"status=duplicate", []string{"push/duplicate"}},
			{"status=rejected", []string{"/rejected"}},
			{"status=accepted&source_id=" + gh.ID, []string{"issues/accepted", "push/accepted"}},
			{"since=" + rfc(1) + "&until=" + rfc(3), []string{"/rejected", "push/duplicate"}},
			{"since=" + rfc(10), []string{"a/accepted", "b/accepted", "a/accepted"}},
			{"until=" + rfc(1), []string{"push/accepted"}},
			{"type=push&since=" + rfc(1), []string{"push/duplicate"}},
			{"until=" + url.QueryEscape("2026-03-01T10:01:00+01:00"), []string{"push/accepted"}},
		} {
			if got := ids(tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("events?%s = %v, want %v", tc.query, got, tc.want)
			}
		}
		h.mustAPI(400, "GET", "/api/v1/events?since=yesterday", nil, nil)

		var dup event
		for _, e := range h.events("status=duplicate") {
			dup = e
		}
		orig := h.events("status=accepted&type=push")
		if len(orig) != 1 || dup.ID == "" {
			t.Fatalf("duplicate %+v, original %+v", dup, orig)
		}
		var dupFull struct {
			DuplicateOf string `json:"duplicate_of"`
			DedupKey    string `json:"dedup_key"`
		}
		h.mustAPI(200, "GET", "/api/v1/events/"+dup.ID, nil, &dupFull)
		if dupFull.DuplicateOf != orig[0].ID || dupFull.DedupKey != "d-1" {
			t.Errorf("duplicate points at %+v, want %s", dupFull, orig[0].ID)
		}
		rejected := h.events("status=rejected")
		if len(rejected) != 1 || rejected[0].Verification.Result != "failed" || rejected[0].Verification.Reason == "" {
			t.Errorf("rejected event: %+v", rejected)
		}

		// Every event once across pages of two, newest first, also filtered.
		for _, filter := range []string{"", "source_id=" + gh.ID, "status=accepted"} {
			all := allIDs(t, h, filter, 500)
			paged := allIDs(t, h, filter, 2)
			if !slices.Equal(paged, all) || len(all) < 3 {
				t.Errorf("filter %q: pages of 2 gave %v, one page %v", filter, paged, all)
			}
		}
		if n := len(allIDs(t, h, "", 500)); n != 7 {
			t.Errorf("%d events in all, want 7", n)
		}

		// One event whole: its headers and its body, raw and pretty.
		var one struct {
			Headers  map[string][]string `json:"headers"`
			Body     string              `json:"body"`
			BodyJSON string              `json:"body_json"`
			Method   string              `json:"method"`
			Path     string              `json:"path"`
		}
		h.mustAPI(200, "GET", "/api/v1/events/"+orig[0].ID, nil, &one)
		if one.Body != pushBody || one.Method != "POST" || one.Path != "/hooks/"+gh.Key {
			t.Errorf("event body or request line: %+v", one)
		}
		if g := one.Headers["X-Github-Delivery"]; len(g) != 1 || g[0] != "d-1" {
			t.Errorf("headers: %v", one.Headers)
		}
		want := "{\n  \"ref\": \"refs/heads/main\",\n  \"commits\": [\n    {\n      \"id\": \"c1\"\n    }\n  ]\n}"
		if one.BodyJSON != want {
			t.Errorf("pretty body:\n%s\nwant\n%s", one.BodyJSON, want)
		}
	})
}

// allIDs lists every event matching filter, following cursors page by page,
// and fails if a page is larger than asked or an event comes twice.
func allIDs(t *testing.T, h *testHub, filter string, limit int) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("pagination does not end")
		}
		q := url.Values{}
		q.Set("limit", strconv.Itoa(limit))
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		path := "/api/v1/events?" + q.Encode()
		if filter != "" {
			path += "&" + filter
		}
		var l list[event]
		h.mustAPI(200, "GET", path, nil, &l)
		if len(l.Data) > limit {
			t.Fatalf("page of %d with limit %d", len(l.Data), limit)
		}
		for _, e := range l.Data {
			if seen[e.ID] {
				t.Fatalf("event %s on two pages", e.ID)
			}
			seen[e.ID] = true
			out = append(out, e.ID)
		}
		if l.NextCursor == "" {
			return out
		}
		if len(l.Data) == 0 {
			t.Fatalf("empty page with a next cursor")
		}
		cursor = l.NextCursor
	}
}

// sse is one server-sent event.
type sse struct{ id, event, data string }

// openStream subscribes to the event stream with query and returns its
// events as they come; the channel closes when the stream ends.
func openStream(t *testing.T, h *testHub, query string) <-chan sse {
	t.Helper()
	req, _ := http.NewRequest("GET", h.url+"/api/v1/events/stream?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+h.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	// The ": connected" comment: from here on the stream has every event.
	if !sc.Scan() || sc.Text() != ": connected" {
		t.Fatalf("first line %q: %v", sc.Text(), sc.Err())
	}
	msgs := make(chan sse, 16)
	go func() {
		defer close(msgs)
		var m sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				// A message without data (the stream's opening id
				// marker) only moves the last event ID, as in SSE.
				if m.data != "" {
					msgs <- m
				}
				m = sse{}
			case strings.HasPrefix(line, "id: "):
				m.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				m.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				m.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return msgs
}

// next returns the stream's next event, failing after 5 s.
func next(t *testing.T, msgs <-chan sse) event {
	t.Helper()
	select {
	case m, ok := <-msgs:
		if !ok {
			t.Fatal("the stream ended")
		}
		var e event
		if err := json.Unmarshal([]byte(m.data), &e); err != nil {
			t.Fatalf("data %q: %v", m.data, err)
		}
		// Plain messages (no event: line), so a browser's onmessage gets them.
		if m.event != "" || m.id != e.ID {
			t.Fatalf("stream message %+v", m)
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event on the stream within 5 s")
	}
	return event{}
}

func TestEventStream(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src, other source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "live", "type": "generic",
			"event_type": map[string]any{"json_path": "kind"}}, &src)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "other", "type": "generic"}, &other)

		unauth, err := http.Get(h.url + "/api/v1/events/stream")
		if err != nil {
			t.Fatal(err)
		}
		unauth.Body.Close()
		if unauth.StatusCode != 401 {
			t.Fatalf("stream without a key: %d", unauth.StatusCode)
		}

		all := openStream(t, h, "")
		mine := openStream(t, h, "source_id="+src.ID)
		post := func(s source, body string) string {
			t.Helper()
			code, _ := h.post("/hooks/"+s.Key, map[string]string{"Content-Type": "application/json"}, []byte(body))
			if code != 200 {
				t.Fatalf("webhook: %d", code)
			}
			evs := h.events("limit=1&source_id=" + s.ID)
			return evs[0].ID
		}
		first := post(other, `{}`)
		second := post(src, `{"kind":"build.done"}`)
		var pub event
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "deploy.started", "payload": map[string]any{}}, &pub)

		if e := next(t, all); e.ID != first || e.SourceID != other.ID {
			t.Fatalf("first streamed event %+v, want %s", e, first)
		}
		if e := next(t, all); e.ID != second || e.Type != "build.done" || e.SourceID != src.ID || e.Status != "accepted" {
			t.Fatalf("second streamed event %+v, want %s of type build.done", e, second)
		}
		if e := next(t, all); e.ID != pub.ID || e.Type != "deploy.started" {
			t.Fatalf("published event on the stream: %+v, want %s", e, pub.ID)
		}
		if e := next(t, mine); e.ID != second {
			t.Fatalf("filtered stream gave %+v, want only %s", e, second)
		}
		select {
		case m := <-mine:
			t.Fatalf("filtered stream gave another source's event: %+v", m)
		case <-time.After(200 * time.Millisecond):
		}
	})
}
