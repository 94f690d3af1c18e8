package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hookhub/hookhub/client"
)

const listenDetail = `Every webhook the source receives is sent to the local app with its original
method, headers, query and body, so the app's own signature check works; one
line per request shows the app's answer. Webhooks that Hookhub rejected or
dropped as duplicates are shown but not forwarded unless --all is given.
If the connection to the server breaks, listen reconnects and first forwards
what arrived meanwhile: nothing is missed. No tunnel is needed: senders post
to Hookhub, and listen pulls from it.`

func listenCmd(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	source := fs.String("source", "", "the source `ID` to listen to (required)")
	target := fs.String("forward-to", "", "the local app's `URL`, such as http://localhost:3000/webhooks (required)")
	all := fs.Bool("all", false, "also forward rejected and duplicate webhooks")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the local app's answer")
	return func(ctx context.Context, _ []string) error {
		if *source == "" || *target == "" {
			return usagef("listen: --source and --forward-to are required")
		}
		fwd, err := url.Parse(*target)
		if err != nil || (fwd.Scheme != "http" && fwd.Scheme != "https") || fwd.Host == "" {
			return usagef("listen: --forward-to must be an http(s) URL")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		src, err := c.GetSource(ctx, *source)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		f := &forwarder{c: c, target: fwd, all: *all, http: &http.Client{Timeout: *timeout}, out: e.stdout}
		return follow(ctx, c, client.StreamOptions{SourceID: src.ID}, func(ev *client.Event) error {
			return f.forward(ctx, ev)
		}, watcher{
			connected: func() {
				fmt.Fprintf(e.stderr, "Forwarding webhooks sent to %s (source %s, %q) to %s. Ctrl-C to stop.\n", src.URL, src.ID, src.Name, fwd)
			},
			notice: func(msg string) { fmt.Fprintln(e.stderr, msg) },
		})
	}
}

// forwarder replays events to the local app.
type forwarder struct {
	c      *client.Client
	target *url.URL
	all    bool
	http   *http.Client
	out    io.Writer
}

// forward sends one event to the local app and prints a line. Failures of
// the local app are printed, not returned: listening goes on.
func (f *forwarder) forward(ctx context.Context, ev *client.Event) error {
	stamp := ev.ReceivedAt.Local().Format("15:04:05")
	if ev.Status != "accepted" && !f.all {
		fmt.Fprintf(f.out, "%s  %s  %s %s  not forwarded: %s\n", stamp, ev.ID, dash(ev.Method), dash(ev.Type), skipReason(ev))
		return nil
	}
	full, err := f.c.GetEvent(ctx, ev.ID)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("fetch %s: %w", ev.ID, err)
	}
	start := time.Now()
	status, err := f.send(ctx, full)
	took := time.Since(start).Round(time.Millisecond)
	result := status
	if err != nil {
		result = "error: " + err.Error()
	}
	fmt.Fprintf(f.out, "%s  %s  %s %s  → %s (%s)\n", stamp, ev.ID, dash(full.Method), dash(full.Type), result, took)
	return nil
}

func skipReason(ev *client.Event) string {
	if ev.Status == "duplicate" {
		return "duplicate of " + ev.DuplicateOf
	}
	if ev.Verification.Reason != "" {
		return ev.Status + " (" + ev.Verification.Reason + ")"
	}
	return ev.Status
}

// send replays the request and returns the app's status line.
func (f *forwarder) send(ctx context.Context, ev *client.Event) (string, error) {
	body, err := ev.RawBody()
	if err != nil {
		return "", err
	}
	method := ev.Method
	if method == "" {
		method = http.MethodPost // published events have no method
	}
	req, err := http.NewRequestWithContext(ctx, method, forwardURL(f.target, ev.Query), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	for k, vs := range ev.Headers {
		if !hopByHop[http.CanonicalHeaderKey(k)] {
			req.Header[http.CanonicalHeaderKey(k)] = vs
		}
	}
	req.Header.Set("X-Hookhub-Event-Id", ev.ID)
	resp, err := f.http.Do(req)
	if err != nil {
		return "", rootError(err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.Status, nil
}

// hopByHop headers describe the original connection, not the request.
var hopByHop = map[string]bool{
	"Host": true, "Content-Length": true, "Connection": true, "Keep-Alive": true, "Transfer-Encoding": true,
	"Te": true, "Trailer": true, "Upgrade": true, "Proxy-Connection": true, "Accept-Encoding": true,
}

// forwardURL adds the original query to the target's own.
func forwardURL(target *url.URL, query map[string][]string) string {
	u := *target
	q := u.Query()
	for k, vs := range query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// rootError drops the method and URL that url.Error repeats.
func rootError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return fmt.Errorf("%s", msg[i+2:])
	}
	return err
}
