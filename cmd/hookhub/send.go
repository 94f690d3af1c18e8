package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

func sendCmd(fs *flag.FlagSet, e *env) runner {
	s := addSchemeFlags(fs)
	var headers headerList
	fs.Var(&headers, "header", "an extra request header as 'Name: value'; repeat for each")
	method := fs.String("method", "POST", "HTTP `method`")
	contentType := fs.String("content-type", "application/json", "the body's media `type`")
	id := fs.String("id", "", "message `id` for schemes that sign one")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the answer")
	return func(ctx context.Context, args []string) error {
		if err := s.check(); err != nil {
			return err
		}
		if u, err := url.Parse(args[0]); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("send: %q is not an http(s) URL", args[0])
		}
		body, err := readBody(e)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, *method, args[0], bytes.NewReader(body))
		if err != nil {
			return usagef("send: %v", err)
		}
		for k, vs := range headers.h {
			req.Header[k] = vs
		}
		if req.Header.Get("Content-Type") == "" && *contentType != "" {
			req.Header.Set("Content-Type", *contentType)
		}
		if err := s.sign(req.Header, body, time.Now(), *id); err != nil {
			return err
		}
		return doSend(e, &http.Client{Timeout: *timeout}, req)
	}
}

// doSend sends the request and prints the answer's status and body; an
// answer other than 2xx exits 1.
func doSend(e *env, hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("send to %s: %v", req.URL.Redacted(), rootError(err))
	}
	defer resp.Body.Close()
	fmt.Fprintln(e.stdout, resp.Proto, resp.Status)
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if len(b) > 0 {
		e.stdout.Write(b)
		if b[len(b)-1] != '\n' {
			fmt.Fprintln(e.stdout)
		}
	}
	if resp.StatusCode/100 != 2 {
		return &exitError{code: 1, msg: "the receiver answered " + resp.Status}
	}
	return nil
}
