package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/ordering"
)

// orderedReceiver checks what an ordered destination receives: per key, one
// request at a time and successes in the order sent, while different keys
// overlap.
type orderedReceiver struct {
	mu               sync.Mutex
	inFlight         map[string]int
	concurrent, peak int
	accepted         map[string][]int // key → n of each 2xx answer, in order
	tries            map[string]int   // "key/n" → requests
	errs             []string
	failFirst        func(n int) bool // answer 500 to the first try of these
}

func (o *orderedReceiver) serve(w http.ResponseWriter, r *http.Request) {
	var m struct {
		K string
		N int
	}
	json.NewDecoder(r.Body).Decode(&m)
	o.mu.Lock()
	o.inFlight[m.K]++
	o.concurrent++
	o.peak = max(o.peak, o.concurrent)
	if o.inFlight[m.K] > 1 {
		o.errs = append(o.errs, fmt.Sprintf("key %s: %d requests at once", m.K, o.inFlight[m.K]))
	}
	id := fmt.Sprintf("%s/%d", m.K, m.N)
	o.tries[id]++
	fail := o.failFirst(m.N) && o.tries[id] == 1
	o.mu.Unlock()
	time.Sleep(2 * time.Millisecond) // long enough for a second request of the key to overlap, were one sent
	o.mu.Lock()
	o.inFlight[m.K]--
	o.concurrent--
	if !fail {
		o.accepted[m.K] = append(o.accepted[m.K], m.N)
	}
	o.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func (o *orderedReceiver) total() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, v := range o.accepted {
		n += len(v)
	}
	return n
}

// saveOrdered stores n events with bodies {"k": key, "n": i}, keys taken in
// turn from keys, each with a delivery to dest whose ordering key the
// ordering package renders, as routing does.
func (h *hub) saveOrdered(dest *hookhub.Destination, n int, keys ...string) []*hookhub.Delivery {
	h.t.Helper()
	now := h.clock.Now()
	batch := make([]*hookhub.NewEvent, n)
	ds := make([]*hookhub.Delivery, n)
	for i := range n {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.updated", Status: hookhub.EventAccepted,
			ReceivedAt: now, Body: fmt.Appendf(nil, `{"k":%q,"n":%d}`, keys[i%len(keys)], i),
			Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone}}
		ds[i] = &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: dest.ID,
			Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
		ordering.Apply(ds[i], dest, ev)
		batch[i] = &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{ds[i]}}
	}
	if err := h.store.SaveEvents(context.Background(), batch); err != nil {
		h.t.Fatal(err)
	}
	h.eng.Notify()
	return ds
}

// TestOrderedDeliveryUnderConcurrency: two engines on one store send 160
// deliveries over 8 keys with many workers; every key gets its deliveries
// one at a time and in order, with retries holding the ones behind them,
// while the keys run side by side.
func TestOrderedDeliveryUnderConcurrency(t *testing.T) {
	t.Parallel()
	o := &orderedReceiver{inFlight: map[string]int{}, accepted: map[string][]int{}, tries: map[string]int{},
		failFirst: func(n int) bool { return n%13 == 5 }}
	rc := httptest.NewServer(http.HandlerFunc(o.serve))
	t.Cleanup(rc.Close)
	// A long lease, so that moving the clock for retries expires none.
	opts := func(opt *delivery.Options) { opt.Workers, opt.Lease = 32, time.Hour }
	h := newHub(t, opts)
	h.start(opts)
	dest := h.destination(rc.URL, func(d *hookhub.Destination) {
		d.Ordering, d.OrderingKey, d.MaxConcurrency = hookhub.OrderingFIFO, "{{ event.payload.k }}", 50
	})
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	ds := h.saveOrdered(dest, 160, keys...)
	// Retries are a second apart on the test clock: move it on until done.
	deadline := time.Now().Add(60 * time.Second)
	start := time.Now()
	for o.total() < len(ds) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		h.retryNow()
	}
	t.Logf("%d deliveries in %v", o.total(), time.Since(start))
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range o.errs {
		t.Error(e)
	}
	for _, k := range keys {
		if !slices.IsSorted(o.accepted[k]) || len(o.accepted[k]) != 20 {
			t.Errorf("key %s accepted %v: want its 20 deliveries in order", k, o.accepted[k])
		}
	}
	if o.peak < 2 {
		t.Errorf("at most %d request at once: keys did not run side by side", o.peak)
	}
	// The attempt log of a retried delivery says it holds the others.
	as := h.attempts(ds[5].ID)
	if len(as) != 2 || !strings.Contains(as[len(as)-1].Error, `ordered: later deliveries with ordering key "f" wait`) {
		t.Errorf("attempts of a retried ordered delivery: %+v", as)
	}
}
