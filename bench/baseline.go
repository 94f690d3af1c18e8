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

// baselineProc is the running bare server.
type baselineProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
}

// startBaseline starts this binary again as the bare server.
func startBaseline(ctx context.Context) (*baselineProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("baseline: find own binary: %w", err)
	}
	cmd := exec.Command(self, baselineServerArg)
	cmd.Env, cmd.Stderr = cleanEnv(), os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("baseline: start: %w", err)
	}
	p := &baselineProc{cmd: cmd, stdin: stdin}
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		addr <- strings.TrimSpace(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.addr = <-addr:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	if p.addr == "" {
		p.stop()
		return nil, fmt.Errorf("baseline: the server did not report its address")
	}
	return p, nil
}

func (p *baselineProc) pid() int { return p.cmd.Process.Pid }

// stop closes the server's stdin and waits for it to exit.
func (p *baselineProc) stop() {
	p.stdin.Close()
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}
