package app

import (
	"os"
	"testing"

	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// startPair starts two Hookhubs on one fresh PostgreSQL database, sharing
// the master key and the admin API key, as replicas behind a load balancer.
func startPair(t *testing.T) (a, b *testHub) {
	t.Helper()
	base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; replicas need PostgreSQL")
	}
	dbURL := freshPostgres(t, base)
	key := config.Secret(secret.EncodeKey(secret.NewRandomKey()))
	a = startHubWith(t, dbURL, func(m *Main) { m.Config.SecretKey = key })
	b = startHubWith(t, dbURL, func(m *Main) {
		m.Config.SecretKey = key
		m.Config.AdminAPIKey = config.Secret(a.key)
	})
	b.key = a.key
	return a, b
}

// A source deleted through one replica is never answered 2xx by another,
// even while that one still has it cached: nothing was stored, so nothing is
// acknowledged.
func TestDeletedSourceRefusedByOtherReplica(t *testing.T) {
	a, b := startPair(t)
	var src source
	a.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s"}, &src)
	if code, body := b.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{"n":1}`)); code != 200 {
		t.Fatalf("first webhook through the other replica: %d %s", code, body)
	}
	a.mustAPI(204, "DELETE", "/api/v1/sources/"+src.ID, nil, nil)
	for i := range 20 {
		if code, body := b.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{"n":2}`)); code != 404 {
			t.Fatalf("webhook %d after the deletion: %d %s, want 404", i, code, body)
		}
	}
	if evs := b.events("source_id=" + src.ID); len(evs) != 0 {
		t.Fatalf("%d events stored for the deleted source", len(evs))
	}
}
