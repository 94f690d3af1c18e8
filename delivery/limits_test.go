package delivery_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

// A receiver's answer is kept only in part: large headers and bodies are cut
// to the attempt's limits, and the attempt says so.
func TestAttemptKeepsBoundedAnswer(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		for i := range 400 {
			w.Header().Add("X-Filler", strings.Repeat("f", 500)+string(rune('a'+i%26)))
		}
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(strings.Repeat("b", hookhub.MaxAttemptBody+5000)))
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]
	eventually(t, "success", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	a := h.attempts(d.ID)[0]
	size := 0
	for k, vs := range a.ResponseHeaders {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	if size == 0 || size > hookhub.MaxAttemptHeaders {
		t.Errorf("kept %d bytes of response headers, want some and at most %d", size, hookhub.MaxAttemptHeaders)
	}
	if len(a.ResponseBody) != hookhub.MaxAttemptBody {
		t.Errorf("kept %d bytes of body, want %d", len(a.ResponseBody), hookhub.MaxAttemptBody)
	}
	cut := slices.Sorted(slices.Values(a.Truncated))
	if !slices.Equal(cut, []string{hookhub.TruncatedResponseBody, hookhub.TruncatedResponseHeaders}) {
		t.Errorf("truncated = %v", a.Truncated)
	}
}

// A small answer is kept whole and nothing is said to be cut, though the
// body is exactly at the limit.
func TestAttemptKeepsAnswerAtLimit(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Write([]byte(strings.Repeat("b", hookhub.MaxAttemptBody)))
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]
	eventually(t, "success", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	a := h.attempts(d.ID)[0]
	if len(a.ResponseBody) != hookhub.MaxAttemptBody || len(a.Truncated) != 0 {
		t.Errorf("kept %d bytes, truncated %v; want the whole body and nothing cut", len(a.ResponseBody), a.Truncated)
	}
}

// Headers beyond what the engine reads at all fail the attempt, to be
// retried, rather than fill memory.
func TestAttemptRefusesHugeHeaders(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		for range 4 {
			w.Header().Add("X-Huge", strings.Repeat("h", 1<<20))
		}
		w.WriteHeader(http.StatusOK)
	})
	d := h.enqueue(h.destination(rc.url()), 1)[0]
	got := h.waitAttempts(d.ID, 1)
	a := h.attempts(d.ID)[0]
	if got.Status != hookhub.DeliveryPending || a.StatusCode != 0 || !strings.Contains(a.Error, "header") {
		t.Errorf("delivery %s, attempt status %d, error %q: want a retry for headers too large", got.Status, a.StatusCode, a.Error)
	}
	if len(a.ResponseHeaders) != 0 {
		t.Errorf("kept response headers of a refused answer: %d", len(a.ResponseHeaders))
	}
}
