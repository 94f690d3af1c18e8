package app

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestRetention(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHubWith(t, dbURL(t), func(m *Main) { m.retentionInterval = 50 * time.Millisecond })
		rcv := newSink(t)
		dst := h.createDestination("archive", rcv.srv.URL, nil)
		// Retention is set once the events are in, so that nothing is pruned
		// before the test has looked at it.
		var byCount, byAge, keepAll source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "count", "type": "generic",
			"destination_ids": []string{dst.ID}}, &byCount)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "age", "type": "generic"}, &byAge)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "all", "type": "generic"}, &keepAll)

		send := func(src source, n int) {
			t.Helper()
			code, body := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{"n":`+strconv.Itoa(n)+`}`))
			if code != 200 {
				t.Fatalf("webhook: %d %s", code, body)
			}
		}
		// bodies lists a source's events, newest first; an event pruned
		// between the list and its read is left out.
		bodies := func(src source) []string {
			var l list[event]
			h.mustAPI(200, "GET", "/api/v1/events?limit=500&source_id="+src.ID, nil, &l)
			var out []string
			for _, e := range l.Data {
				if h.api("GET", "/api/v1/events/"+e.ID, nil, &e) == 200 {
					out = append(out, e.Body)
				}
			}
			return out
		}

		// The ping goes out on the real clock, before the test clock takes over.
		eventually(t, "the ping", func() bool { return len(rcv.requests()) == 1 })
		t0 := time.Now().UTC().Truncate(time.Second)
		h.clock.set(t0.Add(-3 * time.Hour))
		send(byAge, 1)
		send(byAge, 2)
		h.clock.set(t0.Add(-30 * time.Minute))
		send(byAge, 3)
		h.clock.set(t0)
		for i := 1; i <= 5; i++ {
			send(byCount, i)
			send(keepAll, i)
		}
		eventually(t, "deliveries of the counted source", func() bool {
			ds := h.deliveries("status=succeeded&destination_id=" + dst.ID)
			return len(ds) == 6
		})
		evs := h.events("source_id=" + byCount.ID)
		oldEvent := evs[len(evs)-1].ID
		ds := h.deliveries("event_id=" + oldEvent)
		if len(ds) != 1 {
			t.Fatalf("deliveries of the oldest event: %+v", ds)
		}
		oldDelivery := ds[0].ID

		h.mustAPI(200, "PATCH", "/api/v1/sources/"+byCount.ID, map[string]any{"retention": map[string]any{"max_count": 3}}, nil)
		h.mustAPI(200, "PATCH", "/api/v1/sources/"+byAge.ID, map[string]any{"retention": map[string]any{"max_age_seconds": 3600}}, nil)
		eventually(t, "retention", func() bool {
			return len(bodies(byCount)) == 3 && len(bodies(byAge)) == 1
		})
		if got := bodies(byCount); !slices.Equal(got, []string{`{"n":5}`, `{"n":4}`, `{"n":3}`}) {
			t.Errorf("count retention kept %q, want the newest three", got)
		}
		if got := bodies(byAge); !slices.Equal(got, []string{`{"n":3}`}) {
			t.Errorf("age retention kept %q, want the one within the hour", got)
		}
		if got := bodies(keepAll); len(got) != 5 {
			t.Errorf("a source without retention lost events: %q", got)
		}
		h.mustAPI(404, "GET", "/api/v1/events/"+oldEvent, nil, nil)
		h.mustAPI(404, "GET", "/api/v1/deliveries/"+oldDelivery, nil, nil)

		// Time moves on: the kept event ages out too, and a new one stays.
		h.clock.set(t0.Add(2 * time.Hour))
		send(byAge, 4)
		eventually(t, "age retention as time passes", func() bool {
			got := bodies(byAge)
			return len(got) == 1 && got[0] == `{"n":4}`
		})
	})
}
