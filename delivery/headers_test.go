package delivery_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

func TestRequestHeadersAndSignature(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, nil)
	dest := h.destination(rc.url())
	d := h.enqueue(dest, 1)[0]
	eventually(t, "success", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })

	got := rc.requests()[0]
	hd := got.header
	wh, err := standardwebhooks.NewWebhook(dest.Signing.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(got.body, hd); err != nil {
		t.Errorf("Standard Webhooks signature does not verify: %v", err)
	}
	if string(got.body) != `{"n":0}` {
		t.Errorf("body %q", got.body)
	}
	checks := map[string]string{
		"X-Hookhub-Event":    "order.created",
		"X-Hookhub-Delivery": d.ID,
		"Webhook-Id":         d.ID,
		"User-Agent":         "Hookhub/" + hookhub.Version,
		"Content-Type":       "application/json",
		"Authorization":      "Bearer custom-secret",
	}
	for name, want := range checks {
		if v := hd.Get(name); v != want {
			t.Errorf("%s: %q, want %q", name, v, want)
		}
	}
	if _, err := time.Parse(time.RFC3339, hd.Get("X-Hookhub-Timestamp")); err != nil {
		t.Errorf("X-Hookhub-Timestamp %q: %v", hd.Get("X-Hookhub-Timestamp"), err)
	}

	a := h.attempts(d.ID)[0]
	rec := http.Header(a.RequestHeaders)
	if rec.Get("Authorization") != "<masked>" || rec.Get("Webhook-Signature") != "<masked>" {
		t.Errorf("recorded headers keep secrets: %v", a.RequestHeaders)
	}
	if rec.Get("X-Hookhub-Delivery") != d.ID || rec.Get("Webhook-Id") != d.ID || rec.Get("X-Hookhub-Event") != "order.created" {
		t.Errorf("recorded headers lack the ids: %v", a.RequestHeaders)
	}
	if a.Target != dest.URL || a.StatusCode != 200 || a.Trigger != hookhub.TriggerInitial || a.Number != 1 {
		t.Errorf("attempt %+v", a)
	}
}

// A retry carries the same message id, so receivers can drop what they saw.
func TestRetryKeepsMessageID(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]
	h.waitAttempts(d.ID, 1)
	h.retryNow()
	eventually(t, "success", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	reqs := rc.requests()
	if len(reqs) != 2 || reqs[0].header.Get("webhook-id") != reqs[1].header.Get("webhook-id") {
		t.Fatalf("ids differ across retries: %d requests", len(reqs))
	}
}
