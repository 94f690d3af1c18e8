package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
)

// stubSender answers test sends without sending anything.
type stubSender struct{}

func (stubSender) SendNow(_ context.Context, d *hookhub.Delivery) (*hookhub.AttemptResult, error) {
	return &hookhub.AttemptResult{Status: hookhub.DeliverySucceeded,
		Attempt: hookhub.Attempt{ID: hookhub.NewID(hookhub.PrefixAttempt), DeliveryID: d.ID, Number: 1, StatusCode: 200}}, nil
}

// jsonVariants are spellings of the JSON media type every endpoint must
// take as it takes application/json.
var jsonVariants = []string{"application/json", "application/json; charset=utf-8", "Application/JSON",
	"APPLICATION/JSON ; Charset=UTF-8"}

// TestEveryRouteTakesJSONMediaTypeVariants walks the route table with real
// objects behind every {id}: a route that refuses text/plain with 415 reads
// JSON, and then no spelling of the JSON media type may be refused. Routes
// are covered without being named here.
func TestEveryRouteTakesJSONMediaTypeVariants(t *testing.T) {
	s, keys := authWalkServer(t)
	key := keys.admin
	s.sender = stubSender{}
	ids := walkObjects(t, s.store)
	h := s.Handler()
	readsJSON := 0
	for _, rt := range s.routes() {
		if rt.method == "GET" || rt.method == "DELETE" {
			continue
		}
		path := rt.path
		for kind, id := range ids {
			if strings.HasPrefix(path, "/api/v1/"+kind+"/{id}") {
				path = strings.Replace(path, "{id}", id, 1)
			}
		}
		if status, body := send(h, rt.method, path, key, "text/plain"); status != http.StatusUnsupportedMediaType {
			t.Logf("%s %s does not read JSON (text/plain: %d %s)", rt.method, rt.path, status, body)
			continue
		}
		readsJSON++
		for _, ct := range jsonVariants {
			if status, body := send(h, rt.method, path, key, ct); status == http.StatusUnsupportedMediaType {
				t.Errorf("%s %s refuses Content-Type %q: %s", rt.method, rt.path, ct, body)
			}
		}
	}
	if readsJSON < 10 {
		t.Fatalf("only %d routes read JSON; the walk reaches too few handlers to prove anything", readsJSON)
	}
}

func send(h http.Handler, method, path, key, contentType string) (int, string) {
	req := httptest.NewRequest(method, path, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// walkObjects stores one object of each kind the routes name by {id}.
func walkObjects(t *testing.T, store hookhub.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	src := &hookhub.Source{Name: "walk", Key: "walkkey", Active: true, Verification: hookhub.Verification{Scheme: "token", Secret: "t"}}
	src.SetDefaults()
	if err := store.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	dst := &hookhub.Destination{Name: "walk", URL: "http://127.0.0.1:1/", Enabled: true, Signing: hookhub.SigningConfig{Secret: signing.NewSecret()}}
	dst.SetDefaults()
	if err := store.CreateDestination(ctx, dst); err != nil {
		t.Fatal(err)
	}
	ne := &hookhub.NewEvent{Event: &hookhub.Event{SourceID: src.ID, Type: "walk", Body: []byte(`{}`), Method: "POST",
		Headers: map[string][]string{"Content-Type": {"application/json"}}},
		Deliveries: []*hookhub.Delivery{{DestinationID: dst.ID}}}
	if err := store.SaveEvents(ctx, []*hookhub.NewEvent{ne}); err != nil {
		t.Fatal(err)
	}
	out, err := store.ApplyAlert(ctx, &hookhub.AlertInput{SourceID: src.ID, EventID: ne.Event.ID, At: time.Now(),
		Alert: hookhub.Alert{Title: "walk", Severity: hookhub.SeverityHigh, Status: hookhub.AlertFiring, Fingerprint: "walk"}})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"sources": src.ID, "destinations": dst.ID, "events": ne.Event.ID,
		"deliveries": ne.Deliveries[0].ID, "incidents": out.Incident.ID}
}
