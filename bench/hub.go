package main

import (
	"bufio"
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
	"time"

	"github.com/hookhub/hookhub/secret"
)

// buildHub compiles cmd/hookhub once into dir, from the module this bench
// belongs to, so the bench measures the code of the checkout it runs in.
func buildHub(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	root := strings.TrimSpace(string(out))
	bin := filepath.Join(dir, "hookhub")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hookhub")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build hookhub: %w\n%s", err, out)
	}
	return bin, nil
}

// hubOptions say how to start one Hookhub process.
type hubOptions struct {
	Bin         string
	Dir         string // its own temporary directory
	DatabaseURL string // empty for SQLite in Dir
	Workers     int    // 0 keeps Hookhub's default
	Profiles    bool   // serve pprof on a loopback port (--debug-listen)
	// APIKey is the admin key to start with; empty picks a new one. Further
	// processes on a database another one bootstrapped get the same key,
	// which the database already holds.
	APIKey string
	// SecretKey is the master key for secrets at rest (base64 of 32 bytes);
	// processes sharing a database must share it to read each other's
	// source and destination secrets. Empty lets Hookhub generate one.
	SecretKey string
	// Env is added to its environment (OTEL_* settings).
	Env []string
}

// hub is a running Hookhub process.
type hub struct {
	cmd    *exec.Cmd
	URL    string
	key    string
	logf   string // its stderr, kept in a file for when something goes wrong
	client *http.Client
	exited chan error
	debug  string         // pprof base URL, "" when off
	profs  sync.WaitGroup // profiles being recorded
}

// adminPassword signs the console scenario in.
const adminPassword = "bench-admin-password"

// startHub starts Hookhub on a free port and waits until /readyz answers 200.
// The admin API key is chosen here and passed in the environment, which is
// simpler to rely on than parsing the first-start banner.
func startHub(ctx context.Context, o hubOptions) (*hub, error) {
	key := o.APIKey
	if key == "" {
		_, key = secret.NewAPIKey()
	}
	args := []string{"serve", "--data-dir", filepath.Join(o.Dir, "data"), "--listen", "127.0.0.1:0",
		"--outbound-allow", "127.0.0.1/32", "--log-level", "warn"}
	if o.Workers > 0 {
		args = append(args, "--delivery-workers", fmt.Sprint(o.Workers))
	}
	if o.DatabaseURL != "" {
		args = append(args, "--database-url", o.DatabaseURL)
	}
	var debug string
	if o.Profiles {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		debug = "http://" + port
		args = append(args, "--debug-listen", port)
	}
	cmd := exec.Command(o.Bin, args...)
	cmd.Env = append(cleanEnv(), "HOOKHUB_ADMIN_API_KEY="+key, "HOOKHUB_ADMIN_PASSWORD="+adminPassword)
	if o.SecretKey != "" {
		cmd.Env = append(cmd.Env, "HOOKHUB_SECRET_KEY="+o.SecretKey)
	}
	cmd.Env = append(cmd.Env, o.Env...)
	logPath := filepath.Join(o.Dir, "hookhub.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("hub log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("hub stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start hookhub: %w", err)
	}
	h := &hub{cmd: cmd, key: key, logf: logPath, exited: make(chan error, 1), debug: debug,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	urls := make(chan string, 1)
	go scanStdout(stdout, urls)
	go func() { h.exited <- cmd.Wait() }()
	select {
	case h.URL = <-urls:
	case err := <-h.exited:
		h.exited <- err
		return nil, fmt.Errorf("hookhub exited on start (%v): %s", err, h.logTail())
	case <-time.After(60 * time.Second):
		h.stop()
		return nil, fmt.Errorf("hookhub did not report its address within 60s: %s", h.logTail())
	case <-ctx.Done():
		h.stop()
		return nil, ctx.Err()
	}
	if err := h.waitReady(ctx); err != nil {
		h.stop()
		return nil, err
	}
	return h, nil
}

// freePort returns a loopback address nobody listens on. Hookhub logs the
// profile address only at info level, so the bench picks it; another process
// could take it in between, which would only make Hookhub fail to start.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a port for profiles: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// profile records a CPU profile of d into path, in the background; stop
// waits for it.
func (h *hub) profile(path string, d time.Duration) {
	if h.debug == "" {
		return
	}
	h.profs.Add(1)
	go func() {
		defer h.profs.Done()
		if err := h.fetchProfile(path, d); err != nil {
			logf("  cpu profile: %v", err)
		}
	}()
}

func (h *hub) fetchProfile(path string, d time.Duration) error {
	secs := max(int(d.Round(time.Second)/time.Second), 1)
	c := &http.Client{Timeout: time.Duration(secs)*time.Second + 30*time.Second}
	resp, err := c.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", h.debug, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", path, resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// cleanEnv is the environment without HOOKHUB_ and OTEL_ settings, so a
// developer's own configuration (or tracing) cannot change what is measured.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOOKHUB_") && !strings.HasPrefix(kv, "OTEL_") {
			env = append(env, kv)
		}
	}
	return env
}

// scanStdout finds the "Hookhub is running at URL" line and then keeps
// draining stdout so the child never blocks on a full pipe.
func scanStdout(r io.Reader, urls chan<- string) {
	sc := bufio.NewScanner(r)
	const marker = "Hookhub is running at "
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), marker); ok {
			url, _, _ := strings.Cut(rest, " ")
			select {
			case urls <- url:
			default:
			}
		}
	}
}

func (h *hub) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := h.client.Get(h.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("hookhub at %s not ready within 30s: %s", h.URL, h.logTail())
}

// pid is the process id, for /proc sampling.
func (h *hub) pid() int { return h.cmd.Process.Pid }

// stop sends SIGTERM and waits; a process that does not exit in time (it
// drains in-flight work first) is killed, since its figures are already taken.
func (h *hub) stop() error {
	h.profs.Wait()
	h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-h.exited:
		h.exited <- err
		return nil
	case <-time.After(20 * time.Second):
		h.cmd.Process.Kill()
		return fmt.Errorf("hookhub did not stop within 20s of SIGTERM; killed")
	}
}

// logTail returns the end of the process's stderr, for error messages.
func (h *hub) logTail() string {
	b, _ := os.ReadFile(h.logf)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// logLines counts lines Hookhub logged at warn level or above.
func (h *hub) logLines() int {
	b, _ := os.ReadFile(h.logf)
	return bytes.Count(b, []byte("\n"))
}

// api calls the management API with the admin key and decodes a 2xx answer
// into out (when not nil).
func (h *hub) api(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+h.key)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

// createDestination makes a destination that delivers to url, with room for
// as many requests in flight as the engine has workers.
func (h *hub) createDestination(ctx context.Context, name, url string) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	err := h.api(ctx, "POST", "/api/v1/destinations", map[string]any{
		"name": name, "url": url, "max_concurrency": 64, "retry": map[string]any{"max_retries": 10},
		"timeout_seconds": 15, "enabled": true,
	}, &out)
	if err != nil {
		return "", fmt.Errorf("create destination %s: %w", name, err)
	}
	return out.ID, nil
}

// createSource makes a GitHub source routed to dests and returns its ingest URL.
func (h *hub) createSource(ctx context.Context, name, hmacSecret string, dests []string) (string, error) {
	if dests == nil {
		dests = []string{}
	}
	var out struct {
		URL string `json:"url"`
	}
	err := h.api(ctx, "POST", "/api/v1/sources", map[string]any{
		"name": name, "type": "github", "verification": map[string]any{"scheme": "github", "secret": hmacSecret},
		"destination_ids": dests,
	}, &out)
	if err != nil {
		return "", fmt.Errorf("create source %s: %w", name, err)
	}
	if out.URL == "" {
		return "", fmt.Errorf("create source %s: answer has no url", name)
	}
	return out.URL, nil
}

// setPaused pauses or resumes a destination: paused deliveries stay pending.
func (h *hub) setPaused(ctx context.Context, id string, paused bool) error {
	action := "resume"
	if paused {
		action = "pause"
	}
	if err := h.api(ctx, "POST", "/api/v1/destinations/"+id+"/"+action, nil, nil); err != nil {
		return fmt.Errorf("%s destination: %w", action, err)
	}
	return nil
}
