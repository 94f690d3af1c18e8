package workflow

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/netguard"
)

// HTTP request node limits.
const (
	defaultHTTPTimeout = 10 * time.Second
	maxHTTPTimeoutSec  = 60
)

// masked stands in for a secret header value in a recorded step.
const masked = "<masked>"

var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// httpKind calls a URL through the outbound SSRF guard; its output is the
// response (status, headers, body, json). A non-2xx answer fails the node
// unless accept_any_status is set.
type httpKind struct{}

func (httpKind) fields() []string {
	return []string{"method", "url", "headers", "body", "timeout_seconds", "accept_any_status", "next"}
}

func (httpKind) compile(n *hookhub.Node) (node, error) {
	h := &httpNode{method: strings.ToUpper(n.Method), timeout: defaultHTTPTimeout, acceptAny: n.AcceptAnyStatus, nextID: n.Next}
	if h.method == "" {
		h.method = "GET"
		if n.Body != "" {
			h.method = "POST"
		}
	}
	if !slices.Contains(httpMethods, h.method) {
		return nil, bad("method", "must be one of %s", strings.Join(httpMethods, ", "))
	}
	if n.TimeoutSec < 0 || n.TimeoutSec > maxHTTPTimeoutSec {
		return nil, bad("timeout_seconds", "must be between 1 and %d", maxHTTPTimeoutSec)
	} else if n.TimeoutSec > 0 {
		h.timeout = time.Duration(n.TimeoutSec) * time.Second
	}
	if n.URL == "" {
		return nil, bad("url", "is required")
	}
	var err error
	if h.url, err = textTemplate("url", n.URL); err != nil {
		return nil, err
	}
	if u, literal := h.url.Literal(); literal {
		if err := netguard.CheckURL(u); err != nil {
			return nil, bad("url", "%s", message(err))
		}
	}
	if h.headers, err = headerTemplates(n.Headers); err != nil {
		return nil, err
	}
	if n.Body != "" {
		if h.body, h.contentType, err = bodyTemplate(n.Body, n.Headers); err != nil {
			return nil, err
		}
	}
	return h, nil
}

type httpNode struct {
	method      string
	url         *expr.Template
	headers     map[string]*expr.Template
	body        *expr.Template
	contentType string
	timeout     time.Duration
	acceptAny   bool
	nextID      string
}

func (h *httpNode) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	url, err := render(ctx, "url", h.url, vars)
	if err != nil {
		return Plan{}, err
	}
	headers, err := renderHeaders(ctx, h.headers, h.contentType, vars)
	if err != nil {
		return Plan{}, err
	}
	body, err := render(ctx, "body", h.body, vars)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{Input: map[string]any{"method": h.method, "url": url, "headers": maskHeaders(headers), "body": body}, Next: h.nextID}
	if err := netguard.CheckURL(url); err != nil {
		return p, fmt.Errorf("url: %s", message(err))
	}
	p.Effect = HTTPRequest{Method: h.method, URL: url, Headers: headers, Body: []byte(body), Timeout: h.timeout, AcceptAnyStatus: h.acceptAny}
	return p, nil
}

func (h *httpNode) edges() []edge { return optional(h.nextID) }
func (h *httpNode) programs() []*expr.Program {
	return append(headerPrograms(h.headers), programsOf(h.url, h.body)...)
}

// maskHeaders hides the values of a request's headers but its content
// type: they may carry credentials.
func maskHeaders(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = masked
		if strings.EqualFold(k, "Content-Type") {
			out[k] = v
		}
	}
	return out
}

// HTTPResponse is what came back from an HTTPRequest.
type HTTPResponse struct {
	Status    int
	Headers   http.Header
	Body      []byte
	Truncated bool // the body was longer than was read
}

// httpOutput is an http_request node's output: the response's status,
// headers (lower-case names), body as text and, when it is JSON, decoded.
// A non-2xx status fails the node unless the request accepts any status.
func httpOutput(req HTTPRequest, resp *HTTPResponse) (any, error) {
	out := map[string]any{
		"status":  resp.Status,
		"headers": expr.Headers(resp.Headers),
		"body":    strings.ToValidUTF8(string(resp.Body), "\uFFFD"),
		"json":    nil,
	}
	if resp.Truncated {
		out["truncated"] = true
	}
	if isJSONType(resp.Headers.Get("Content-Type")) && !resp.Truncated {
		if v, err := ingest.DecodeJSON(resp.Body); err == nil {
			out["json"] = v
		}
	}
	if !req.AcceptAnyStatus && (resp.Status < 200 || resp.Status > 299) {
		return out, fmt.Errorf("%s %s answered %d", req.Method, req.URL, resp.Status)
	}
	return out, nil
}
