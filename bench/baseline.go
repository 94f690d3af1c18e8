package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// baselineServerArg makes the bench binary serve the bare handler instead
// of running: the baseline runs in a process of its own, as Hookhub does, so
// it does not share a Go runtime (scheduler, GC) with the built-in load
// generator, and its CPU is measured apart.
const baselineServerArg = "serve-baseline"

// serveBaseline serves a bare net/http handler that reads the body and
// answers 202 on a loopback port, prints the address on stdout and serves
// until stdin is closed (the bench exits or is done with it).
func serveBaseline() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline: listen:", err)
		return 1
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	})}
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	return 0
}

// selfProc is this binary running as a server (the baseline or the floor).
type selfProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	out   chan string // the rest of its stdout, once it exits
}

// startBaseline starts this binary again as the bare server.
func startBaseline(ctx context.Context) (*selfProc, error) {
	return startSelf(ctx, "baseline", nil, baselineServerArg)
}

// startSelf starts this binary again with args and env added to a clean
// environment, and reads the address the server prints first.
func startSelf(ctx context.Context, what string, env []string, args ...string) (*selfProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%s: find own binary: %w", what, err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env, cmd.Stderr = append(cleanEnv(), env...), os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: start: %w", what, err)
	}
	p := &selfProc{cmd: cmd, stdin: stdin, out: make(chan string, 1)}
	addr := make(chan string, 1)
	go func() {
		br := bufio.NewReader(stdout)
		line, _ := br.ReadString('\n')
		addr <- strings.TrimSpace(line)
		rest, _ := io.ReadAll(br)
		p.out <- string(rest)
	}()
	select {
	case p.addr = <-addr:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	if p.addr == "" {
		p.stop()
		return nil, fmt.Errorf("%s: the server did not report its address", what)
	}
	return p, nil
}

func (p *selfProc) pid() int { return p.cmd.Process.Pid }

// stop closes the server's stdin, waits for it to exit and returns what it
// printed after its address.
func (p *selfProc) stop() string { return p.stopWithin(10 * time.Second) }

// stopWithin is stop, killing the server after d.
func (p *selfProc) stopWithin(d time.Duration) string {
	p.stdin.Close()
	// Its stdout ends when it exits; Wait closes the pipe, so it comes after.
	var out string
	select {
	case out = <-p.out:
	case <-time.After(d):
		p.cmd.Process.Kill()
		out = <-p.out
	}
	p.cmd.Wait()
	return out
}
