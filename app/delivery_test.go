package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// receiver records what a destination receives and checks its signature.
type receiver struct {
	mu      sync.Mutex
	got     []http.Header
	bodies  []string
	badSigs int
	secret  string
}

func (rc *receiver) handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.secret != "" {
		wh, err := standardwebhooks.NewWebhook(rc.secret)
		if err != nil || wh.Verify(body, r.Header) != nil {
			rc.badSigs++
		}
	}
	rc.got = append(rc.got, r.Header.Clone())
	rc.bodies = append(rc.bodies, string(body))
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

func TestForwardAndPublishEndToEnd(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rc := &receiver{}
		srv := httptest.NewServer(http.HandlerFunc(rc.handler))
		defer srv.Close()
		var dst struct{ ID, Secret string }
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{
			"name": "ops", "url": srv.URL, "headers": map[string]string{"Authorization": "Bearer abc"},
			"filter": map[string]any{"event_types": []string{"order.*", "push"}},
		}, &dst)
		rc.mu.Lock()
		rc.secret = dst.Secret
		rc.mu.Unlock()
		eventually(t, "the ping", func() bool { return rc.count() == 1 })

		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gh", "type": "generic", "destination_ids": []string{dst.ID},
			"event_type": map[string]any{"json_path": "kind"}}, &src)
		if code, _ := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{"kind":"push","n":1}`)); code != 200 {
			t.Fatalf("ingest: %d", code)
		}
		var pub struct{ ID string }
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "order.created", "payload": map[string]any{"order": 7}}, &pub)
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "user.created", "payload": map[string]any{}}, nil)
		eventually(t, "two deliveries after the ping", func() bool { return rc.count() == 3 })

		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.badSigs != 0 {
			t.Fatalf("%d requests failed Standard Webhooks verification", rc.badSigs)
		}
		for i, hd := range rc.got {
			if hd.Get("Authorization") != "Bearer abc" || hd.Get("X-Hookhub-Delivery") != hd.Get("webhook-id") ||
				hd.Get("User-Agent") == "" || hd.Get("X-Hookhub-Event") == "" || hd.Get("Content-Type") != "application/json" {
				t.Errorf("request %d headers: %v", i, hd)
			}
		}
		if rc.bodies[1] != `{"kind":"push","n":1}` && rc.bodies[2] != `{"kind":"push","n":1}` {
			t.Errorf("forwarded body changed: %q", rc.bodies)
		}
	})
}
