// Package client is a typed Go client for Hookhub's management API
// (/api/v1). Every request carries the API key; every answer other than 2xx
// becomes an *Error holding the API's error code and message.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultServer is where a Hookhub server listens unless told otherwise.
const DefaultServer = "http://127.0.0.1:8080"

// Client talks to one Hookhub server.
type Client struct {
	base   string
	apiKey string
	http   *http.Client
	// UserAgent is sent with every request.
	UserAgent string
}

// New returns a client for the server at base (such as
// http://127.0.0.1:8080) using apiKey. httpClient may be nil.
func New(base, apiKey string, httpClient *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server address %q must be an http(s) URL such as %s", base, DefaultServer)
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{base: strings.TrimRight(base, "/"), apiKey: apiKey, http: httpClient, UserAgent: "hookhub-go-client"}, nil
}

// BaseURL returns the server address the client talks to.
func (c *Client) BaseURL() string { return c.base }

// Error is an error answer of the API: {"error": {"code", "message"}}.
type Error struct {
	Status  int    // HTTP status
	Code    string // such as not_found, invalid, unauthorized
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, e.Code)
}

// ErrorCode returns the API error code of err, or "" when err is not an API
// error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// ConnError is a request that got no answer: the server is down, the
// address is wrong, or the connection broke.
type ConnError struct {
	Server string
	Err    error
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("cannot reach Hookhub at %s: %v", e.Server, rootCause(e.Err))
}

func (e *ConnError) Unwrap() error { return e.Err }

// rootCause drops url.Error's repetition of the method and URL.
func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// request is one API call.
type request struct {
	method string
	path   string
	query  url.Values
	body   any         // JSON-encoded unless nil
	header http.Header // extra headers
}

// call sends req and decodes a 2xx JSON answer into out (when not nil).
func (c *Client) call(ctx context.Context, req request, out any) error {
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &ConnError{Server: c.base, Err: err}
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: unexpected answer: %w", req.method, req.path, err)
	}
	return nil
}

// send sends req and returns a 2xx response, whose body the caller closes.
func (c *Client) send(ctx context.Context, req request) (*http.Response, error) {
	u := c.base + req.path
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var body io.Reader
	if req.body != nil {
		b, err := json.Marshal(req.body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	hr.Header.Set("Authorization", "Bearer "+c.apiKey)
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", c.UserAgent)
	if req.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &ConnError{Server: c.base, Err: err}
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, errorFrom(resp)
	}
	return resp, nil
}

// errorFrom reads an error answer; one that is not the API's JSON shape (a
// proxy's page, say) keeps its status and a short excerpt.
func errorFrom(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(data, &eb) == nil && eb.Error.Code != "" {
		return &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
	}
	msg := strings.TrimSpace(string(data))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &Error{Status: resp.StatusCode, Code: fmt.Sprintf("http_%d", resp.StatusCode), Message: msg}
}

// path joins escaped segments under /api/v1.
func path(segments ...string) string {
	var b strings.Builder
	b.WriteString("/api/v1")
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
