package app

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestGracefulShutdownCompletesInFlight closes the hub while webhooks are in
// flight: every request that got a 2xx must be stored, and none may fail
// because of the shutdown once it was accepted by the listener.
func TestGracefulShutdownCompletesInFlight(t *testing.T) {
	h := startHub(t, "")
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s"}, &src)
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var okCount int
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				code, _, err := postWith(client, h.url+"/hooks/"+src.Key, `{"i":1}`)
				if err != nil {
					return // the listener closed: never acknowledged, fine
				}
				if code == 200 {
					mu.Lock()
					okCount++
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.main.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	wg.Wait()
	// Reopen the same data directory and count what was stored.
	cfg := *h.main.Config
	cfg.Listen = "127.0.0.1:0"
	m2 := &Main{Config: &cfg}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close(context.Background())
	h2 := &testHub{t: t, main: m2, key: h.key, url: m2.URL()}
	stored := 0
	cursor := ""
	for {
		var l list[event]
		h2.mustAPI(200, "GET", "/api/v1/events?limit=500&source_id="+src.ID+"&cursor="+cursor, nil, &l)
		stored += len(l.Data)
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	if okCount == 0 || stored < okCount {
		t.Fatalf("acknowledged %d webhooks but stored %d", okCount, stored)
	}
}
