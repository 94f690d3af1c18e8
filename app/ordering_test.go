package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// keyedReceiver records what an ordered destination receives, per ordering
// key: every request's n in arrival order and the ones it accepted, and any
// two requests of one key open at once. fail says which to answer 500.
type keyedReceiver struct {
	mu       sync.Mutex
	inFlight map[string]int
	arrived  map[string][]int
	accepted map[string][]int
	overlaps int
	fail     func(k string, n, try int) bool
	tries    map[string]int
}

func newKeyedReceiver(t *testing.T, fail func(k string, n, try int) bool) (*keyedReceiver, string) {
	kr := &keyedReceiver{inFlight: map[string]int{}, arrived: map[string][]int{}, accepted: map[string][]int{},
		tries: map[string]int{}, fail: fail}
	srv := httptest.NewServer(kr)
	t.Cleanup(srv.Close)
	return kr, srv.URL
}

func (kr *keyedReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct {
		K string `json:"k"`
		N int    `json:"n"`
	}
	if r.Header.Get("X-Hookhub-Event") != "order.updated" || json.NewDecoder(r.Body).Decode(&m) != nil {
		return
	}
	kr.mu.Lock()
	if kr.inFlight[m.K]++; kr.inFlight[m.K] > 1 {
		kr.overlaps++
	}
	id := fmt.Sprintf("%s/%d", m.K, m.N)
	kr.tries[id]++
	fail := kr.fail(m.K, m.N, kr.tries[id])
	kr.arrived[m.K] = append(kr.arrived[m.K], m.N)
	if !fail {
		kr.accepted[m.K] = append(kr.accepted[m.K], m.N)
	}
	kr.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // room for a second request of the key to overlap, were one sent
	kr.mu.Lock()
	kr.inFlight[m.K]--
	kr.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func (kr *keyedReceiver) get(k string) (arrived, accepted []int) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	return slices.Clone(kr.arrived[k]), slices.Clone(kr.accepted[k])
}

// TestOrderedDeliveryEndToEnd drives a fifo destination through the API on
// both stores: each key's events go out in order, a retry holds the ones
// behind it and says so, a delivery that fails for good lets them go, a
// pause holds the key and a resume releases it in order, and a resend and a
// replay go out again.
func TestOrderedDeliveryEndToEnd(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		kr, url := newKeyedReceiver(t, func(k string, n, try int) bool {
			return (k == "a" && n == 2 && try == 1) || (k == "c" && n == 0)
		})
		var dst struct {
			ID          string `json:"id"`
			Ordering    string `json:"ordering"`
			OrderingKey string `json:"ordering_key"`
		}
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "ordered", "url": url,
			"ordering": "fifo", "ordering_key": "{{ event.payload.k }}",
			"retry": map[string]any{"max_retries": 1, "schedule_seconds": []int{1}}}, &dst)
		if dst.Ordering != "fifo" || dst.OrderingKey != "{{ event.payload.k }}" {
			t.Fatalf("created destination: %+v", dst)
		}
		events := map[string]string{} // "k/n" → event id
		publish := func(k string, n int) {
			t.Helper()
			var ev event
			h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "order.updated", "payload": map[string]any{"k": k, "n": n}}, &ev)
			events[fmt.Sprintf("%s/%d", k, n)] = ev.ID
		}
		for n := range 6 {
			for _, k := range []string{"a", "b", "c"} {
				publish(k, n)
			}
		}
		upTo := func(n int) []int {
			var out []int
			for i := range n {
				out = append(out, i)
			}
			return out
		}
		for _, k := range []string{"a", "b"} {
			eventually(t, "key "+k+" delivered", func() bool { _, acc := kr.get(k); return len(acc) == 6 })
			if _, acc := kr.get(k); !slices.Equal(acc, upTo(6)) {
				t.Fatalf("key %s accepted %v", k, acc)
			}
		}
		// a/2 failed once: nothing of a went out until its retry succeeded.
		if arr, _ := kr.get("a"); !slices.Equal(arr, []int{0, 1, 2, 2, 3, 4, 5}) {
			t.Fatalf("key a arrivals %v: a/3 must wait for a/2's retry", arr)
		}
		retried := h.deliveries("event_id=" + events["a/2"])[0]
		d := h.delivery(retried.ID)
		if len(d.Attempts) != 2 || !strings.Contains(d.Attempts[1].Error, `ordered: later deliveries with ordering key "a" wait`) {
			t.Fatalf("attempts of the retried delivery: %+v", d.Attempts)
		}
		var raw struct {
			OrderingKey *string `json:"ordering_key"`
		}
		h.mustAPI(200, "GET", "/api/v1/deliveries/"+retried.ID, nil, &raw)
		if raw.OrderingKey == nil || *raw.OrderingKey != "a" {
			t.Fatalf("delivery ordering_key = %v", raw.OrderingKey)
		}
		// c/0 failed for good (no retry left): the rest of c went on.
		eventually(t, "key c after its first failed for good", func() bool { _, acc := kr.get("c"); return len(acc) == 5 })
		if _, acc := kr.get("c"); !slices.Equal(acc, []int{1, 2, 3, 4, 5}) {
			t.Fatalf("key c accepted %v", acc)
		}
		failed := h.delivery(h.deliveries("event_id=" + events["c/0"])[0].ID)
		if failed.Status != "failed" || !strings.Contains(failed.Attempts[0].Error, `ordered: failed for good; later deliveries with ordering key "c" go on`) {
			t.Fatalf("delivery that failed for good: %+v", failed)
		}

		// Paused, the key's new deliveries are held; resumed, they go in order.
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/pause", nil, nil)
		for n := 6; n < 9; n++ {
			publish("b", n)
		}
		eventually(t, "the held deliveries", func() bool {
			var l list[struct{ Held bool }]
			h.mustAPI(200, "GET", "/api/v1/deliveries?status=pending&destination_id="+dst.ID, nil, &l)
			return len(l.Data) == 3 && l.Data[0].Held && l.Data[2].Held
		})
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/resume", nil, nil)
		eventually(t, "key b after the resume", func() bool { _, acc := kr.get("b"); return len(acc) == 9 })
		if _, acc := kr.get("b"); !slices.Equal(acc, upTo(9)) {
			t.Fatalf("key b accepted %v", acc)
		}

		// A resend and a replay go out again, one at a time.
		h.mustAPI(202, "POST", "/api/v1/deliveries/"+h.deliveries("event_id=" + events["b/0"])[0].ID+"/resend", nil, nil)
		h.mustAPI(202, "POST", "/api/v1/events/"+events["b/1"]+"/replay", nil, nil)
		eventually(t, "the resend and the replay", func() bool { _, acc := kr.get("b"); return len(acc) == 11 })
		if _, acc := kr.get("b"); !slices.Equal(acc[9:], []int{0, 1}) {
			t.Fatalf("key b accepted %v: want the resent b/0, then the replayed b/1", acc)
		}
		kr.mu.Lock()
		defer kr.mu.Unlock()
		if kr.overlaps > 0 {
			t.Fatalf("%d requests arrived while another of their key was open", kr.overlaps)
		}
	})
}
