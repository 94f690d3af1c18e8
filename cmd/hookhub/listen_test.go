package main

import (
	"context"
	"fmt"
	"github.com/hookhub/hookhub/secret"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub/client"
)

// proxy forwards TCP connections to a target and can cut them all and
// refuse new ones for a while: a network outage between listen and Hookhub.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut closes every connection and stops accepting.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore accepts connections again on the same address.
func (p *proxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	must(t, err)
	p.serve(ln)
}

// TestListenForwardsAcrossADisconnect: listen forwards each webhook with its
// method, headers, query and body; webhooks that arrive while its
// connection is down are forwarded once it is back, none missed, none twice.
func TestListenForwardsAcrossADisconnect(t *testing.T) {
	h := startHub(t, "")
	app := &receiver{}
	local := httptest.NewServer(app)
	defer local.Close()
	src, err := h.api.CreateSource(context.Background(), client.SourceInput{Name: client.Ptr("dev"), Type: client.Ptr("stripe"),
		Verification: &client.Verification{Secret: client.Ptr("whsec_test")}})
	must(t, err)
	px := newProxy(t, strings.TrimPrefix(h.url, "http://"))

	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() {
		e := &env{getenv: func(k string) string { return map[string]string{"HOOKHUB_API_KEY": h.key}[k] },
			stdin: strings.NewReader(""), stdout: out, stderr: errOut}
		done <- execute(ctx, []string{"listen", "--source", src.ID, "--forward-to", local.URL + "/webhooks?app=1", "--server", "http://" + px.addr}, e)
	}()
	waitFor(t, "listen to start", func() bool { return strings.Contains(errOut.String(), "Forwarding webhooks") })

	post := func(i int) {
		t.Helper()
		body := fmt.Sprintf(`{"id":"evt_%d","type":"invoice.paid"}`, i)
		r := h.cli(t, body, nil, "send", "--scheme", "stripe", "--secret", "whsec_test", src.URL+"?n="+fmt.Sprint(i))
		if r.code != 0 {
			t.Fatalf("send %d: %+v", i, r)
		}
	}
	// listen prints once it is subscribed: from then on nothing is missed.
	for i := 0; i <= 3; i++ {
		post(i)
	}
	waitFor(t, "four forwarded", func() bool { return len(app.got()) == 4 })

	px.cut()
	waitFor(t, "listen to notice", func() bool { return strings.Contains(errOut.String(), "lost") })
	for i := 4; i <= 7; i++ {
		post(i)
	}
	px.restore(t)
	waitFor(t, "the missed webhooks", func() bool { return len(app.got()) == 8 })
	post(8)
	waitFor(t, "a live one after the outage", func() bool { return len(app.got()) == 9 })
	// A repeat of a webhook is shown but not forwarded.
	post(8)
	waitFor(t, "the duplicate's line", func() bool { return strings.Contains(out.String(), "not forwarded: duplicate") })
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("listen exited %d: %s", code, errOut.String())
	}

	got := app.got()
	for i, r := range got {
		want := fmt.Sprintf(`{"id":"evt_%d","type":"invoice.paid"}`, i)
		if string(r.body) != want || r.method != http.MethodPost || r.path != "/webhooks" {
			t.Fatalf("forward %d: %s %s %q, want POST /webhooks %s", i, r.method, r.path, r.body, want)
		}
		if !strings.Contains(r.query, "app=1") || !strings.Contains(r.query, fmt.Sprintf("n=%d", i)) {
			t.Errorf("forward %d: query %q", i, r.query)
		}
		if r.header.Get("Stripe-Signature") == "" || r.header.Get("X-Hookhub-Event-Id") == "" {
			t.Errorf("forward %d lacks the original signature or the event id: %v", i, r.header)
		}
	}
	if n := strings.Count(out.String(), "→ 200 OK"); n != 9 {
		t.Errorf("printed %d forwarded lines, want 9:\n%s", n, out.String())
	}
}

// TestStreamSeesOtherProcesses: two Hookhub processes share one PostgreSQL
// database; a stream on one shows the webhooks the other receives.
func TestStreamSeesOtherProcesses(t *testing.T) {
	base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; this needs a database two processes share")
	}
	db := freshPostgres(t, base)
	_, key := secret.NewAPIKey()
	master := secret.EncodeKey(secret.NewRandomKey())
	a, b := startHubWith(t, db, key, master), startHubWith(t, db, key, master)
	src, err := a.api.CreateSource(context.Background(), client.SourceInput{Name: client.Ptr("shared")})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := a.api.StreamEvents(ctx, client.StreamOptions{SourceID: src.ID})
	must(t, err)
	defer stream.Close()
	urlOnB := b.url + "/hooks/" + src.Key
	if r := b.cli(t, `{"n":1}`, nil, "send", "--scheme", "none", urlOnB); r.code != 0 {
		t.Fatalf("send to the second process: %+v", r)
	}
	got := make(chan string, 1)
	go func() {
		ev, err := stream.Next()
		if err == nil {
			got <- ev.ID
		}
	}()
	select {
	case id := <-got:
		if !strings.HasPrefix(id, "evt_") {
			t.Fatalf("streamed %q", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first process's stream never showed the second's webhook")
	}
}
