package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// wrkTool is an installed wrk (https://github.com/wg/wrk), the load
// generator the closed-loop scenarios use when it is there: written in C
// around epoll, it costs the machine less per request than any Go client.
type wrkTool struct {
	bin     string
	version string // e.g. "debian/4.1.0-3+b2"
}

// findWrk looks wrk up; a missing wrk is an error the caller may ignore.
func findWrk(path string) (*wrkTool, error) {
	bin, err := exec.LookPath(path)
	if err != nil {
		return nil, err
	}
	// wrk -v prints its version and usage and exits non-zero.
	out, _ := exec.Command(bin, "-v").CombinedOutput()
	line, _, _ := strings.Cut(string(out), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "wrk" {
		return nil, fmt.Errorf("%s -v: not wrk: %q", bin, line)
	}
	return &wrkTool{bin: bin, version: f[1]}, nil
}

// wrkResult is what one wrk run printed, with the CPU the process used.
type wrkResult struct {
	Requests  int64         // answers read (any status)
	Runtime   time.Duration // wrk's own measure of the run
	Non2xx    int64         // "Non-2xx or 3xx responses": statuses above 399
	Connect   int64         // socket errors
	Read      int64
	Write     int64
	Timeout   int64
	ReqPerSec float64 // as printed: every answer, errors included
	P50, P75  time.Duration
	P90, P99  time.Duration
	CPU       time.Duration // user + system time of the wrk process
	Wall      time.Duration // the process's wall time
}

// OK is the 2xx/3xx answers.
func (r *wrkResult) OK() int64 { return r.Requests - r.Non2xx }

// Errors is the error answers and the socket errors.
func (r *wrkResult) Errors() int64 { return r.Non2xx + r.Connect + r.Read + r.Write + r.Timeout }

// RPS is successful answers per second, as the built-in generator counts.
func (r *wrkResult) RPS() float64 {
	if r.Runtime <= 0 {
		return 0
	}
	return float64(r.OK()) / r.Runtime.Seconds()
}

// parseWrk reads wrk's report (run with --latency):
//
//	Running 10s test @ http://127.0.0.1:8080/hooks/x
//	  2 threads and 64 connections
//	  Thread Stats   Avg      Stdev     Max   +/- Stdev
//	    Latency   635.91us    0.89ms  12.92ms   93.69%
//	    Req/Sec    56.20k     8.07k   62.00k    86.54%
//	  Latency Distribution
//	     50%  250.00us
//	     75%  491.00us
//	     90%  700.00us
//	     99%    5.80ms
//	  1120101 requests in 10.01s, 95.07MB read
//	  Non-2xx or 3xx responses: 12
//	  Socket errors: connect 0, read 0, write 0, timeout 0
//	Requests/sec: 111887.56
//	Transfer/sec:      9.50MB
func parseWrk(out string) (*wrkResult, error) {
	r := &wrkResult{}
	var haveCount, haveRate bool
	pct := map[string]*time.Duration{"50%": &r.P50, "75%": &r.P75, "90%": &r.P90, "99%": &r.P99}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && pct[f[0]] != nil:
			d, err := parseWrkTime(f[1])
			if err != nil {
				return nil, fmt.Errorf("wrk: latency %s: %w", f[0], err)
			}
			*pct[f[0]] = d
		case len(f) >= 4 && f[1] == "requests" && f[2] == "in":
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("wrk: request count %q", f[0])
			}
			d, err := parseWrkTime(strings.TrimSuffix(f[3], ","))
			if err != nil {
				return nil, fmt.Errorf("wrk: run time: %w", err)
			}
			r.Requests, r.Runtime, haveCount = n, d, true
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:"):
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "Non-2xx or 3xx responses:")), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("wrk: %q", line)
			}
			r.Non2xx = n
		case strings.HasPrefix(line, "Socket errors:"):
			// "Socket errors: connect 0, read 0, write 0, timeout 0"
			parts := strings.Split(strings.TrimPrefix(line, "Socket errors:"), ",")
			dst := map[string]*int64{"connect": &r.Connect, "read": &r.Read, "write": &r.Write, "timeout": &r.Timeout}
			for _, p := range parts {
				kv := strings.Fields(p)
				if len(kv) != 2 || dst[kv[0]] == nil {
					return nil, fmt.Errorf("wrk: %q", line)
				}
				n, err := strconv.ParseInt(kv[1], 10, 64)
				if err != nil {
					return nil, fmt.Errorf("wrk: %q", line)
				}
				*dst[kv[0]] = n
			}
		case strings.HasPrefix(line, "Requests/sec:"):
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, "Requests/sec:")), 64)
			if err != nil {
				return nil, fmt.Errorf("wrk: %q", line)
			}
			r.ReqPerSec, haveRate = v, true
		}
	}
	if !haveCount || !haveRate {
		return nil, errors.New("wrk: no request count or rate in its output")
	}
	if r.Requests > 0 && r.P99 == 0 {
		return nil, errors.New("wrk: no latency distribution in its output (run with --latency)")
	}
	return r, nil
}

// parseWrkTime reads wrk's durations: "250.00us", "5.80ms", "10.01s",
// "1.50m", "2.00h".
func parseWrkTime(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		d      time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v < 0 || math.IsInf(v, 0) {
				return 0, fmt.Errorf("bad duration %q", s)
			}
			return time.Duration(math.Round(v * float64(u.d))), nil
		}
	}
	return 0, fmt.Errorf("bad duration %q", s)
}

// wrkScript is the Lua script of one wrk run: every request is the same
// GitHub-signed push (body and signature computed here, once) with its own
// X-GitHub-Delivery, so Hookhub's dedup sees each one as a new delivery.
// Signing in Lua would cost wrk more than the server it measures; the body
// does not need to differ, only the delivery id Hookhub deduplicates on.
// The head is the one the built-in generator sends.
func wrkScript(h *webhook, runPrefix string, sentNanos int64) string {
	body := webhookBody(nil, sentNanos, runPrefix, h.size)
	mac := hmac.New(sha256.New, h.secret)
	mac.Write(body)
	tail := "\r\nX-Hub-Signature-256: sha256=" + hex.EncodeToString(mac.Sum(nil)) +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + string(body)
	var b strings.Builder
	b.WriteString("-- Written by hookhub's bench for one wrk run.\n")
	fmt.Fprintf(&b, "local head = %s\n", luaString(h.headBefore()))
	fmt.Fprintf(&b, "local tail = %s\n", luaString(tail))
	fmt.Fprintf(&b, "local prefix = %s\n", luaString(runPrefix+"-"))
	b.WriteString(`local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local seq = 0
function request()
  seq = seq + 1
  return head .. prefix .. tid .. "-" .. seq .. tail
end
`)
	return b.String()
}

// luaString quotes s as a Lua string literal, escaping every byte that is not
// printable ASCII as \ddd.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			fmt.Fprintf(&b, "\\%03d", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// wrkArgs are the command line of one run. wrk takes whole seconds.
func wrkArgs(threads, conns int, d time.Duration, script, url string) []string {
	secs := max(int64(math.Round(d.Seconds())), 1)
	return []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", strconv.FormatInt(secs, 10) + "s",
		"--timeout", "30s", "--latency", "-s", script, url}
}

// run drives h with wrk for d and parses its report. The script goes to dir.
func (t *wrkTool) run(ctx context.Context, dir string, h *webhook, threads, conns int, d time.Duration) (*wrkResult, error) {
	threads = max(min(threads, conns), 1)
	runPrefix := h.prefix + "-w" + strconv.FormatUint(h.seq.Add(1), 10)
	script := filepath.Join(dir, "wrk-"+runPrefix+".lua")
	if err := os.WriteFile(script, []byte(wrkScript(h, runPrefix, time.Now().UnixNano())), 0o644); err != nil {
		return nil, fmt.Errorf("wrk script: %w", err)
	}
	defer os.Remove(script)
	cmd := exec.CommandContext(ctx, t.bin, wrkArgs(threads, conns, d, script, "http://"+h.host+h.path)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("wrk: %w: %s%s", err, strings.TrimSpace(stdout.String()), strings.TrimSpace(stderr.String()))
	}
	r, err := parseWrk(stdout.String())
	if err != nil {
		return nil, fmt.Errorf("%w:\n%s", err, stdout.String())
	}
	r.CPU, r.Wall = cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime(), wall
	return r, nil
}
