package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hookhub/hookhub/secret"
)

// TestKillNineKeepsWorkflowRuns acknowledges webhooks of an async workflow
// whose runs wait on a delay, kills the real binary with SIGKILL while they
// wait, restarts it on the same data directory and checks that every run
// finishes, no sooner than its delay, and delivers its event.
func TestKillNineKeepsWorkflowRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const delay = 3 * time.Second
	var mu sync.Mutex
	got := map[string]time.Time{}
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ N int }
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &body) == nil && r.Header.Get("X-Hookhub-Event") == "order.later" {
			mu.Lock()
			got[fmt.Sprint(body.N)] = time.Now()
			mu.Unlock()
		}
	}))
	defer sink.Close()

	bin := buildBinary(t)
	dir := t.TempDir()
	_, key := secret.NewAPIKey()
	addr := freeAddr(t)
	base := "http://" + addr
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dir, "--log-level", "warn", "--outbound-allow", "127.0.0.1/32")
		cmd.Env = append(os.Environ(), "HOOKHUB_ADMIN_API_KEY="+key)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitReady(t, base)
		return cmd
	}
	cmd := start()
	var dst struct{ ID string }
	apiCall(t, "POST", base+"/api/v1/destinations", key, map[string]any{"name": "sink", "url": sink.URL}, &dst)
	var wf struct{ ID, URL string }
	apiCall(t, "POST", base+"/api/v1/workflows", key, map[string]any{
		"name": "later", "start": "wait",
		"nodes": []map[string]any{
			{"id": "wait", "type": "delay", "seconds": int(delay / time.Second), "next": "send"},
			{"id": "send", "type": "deliver", "destination_id": dst.ID, "event_type": "order.later", "payload": `{"n": {{ trigger.body.n }}}`},
		},
	}, &wf)

	const n = 20
	posted := map[string]time.Time{}
	runs := map[string]bool{}
	for i := range n {
		resp, err := http.Post(wf.URL, "application/json", strings.NewReader(fmt.Sprintf(`{"n": %d}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Hookhub-Run-Id") == "" {
			t.Fatalf("webhook %d: %d", i, resp.StatusCode)
		}
		posted[fmt.Sprint(i)] = time.Now()
		runs[resp.Header.Get("X-Hookhub-Run-Id")] = true
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	cmd = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	// A run a runner held when it died resumes once its lease (30 s) ends.
	deadline := time.Now().Add(60 * time.Second)
	for {
		var l struct {
			Data []struct{ ID, Status string }
		}
		apiCall(t, "GET", base+"/api/v1/workflows/"+wf.ID+"/runs?limit=500", key, nil, &l)
		done := 0
		for _, r := range l.Data {
			if runs[r.ID] && r.Status == "succeeded" {
				done++
			}
		}
		mu.Lock()
		delivered := len(got)
		mu.Unlock()
		if done == n && delivered == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart %d of %d runs succeeded and %d delivered", done, n, delivered)
		}
		time.Sleep(100 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for id, at := range posted {
		if got[id].Sub(at) < delay {
			t.Errorf("webhook %s delivered %v after it was posted, before its %v delay", id, got[id].Sub(at), delay)
		}
	}
}
