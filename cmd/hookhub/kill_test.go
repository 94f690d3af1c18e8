package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hookhub/hookhub/secret"
)

// TestKillNineLosesNoAcknowledgedWebhook pours webhooks into the real binary,
// kills it with SIGKILL mid-stream, restarts it on the same data directory and
// checks that every request that got a 2xx is stored.
func TestKillNineLosesNoAcknowledgedWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	_, key := secret.NewAPIKey()
	addr := freeAddr(t)
	base := "http://" + addr
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dir, "--log-level", "warn")
		cmd.Env = append(os.Environ(), "HOOKHUB_ADMIN_API_KEY="+key)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitReady(t, base)
		return cmd
	}
	cmd := start()
	srcKey := createSource(t, base, key)

	var mu sync.Mutex
	acked := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"worker":%d,"n":%d}`, w, n)
				resp, err := client.Post(base+"/hooks/"+srcKey, "application/json", strings.NewReader(body))
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					acked[resp.Header.Get("X-Hookhub-Event-Id")] = true
					mu.Unlock()
				}
			}
		}(i)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no webhook was acknowledged before the kill")
	}

	cmd = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	stored := listEventIDs(t, base, key)
	missing := 0
	for id := range acked {
		if !stored[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged webhooks were lost", missing, len(acked))
	}
	t.Logf("%d acknowledged webhooks, all stored", len(acked))
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hookhub")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not become ready")
}

func apiCall(t *testing.T, method, url, key string, body any, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, url, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	json.NewDecoder(resp.Body).Decode(out)
}

func createSource(t *testing.T, base, key string) string {
	var src struct{ Key string }
	apiCall(t, "POST", base+"/api/v1/sources", key, map[string]any{"name": "flood"}, &src)
	return src.Key
}

func listEventIDs(t *testing.T, base, key string) map[string]bool {
	ids := map[string]bool{}
	cursor := ""
	for {
		var l struct {
			Data       []struct{ ID string }
			NextCursor string `json:"next_cursor"`
		}
		apiCall(t, "GET", base+"/api/v1/events?limit=500&cursor="+cursor, key, nil, &l)
		for _, e := range l.Data {
			ids[e.ID] = true
		}
		if l.NextCursor == "" {
			return ids
		}
		cursor = l.NextCursor
	}
}
