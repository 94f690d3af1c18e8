package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// BenchmarkIngestGitHub measures one GitHub-signed webhook through a whole
// Hookhub on SQLite, from the request to its 202, 64 senders at once (so
// their events share commits, as under load), with no destination and
// with one, a local receiver that answers 204: then each webhook is also
// claimed, sent and recorded, and the benchmark waits for every delivery to
// be recorded before it stops the clock. It is for comparing the
// work per webhook (allocs/op, and instructions per op under callgrind)
// between two trees; the throughput of a loaded server is the bench's (go
// run ./bench).
func BenchmarkIngestGitHub(b *testing.B) {
	for _, dests := range []int{0, 1} {
		b.Run(fmt.Sprintf("destinations=%d", dests), func(b *testing.B) {
			h := startHub(b, "")
			ids := []string{}
			var received atomic.Int64
			if dests > 0 {
				var d struct {
					ID string `json:"id"`
				}
				rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					io.Copy(io.Discard, r.Body)
					w.WriteHeader(http.StatusNoContent)
					received.Add(1)
				}))
				b.Cleanup(rc.Close)
				h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "d", "url": rc.URL + "/hook"}, &d)
				ids = append(ids, d.ID)
			}
			var src source
			h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gh", "type": "github",
				"verification": map[string]any{"scheme": "github", "secret": "bench-secret"}, "destination_ids": ids}, &src)
			body := []byte(`{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",` +
				`"after":"1111111111111111111111111111111111111111","repository":{"id":1,"full_name":"octo/hello"},` +
				`"pusher":{"name":"octo"},"commits":[{"id":"1111111111111111111111111111111111111111","message":"x"}]}`)
			mac := hmac.New(sha256.New, []byte("bench-secret"))
			mac.Write(body)
			sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var seq atomic.Int64
			cpu0, gc0 := cpuTime(b), gcTime()
			b.ResetTimer()
			// 64 senders at once, as the bench's load: their requests share
			// commits as they do on a loaded server.
			b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("POST", src.URL, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("User-Agent", "GitHub-Hookshot/abc123")
					req.Header.Set("X-GitHub-Event", "push")
					req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("72d3162e-cc78-11e3-81ab-%012d", seq.Add(1)))
					req.Header.Set("X-GitHub-Hook-ID", "292430182")
					req.Header.Set("X-Hub-Signature-256", sig)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode/100 != 2 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			if dests > 0 {
				waitDelivered(b, h, &received, seq.Load())
			}
			// The process's CPU time (client, server, store and any delivery
			// included) is steadier on a shared machine than the wall clock.
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(gcTime()-gc0)/float64(b.N), "gc-cpu-ns/op")
		})
	}
}

// cpuTime returns the CPU time the process has used (user and system).
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gcTime returns the CPU time the Go runtime estimates its garbage collector
// has taken so far.
func gcTime() time.Duration {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return time.Duration(s[0].Value.Float64() * float64(time.Second))
}

// waitDelivered waits until the receiver has had n requests and no delivery
// is left pending (each attempt recorded).
func waitDelivered(b *testing.B, h *testHub, received *atomic.Int64, n int64) {
	eventually(b, fmt.Sprintf("%d deliveries", n), func() bool {
		if received.Load() < n {
			return false
		}
		ds, _, err := h.main.store.ListDeliveries(context.Background(), hookhub.DeliveryFilter{
			Status: hookhub.DeliveryPending, Page: hookhub.Page{Limit: 1}})
		return err == nil && len(ds) == 0
	})
}
