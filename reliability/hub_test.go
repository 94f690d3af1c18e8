package reliability

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hookhub/hookhub/secret"
)

// hubConfig says how to run one Hookhub process. A config is reused to
// restart a killed process on the same address, data and database.
type hubConfig struct {
	Addr        string // 127.0.0.1:port, kept across restarts
	DataDir     string
	DatabaseURL string // "" runs on SQLite in DataDir
	SecretKey   string // shared by every process on one database
	AdminKey    string // bootstrapped on first start
	Lease       time.Duration
	Args        []string // further flags
}

// newHubConfig picks a free address, a data directory and fresh keys.
func newHubConfig(t *testing.T, databaseURL string) hubConfig {
	t.Helper()
	_, key := secret.NewAPIKey()
	return hubConfig{Addr: freeAddr(t), DataDir: t.TempDir(), DatabaseURL: databaseURL,
		SecretKey: newSecretKey(), AdminKey: key, Lease: 6 * time.Second}
}

func newSecretKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// hub is one running Hookhub process.
type hub struct {
	t      *testing.T
	cfg    hubConfig
	URL    string
	cmd    *exec.Cmd
	exited chan struct{}
	log    string // its stderr file
}

// startHub starts a process and waits until /readyz answers 200.
func startHub(t *testing.T, cfg hubConfig) *hub {
	t.Helper()
	h, err := launchHub(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.waitReady(60 * time.Second); err != nil {
		h.kill()
		t.Fatal(err)
	}
	return h
}

// launchHub starts a process without waiting for it to be ready.
func launchHub(t *testing.T, cfg hubConfig) (*hub, error) {
	needBinary(t)
	args := []string{"serve", "--listen", cfg.Addr, "--data-dir", cfg.DataDir, "--outbound-allow", "127.0.0.1/32",
		"--log-level", "warn", "--secret-key", cfg.SecretKey, "--delivery-lease", cfg.Lease.String()}
	if cfg.DatabaseURL != "" {
		args = append(args, "--database-url", cfg.DatabaseURL)
	}
	args = append(args, cfg.Args...)
	cmd := exec.Command(hookhubBin, args...)
	cmd.Env = append(cleanEnv(), "HOOKHUB_ADMIN_API_KEY="+cfg.AdminKey)
	logf, err := os.CreateTemp(cfg.DataDir, "hookhub-*.log")
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child keeps its own descriptor
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start hookhub: %w", err)
	}
	go drain(stdout)
	h := &hub{t: t, cfg: cfg, URL: "http://" + cfg.Addr, cmd: cmd, exited: make(chan struct{}), log: logf.Name()}
	go func() { cmd.Wait(); close(h.exited) }()
	t.Cleanup(h.kill)
	return h, nil
}

// drain reads the child's stdout (first-start credentials) so it never blocks.
func drain(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
	}
}

// cleanEnv is the environment without HOOKHUB_ settings, so a developer's own
// configuration cannot change a suite.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOOKHUB_") {
			env = append(env, kv)
		}
	}
	return env
}

func (h *hub) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	c := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-h.exited:
			return fmt.Errorf("hookhub exited on start (%v): %s", h.cmd.ProcessState, h.logTail())
		default:
		}
		if resp, err := c.Get(h.URL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("hookhub at %s not ready within %s: %s", h.URL, timeout, h.logTail())
}

// kill sends SIGKILL and waits for the process to be gone.
func (h *hub) kill() {
	select {
	case <-h.exited:
		return
	default:
	}
	h.cmd.Process.Signal(syscall.SIGKILL)
	<-h.exited
}

// stop asks for a graceful shutdown and waits for it.
func (h *hub) stop() {
	h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.exited:
	case <-time.After(30 * time.Second):
		h.t.Errorf("hookhub did not stop within 30s of SIGTERM: %s", h.logTail())
		h.kill()
	}
}

// logTail is the end of the process's stderr, for failure messages.
func (h *hub) logTail() string {
	b, _ := os.ReadFile(h.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return strings.TrimSpace(string(b))
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
