package main

import (
	"bufio"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

const wrkOutput = `Running 10s test @ http://127.0.0.1:8080/hooks/x
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   635.91us    0.89ms  12.92ms   93.69%
    Req/Sec    56.20k     8.07k   62.00k    86.54%
  Latency Distribution
     50%  250.00us
     75%  491.00us
     90%  700.00us
     99%    5.80ms
  1120101 requests in 10.01s, 95.07MB read
  Non-2xx or 3xx responses: 101
  Socket errors: connect 1, read 2, write 3, timeout 4
Requests/sec: 111887.56
Transfer/sec:      9.50MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{Requests: 1120101, Runtime: 10010 * time.Millisecond, Non2xx: 101, Connect: 1, Read: 2, Write: 3, Timeout: 4,
		ReqPerSec: 111887.56, P50: 250 * time.Microsecond, P75: 491 * time.Microsecond, P90: 700 * time.Microsecond, P99: 5800 * time.Microsecond}
	if *r != want {
		t.Errorf("parsed\n%+v\nwant\n%+v", *r, want)
	}
	if r.OK() != 1120000 || r.Errors() != 111 {
		t.Errorf("OK %d, Errors %d; want 1120000 and 111", r.OK(), r.Errors())
	}
	if got, want := r.RPS(), 1120000/10.01; got < want-0.01 || got > want+0.01 {
		t.Errorf("RPS %f, want %f (2xx only, over wrk's run time)", got, want)
	}
}

// A clean run prints neither the error answers nor the socket errors.
func TestParseWrkCleanRun(t *testing.T) {
	out := `Running 3s test @ http://127.0.0.1:40411/hooks/bench
  1 threads and 21 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   300.00ms   2.00s    70.00%
    Req/Sec    10.00     2.00    12.00     80.00%
  Latency Distribution
     50%    1.10s 
     75%    1.30s 
     90%    1.50s 
     99%    1.50m 
  30 requests in 1.00m, 3.00KB read
Requests/sec:      0.50
Transfer/sec:      51.20B
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 30 || r.Runtime != time.Minute || r.Errors() != 0 || r.P50 != 1100*time.Millisecond || r.P99 != 90*time.Second || r.ReqPerSec != 0.5 {
		t.Errorf("parsed %+v", *r)
	}
}

func TestParseWrkRejects(t *testing.T) {
	noLatency := strings.Replace(wrkOutput, "  Latency Distribution\n", "", 1)
	noLatency = strings.NewReplacer("50%", "", "75%", "", "90%", "", "99%", "").Replace(noLatency)
	for name, out := range map[string]string{
		"empty":                  "",
		"connect failure":        "unable to connect to 127.0.0.1:1 Connection refused\n",
		"no latency":             noLatency,
		"no rate":                strings.Replace(wrkOutput, "Requests/sec: 111887.56\n", "", 1),
		"bad count":              strings.Replace(wrkOutput, "1120101 requests", "11x0101 requests", 1),
		"bad percentile":         strings.Replace(wrkOutput, "5.80ms", "5.80qs", 1),
		"bad socket errors":      strings.Replace(wrkOutput, "timeout 4", "timeout four", 1),
		"unknown socket error":   strings.Replace(wrkOutput, "timeout 4", "lost 4", 1),
		"bad error answer count": strings.Replace(wrkOutput, "responses: 101", "responses: many", 1),
	} {
		if r, err := parseWrk(out); err == nil {
			t.Errorf("%s: parsed %+v, want an error", name, *r)
		}
	}
}

func TestParseWrkTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"0.00us", 0}, {"250.00us", 250 * time.Microsecond}, {"5.80ms", 5800 * time.Microsecond},
		{"10.01s", 10010 * time.Millisecond}, {"1.50m", 90 * time.Second}, {"2.00h", 2 * time.Hour}, {"3s", 3 * time.Second},
	}
	for _, tt := range tests {
		if got, err := parseWrkTime(tt.in); err != nil || got != tt.want {
			t.Errorf("parseWrkTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "ms", "5", "5.8qs", "-1ms", "1e999s"} {
		if got, err := parseWrkTime(bad); err == nil {
			t.Errorf("parseWrkTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestWrkArgs(t *testing.T) {
	got := wrkArgs(2, 64, 2400*time.Millisecond, "/tmp/s.lua", "http://h/x")
	want := []string{"-t", "2", "-c", "64", "-d", "2s", "--timeout", "30s", "--latency", "-s", "/tmp/s.lua", "http://h/x"}
	if !slices.Equal(got, want) {
		t.Errorf("wrkArgs = %q, want %q", got, want)
	}
	if got := wrkArgs(1, 1, 100*time.Millisecond, "s", "u"); got[5] != "1s" {
		t.Errorf("a run under a second asks wrk for %s, want 1s (its least)", got[5])
	}
}

func TestLuaString(t *testing.T) {
	var all strings.Builder
	for c := range 256 {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "plain", `q"uo\te`, "\r\n", all.String()} {
		L := lua.NewState()
		if err := L.DoString("s = " + luaString(s)); err != nil {
			t.Fatalf("luaString(%q) is not Lua: %v", s, err)
		}
		if got := L.GetGlobal("s").String(); got != s {
			t.Errorf("luaString(%q) reads back as %q", s, got)
		}
		L.Close()
	}
}

// wrkThreads runs script as wrk does: one Lua state for setup, one per
// thread for request, and returns each thread's request function.
func wrkThreads(t *testing.T, script string, threads int) []func() string {
	t.Helper()
	main := lua.NewState()
	t.Cleanup(main.Close)
	if err := main.DoString(script); err != nil {
		t.Fatal(err)
	}
	var out []func() string
	for range threads {
		th := lua.NewState()
		t.Cleanup(th.Close)
		if err := th.DoString(script); err != nil {
			t.Fatal(err)
		}
		thread := main.NewTable()
		thread.RawSetString("set", main.NewFunction(func(L *lua.LState) int {
			th.SetGlobal(L.CheckString(2), L.CheckAny(3))
			return 0
		}))
		if err := main.CallByParam(lua.P{Fn: main.GetGlobal("setup"), Protect: true}, thread); err != nil {
			t.Fatal(err)
		}
		out = append(out, func() string {
			if err := th.CallByParam(lua.P{Fn: th.GetGlobal("request"), NRet: 1, Protect: true}); err != nil {
				t.Fatal(err)
			}
			v := th.Get(-1)
			th.Pop(1)
			return v.String()
		})
	}
	return out
}

// The script's requests are what the built-in generator sends: the same
// head, a signature that verifies, a body of --body-size bytes that
// carries the send time, and a delivery id no other request of any thread
// repeats.
func TestWrkScriptRequests(t *testing.T) {
	wh := newWebhook("http://127.0.0.1:9/hooks/src_1", "s3cret", 420)
	sent := time.Unix(1700000000, 5).UnixNano()
	threads := wrkThreads(t, wrkScript(wh, wh.prefix+"-w1", sent), 3)
	ids := map[string]bool{}
	for round := range 50 {
		for i, request := range threads {
			raw := request()
			req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
			if err != nil {
				t.Fatalf("thread %d request %d does not parse: %v\n%q", i, round, err, raw)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatal(err)
			}
			if req.Method != "POST" || req.URL.Path != "/hooks/src_1" || req.Host != "127.0.0.1:9" || len(body) != 420 {
				t.Errorf("%s %s host %s, %d-byte body", req.Method, req.URL.Path, req.Host, len(body))
			}
			if !checkMAC(body, "s3cret", req.Header.Get("X-Hub-Signature-256")) {
				t.Errorf("thread %d request %d: the signature does not verify", i, round)
			}
			if ts, ok := sendTime(body[:len(tsPrefix)+19]); !ok || ts != sent {
				t.Errorf("body's send time %d, %v; want %d", ts, ok, sent)
			}
			id := req.Header.Get("X-GitHub-Delivery")
			if id == "" || ids[id] {
				t.Fatalf("thread %d request %d: delivery id %q empty or repeated", i, round, id)
			}
			ids[id] = true
		}
	}
	// Another run of the same webhook (a warm-up, then the measured run)
	// has ids of its own.
	again := wrkThreads(t, wrkScript(wh, wh.prefix+"-w2", sent), 1)[0]()
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(again)))
	if err != nil || ids[req.Header.Get("X-GitHub-Delivery")] {
		t.Errorf("a second run repeats a delivery id of the first (%v)", err)
	}
}
