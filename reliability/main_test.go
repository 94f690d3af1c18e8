package reliability

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hookhubBin is the binary every suite runs, built once by TestMain.
var hookhubBin string

// TestMain builds cmd/hookhub once into a temporary directory, from the
// module this package belongs to, so every process of every suite runs the
// code of this checkout.
func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "hookhub-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if !testing.Short() || os.Getenv("HOOKHUB_RELIABILITY_BUILD") != "" {
			if hookhubBin, err = build(dir); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

func build(dir string) (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	bin := filepath.Join(dir, "hookhub")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/hookhub")
	cmd.Dir = strings.TrimSpace(string(out))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build hookhub: %w\n%s", err, out)
	}
	return bin, nil
}

// needBinary skips suites in -short mode, where the binary is not built.
func needBinary(t *testing.T) {
	t.Helper()
	if hookhubBin == "" {
		t.Skip("-short: the reliability suites run the real binary; run without -short")
	}
}
