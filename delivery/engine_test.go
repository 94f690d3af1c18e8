package delivery_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

func TestFailuresThenSuccess(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte("thanks"))
	})
	dest := h.destination(rc.url())
	d := h.enqueue(dest, 1)[0]

	for n := 1; n <= 2; n++ {
		got := h.waitAttempts(d.ID, n)
		if got.Status != hookhub.DeliveryPending || got.Trigger != hookhub.TriggerRetry {
			t.Fatalf("after attempt %d: status %s, trigger %s", n, got.Status, got.Trigger)
		}
		if got.LastError != "receiver answered 500 Internal Server Error" {
			t.Errorf("last error %q", got.LastError)
		}
		h.retryNow()
	}
	eventually(t, "success", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })

	as := byNumber(h.attempts(d.ID))
	if len(as) != 3 {
		t.Fatalf("%d attempts, want 3", len(as))
	}
	wantTriggers := []string{hookhub.TriggerInitial, hookhub.TriggerRetry, hookhub.TriggerRetry}
	wantStatus := []int{500, 500, 200}
	for i, a := range as {
		if a.Number != i+1 || a.Trigger != wantTriggers[i] || a.StatusCode != wantStatus[i] {
			t.Errorf("attempt %d: number %d, trigger %s, status %d", i+1, a.Number, a.Trigger, a.StatusCode)
		}
	}
	if as[2].ResponseBody != "thanks" {
		t.Errorf("response body %q", as[2].ResponseBody)
	}
	if rc.total() != 3 {
		t.Errorf("receiver got %d requests, want 3", rc.total())
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	// The receiver never answers: only the attempt's timeout ends it.
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		<-r.Context().Done()
	})
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.TimeoutSec = 1 })
	d := h.enqueue(dest, 1)[0]

	got := h.waitAttempts(d.ID, 1)
	a := h.attempts(d.ID)[0]
	if a.StatusCode != 0 || !strings.Contains(a.Error, "timed out") || a.DurationMS < 900 {
		t.Errorf("attempt: status %d, error %q, %d ms", a.StatusCode, a.Error, a.DurationMS)
	}
	if got.Status != hookhub.DeliveryPending || got.NextAttemptAt.Before(h.clock.Now()) {
		t.Errorf("delivery %s, next attempt %v: want a retry scheduled", got.Status, got.NextAttemptAt)
	}
}

func TestConnectionReset(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]

	got := h.waitAttempts(d.ID, 1)
	a := h.attempts(d.ID)[0]
	if a.StatusCode != 0 || a.Error == "" {
		t.Errorf("attempt: status %d, error %q", a.StatusCode, a.Error)
	}
	if strings.Contains(a.Error, rc.srv.URL) {
		t.Errorf("error repeats the URL: %q", a.Error)
	}
	if got.Status != hookhub.DeliveryPending || got.LastError == "" {
		t.Errorf("delivery %s, last error %q: want pending with the error", got.Status, got.LastError)
	}
}

func TestGoneDisablesDestination(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, status(http.StatusGone))
	dest := h.destination(rc.url())
	d := h.enqueue(dest, 1)[0]

	eventually(t, "failure", func() bool { return h.delivery(d.ID).Status == hookhub.DeliveryFailed })
	eventually(t, "the destination disabled", func() bool {
		got, err := h.store.GetDestination(context.Background(), dest.ID)
		return err == nil && !got.Enabled && got.DisabledReason == "receiver answered 410 Gone"
	})
	eventually(t, "a destination.disabled event", func() bool {
		evs, _, err := h.store.ListEvents(context.Background(), hookhub.EventFilter{Type: delivery.EventDestinationDisabled})
		return err == nil && len(evs) == 1 && strings.Contains(string(evs[0].Body), dest.ID)
	})
	if !strings.Contains(h.logs.String(), d.ID) {
		t.Errorf("no log line names the delivery:\n%s", h.logs)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			t.Parallel()
			h := newHub(t)
			rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(code)
			})
			d := h.enqueue(h.destination(rc.url()), 1)[0]

			got := h.waitAttempts(d.ID, 1)
			wait := got.NextAttemptAt.Sub(h.clock.Now())
			if got.Status != hookhub.DeliveryPending || wait < 119*time.Second || wait > 121*time.Second {
				t.Fatalf("delivery %s, next attempt in %v; want pending, in 120s", got.Status, wait)
			}
			h.clock.Advance(60 * time.Second)
			h.eng.Notify()
			time.Sleep(100 * time.Millisecond)
			if rc.total() != 1 {
				t.Fatalf("retried before Retry-After: %d requests", rc.total())
			}
			h.clock.Advance(61 * time.Second)
			h.eng.Notify()
			h.waitAttempts(d.ID, 2)
		})
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	target := newReceiver(t, nil)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, target.url(), http.StatusFound)
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]

	got := h.waitAttempts(d.ID, 1)
	if a := h.attempts(d.ID)[0]; a.StatusCode != http.StatusFound {
		t.Errorf("attempt status %d, want 302", a.StatusCode)
	}
	if got.Status != hookhub.DeliveryPending {
		t.Errorf("delivery %s, want pending for a retry", got.Status)
	}
	if target.total() != 0 {
		t.Errorf("redirect followed: target got %d requests", target.total())
	}
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, status(http.StatusInternalServerError))
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.Retry.MaxRetries = 2 })
	d := h.enqueue(dest, 1)[0]

	for n := 1; n <= 2; n++ {
		h.waitAttempts(d.ID, n)
		h.retryNow()
	}
	eventually(t, "failure", func() bool { return h.delivery(d.ID).Status == hookhub.DeliveryFailed })
	got := h.delivery(d.ID)
	if got.AttemptCount != 3 || got.LastError != "receiver answered 500 Internal Server Error" {
		t.Errorf("attempts %d, last error %q", got.AttemptCount, got.LastError)
	}
	h.retryNow()
	time.Sleep(100 * time.Millisecond)
	if rc.total() != 3 {
		t.Errorf("receiver got %d requests, want 3", rc.total())
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "no retries left") || !strings.Contains(logs, d.ID) || !strings.Contains(logs, dest.ID) ||
		!strings.Contains(logs, "500 Internal Server Error") {
		t.Errorf("no warning naming the delivery, destination and error:\n%s", logs)
	}
	if strings.Contains(logs, "custom-secret") || strings.Contains(logs, dest.Signing.Secret) {
		t.Errorf("logs leak a secret:\n%s", logs)
	}
}

func TestSendNow(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, nil)
	// A disabled destination can be tested: that is how a user decides to
	// enable it again.
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.Enabled = false })
	d := h.save(dest, 1, h.clock.Now().Add(time.Hour), hookhub.TriggerTest)[0]

	res, err := h.eng.SendNow(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Attempt
	if res.Status != hookhub.DeliverySucceeded || a.StatusCode != 200 || a.Trigger != hookhub.TriggerTest || a.Number != 1 || a.DeliveryID != d.ID {
		t.Errorf("attempt %+v", a)
	}
	if got := h.delivery(d.ID); got.Status != hookhub.DeliverySucceeded || got.AttemptCount != 1 {
		t.Errorf("delivery %s with %d attempts, want succeeded with 1", got.Status, got.AttemptCount)
	}
	if as := h.attempts(d.ID); len(as) != 1 || as[0].ID != a.ID {
		t.Errorf("recorded attempts %v", as)
	}
	if rc.total() != 1 {
		t.Errorf("receiver got %d requests", rc.total())
	}
}

func TestDisabledDestinationFailsAndCanBeResent(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, nil)
	dest := h.destination(rc.url(), func(d *hookhub.Destination) {
		d.Enabled = false
		d.DisabledReason = "paused for maintenance"
	})
	d := h.enqueue(dest, 1)[0]

	eventually(t, "failure", func() bool { return h.delivery(d.ID).Status == hookhub.DeliveryFailed })
	if got := h.delivery(d.ID); !strings.Contains(got.LastError, "destination is disabled: paused for maintenance") {
		t.Errorf("last error %q", got.LastError)
	}
	if rc.total() != 0 {
		t.Fatalf("a disabled destination got %d requests", rc.total())
	}

	_, err := h.store.UpdateDestination(context.Background(), dest.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		d.Enabled, d.DisabledReason = true, ""
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.RequeueDelivery(context.Background(), d.ID, hookhub.TriggerManual, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.eng.Notify()
	eventually(t, "the resend", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	as := byNumber(h.attempts(d.ID))
	if last := as[len(as)-1]; last.Trigger != hookhub.TriggerManual || last.StatusCode != 200 {
		t.Errorf("resend attempt: trigger %s, status %d", last.Trigger, last.StatusCode)
	}
}

func TestAutoDisable(t *testing.T) {
	t.Parallel()
	var disabled []string
	done := make(chan struct{})
	h := newHub(t, func(o *delivery.Options) {
		o.AutoDisableAfter = 2
		o.OnDisabled = func(_ context.Context, d *hookhub.Destination, reason string) {
			disabled = append(disabled, d.ID+": "+reason)
			close(done)
		}
	})
	rc := newReceiver(t, status(http.StatusBadGateway))
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.Retry.MaxRetries = 1 })
	ds := h.enqueue(dest, 2)
	for _, d := range ds {
		h.waitAttempts(d.ID, 1)
	}
	h.retryNow()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("destination not disabled")
	}
	if want := dest.ID + ": 2 deliveries in a row failed"; len(disabled) != 1 || disabled[0] != want {
		t.Errorf("OnDisabled calls %q, want [%q]", disabled, want)
	}
	got, err := h.store.GetDestination(context.Background(), dest.ID)
	if err != nil || got.Enabled || got.DisabledReason != "2 deliveries in a row failed" {
		t.Errorf("destination enabled %v, reason %q, err %v", got.Enabled, got.DisabledReason, err)
	}
}
