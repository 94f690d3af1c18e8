// Package console is Hookhub's web console: server-rendered pages for the
// people who act on webhooks — the inspector and its live tail, sources,
// destinations and their deliveries, incidents, users and API keys.
//
// Pages read through the store, as the API does; every change goes through
// the API's own handlers in-process (API.Call), so the console holds no
// second copy of a business rule. One route table lists every page with its
// role; the chain around each is written out in Routes: security headers →
// session → CSRF → role → handler.
package console

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/server"
)

// API runs one API operation in-process for a caller (*server.Server).
type API interface {
	Call(ctx context.Context, c access.Caller, method, path string, body, out any) error
}

var _ API = (*server.Server)(nil)

// Options are a Console's collaborators.
type Options struct {
	Store   hookhub.Store
	Access  *access.Service
	API     API
	BaseURL string // public base URL: source URLs, and Secure cookies when https
	Logger  *slog.Logger
	Now     func() time.Time
}

// Console serves the console's pages.
type Console struct {
	store   hookhub.Store
	access  *access.Service
	api     API
	baseURL string
	secure  bool
	log     *slog.Logger
	now     func() time.Time
	pages   *pages
}

// New returns a Console.
func New(o Options) *Console {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Console{
		store: o.Store, access: o.Access, api: o.API, baseURL: strings.TrimRight(o.BaseURL, "/"),
		secure: strings.HasPrefix(o.BaseURL, "https://"), log: o.Logger, now: o.Now, pages: loadPages(),
	}
}

// sourceURL is the address senders post a source's webhooks to.
func (c *Console) sourceURL(src *hookhub.Source) string {
	return c.baseURL + "/hooks/" + src.Key
}
