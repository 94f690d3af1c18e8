package app

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// lockedBuffer is a Stdout several goroutines may print to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Processes started together on a new PostgreSQL database all start: the
// migrations are applied once and one of them bootstraps the admin, whose
// key then works on every one.
func TestConcurrentStartsOnNewDatabase(t *testing.T) {
	base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; concurrent starts need PostgreSQL")
	}
	dbURL := freshPostgres(t, base)
	key := config.Secret(secret.EncodeKey(secret.NewRandomKey()))
	_, apiKey := secret.NewAPIKey()
	const n = 12
	mains := make([]*Main, n)
	outs := make([]*lockedBuffer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		outs[i] = &lockedBuffer{}
		mains[i] = &Main{Stdout: outs[i], Config: &config.Config{
			Listen: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: config.Secret(dbURL), SecretKey: key,
			AdminAPIKey: config.Secret(apiKey), DeliveryWorkers: 2, ShutdownTimeout: 10 * time.Second,
			OutboundAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		}}
		wg.Go(func() { errs[i] = mains[i].Run(context.Background()) })
	}
	wg.Wait()
	for i, m := range mains {
		if errs[i] != nil {
			t.Errorf("process %d: %v", i, errs[i])
			continue
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			m.Close(ctx)
		})
	}
	if t.Failed() {
		t.FailNow()
	}
	bootstrapped := 0
	for i, m := range mains {
		if strings.Contains(outs[i].String(), "first start") {
			bootstrapped++
		}
		h := &testHub{t: t, main: m, key: apiKey, url: m.URL()}
		h.mustAPI(200, "GET", "/api/v1/sources", nil, nil)
	}
	if bootstrapped != 1 {
		t.Fatalf("%d processes bootstrapped the admin, want 1", bootstrapped)
	}
	n2, err := mains[0].store.CountUsers(context.Background())
	if err != nil || n2 != 1 {
		t.Fatalf("users: %d (%v), want 1", n2, err)
	}
}
